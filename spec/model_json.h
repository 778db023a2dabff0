// The JSON form of a Spec (specs/<service>/<Op>.json). Writing is canonical, so
// re-import over unchanged docs is byte-identical; reading names the file and the
// JSON pointer of the first thing it cannot accept.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/error.h"
#include "spec/model.h"

namespace conform::spec {

nlohmann::ordered_json to_json(const Spec& spec);
// The canonical text of a spec file: 2-space indent, trailing newline (to_json's
// dump; invalid UTF-8, which no extractor lets through, is replaced).
std::string dump_spec(const Spec& spec);

// `file` is used in error messages only.
Result<Spec> spec_from_json(const nlohmann::json& j, std::string_view file);
// `doc` is the file a source without "file" refers to (the spec's doc).
Result<Rule> rule_from_json(const nlohmann::json& j, std::string_view file, std::string pointer, std::string_view doc);
Result<Param> param_from_json(const nlohmann::json& j, std::string_view file, std::string pointer, std::string_view doc);
nlohmann::ordered_json to_json(const Rule& rule, std::string_view doc);
nlohmann::ordered_json to_json(const Param& param, std::string_view doc);

}  // namespace conform::spec
