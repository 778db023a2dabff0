#!/usr/bin/env bash
# Every test: set up and build build/, run its tests, check that the committed specs
# are current, then build build-asan/ (Debug, ASan + UBSan) and run the tests there,
# then build build-fuzz/ (clang-14, libFuzzer) and run every fuzz target briefly.
# Exits non-zero on any failure; each ctest run's summary closes its stdout.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$CONFORM_ROOT"

failed=()

# Stale specs fail the run; the report goes to stderr so that ctest's summary stays
# the last thing on stdout.
if ! ./build/conform import --check --docs apidocs --out specs >&2; then
  failed+=("committed specs are stale (conform import --check)")
fi

ctest --test-dir build --output-on-failure -j2 || failed+=("ctest in build/")

configure_build build-asan -DCMAKE_BUILD_TYPE=Debug -DCONFORM_SANITIZE=ON -DCONFORM_WERROR=ON >&2
ninja -C build-asan -j2 >&2
# Under the sanitizers each fault self-test is a whole `conform run` at about 30 s:
# all 30 would take a quarter of CI's time for code paths the others already cover,
# so the sanitizer stage runs one fault per dialect (and the release stage runs all).
# The blind-server runs (label blind, tests/blind) are the release stage's only: they
# check conform's readings of the docs, which the sanitizers do not change.
asan_faults='^selftest\.fault\.(ecs-ci-client-token-ignored|batchcompute-bad-json-500|dcs-missing-instance-id)$'
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j2 -E '^selftest\.fault\.' -LE '^blind$' ||
  failed+=("ctest in build-asan/ (sanitizers)")
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j2 -R "$asan_faults" ||
  failed+=("fault self-tests in build-asan/ (sanitizers)")

# Fuzz smoke: build-fuzz/ (clang-14, ASan + UBSan + libFuzzer) and every fuzz target
# for a bounded time on its seed corpus; any crash, leak, timeout or OOM fails it.
# Crash files go to build-fuzz/smoke/<target>/, never into corpus/fuzz/. The seeds are
# given as files (-seed_inputs), with no corpus directory, so libFuzzer keeps its new
# inputs in memory only: writing each to disk cost 15% of fuzz_case_loader's CPU
# (ext4 inode allocation, perf) and nothing read them.
# (set -e does not reach into a function called with ||, hence the explicit returns.)
fuzz_smoke() {
  # Each target runs a fixed number of inputs from a fixed seed (-seed=1 -runs=N), so
  # that CI fuzzes the same inputs on every machine, slow or fast; each count below is
  # about 10 CPU-seconds under ASan on this project's 2-core machine (measured with the
  # small seeds of fuzz/seeds*.py). -max_total_time only
  # guards against a target that has become far slower (it still ends clean).
  # -max_len is the target's own (fuzz/<target>.options, as ClusterFuzz reads it): what
  # its real inputs need, so that mutations do not grow past them.
  # CONFORM_FUZZ_SCALE multiplies every count (e.g. 4 for a longer local smoke).
  local scale=${CONFORM_FUZZ_SCALE:-1} smoke=build-fuzz/smoke target src status runs max_len rc=0
  local -A fuzz_runs=(
    [fuzz_case_loader]=90000 [fuzz_differential]=50000 [fuzz_emulator_request]=60000
    [fuzz_fixtures_loader]=120000 [fuzz_import_analyze]=20000 [fuzz_import_html]=120000
    [fuzz_import_markdown]=170000 [fuzz_import_text]=150000 [fuzz_response_parser]=270000
    [fuzz_rpc_query]=75000 [fuzz_signing]=90000 [fuzz_spec_loader]=85000
    [fuzz_targets_loader]=190000
  )
  CC=clang-14 CXX=clang++-14 configure_build build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCONFORM_FUZZ=ON -DCONFORM_TESTS=OFF || return 1
  ninja -C build-fuzz -j2 fuzz_targets || return 1
  rm -rf "$smoke"
  for src in fuzz/fuzz_*.cc; do
    target=$(basename "$src" .cc)
    mkdir -p "$smoke/$target"
    # libFuzzer splits the list at commas (no seed file name has one).
    find "corpus/fuzz/$target" -type f | sort | paste -sd, | tr -d '\n' >"$smoke/$target/seeds"
    status=0
    runs=$(( ${fuzz_runs[$target]:-20000} * scale ))
    max_len=$(sed -n 's/^max_len *= *\([0-9][0-9]*\).*/\1/p' "fuzz/$target.options" 2>/dev/null)
    if [[ -z $max_len ]]; then
      echo "fuzz smoke: $target: no max_len in fuzz/$target.options" >&2
      rc=1
      continue
    fi
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "build-fuzz/fuzz/$target" \
      -seed=1 -runs="$runs" -max_total_time=$((60 * scale)) -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -dict="corpus/fuzz/$target.dict" -artifact_prefix="$smoke/$target/" \
      -seed_inputs=@"$smoke/$target/seeds" >"$smoke/$target.log" 2>&1 || status=$?
    # libFuzzer's last status line: "#N DONE cov: C ft: F corp: ... exec/s: E ..."
    echo "fuzz smoke: $target: exit $status; $(grep -E '^#[0-9]+[[:space:]]+DONE' "$smoke/$target.log" | tail -1)"
    if ((status != 0)); then
      tail -40 "$smoke/$target.log"
      rc=1
    fi
  done
  return "$rc"
}
fuzz_smoke >&2 || failed+=("fuzz smoke (build-fuzz/smoke/*.log; crash inputs beside them)")

if ((${#failed[@]})); then
  printf 'test.sh: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
