#include "emulator/params.h"

#include <algorithm>

namespace conform::emulator {
namespace {

const spec::Param* find_member(const std::vector<spec::Param>& members, std::string_view name) {
  for (const auto& m : members)
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<std::string> split_dots(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto dot = s.find('.', start);
    out.emplace_back(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// A decimal without leading zeros, of any length (decisions.md §2: "DataDisk.01.Size"
// is unknown; "DataDisk.0.Size" is index 0 and "DataDisk.1234567890.Size" index
// 1234567890, both of which break index_max).
bool index_syntax(std::string_view s) {
  if (s.empty() || (s[0] == '0' && s.size() > 1)) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

void split_family(PathRef& ref, std::string_view name) {
  auto pos = name.find(".N.");
  if (pos != std::string_view::npos) {
    ref.indexed = true;
    ref.family = std::string(name.substr(0, pos));
    ref.suffix = std::string(name.substr(pos + 2));
  } else if (name.ends_with(".N")) {
    ref.indexed = true;
    ref.family = std::string(name.substr(0, name.size() - 2));
  }
}

}  // namespace

std::string json_text(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
  if (j.is_number_integer()) return j.is_number_unsigned() ? std::to_string(j.get<unsigned long long>())
                                                           : std::to_string(j.get<long long>());
  return j.dump();
}

std::optional<PathRef> resolve_path(const spec::Spec& spec, std::string_view path) {
  PathRef ref;
  ref.path = std::string(path);
  for (const auto& p : spec.params)
    if (p.name == path) ref.root = ref.leaf = &p;
  if (!ref.root) {
    // The longest parameter name that is a dotted prefix of the path.
    for (const auto& p : spec.params) {
      if (path.size() > p.name.size() && path.starts_with(p.name) && path[p.name.size()] == '.' &&
          (!ref.root || p.name.size() > ref.root->name.size()))
        ref.root = &p;
    }
    if (ref.root) {
      ref.members = split_dots(path.substr(ref.root->name.size() + 1));
      const spec::Param* cur = ref.root;
      for (const auto& seg : ref.members) cur = cur ? find_member(cur->members, seg) : nullptr;
      ref.leaf = cur;
    }
  }
  if (!ref.root) {
    // A family itself ("DataDisk.N"): some parameter is a member of it.
    if (!path.ends_with(".N")) return std::nullopt;
    std::string prefix = std::string(path) + ".";
    for (const auto& p : spec.params)
      if (p.name.starts_with(prefix)) ref.root = &p;
    if (!ref.root) return std::nullopt;
    ref.family_only = true;
    ref.indexed = true;
    ref.family = std::string(path.substr(0, path.size() - 2));
    return ref;
  }
  if (ref.root->in == spec::Location::query) split_family(ref, ref.root->name);
  return ref;
}

std::vector<std::string> Params::indices(const std::string& family) const {
  std::vector<std::string> out;
  const std::string prefix = family + ".";
  for (auto it = query.lower_bound(prefix); it != query.end() && it->first.starts_with(prefix); ++it) {
    std::string_view rest = std::string_view(it->first).substr(prefix.size());
    rest = rest.substr(0, rest.find('.'));
    if (index_syntax(rest)) out.emplace_back(rest);
  }
  // Ascending as numbers: without leading zeros, shorter is smaller.
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const nlohmann::json* Params::walk(const nlohmann::json* j, const PathRef& ref, std::size_t count,
                                   const Binding& b, std::size_t sub, std::string* wire) const {
  for (std::size_t i = 0; i < count && j; ++i) {
    const std::string* key = &ref.members[i];
    if (*key == "{key}") {
      if (sub >= b.subs.size()) return nullptr;
      key = &b.subs[sub++];
    }
    if (wire) *wire += "." + *key;
    if (!j->is_object()) return nullptr;
    auto it = j->find(*key);
    j = it == j->end() ? nullptr : &*it;
  }
  return j;
}

const nlohmann::json* Params::root_json(const PathRef& ref, const Binding& b, std::string* wire) const {
  if (wire) *wire = ref.root->name;
  if (ref.root->in == spec::Location::body) {
    if (!body || !body->is_object()) return nullptr;
    auto it = body->find(ref.root->name);
    return it == body->end() ? nullptr : &*it;
  }
  if (ref.root->in == spec::Location::query) {
    if (!ref.indexed || b.subs.empty()) {  // the name is the root's (in *wire already)
      auto it = json_texts.find(ref.root->name);
      return it == json_texts.end() ? nullptr : &it->second;
    }
    std::string name = ref.family + "." + b.subs[0] + ref.suffix;
    auto it = json_texts.find(name);
    if (wire) *wire = std::move(name);
    return it == json_texts.end() ? nullptr : &it->second;
  }
  return nullptr;
}

Value Params::get(const PathRef& ref, const Binding& b) const {
  Value v;
  if (ref.family_only) return v;
  const std::size_t first_key_sub = ref.indexed ? 1 : 0;
  if (ref.root->in == spec::Location::path) {
    v.wire_name = ref.root->name;
    auto it = path.find(ref.root->name);
    if (it != path.end()) v.present = true, v.text = it->second;
    return v;
  }
  const nlohmann::json* j = root_json(ref, b, &v.wire_name);
  if (ref.root->in == spec::Location::query && ref.members.empty()) {
    auto it = query.find(v.wire_name);
    if (it == query.end()) return v;
    v.present = true;
    v.text = it->second;
    v.json = j;  // the parse of a Json-in-query text, when it parses
    return v;
  }
  j = walk(j, ref, ref.members.size(), b, first_key_sub, &v.wire_name);
  if (!j || j->is_null()) return v;  // decisions.md §2: null counts as absent
  v.present = true;
  v.from_json = true;
  v.json = j;
  v.text = json_text(*j);
  return v;
}

Value Params::get_or_default(const PathRef& ref, const Binding& b) const {
  Value v = get(ref, b);
  if (!v.present && ref.leaf && ref.leaf->default_value) {
    v.present = true;
    v.text = *ref.leaf->default_value;
  }
  return v;
}

bool Params::parent_present(const PathRef& ref, const Binding& b) const {
  if (ref.members.empty()) return true;
  const std::size_t first_key_sub = ref.indexed ? 1 : 0;
  const nlohmann::json* j = root_json(ref, b, nullptr);
  if (ref.root->in == spec::Location::query && !query.contains(ref.root->name) && !ref.indexed) return false;
  j = walk(j, ref, ref.members.size() - 1, b, first_key_sub, nullptr);
  return j && j->is_object();
}

void Params::expand(const nlohmann::json* j, const PathRef& ref, std::size_t seg, Binding b,
                    std::vector<Binding>& out) const {
  for (; seg < ref.members.size(); ++seg) {
    if (!j || !j->is_object()) break;
    if (ref.members[seg] == "{key}") {
      for (const auto& [key, child] : j->items()) {
        Binding nb = b;
        nb.subs.push_back(key);
        expand(&child, ref, seg + 1, nb, out);
      }
      return;
    }
    auto it = j->find(ref.members[seg]);
    j = it == j->end() ? nullptr : &*it;
  }
  // Placeholders below an absent or non-object parent bind nothing.
  for (std::size_t i = seg; i < ref.members.size(); ++i)
    if (ref.members[i] == "{key}") return;
  out.push_back(std::move(b));
}

std::vector<Binding> Params::instances(const PathRef& ref) const {
  std::vector<Binding> out;
  if (ref.indexed) {
    for (const std::string& n : indices(ref.family)) {
      Binding b{{n}};
      if (ref.family_only || ref.members.empty()) {
        out.push_back(b);
      } else {
        expand(root_json(ref, b, nullptr), ref, 0, b, out);
      }
    }
    return out;
  }
  if (ref.root->in == spec::Location::path || ref.members.empty()) return {Binding{}};
  expand(root_json(ref, Binding{}, nullptr), ref, 0, Binding{}, out);
  return out;
}

}  // namespace conform::emulator
