# Shared by tests/selftest/selftest.sh and tests/blind/blind.sh (sourced, not run).

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_caught WHAT CODE SCRATCH MARKER: a `conform run` that exited CODE, its
# stdout, stderr and JUnit in SCRATCH/out, err and junit.xml, must have exited 1
# with one JUnit <failure>/<error> (its testcase name or its text) containing MARKER.
expect_caught() {
  local what=$1 code=$2 scratch=$3 marker=$4
  if [[ $code -ne 1 ]]; then
    tail -5 "$scratch/out"
    cat "$scratch/err" >&2
    fail "$what: conform run exited $code, expected 1 (not caught)"
  fi
  [[ -s "$scratch/junit.xml" ]] || fail "$what: no JUnit written"
  # The findings: each <failure>/<error> element with the <testcase> line before
  # it (its name is the rule and side the case exercises).
  awk '/<testcase /{tc=$0} /<(failure|error)[ >]/{on=1; print tc} on{print} /<\/(failure|error)>/{on=0}' \
    "$scratch/junit.xml" >"$scratch/findings"
  # JUnit escapes markup; the markers are plain text, but unescape the usual ones.
  sed -i -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' "$scratch/findings"
  if ! grep -qF -- "$marker" "$scratch/findings"; then
    head -40 "$scratch/findings" >&2
    fail "$what: exit 1, but no JUnit failure names '$marker'"
  fi
  echo "$what caught: $(grep -c '<testcase ' "$scratch/findings") failing testcases, one names '$marker'"
}
