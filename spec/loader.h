// Loads specs from disk: <dir>/<service>/<Op>.json merged with <Op>.overlay.json
// when present, then validated. Every failure names the file and JSON pointer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/error.h"
#include "spec/model.h"

namespace conform::spec {

// Reads and parses a JSON file; a syntax error names file:line:column.
Result<nlohmann::json> read_json_file(const std::string& path);
// Parses the text of JSON file `file` (named in errors as read_json_file names it).
Result<nlohmann::json> parse_json(std::string_view text, const std::string& file);

// Merges an overlay (already parsed) into a spec. `overlay_file` names it in errors
// and becomes the source of every rule it adds.
Result<void> apply_overlay(Spec& spec, const nlohmann::json& overlay, std::string_view overlay_file);

// load_spec's reading of a spec file's text and of its overlay's, without the disk
// (fuzz_spec_loader runs these); not validated.
Result<Spec> spec_from_text(std::string_view text, const std::string& file);
Result<void> apply_overlay_text(Spec& spec, std::string_view text, const std::string& overlay_file);

// One spec file, its overlay (if `<stem>.overlay.json` exists beside it), validated.
Result<Spec> load_spec(const std::string& path);
// Every spec under dir (sorted by op id). An empty or missing dir is an error.
Result<std::vector<Spec>> load_specs(const std::string& dir);

// Checks internal consistency: unknown params in rules, min > max, dangling rule ids
// in error rows, duplicate ids, documented rules without a code, ...
Result<void> validate(const Spec& spec, std::string_view file);

}  // namespace conform::spec
