// A case under construction: the value of each parameter slot (a spec parameter
// path at a bound index and map key), rendered into the dialect's wire form at
// the end. Generators edit drafts; only render() knows the wire.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/case.h"
#include "core/fixtures.h"
#include "spec/index.h"
#include "spec/model.h"

namespace conform::gen {

struct Slot {
  std::string path;   // spec path: "DataDisk.N.Size", "Groups.{key}.DesiredVMCount"
  std::string index;  // the N it is at ("" when the path has none)
  std::string key;    // the {key} it is at
};

struct Entry {
  Entry() = default;
  // The slot copied or moved in, the value moved in (Draft::set builds entries in place).
  template <class S>
  Entry(S&& s, nlohmann::json&& v) : slot(std::forward<S>(s)), value(std::move(v)) {}

  Slot slot;
  nlohmann::json value;
  // The constraints (values.h, kept per Env) this value was last found to
  // satisfy, so that settle() need not check it again; set() clears it.
  const void* satisfied = nullptr;
  // The draft's version when `satisfied` was worked out: edits after it have
  // higher numbers (Draft::edit_at).
  std::uint64_t checked = 0;
  // The touch_bit()s of the parameters the conditions of the path's rules read,
  // worked out with `known`.
  std::uint64_t condition_reads = 0;
  // settle()'s lookup of slot.path in the Env's index (spec::Index::Entry, or
  // null for a path it does not know), once `looked_up`; the path never changes.
  const void* known = nullptr;
  bool looked_up = false;
};

struct Draft {
  // The entries' buffer comes from the thread's spare (a draft's is kilobytes,
  // and base_draft makes one per case) and goes back when the draft ends.
  Draft();
  ~Draft();
  Draft(const Draft&) = default;
  Draft(Draft&&) noexcept = default;
  Draft& operator=(const Draft&) = default;
  Draft& operator=(Draft&&) noexcept = default;

  std::vector<Entry> entries;
  // Counts the edits set() and erase() made: equal counts, same entries.
  std::uint64_t version = 0;
  // How many entries hold an empty object (a parent set() may have to replace);
  // kept by set() and erase(), the only writers of entries.
  std::size_t empty_objects = 0;
  // The touch_bit()s of the paths set() and erase() edited since a reader last
  // cleared it (settle() re-runs a rule only when a path it reads was edited).
  std::uint64_t touched = 0;
  // settle()'s cross rules (by position in Derived::cross) whose last run, in
  // a settle() that kept nothing, changed nothing and read nothing edited since
  // (edits after it are in `touched`).
  std::uint64_t idle_rules = 0;
  // Per touch_index(): the version of the last edit of a path with that index.
  std::array<std::uint64_t, 64> edit_at{};
  // Per touch_index(): how many entries hold a path with that index, at least
  // (a render by move empties paths without counting them out). set() looks
  // for the slot among the entries only when it is not 0 (most slots set are new).
  std::array<std::uint16_t, 64> held{};
  // Whether no path with one of `bits` (touch_bit()s) was edited after version `v`.
  bool unedited_since(std::uint64_t bits, std::uint64_t v) const {
    for (; bits != 0; bits &= bits - 1) {
      if (edit_at[static_cast<std::size_t>(std::countr_zero(bits))] > v) return false;
    }
    return true;
  }

  const nlohmann::json* get(const std::string& path, const std::string& index = "", const std::string& key = "") const;
  // The entry set, good until the next edit.
  Entry& set(const Slot& slot, nlohmann::json value);
  Entry& set(Slot&& slot, nlohmann::json value);  // a new entry takes the slot
  // Removes the slot and everything below it.
  void erase(const std::string& path, const std::string& index = "", const std::string& key = "");
  bool has(const std::string& path) const;
  // The indices / keys at which any slot under `prefix_path` is set.
  std::vector<std::string> indices(const std::string& family_path) const;

 private:
  // set(), `owned` (if not null) being `slot` to move into a new entry.
  Entry& place(const Slot& slot, Slot* owned, nlohmann::json& value);
};

// One of 64 bits for a path's first segment ("DataDisk" for "DataDisk.N.Size"),
// by its first three characters: an edit of a path touches the bit of every
// path above and below it (and of a few others, which only costs a re-run).
inline unsigned touch_index(std::string_view path) {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < 3 && i < path.size() && path[i] != '.'; ++i) h = (h << 8) | static_cast<unsigned char>(path[i]);
  return static_cast<unsigned>((h * 0x9E3779B97F4A7C15ull) >> 58);
}
inline std::uint64_t touch_bit(std::string_view path) { return std::uint64_t{1} << touch_index(path); }

// What an Env works out once from its spec and fixtures (draft.cc).
struct Derived;

// What the generators know of the operation: its spec and the resources that
// exist. Making one indexes the spec (spec/index.h) and the fixtures once; the
// index lives as long as the Env (and its copies), so an Env must not outlive its
// spec or its fixtures, and specs reloaded in the same process get a fresh index
// with their new Env.
struct Env {
  Env(const spec::Spec& s, const Fixtures& f, std::string r);

  const spec::Spec& spec;
  const Fixtures& fixtures;
  const std::string region;  // the RegionId valid cases use ("" when the op has none)
  std::shared_ptr<const spec::Index> index;
  std::shared_ptr<const Derived> derived;
};

// The case on the wire: Action/Version for aliyun-rpc, the path template filled
// for REST dialects, Json-in-query members as one JSON text, the JSON body.
Case render(const Env& env, const Draft& d);
// The same, the values moved out of the draft rather than copied.
Case render(const Env& env, Draft&& d);

// Spec helpers the generators share (lookups in env.index).
inline const spec::Param* top_param(const Env& env, std::string_view path) { return env.index->top(path); }
inline const spec::Param* find_param(const Env& env, std::string_view path) { return env.index->leaf(path); }
using spec::is_indexed;  // has an ".N" segment
inline std::string family_of(std::string_view path) { return std::string(spec::family_of(path)); }  // "DataDisk.N.Size" -> "DataDisk.N"
// The resource type a reference rule gives `path`, or "".
inline const std::string& ref_type(const Env& env, std::string_view path) { return env.index->ref_type(path); }
// Resources of `type` the op may name (its service, the env's region), in
// fixtures order.
const std::vector<const Resource*>& resources(const Env& env, std::string_view type);
// The one of them with that id, or null.
const Resource* resource(const Env& env, std::string_view type, std::string_view id);
// The spec's parameters in the order base drafts visit them: those some rule's
// condition reads first, then the rest, each group in spec order.
const std::vector<const spec::Param*>& draft_order(const Env& env);
// A rule's condition at a slot's index/key, the draft (or defaults) deciding.
bool holds(const Env& env, const spec::Rule& r, const Slot& at, const Draft& d);
// `s` is one of the condition's values (true/false in any case).
bool condition_equals(const spec::Condition& w, const std::string& s);

}  // namespace conform::gen
