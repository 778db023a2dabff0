#!/usr/bin/env bash
# The harness tests itself: a default `conform run` against the embedded emulator
# with one planted fault must fail (exit 1) and its JUnit must name what broke.
# Usage: selftest.sh fault CONFORM SOURCE_DIR FAULT OPS MARKER EXTRA
#        selftest.sh list  CONFORM SOURCE_DIR   (faults.tsv names every fault once)
#        selftest.sh fuzz  CONFORM SOURCE_DIR FAULT|- OPS CASES
# fuzz: `conform fuzz` against the emulator with a crash-path fault (one that
# answers 500) must exit 1, name no_5xx in its JUnit, save the failure, and the
# saved case must fail again under `conform replay`; with "-" (no fault) it must
# exit 0.
set -euo pipefail

mode=$1
conform=$2
src=$3
table="$src/tests/selftest/faults.tsv"

# shellcheck source=tests/lib/caught.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/caught.sh"

case $mode in
  list)
    listed=$("$conform" emulate --list-faults | awk '{print $1}' | sort)
    tabled=$(grep -v '^#' "$table" | cut -f1 | sort)
    if [[ "$listed" != "$tabled" ]]; then
      diff <(echo "$listed") <(echo "$tabled") >&2 || true
      fail "tests/selftest/faults.tsv and 'conform emulate --list-faults' differ (< only listed, > only in the table)"
    fi
    dups=$(echo "$tabled" | uniq -d)
    [[ -z "$dups" ]] || fail "faults.tsv names these faults twice: $dups"
    echo "faults.tsv names all $(echo "$listed" | wc -l) faults"
    ;;
  fault)
    fault=$4
    ops=$5
    marker=$6
    extra=()
    [[ "${7:--}" == "-" ]] || read -r -a extra <<<"$7"
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/conform-selftest.XXXXXX")
    trap 'rm -rf "$scratch"' EXIT
    code=0
    "$conform" run --specs "$src/specs" --fault "$fault" --ops "$ops" --junit "$scratch/junit.xml" \
      "${extra[@]}" >"$scratch/out" 2>"$scratch/err" || code=$?
    expect_caught "fault $fault" "$code" "$scratch" "$marker"
    ;;
  fuzz)
    fault=$4
    ops=$5
    cases=$6
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/conform-selftest.XXXXXX")
    trap 'rm -rf "$scratch"' EXIT
    faults=()
    [[ $fault == "-" ]] || faults=(--fault "$fault")
    code=0
    "$conform" fuzz --specs "$src/specs" "${faults[@]}" --ops "$ops" --cases "$cases" --junit "$scratch/junit.xml" \
      --save-failures "$scratch/corpus" >"$scratch/out" 2>"$scratch/err" || code=$?
    expected=1
    [[ $fault == "-" ]] && expected=0
    if [[ $code -ne $expected ]]; then
      tail -5 "$scratch/out"
      cat "$scratch/err" >&2
      fail "conform fuzz ${faults[*]} exited $code, expected $expected"
    fi
    [[ -s "$scratch/junit.xml" ]] || fail "conform fuzz wrote no JUnit"
    if [[ $fault == "-" ]]; then
      echo "conform fuzz without faults: $(grep 'exchanges:' "$scratch/out" | tail -1)"
      exit 0
    fi
    grep -q '\[no_5xx\]' "$scratch/junit.xml" || fail "the JUnit names no [no_5xx] failure"
    saved=$(find "$scratch/corpus" -name '*.jsonl' | wc -l)
    [[ $saved -ge 1 ]] || fail "no failure saved under --save-failures"
    code=0
    "$conform" replay "$scratch/corpus" --specs "$src/specs" "${faults[@]}" >"$scratch/replay" 2>&1 || code=$?
    [[ $code -eq 1 ]] || { cat "$scratch/replay" >&2; fail "conform replay of the saved failures exited $code, expected 1"; }
    echo "conform fuzz --fault $fault: $(grep 'exchanges:' "$scratch/out" | tail -1); $saved saved, replay fails again"
    ;;
  *)
    fail "unknown mode $mode"
    ;;
esac
