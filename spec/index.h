// A spec's parameters and rules looked up by path, resolved once per spec: the
// generators and the oracle both ask "which top-level parameter does this path
// live in", "which parameter does it end at" and "which rules are about it" for
// every slot of every case, and a scan of the spec each time dominated both.
// The index belongs to whoever built it and points into the Spec it was built
// from: build a new one when the specs are (re)loaded. Not for emulator/, which
// keeps its own reading of the spec (STYLE.md: two independent readings).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spec/model.h"

namespace conform::spec {

// A cheap hash of a parameter path or wire name: its length and its first and
// last eight bytes. Names differ at one end or the other ("DataDisk.1.Size",
// "SystemDisk.Size"), and a collision costs only a string compare, while
// std::hash of every byte was most of the cost of a lookup (the generators and
// the oracle look up ~200 names per case).
inline std::size_t path_hash(std::string_view s) {
  std::uint64_t head = 0, tail = 0;
  if (s.size() >= 8) {  // two fixed-size loads, no memcpy call
    std::memcpy(&head, s.data(), 8);
    std::memcpy(&tail, s.data() + s.size() - 8, 8);
  } else {
    for (char c : s) head = (head << 8) | static_cast<unsigned char>(c);
  }
  std::uint64_t h = (head * 0x9E3779B97F4A7C15ull) ^ ((tail + s.size()) * 0xBF58476D1CE4E5B9ull);
  return static_cast<std::size_t>(h ^ (h >> 29));
}

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
    std::string ref_type;  // the type a reference rule says the path names ("" for a list of ids)
    bool condition_source = false;
  };
  const Entry* find(std::string_view path) const;
  // The entries by position (0 .. size()-1), so that a user can keep its own
  // data about each in a vector: position(*find(p)) < size().
  std::size_t size() const { return entries_.size(); }
  const Entry& entry(std::size_t i) const { return entries_[i]; }
  std::size_t position(const Entry& e) const { return static_cast<std::size_t>(&e - entries_.data()); }

 private:
  Entry& at(const std::string& path);

  const Spec* spec_;
  // Open addressing over the paths (position + 1, 0 empty; at most half full):
  // a lookup hashes the path once and compares one or two strings, where
  // std::unordered_map re-hashed the paths of the bucket's chain as well.
  std::vector<std::string> names_;
  std::vector<std::size_t> hashes_;  // path_hash of each name
  std::vector<Entry> entries_;       // never reallocated after the constructor: Entry* stay valid
  std::vector<std::uint32_t> slots_;
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
