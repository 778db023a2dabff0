#!/usr/bin/env bash
# The main job: set up, then derive the specs from the API docs (apidocs/ -> specs/).
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" conform
cd "$CONFORM_ROOT"

./build/conform import --docs apidocs --out specs

echo
echo "Specs are in $CONFORM_ROOT/specs/<service>/: <Op>.json is the spec of one operation;"
echo "review it against its doc with the import report beside it, <Op>.import.md."
