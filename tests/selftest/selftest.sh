#!/usr/bin/env bash
# The harness tests itself: a default `conform run` against the embedded emulator
# with one planted fault must fail (exit 1) and its JUnit must name what broke.
# Usage: selftest.sh fault CONFORM SOURCE_DIR FAULT OPS MARKER EXTRA
#        selftest.sh list  CONFORM SOURCE_DIR   (faults.tsv names every fault once)
set -euo pipefail

mode=$1
conform=$2
src=$3
table="$src/tests/selftest/faults.tsv"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

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
    if [[ $code -ne 1 ]]; then
      tail -5 "$scratch/out"
      cat "$scratch/err" >&2
      fail "fault $fault: conform run exited $code, expected 1 (the fault was not caught)"
    fi
    [[ -s "$scratch/junit.xml" ]] || fail "fault $fault: no JUnit written"
    # The findings: each <failure>/<error> element with the <testcase> line before
    # it (its name is the rule and side the case exercises).
    awk '/<testcase /{tc=$0} /<(failure|error)[ >]/{on=1; print tc} on{print} /<\/(failure|error)>/{on=0}' \
      "$scratch/junit.xml" >"$scratch/findings"
    # JUnit escapes markup; the markers are plain text, but unescape the usual ones.
    sed -i -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' "$scratch/findings"
    if ! grep -qF -- "$marker" "$scratch/findings"; then
      head -40 "$scratch/findings" >&2
      fail "fault $fault: exit 1, but no JUnit failure names '$marker'"
    fi
    echo "fault $fault caught: $(grep -c '<testcase ' "$scratch/findings") failing testcases, one names '$marker'"
    ;;
  *)
    fail "unknown mode $mode"
    ;;
esac
