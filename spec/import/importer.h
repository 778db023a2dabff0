// `conform import`: apidocs/ -> specs/<service>/<Op>.json and <Op>.import.md.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace conform::import {

struct ImportOptions {
  std::string docs_dir = "apidocs";
  std::string out_dir = "specs";
  // Compare with what is on disk instead of writing; differences are reported as stale.
  bool check = false;
};

// Per-operation counts, as the import report's header gives them.
struct OpSummary {
  std::string op;
  std::string doc;
  int params = 0;  // every parameter, nested members included
  int rules = 0;
  int rules_documented = 0;
  int rules_inferred = 0;
  int rules_unknown = 0;
  int rules_ambiguous = 0;
  int error_rows = 0;
  int error_rows_linked = 0;
  int unparsed = 0;
  int ambiguous = 0;
  std::vector<std::string> written;  // files written (or, with check, files that are stale)
};

struct ImportSummary {
  std::vector<OpSummary> ops;
  std::vector<std::string> stale;  // check mode: files that differ from a fresh import
};

// Reads <docs_dir>/operations.json (which doc is which operation, its dialect and
// API version: facts the docs themselves do not all state), imports every doc it
// lists, and writes (or checks) the spec and import report of each.
Result<ImportSummary> run_import(const ImportOptions& options);

// A table of the summary for the console.
std::string format_summary(const ImportSummary& summary);

}  // namespace conform::import
