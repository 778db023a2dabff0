// A spec's parameters and rules looked up by path, resolved once per spec: the
// generators and the oracle both ask "which top-level parameter does this path
// live in", "which parameter does it end at" and "which rules are about it" for
// every slot of every case, and a scan of the spec each time dominated both.
// The index belongs to whoever built it and points into the Spec it was built
// from: build a new one when the specs are (re)loaded. Not for emulator/, which
// keeps its own reading of the spec (STYLE.md: two independent readings).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "spec/model.h"

namespace conform::spec {

class Index {
 public:
  explicit Index(const Spec& spec);
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  const Spec& spec() const { return *spec_; }
  // The longest top-level parameter `path` is or starts with ("DataDisk.N.Size",
  // "Tag.{key}" -> "Tag"), or nullptr.
  const Param* top(std::string_view path) const;
  // The parameter `path` ends at: Spec::find_param.
  const Param* leaf(std::string_view path) const;
  // Rules whose first parameter is `path`, in spec order.
  const std::vector<const Rule*>& rules_of(std::string_view path) const;
  // The resource type the first reference rule of `path` names, or "".
  const std::string& ref_type(std::string_view path) const;
  // Some rule's condition reads `path`.
  bool is_condition_source(std::string_view path) const;
  // Position of `r` in spec.rules (r must be one of them).
  std::size_t position(const Rule& r) const { return static_cast<std::size_t>(&r - spec_->rules.data()); }

  // All of the above for one path named by the spec (a parameter, a member or a
  // rule's parameter), in one lookup; nullptr for any other path.
  struct Entry {
    const Param* top = nullptr;
    const Param* leaf = nullptr;
    std::vector<const Rule*> rules;
    std::string ref_type;
    bool condition_source = false;
  };
  const Entry* find(std::string_view path) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  Entry& at(const std::string& path);

  const Spec* spec_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> paths_;
};

// Indexed-family paths: "DataDisk.N.Size" has an ".N" segment.
bool is_indexed(std::string_view path);
// "DataDisk.N.Size" -> "DataDisk.N"; a path without an N segment is its own family.
std::string_view family_of(std::string_view path);
// docs/decisions.md section 1: the phase of each rule kind in the precedence of
// answers (2 missing, 3 malformed, 4 conflicts, 5 state) and the order of kinds
// inside a phase where the page names one.
std::pair<int, int> phase_of(RuleKind k);

}  // namespace conform::spec
