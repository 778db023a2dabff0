#!/usr/bin/env bash
# Every test: set up and build build/, run its tests, check that the committed specs
# are current, then build build-asan/ (Debug, ASan + UBSan) and run the tests there.
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
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j2 || failed+=("ctest in build-asan/ (sanitizers)")

if ((${#failed[@]})); then
  printf 'test.sh: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
