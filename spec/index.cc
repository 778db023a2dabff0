#include "spec/index.h"

namespace conform::spec {
namespace {

const Param* top_scan(const Spec& spec, std::string_view path) {
  const Param* best = nullptr;
  for (const Param& p : spec.params) {
    bool match = path == p.name || (path.size() > p.name.size() && path.compare(0, p.name.size(), p.name) == 0 &&
                                    path[p.name.size()] == '.');
    if (match && (!best || p.name.size() > best->name.size())) best = &p;
  }
  return best;
}

// Every path a parameter or member can be named by ("Tag", "Tag.{key}", "Groups.{key}.DesiredVMCount").
void collect(const std::vector<Param>& params, const std::string& prefix, std::vector<std::string>& out) {
  for (const Param& p : params) {
    std::string path = prefix.empty() ? p.name : prefix + "." + p.name;
    out.push_back(path);
    collect(p.members, path, out);
  }
}

// A list of ids (an Array, or a Json list, carries_list): its elements name
// resources, the path itself names none (ros RegionIds).
bool names_a_list(const Spec& spec, const std::string& path) {
  const Param* p = spec.find_param(path);
  return p && (p->type == ParamType::Array || carries_list(spec, p));
}

}  // namespace

Index::Index(const Spec& spec) : spec_(&spec) {
  std::vector<std::string> paths;
  collect(spec.params, "", paths);
  for (const Rule& r : spec.rules) {
    for (const std::string& p : r.params) paths.push_back(p);
    if (r.when) paths.push_back(r.when->param);
    if (r.when && !r.when->unless.empty()) paths.push_back(r.when->unless);
  }
  // Sized for every path up front: entries_ never moves, slots_ stays at most half full.
  names_.reserve(paths.size());
  hashes_.reserve(paths.size());
  entries_.reserve(paths.size());
  std::size_t size = 8;
  while (size < 2 * paths.size()) size *= 2;
  slots_.assign(size, 0);
  for (const std::string& p : paths) at(p);
  for (const Rule& r : spec.rules) {
    if (!r.params.empty()) {
      Entry& e = at(r.params[0]);
      e.rules.push_back(&r);
      if (r.kind == RuleKind::reference && e.ref_type.empty() && !names_a_list(spec, r.params[0])) e.ref_type = r.resource;
    }
    if (r.when) at(r.when->param).condition_source = true;
    if (r.when && !r.when->unless.empty()) at(r.when->unless).condition_source = true;
  }
}

Index::Entry& Index::at(const std::string& path) {
  const std::size_t h = path_hash(path), mask = slots_.size() - 1;
  std::size_t i = h & mask;
  for (; slots_[i] != 0; i = (i + 1) & mask) {
    const std::uint32_t k = slots_[i] - 1;
    if (hashes_[k] == h && names_[k] == path) return entries_[k];
  }
  names_.push_back(path);
  hashes_.push_back(h);
  Entry& e = entries_.emplace_back();
  slots_[i] = static_cast<std::uint32_t>(entries_.size());
  e.top = top_scan(*spec_, path);
  e.leaf = spec_->find_param(path);
  return e;
}

const Index::Entry* Index::find(std::string_view path) const {
  const std::size_t h = path_hash(path), mask = slots_.size() - 1;
  for (std::size_t i = h & mask; slots_[i] != 0; i = (i + 1) & mask) {
    const std::uint32_t k = slots_[i] - 1;
    if (hashes_[k] == h && names_[k] == path) return &entries_[k];
  }
  return nullptr;
}

const Param* Index::top(std::string_view path) const {
  const Entry* e = find(path);
  return e ? e->top : top_scan(*spec_, path);
}

const Param* Index::leaf(std::string_view path) const {
  const Entry* e = find(path);
  return e ? e->leaf : spec_->find_param(path);
}

const std::vector<const Rule*>& Index::rules_of(std::string_view path) const {
  static const std::vector<const Rule*> kNone;
  const Entry* e = find(path);
  return e ? e->rules : kNone;
}

const std::string& Index::ref_type(std::string_view path) const {
  static const std::string kNone;
  const Entry* e = find(path);
  return e ? e->ref_type : kNone;
}

bool Index::is_condition_source(std::string_view path) const {
  const Entry* e = find(path);
  return e && e->condition_source;
}

namespace {
// Where the ".N" segment of `path` ends, or npos.
std::size_t n_segment_end(std::string_view path) {
  std::size_t n = path.find(".N");
  while (n != std::string_view::npos) {
    if (n + 2 == path.size() || path[n + 2] == '.') return n + 2;
    n = path.find(".N", n + 1);
  }
  return std::string_view::npos;
}
}  // namespace

bool is_indexed(std::string_view path) { return n_segment_end(path) != std::string_view::npos; }

std::string_view family_of(std::string_view path) {
  std::size_t end = n_segment_end(path);
  return end == std::string_view::npos ? path : path.substr(0, end);
}

std::pair<int, int> phase_of(RuleKind k) {
  switch (k) {
    case RuleKind::required:
    case RuleKind::required_if: return {2, 0};
    case RuleKind::pair:
    case RuleKind::requires_param: return {2, 1};
    case RuleKind::type: return {3, 0};
    case RuleKind::exclusive:
    case RuleKind::forbidden_with:
    case RuleKind::sum: return {4, 0};
    case RuleKind::idempotency: return {5, 0};
    case RuleKind::reference: return {5, 1};
    case RuleKind::ref_attr: return {5, 2};
    case RuleKind::at_least_ref: return {5, 3};
    case RuleKind::ref_match: return {5, 4};
    case RuleKind::unique: return {5, 5};
    case RuleKind::quota: return {5, 6};
    default: return {3, 1};  // every single-parameter value rule
  }
}

}  // namespace conform::spec
