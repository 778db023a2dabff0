// The import report (specs/<service>/<Op>.import.md): every constraint-bearing
// sentence and what it became, counts at the top, so a review sees doc and spec side
// by side.
#pragma once

#include <optional>
#include <string>

#include "spec/import/analyze.h"
#include "spec/import/importer.h"

namespace conform::import {

// `merged` is the spec with its overlay applied (nullopt when there is no overlay).
std::string render_report(const Analysis& analysis, const std::optional<spec::Spec>& merged,
                          const std::string& overlay_path);

OpSummary summarize(const spec::Spec& spec, const std::vector<SentenceRecord>& log);

}  // namespace conform::import
