#!/usr/bin/env bash
# conform against the blind servers (tests/blind/README.md): a fresh server per run on
# a port the system picks (--port 0; the server's first stdout line names it), one
# `conform run --junit` against it, the server killed whatever happens.
# Usage: blind.sh faithful CONFORM SOURCE_DIR SERVER OPS [SEED|-]
#          a faithful server: conform must exit 0 (no fail; warnings allowed)
#        blind.sh bug      CONFORM SOURCE_DIR SERVER OPS BUG MARKER
#          one --bug: conform must exit 1 and a JUnit failure must name MARKER
#        blind.sh uncaught CONFORM SOURCE_DIR SERVER OPS BUG REASON
#          a bug conform is known not to catch (REASON says why): conform must exit 0;
#          once it exits 1, the bug is caught and bugs.tsv must say so
#        blind.sh list     CONFORM SOURCE_DIR
#          bugs.tsv names every bug of each server's --list-bugs once, and no other
set -euo pipefail

mode=$1
conform=$2
src=$3
table="$src/tests/blind/bugs.tsv"

# shellcheck source=tests/lib/caught.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/caught.sh"

command -v python3 >/dev/null || fail "python3 not found (scripts/setup.sh installs it): the blind servers need it"

if [[ $mode == list ]]; then
  for server in $(grep -v '^#' "$table" | cut -f1 | sort -u); do
    listed=$(python3 -B "$src/tests/blind/$server.py" --list-bugs) || fail "$server.py --list-bugs failed"
    listed=$(sort <<<"$listed")
    tabled=$(grep -v '^#' "$table" | awk -F'\t' -v s="$server" '$1 == s {print $2}' | sort)
    if [[ "$listed" != "$tabled" ]]; then
      diff <(echo "$listed") <(echo "$tabled") >&2 || true
      fail "tests/blind/bugs.tsv and '$server.py --list-bugs' differ (< only listed, > only in the table)"
    fi
    dups=$(echo "$tabled" | uniq -d)
    [[ -z "$dups" ]] || fail "bugs.tsv names these $server bugs twice: $dups"
    echo "bugs.tsv names all $(echo "$listed" | wc -l) bugs of $server.py"
  done
  exit 0
fi

server=$4
ops=$5
seed=()
bug=()
case $mode in
  faithful) [[ "${6:--}" == "-" ]] || seed=(--seed "$6") ;;
  bug | uncaught) bug=(--bug "$6") ;;
  *) fail "unknown mode $mode" ;;
esac

scratch=$(mktemp -d "${TMPDIR:-/tmp}/conform-blind.XXXXXX")
pid=
cleanup() {
  if [[ -n $pid ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# The files exist before the server starts: the shell of `&` opens them only when it
# runs, and a sed of a missing file would end this script (set -e) at once.
: >"$scratch/server.out"
: >"$scratch/server.err"
python3 -B "$src/tests/blind/$server.py" --port 0 --fixtures "$src/fixtures/default.json" "${bug[@]}" \
  >"$scratch/server.out" 2>"$scratch/server.err" &
pid=$!
port=
for _ in $(seq 200); do
  port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$scratch/server.out")
  [[ -n $port ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$scratch/server.err" >&2; fail "$server.py exited before it listened"; }
  sleep 0.05
done
[[ -n $port ]] || { cat "$scratch/server.err" >&2; fail "$server.py named no port within 10 s"; }

# A server that stops answering would hold conform for --timeout per exchange: the
# run gets 45 s, under ctest's 60, so that this script reports it and cleans up.
code=0
timeout -k 5 45 "$conform" run --specs "$src/specs" --fixtures "$src/fixtures/default.json" \
  --target "http://127.0.0.1:$port" --ops "$ops" "${seed[@]}" --junit "$scratch/junit.xml" \
  >"$scratch/out" 2>"$scratch/err" || code=$?
kill -0 "$pid" 2>/dev/null || { cat "$scratch/server.err" >&2; fail "$server.py died during the run"; }
[[ $code -ne 124 && $code -ne 137 ]] || { tail -5 "$scratch/out" >&2; fail "conform run against $server.py did not end within 45 s"; }

what="$server.py ${bug[*]:-faithful}${seed[*]:+ ${seed[*]}}"
case $mode in
  faithful)
    if [[ $code -ne 0 ]]; then
      grep -E '^ *(FAIL|fail)' "$scratch/out" | head -20 >&2 || true
      tail -5 "$scratch/out"
      cat "$scratch/err" >&2
      fail "$what: conform run exited $code, expected 0 (no fail against a faithful server)"
    fi
    echo "$what: no fail; $(grep 'exchanges:' "$scratch/out" | tail -1)"
    ;;
  uncaught)
    if [[ $code -eq 1 ]]; then
      fail "$what: conform now catches it (exit 1): move it to the caught rows of tests/blind/bugs.tsv"
    fi
    [[ $code -eq 0 ]] || { cat "$scratch/err" >&2; fail "$what: conform run exited $code"; }
    echo "$what: not caught, as known ($7); $(grep 'exchanges:' "$scratch/out" | tail -1)"
    ;;
  bug)
    expect_caught "$what" "$code" "$scratch" "$7"
    ;;
esac
