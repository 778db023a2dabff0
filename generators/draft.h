// A case under construction: the value of each parameter slot (a spec parameter
// path at a bound index and map key), rendered into the dialect's wire form at
// the end. Generators edit drafts; only render() knows the wire.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/case.h"
#include "core/fixtures.h"
#include "spec/model.h"

namespace conform::gen {

struct Slot {
  std::string path;   // spec path: "DataDisk.N.Size", "Groups.{key}.DesiredVMCount"
  std::string index;  // the N it is at ("" when the path has none)
  std::string key;    // the {key} it is at
};

struct Entry {
  Slot slot;
  nlohmann::json value;
};

struct Draft {
  std::vector<Entry> entries;

  const nlohmann::json* get(const std::string& path, const std::string& index = "", const std::string& key = "") const;
  void set(const Slot& slot, nlohmann::json value);
  // Removes the slot and everything below it.
  void erase(const std::string& path, const std::string& index = "", const std::string& key = "");
  bool has(const std::string& path) const;
  // The indices / keys at which any slot under `prefix_path` is set.
  std::vector<std::string> indices(const std::string& family_path) const;
};

// What the generators know of the operation: its spec and the resources that exist.
struct Env {
  const spec::Spec& spec;
  const Fixtures& fixtures;
  std::string region;  // the RegionId valid cases use ("" when the op has none)
};

// The case on the wire: Action/Version for aliyun-rpc, the path template filled
// for REST dialects, Json-in-query members as one JSON text, the JSON body.
Case render(const Env& env, const Draft& d);

// Spec lookups the generators make per slot, memoised per spec (they dominate
// generation time otherwise).
struct SpecIndex {
  std::map<std::string, std::vector<const spec::Rule*>, std::less<>> by_param;  // rules by params[0]
  std::map<std::string, const spec::Param*, std::less<>> top, leaf;
  std::map<std::string, std::string, std::less<>> ref;
};
const SpecIndex& index_of(const spec::Spec& spec);

// Spec helpers the generators share.
const spec::Param* top_param(const spec::Spec& spec, const std::string& path);
const spec::Param* find_param(const spec::Spec& spec, const std::string& path);  // memoised Spec::find_param
bool is_indexed(const std::string& path);  // has an ".N" segment
std::string family_of(const std::string& path);  // "DataDisk.N.Size" -> "DataDisk.N"
// The resource type a reference rule gives `path`, or "".
std::string ref_type(const spec::Spec& spec, const std::string& path);
// Resources of `type` the op may name (its service, the env's region).
std::vector<const Resource*> resources(const Env& env, const std::string& type);
// A rule's condition at a slot's index/key, the draft (or defaults) deciding.
bool holds(const Env& env, const spec::Rule& r, const Slot& at, const Draft& d);

}  // namespace conform::gen
