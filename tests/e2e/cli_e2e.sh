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
  gen_with_fixtures)
    # The valid cases name resources from the fixtures given (another account's),
    # so the same generators work against a real account (DESIGN.md, Fixtures).
    sed -e 's/ubuntu_18_04_64_20G_alibase_20190624\.vhd/m-e2e-other-ubuntu/' \
        -e 's/_32_23c472_20120822172155_aliguest\.vhd/m-e2e-other-guest/' \
        -e 's/win2008r2_64_ent_sp1_en-us_40G_alibase_20170915\.vhd/m-e2e-other-windows/' \
        "$src/fixtures/default.json" >"$scratch/other.json"
    run_conform 0 gen --specs "$src/specs" --fixtures "$scratch/other.json" --ops ecs.CreateInstance --cases 40
    expect_in "$scratch/out" '"ImageId":"m-e2e-other-'
    ! grep -qE 'alibase_20190624|aliguest|alibase_20170915' "$scratch/out" || fail "a default fixture's image in the cases"
    run_conform 2 gen --specs "$src/specs" --fixtures "$scratch/no-such.json"
    expect_in "$scratch/err" "no-such.json"
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
  run_unresolvable_target)
    # DESIGN.md exit codes: a target that cannot be reached at all is 3, a host name
    # that does not resolve included; the JUnit file is still written.
    run_conform 3 run --specs "$src/specs" --target http://conform-e2e.invalid:8080 \
      --ops ecs.CreateDeploymentSet --cases 3 --junit "$scratch/junit.xml"
    cat "$scratch/out" "$scratch/err" >"$scratch/all"
    expect_in "$scratch/all" "conform-e2e.invalid"
    expect_in "$scratch/all" "could not be reached"
    [[ -s $scratch/junit.xml ]] || fail "no JUnit file on exit 3"
    ;;
  replay_unframed_post)
    # A case that sets Content-Length to "" goes without it (curl's -H 'Name:'): the
    # embedded emulator answers 411 in the dialect's body, as the oracle predicts.
    mkdir -p "$scratch/cases"
    cat >"$scratch/cases/unframed.jsonl" <<'JSONL'
{"id": "rpc-unframed", "op": "ecs.CreateDeploymentSet", "method": "POST", "path": "/", "query": {"RegionId": "cn-hangzhou"}, "headers": {"Content-Length": ""}, "expect": {"status": 411}}
{"id": "dcs-unframed", "op": "dcs.CreateInstance", "method": "POST", "path": "/v1.0/p1/instances", "headers": {"Content-Length": ""}, "body": {"name": "x"}, "expect": {"status": 411}}
JSONL
    run_conform 0 replay --specs "$src/specs" "$scratch/cases" --log "$scratch/log.ndjson" --junit "$scratch/junit.xml"
    expect_in "$scratch/log.ndjson" '"status":411'
    expect_in "$scratch/log.ndjson" 'LengthRequired'
    expect_in "$scratch/log.ndjson" 'APIGW.0201'
    expect_in "$scratch/log.ndjson" '"Content-Length":""'
    ;;
  replay_oversized_body)
    # A body over the emulator's 1 MiB limit: it answers 413 from the head and
    # closes unread, so the runner's write fails; the 413 is still what it reports.
    mkdir -p "$scratch/cases"
    pad=$(head -c $((8 << 20)) /dev/zero | tr '\0' 'a')
    printf '{"id": "too-large", "op": "batchcompute.CreateCluster", "method": "POST", "path": "/clusters", "raw_body": "%s"}\n' \
      "$pad" >"$scratch/cases/large.jsonl"
    unset pad
    code=0
    "$conform" replay --specs "$src/specs" "$scratch/cases" --log "$scratch/log.ndjson" >"$scratch/out" 2>"$scratch/err" || code=$?
    [[ $code -eq 0 || $code -eq 1 ]] || { cat "$scratch/out" "$scratch/err" >&2; fail "replay exited $code (3: reported as unreachable?)"; }
    grep -o '"status":[0-9]*' "$scratch/log.ndjson" | sort -u >"$scratch/statuses"
    expect_in "$scratch/statuses" '"status":413'
    expect_in "$scratch/log.ndjson" 'PayloadTooLarge'
    if grep -q 'Broken pipe\|reset' "$scratch/out"; then cat "$scratch/out" >&2; fail "reported as a reset"; fi
    ;;
  *)
    fail "unknown case"
    ;;
esac
echo "ok: $case_name"
