#!/usr/bin/env bash
# The main job: set up, check the specs against the API docs, then run a conformance
# run of all five operations against the embedded emulator, with reports under out/.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" conform
cd "$CONFORM_ROOT"

# The specs are derived from apidocs/; a stale spec would test the wrong thing.
./build/conform import --check --docs apidocs --out specs

status=0
./build/conform run --specs specs --junit out/junit.xml --html out/report.html \
  --log out/exchanges.ndjson || status=$?

echo
echo "Reports: $CONFORM_ROOT/out/junit.xml (JUnit), out/report.html (open in a browser),"
echo "out/exchanges.ndjson (every request and response). Exit code $status"
echo "(0 all pass, 1 conformance failures, 2 usage/spec error, 3 target unreachable)."
exit "$status"
