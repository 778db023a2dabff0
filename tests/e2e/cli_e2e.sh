#!/usr/bin/env bash
# End-to-end checks of the real conform binary; ctest runs one case per test.
# Usage: cli_e2e.sh CASE CONFORM_BINARY SOURCE_DIR
set -euo pipefail

case_name=$1
conform=$2
src=$3

scratch=$(mktemp -d "${TMPDIR:-/tmp}/conform-e2e.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

fail() {
  echo "FAIL ($case_name): $*" >&2
  exit 1
}

# run_conform EXPECTED_EXIT ARGS...: runs conform, keeps stdout and stderr in
# $scratch/out and $scratch/err, and fails unless it exits with EXPECTED_EXIT.
run_conform() {
  local expected=$1
  shift
  local code=0
  "$conform" "$@" >"$scratch/out" 2>"$scratch/err" || code=$?
  if [[ $code -ne $expected ]]; then
    cat "$scratch/out"
    cat "$scratch/err" >&2
    fail "conform $* exited $code, expected $expected"
  fi
}

expect_in() {  # expect_in FILE TEXT
  grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "expected '$2' in $(basename "$1")"; }
}

case $case_name in
  help)
    run_conform 0 --help
    for cmd in import gen predict emulate run replay fuzz; do expect_in "$scratch/out" "  $cmd "; done
    run_conform 0 import --help
    expect_in "$scratch/out" "--check"
    ;;
  version)
    run_conform 0 --version
    [[ $(cat "$scratch/out") =~ ^conform\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "bad version line: $(cat "$scratch/out")"
    ;;
  usage_error)
    run_conform 2 --no-such-flag
    expect_in "$scratch/err" "conform: error:"
    run_conform 2
    run_conform 2 run --shard 9/4
    # A missing or broken spec is a spec error (exit 2) naming the file and where.
    run_conform 2 gen --specs "$scratch/no-such-dir"
    expect_in "$scratch/err" "not a directory of specs"
    mkdir -p "$scratch/bad/ecs"
    printf '{\n  "conform_spec": 1,\n  oops\n}\n' > "$scratch/bad/ecs/Op.json"
    run_conform 2 gen --specs "$scratch/bad"
    expect_in "$scratch/err" "Op.json:3:"
    ;;
  import_fresh_and_check)
    run_conform 0 import --docs "$src/apidocs" --out "$scratch/specs"
    n=$(find "$scratch/specs" -name '*.json' ! -name '*.overlay.json' | wc -l)
    [[ $n -ge 5 ]] || fail "expected a spec per operation (5), found $n"
    n=$(find "$scratch/specs" -name '*.import.md' | wc -l)
    [[ $n -ge 5 ]] || fail "expected an import report per operation (5), found $n"
    # Importing unchanged docs again is byte-identical.
    cp -r "$scratch/specs" "$scratch/first"
    run_conform 0 import --docs "$src/apidocs" --out "$scratch/specs"
    diff -r "$scratch/first" "$scratch/specs" >&2 || fail "a second import differs from the first"
    run_conform 0 import --check --docs "$src/apidocs" --out "$scratch/specs"
    ;;
  import_check_detects_stale)
    run_conform 0 import --docs "$src/apidocs" --out "$scratch/specs"
    spec=$(find "$scratch/specs" -name '*.json' ! -name '*.overlay.json' | sort | head -n 1)
    [[ -n $spec ]] || fail "import wrote no spec"
    echo >>"$spec"
    before=$(md5sum "$spec")
    run_conform 1 import --check --docs "$src/apidocs" --out "$scratch/specs"
    cat "$scratch/out" "$scratch/err" >"$scratch/all"
    expect_in "$scratch/all" "stale: $spec"
    [[ $(md5sum "$spec") == "$before" ]] || fail "--check rewrote $spec"
    ;;
  committed_specs_up_to_date)
    run_conform 0 import --check --docs "$src/apidocs" --out "$src/specs"
    ;;
  *)
    fail "unknown case"
    ;;
esac
echo "ok: $case_name"
