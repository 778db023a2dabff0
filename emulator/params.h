// Internal: how the emulator finds a rule's parameter in a parsed request. A rule
// names a parameter by its spec path ("DataDisk.N.Size", "Groups.{key}.DesiredVMCount",
// "OperationPreferences.FailureToleranceCount"); a PathRef is that path resolved once
// against the spec, and Params answers it for one request and one binding of its
// placeholders (an index N, a map key).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/wire.h"
#include "spec/model.h"

namespace conform::emulator {

// What the placeholders of a path stand for, in order of appearance.
struct Binding {
  std::vector<std::string> subs;
  // The map key a `{key}` placeholder took last (for attr "key" lengths, messages).
  std::string last_key() const { return subs.empty() ? std::string() : subs.back(); }
};

struct PathRef {
  std::string path;                  // as the rule writes it
  const spec::Param* root = nullptr;  // the top-level parameter
  const spec::Param* leaf = nullptr;  // its declaration (root or a member); may be null
  std::vector<std::string> members;   // member segments below root ("{key}" kept)
  bool indexed = false;               // root is an indexed family member ("DataDisk.N.Size")
  std::string family;                 // "DataDisk" for indexed roots and index_max
  std::string suffix;                 // ".Size" after ".N"
  bool family_only = false;           // the path is the family itself ("DataDisk.N")
};

// Resolves `path` against the spec; nullopt when no parameter has that name.
std::optional<PathRef> resolve_path(const spec::Spec& spec, std::string_view path);

struct Value {
  bool present = false;
  bool from_json = false;               // carried in JSON (a body or a Json-in-query text)
  std::string text;                     // the text of a query value; a JSON string's value
  const nlohmann::json* json = nullptr;  // the JSON value (from_json), or a Json-in-query parse
  std::string wire_name;                // "DataDisk.3.Size", "Groups.g1.DesiredVMCount"
};

class Params {
 public:
  QueryMap query;  // first occurrence wins (decisions.md §2)
  std::map<std::string, std::string> path;   // {project_id} and the like
  std::optional<nlohmann::json> body;        // JSON dialects
  std::map<std::string, nlohmann::json, std::less<>> json_texts;  // Json-in-query values that parse

  Value get(const PathRef& ref, const Binding& b) const;
  // The value, or the declared default when absent (conditions see defaults).
  Value get_or_default(const PathRef& ref, const Binding& b) const;
  // Every binding of the placeholders that the request has: each index present in
  // an indexed family, each key of a map. A path without placeholders has one.
  std::vector<Binding> instances(const PathRef& ref) const;
  // Indices N present in a family ("DataDisk" -> {"1", "3"}), ascending; "0" or any
  // [1-9][0-9]* spelling, however long.
  std::vector<std::string> indices(const std::string& family) const;
  // True when the parent of a member path is present and an object (a nested
  // member is required only then); always true for a top-level parameter.
  bool parent_present(const PathRef& ref, const Binding& b) const;

 private:
  const nlohmann::json* root_json(const PathRef& ref, const Binding& b, std::string* wire) const;
  const nlohmann::json* walk(const nlohmann::json* j, const PathRef& ref, std::size_t count, const Binding& b,
                             std::size_t sub, std::string* wire) const;
  void expand(const nlohmann::json* j, const PathRef& ref, std::size_t seg, Binding b,
              std::vector<Binding>& out) const;
};

// The text form of a JSON scalar as a query would carry it: "abc", "2", "0.5", "true".
std::string json_text(const nlohmann::json& j);

}  // namespace conform::emulator
