#include "oracles/request.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>

#include "core/json_text.h"
#include "spec/index.h"

namespace conform::oracle {
namespace {

using nlohmann::json;

// Walks member segments from `j`; "{key}" fans out over an object's entries
// (or only the bound key).
void descend(const json& j, const std::vector<std::string>& members, std::size_t i, const Binding& at,
             std::vector<Instance>& out) {
  if (i == members.size()) {
    if (!j.is_null()) out.push_back({Value{false, {}, &j}, at});
    return;
  }
  if (!j.is_object()) return;
  if (members[i] == "{key}") {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (at.keyed && it.key() != at.key) continue;
      descend(*it, members, i + 1, Binding{at.index, it.key(), true}, out);
    }
    return;
  }
  auto it = j.find(members[i]);
  if (it != j.end()) descend(*it, members, i + 1, at, out);
}

}  // namespace

std::size_t json_depth(const json& j) {
  if (!j.is_structured()) return 0;
  std::size_t deepest = 0;
  for (const json& e : j) deepest = std::max(deepest, json_depth(e));
  return deepest + 1;
}

json parse_json_value(std::string_view text) { return parse_json_bounded(text, kMaxJsonDepth); }

bool index_syntax(std::string_view s) {
  if (s.empty()) return false;
  if (s == "0") return true;
  if (s[0] < '1' || s[0] > '9') return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string value_text(const Value& v) {
  if (v.text) return std::string(v.s);
  if (v.j->is_string()) return v.j->get<std::string>();
  return v.j->dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string_view text_view(const Value& v, std::string& scratch) {
  if (v.text) return v.s;
  if (v.j->is_string()) return v.j->get_ref<const std::string&>();
  scratch = value_text(v);
  return scratch;
}

bool is_empty(const Value& v) {
  if (v.text) return v.s.empty();
  return v.j->is_string() && v.j->get_ref<const std::string&>().empty();
}

namespace {
// Instance buffers of Views that ended on this thread, capacity kept.
std::vector<std::vector<Instance>>& spare_buffers() {
  thread_local std::vector<std::vector<Instance>> spare;
  return spare;
}
std::vector<Instance> spare_buffer() {
  auto& spare = spare_buffers();
  if (spare.empty()) return {};
  std::vector<Instance> out = std::move(spare.back());
  spare.pop_back();
  return out;
}
// The vectors a View fills once per request, from the last View that ended on
// this thread (capacity kept: a request allocates none of them once warm).
struct Spares {
  std::vector<Value> values;  // top-level values (any stale: View::present_ tells which hold)
  std::vector<std::pair<std::string_view, std::string_view>> names;
  std::vector<std::uint32_t> slots;
  std::vector<std::vector<Instance>> pool;
};
Spares& spares() {
  thread_local Spares spare;
  return spare;
}
template <class T>
T take(T& spare) {
  T out = std::move(spare);  // leaves `spare` empty
  out.clear();
  return out;
}
template <class T>
void give_back(T& spare, T& mine) {
  if (mine.capacity() > spare.capacity()) spare = std::move(mine);
}
}  // namespace

View::View(const Pairs& params, const json* body, std::map<std::string, std::string> path_params,
           const CompiledSpec* cs)
    : params_(&params), body_(body), path_(std::move(path_params)) {
  if (cs && cs->spec->params.size() <= 64 * present_.size()) {
    spec_params_ = cs->spec->params.data();
    nparams_ = cs->spec->params.size();
  }
  tops_ = spare_buffer();
  probe_ = spare_buffer();
  Spares& mine = spares();
  if (nparams_ != 0) {
    top_values_ = std::move(mine.values);
    if (top_values_.size() < nparams_) top_values_.resize(nparams_);
  }
  first_ = take(mine.names);
  slots_ = take(mine.slots);
  pool_ = take(mine.pool);
  pool_.reserve(4);
  while (pool_.size() < 4 && !spare_buffers().empty()) pool_.push_back(spare_buffer());
  // The first of each name in wire order: a name already in the table is a
  // repeat (no sort: a request's names are only looked up by hash, and a
  // family's indices are few enough to scan for).
  first_.reserve(params_->size());
  std::size_t size = 8;
  while (size < 2 * params_->size()) size *= 2;
  slots_.assign(size, 0);
  for (const auto& [k, v] : *params_) {
    const std::size_t hash = spec::path_hash(k);
    std::size_t at = hash & (size - 1);
    while (slots_[at] != 0 && first_[slots_[at] - 1].first != k) at = (at + 1) & (size - 1);
    if (slots_[at] != 0) continue;
    first_.emplace_back(k, v);
    slots_[at] = static_cast<std::uint32_t>(first_.size());
    if (nparams_ != 0) note(*cs, k, hash, ParamWhere::wire, Value{true, v, nullptr});
  }
  if (nparams_ == 0) return;
  if (body_ && body_->is_object()) {
    for (auto it = body_->begin(); it != body_->end(); ++it) {
      if (!it->is_null()) note(*cs, it.key(), spec::path_hash(it.key()), ParamWhere::body, Value{false, {}, &*it});
    }
  }
  for (const auto& [k, v] : path_) note(*cs, k, spec::path_hash(k), ParamWhere::path, Value{true, v, nullptr});
}

// Marks each top-level parameter that `name` is an instance of, as
// top_instances reads it (a path or body parameter by its name, a wire name as a
// flat parameter or as a member of an indexed family), keeping a flat one's value.
void View::note(const CompiledSpec& cs, std::string_view name, std::size_t hash, ParamWhere where, const Value& value) {
  auto mark = [&](std::size_t pos) { present_[pos / 64] |= std::uint64_t{1} << (pos % 64); };
  const std::vector<ParamNames::Slot>& slots = cs.names.slots;
  const std::size_t mask = slots.size() - 1;
  bool flat = false;
  for (std::size_t at = hash & mask; slots[at].pos != 0; at = (at + 1) & mask) {
    const ParamNames::Slot& e = slots[at];
    if (e.hash != static_cast<std::uint32_t>(hash) || e.where != where) continue;
    const std::string& p = spec_params_[e.pos - 1].name;
    if (p.size() != name.size() || std::memcmp(p.data(), name.data(), p.size()) != 0) continue;
    mark(e.pos - 1);
    top_values_[e.pos - 1] = value;
    flat = true;
    break;  // one entry per name and place
  }
  if (where != ParamWhere::wire || (flat && !cs.names.flat_in_family)) return;
  for (const ParamNames::Family& f : cs.names.families) match_family(f, name, mark);
}

View::~View() {
  Spares& mine = spares();
  give_back(mine.values, top_values_);
  give_back(mine.names, first_);
  give_back(mine.slots, slots_);
  auto& spare = spare_buffers();
  if (spare.size() > 64) return;  // a thread that once nested deeply keeps no more than this
  for (std::vector<Instance>* b : {&tops_, &probe_}) {
    b->clear();
    spare.push_back(std::move(*b));
  }
  for (std::vector<Instance>& b : pool_) {
    b.clear();
    spare.push_back(std::move(b));
  }
  pool_.clear();
  give_back(mine.pool, pool_);
}

const std::string_view* View::first(std::string_view name) const {
  return first(name, spec::path_hash(name));
}

const std::string_view* View::first(std::string_view name, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash & mask; slots_[at] != 0; at = (at + 1) & mask) {
    const auto& entry = first_[slots_[at] - 1];
    if (entry.first == name) return &entry.second;
  }
  return nullptr;
}

const std::string* View::flat(std::string_view name) const {
  for (const auto& [k, v] : *params_) {
    if (k == name) return &v;
  }
  return nullptr;
}

const std::vector<std::string>& View::indices(const std::string& prefix) const {
  for (const auto& [p, known] : indices_) {
    if (p == prefix) return known;
  }
  std::vector<std::string> out;
  for (const auto& [name, value] : first_) {
    // (The first byte first: most names are of no family, and a compare is a call.)
    if (name.size() <= prefix.size() || name[0] != prefix[0] || !name.starts_with(prefix)) continue;
    std::string_view rest = name.substr(prefix.size());
    std::string_view idx = rest.substr(0, rest.find('.'));
    if (!index_syntax(idx)) continue;
    if (std::find(out.begin(), out.end(), idx) == out.end()) out.emplace_back(idx);
  }
  // Ascending, as numbers (decisions.md section 1: index by index).
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  indices_.emplace_back(prefix, std::move(out));
  return indices_.back().second;
}

const json* View::parsed_json(const std::string& name, std::string_view text) const {
  auto it = json_cache_.find(name);
  if (it == json_cache_.end()) {
    json j = parse_json_value(text);
    std::optional<json> stored;
    if (!j.is_discarded()) stored = std::move(j);
    it = json_cache_.emplace(name, std::move(stored)).first;
  }
  return it->second ? &*it->second : nullptr;
}

void View::top_instances(const PathRef& ref, const Binding& at, std::vector<Instance>& out) const {
  const spec::Param& top = *ref.top;
  if (top.in == spec::Location::path || top.in == spec::Location::body || !ref.indexed) {
    if (const std::size_t pos = position(ref.top); pos < nparams_) {  // one of the spec's: noted
      if (!absent(ref)) out.push_back({top_values_[pos], at});
      return;
    }
  }
  if (top.in == spec::Location::path) {
    auto it = path_.find(top.name);
    if (it != path_.end()) out.push_back({Value{true, it->second, nullptr}, at});
    return;
  }
  if (top.in == spec::Location::body) {
    if (!body_ || !body_->is_object()) return;
    auto it = body_->find(top.name);
    if (it != body_->end() && !it->is_null()) out.push_back({Value{false, {}, &*it}, at});
    return;
  }
  if (!ref.indexed) {
    const std::string_view* v = ref.top_hash ? first(top.name, *ref.top_hash) : first(top.name);
    if (v) out.push_back({Value{true, *v, nullptr}, at});
    return;
  }
  std::string& name = member_name_;  // nothing below comes back here
  // "Prefix.<index>.Suffix" in a stack buffer when it fits (three copies, not
  // the string's out-of-line appends), else in member_name_.
  std::array<char, 128> buf;
  for (const std::string& idx : indices(ref.prefix)) {
    if (!at.index.empty() && idx != at.index) continue;
    std::string_view wire;
    const std::size_t n = ref.prefix.size() + idx.size() + ref.suffix.size();
    if (n <= buf.size()) {
      char* out = buf.data();
      std::memcpy(out, ref.prefix.data(), ref.prefix.size());
      std::memcpy(out + ref.prefix.size(), idx.data(), idx.size());
      std::memcpy(out + ref.prefix.size() + idx.size(), ref.suffix.data(), ref.suffix.size());
      wire = std::string_view(out, n);
    } else {
      name.assign(ref.prefix).append(idx).append(ref.suffix);
      wire = name;
    }
    const std::string_view* v = first(wire);
    if (!v) continue;
    out.push_back({Value{true, *v, nullptr}, Binding{idx, at.key, at.keyed}});
  }
}

std::vector<Instance> View::instances(const PathRef& ref, const Binding& at) const {
  std::vector<Instance> out;
  instances(ref, at, out);
  return out;
}

void View::instances(const PathRef& ref, const Binding& at, std::vector<Instance>& out) const {
  out.clear();
  if (!ref.top) return;
  if (ref.members.empty()) {
    top_instances(ref, at, out);
    return;
  }
  tops_.clear();
  top_instances(ref, at, tops_);
  for (const Instance& t : tops_) {
    const json* root = t.value.j;
    if (t.value.text) {  // a Json-in-query text: its members are read like body members
      json_name_.assign(ref.top->name).append("#").append(t.at.index);
      root = parsed_json(json_name_, t.value.s);
      if (!root) continue;
    }
    descend(*root, ref.members, 0, t.at, out);
  }
}

bool View::may_have(const PathRef& ref) const {
  if (!ref.top || absent(ref)) return false;
  if (nparams_ != 0) return true;  // absent() answered (true for another spec's ref: instances() tells)
  const spec::Param& top = *ref.top;
  if (top.in == spec::Location::path || top.in == spec::Location::body || ref.indexed) return true;
  return (ref.top_hash ? first(top.name, *ref.top_hash) : first(top.name)) != nullptr;
}

bool View::has(const PathRef& ref, const Binding& at) const {
  instances(ref, at, probe_);
  return !probe_.empty();
}

}  // namespace conform::oracle
