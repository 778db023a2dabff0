#include "generators/draft.h"

#include <string_view>
#include <algorithm>
#include <atomic>
#include <memory>
#include <tuple>

#include "core/text.h"
#include "generators/derived.h"

namespace conform::gen {

using namespace std::string_view_literals;
namespace {

using nlohmann::json;

bool matches(const Entry& e, const std::string& path, const std::string& index, const std::string& key) {
  return e.slot.path == path && (index.empty() || e.slot.index.empty() || e.slot.index == index) &&
         (key.empty() || e.slot.key.empty() || e.slot.key == key);
}

void substitute_in(std::string& path, const Slot& s) {
  if (std::size_t n = path.find(".N"); n != std::string::npos && (n + 2 == path.size() || path[n + 2] == '.')) {
    path.replace(n + 1, 1, s.index);
  }
}

std::string substitute(std::string path, const Slot& s) {
  substitute_in(path, s);
  return path;
}

std::vector<std::string> segments(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = s.find('.', start);
    out.push_back(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

// Sets `value` at member `segs` below `root`; a scalar parent (a deliberate
// type violation) wins over members set below it.
template <class V>
void put(json& root, const std::vector<std::string>& segs, const std::string& key, V&& value) {
  json* at = &root;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (at->is_null()) *at = json::object();
    if (!at->is_object()) return;
    const std::string& name = segs[i] == "{key}"sv ? key : segs[i];
    if (i + 1 == segs.size()) {
      if (!at->contains(name)) (*at)[name] = std::forward<V>(value);
      return;
    }
    at = &(*at)[name];
  }
}

std::string wire_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// JSON text carried in one query parameter: compact, or (for every other length)
// with a space after each separator, the way the docs write their examples
// (RegionIds ["cn-hangzhou", "cn-beijing"]); both are the same JSON, and a
// service must accept both.
std::string query_json_text(const json& v, std::string compact) {
  if (v.is_string() || compact.size() % 2 == 0) return compact;
  std::string spaced;
  spaced.reserve(compact.size() + compact.size() / 2);
  bool in_string = false;
  bool escaped = false;
  std::size_t run = 0;  // compact[run, i) is still to be copied
  for (std::size_t i = 0; i < compact.size(); ++i) {
    const char ch = compact[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == ',' || ch == ':') {
      spaced.append(compact, run, i + 1 - run).push_back(' ');
      run = i + 1;
    }
  }
  spaced.append(compact, run, std::string::npos);
  return spaced;
}
std::string query_json_text(const json& v) { return query_json_text(v, wire_text(v)); }

// Entry buffers of drafts that ended on this thread, capacity kept.
std::vector<Entry>& spare_entries() {
  thread_local std::vector<Entry> spare;
  return spare;
}

}  // namespace

bool condition_equals(const spec::Condition& w, const std::string& s) {
  const bool s_boolean = s == "true"sv || s == "false"sv;  // once, not per value
  return std::any_of(w.equals.begin(), w.equals.end(), [&](const std::string& e) {
    return s == e || ((s_boolean || e == "true"sv) && text::equals_ci(s, e));
  });
}

Draft::Draft() : entries(std::move(spare_entries())) { entries.clear(); }

Draft::~Draft() {
  std::vector<Entry>& spare = spare_entries();
  if (entries.capacity() > spare.capacity()) {
    entries.clear();
    spare = std::move(entries);
  }
}

const json* Draft::get(const std::string& path, const std::string& index, const std::string& key) const {
  for (const Entry& e : entries) {
    if (matches(e, path, index, key)) return &e.value;
  }
  return nullptr;
}

Entry& Draft::set(const Slot& slot, json value) { return place(slot, nullptr, value); }

Entry& Draft::set(Slot&& slot, json value) { return place(slot, &slot, value); }

Entry& Draft::place(const Slot& slot, Slot* owned, json& value) {
  ++version;
  const unsigned bit = touch_index(slot.path);  // and any empty parent it replaces (same first segment)
  touched |= std::uint64_t{1} << bit;
  edit_at[bit] = version;
  auto same_slot = [&](const Entry& e) {
    return e.slot.path == slot.path && e.slot.index == slot.index && e.slot.key == slot.key;
  };
  Entry* same = nullptr;
  if (empty_objects > 0) {
    // An empty object stood for a parent with no members yet: a member replaces it.
    auto empty_parent = [&](const Entry& e) {
      const std::string& p = e.slot.path;
      return e.value.is_object() && e.value.empty() && slot.path.size() > p.size() &&
             slot.path.compare(0, p.size(), p) == 0 && slot.path[p.size()] == '.' &&
             (e.slot.key.empty() || e.slot.key == slot.key);
    };
    auto parents = std::remove_if(entries.begin(), entries.end(), empty_parent);
    empty_objects -= static_cast<std::size_t>(entries.end() - parents);
    entries.erase(parents, entries.end());
  }
  for (Entry& e : entries) {
    if (same_slot(e)) {
      same = &e;
      break;
    }
  }
  const bool now_empty = value.is_object() && value.empty();
  if (now_empty) ++empty_objects;
  if (same) {
    if (same->value.is_object() && same->value.empty()) --empty_objects;
    same->value = std::move(value);
    same->satisfied = nullptr;
    return *same;
  }
  if (owned) return entries.emplace_back(std::move(*owned), std::move(value));
  return entries.emplace_back(slot, std::move(value));
}

void Draft::erase(const std::string& path, const std::string& index, const std::string& key) {
  std::size_t before = entries.size();
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [&](const Entry& e) {
                                 std::string_view p = e.slot.path;
                                 bool under = p.starts_with(path) && (p.size() == path.size() || p[path.size()] == '.');
                                 bool gone = under && (index.empty() || e.slot.index == index) &&
                                             (key.empty() || e.slot.key == key);
                                 if (gone && e.value.is_object() && e.value.empty()) --empty_objects;
                                 return gone;
                               }),
                entries.end());
  if (entries.size() != before) {
    ++version;
    const unsigned bit = touch_index(path);
    touched |= std::uint64_t{1} << bit;
    edit_at[bit] = version;
  }
}

bool Draft::has(const std::string& path) const { return get(path) != nullptr; }

std::vector<std::string> Draft::indices(const std::string& family_path) const {
  std::vector<std::string> out;
  for (const Entry& e : entries) {
    if (e.slot.path.rfind(family_path, 0) != 0 || e.slot.index.empty()) continue;
    if (std::find(out.begin(), out.end(), e.slot.index) == out.end()) out.push_back(e.slot.index);
  }
  return out;
}

namespace {

std::shared_ptr<Derived> derive_env(const Env& env) {
  static std::atomic<std::uint64_t> derived_count{0};
  auto out = std::make_shared<Derived>();
  out->id = ++derived_count;
  for (const Resource& r : env.fixtures.resources) {
    if (r.service == env.spec.service && (env.region.empty() || r.region.empty() || r.region == env.region)) {
      out->resources[r.type].push_back(&r);
    }
  }
  for (const spec::Param& p : env.spec.params) out->order.push_back(&p);
  for (const spec::Rule& r : env.spec.rules) {
    if (r.params.empty() || !is_cross_kind(r.kind)) continue;
    out->cross.push_back(&r);
    std::uint64_t reads = 0;  // fix_cross reads the rule's parameters (and below) and its condition
    for (const std::string& p : r.params) reads |= touch_bit(p);
    if (r.when) reads |= touch_bit(r.when->param);
    out->cross_reads.push_back(reads);
  }
  std::stable_partition(out->order.begin(), out->order.end(),
                        [&](const spec::Param* p) { return env.index->is_condition_source(p->name); });
  for (const spec::Param* p : out->order) out->order_indexed.push_back(is_indexed(p->name) ? 1 : 0);
  return out;
}

}  // namespace

Env::Env(const spec::Spec& s, const Fixtures& f, std::string r)
    : spec(s), fixtures(f), region(std::move(r)), index(std::make_shared<const spec::Index>(s)) {
  auto d = derive_env(*this);
  derived = d;
  // After `derived` is set: resources() reads it.
  d->when.resize(s.rules.size());
  for (std::size_t i = 0; i < s.rules.size(); ++i) {
    if (!s.rules[i].when) continue;
    const std::string& param = s.rules[i].when->param;
    Derived::When& wi = d->when[i];
    wi = {is_indexed(param), find_param(*this, param), &resources(*this, ref_type(*this, param)), {}};
    if (s.rules[i].when->attr.empty()) continue;
    for (const Resource* res : *wi.resources) {
      const std::string* a = res->attr(s.rules[i].when->attr);
      wi.attr_holds.emplace_back(res, a && condition_equals(*s.rules[i].when, *a));
    }
  }
}

const std::vector<const Resource*>& resources(const Env& env, std::string_view type) {
  static const std::vector<const Resource*> none;
  auto it = env.derived->resources.find(type);
  return it == env.derived->resources.end() ? none : it->second;
}

const std::vector<const spec::Param*>& draft_order(const Env& env) { return env.derived->order; }

bool holds(const Env& env, const spec::Rule& r, const Slot& at, const Draft& d) {
  if (!r.when) return true;
  const spec::Condition& w = *r.when;
  const std::vector<spec::Rule>& rules = env.spec.rules;
  Derived::When info;  // for a rule not of the spec (none today): looked up
  const Derived::When* wi = &info;
  if (&r >= rules.data() && &r < rules.data() + rules.size()) {
    wi = &env.derived->when[env.index->position(r)];
  } else {
    info = {is_indexed(w.param), find_param(env, w.param), &resources(env, ref_type(env, w.param)), {}};
  }
  static const std::string kNoIndex;
  const json* v = d.get(w.param, wi->indexed ? at.index : kNoIndex, at.key);
  auto equal = [&](const std::string& s) { return condition_equals(w, s); };
  if (!w.attr.empty()) {
    if (!v) return false;
    const std::string text = v->is_string() ? std::string() : wire_text(*v);
    const std::string& id = v->is_string() ? v->get_ref<const std::string&>() : text;
    if (wi == &info) {  // looked up just now: nothing worked out
      for (const Resource* res : *wi->resources) {
        if (res->id == id) {
          const std::string* a = res->attr(w.attr);
          return a && equal(*a);
        }
      }
      return false;
    }
    for (const auto& [res, ok] : wi->attr_holds) {
      if (res->id == id) return ok;
    }
    return false;
  }
  if (w.equals.empty()) return v != nullptr;
  if (v) return v->is_string() ? equal(v->get_ref<const std::string&>()) : equal(v->dump());
  const spec::Param* p = wi->leaf;
  return p && p->default_value && equal(*p->default_value);
}

namespace {

// render(), the values moved out of `owned` (the same draft as `d`) if not null.
Case render_draft(const Env& env, const Draft& d, Draft* owned) {
  // The wire text of an entry's value, taken from it when the draft is ours.
  auto text_of = [&](const Entry& e) {
    if (owned && e.value.is_string()) {
      return std::move(owned->entries[static_cast<std::size_t>(&e - d.entries.data())].value.get_ref<std::string&>());
    }
    return wire_text(e.value);
  };
  const spec::Spec& s = env.spec;
  Case c;
  c.op = s.op;
  c.method = s.method.empty() ? "GET" : s.method;
  c.path = s.path.empty() ? "/" : s.path;
  json body = json::object();
  std::map<std::string, json> json_params;  // Json-in-query parameters by wire name
  std::vector<std::string> json_order;
  c.query.reserve(d.entries.size() + 2);  // grown once, not moved at each doubling
  const bool rpc = s.dialect == "aliyun-rpc";
  if (rpc) {
    // Action comes from the draft (a case may leave it out or misspell it).
    for (const Entry& e : d.entries) {
      if (e.slot.path == std::string_view("Action")) {  // d.get("Action")
        c.query.emplace_back("Action", text_of(e));
        break;
      }
    }
    c.query.emplace_back("Version", s.version);
  }
  // Entries in the order of their top-level parameters in the spec (draft order within one).
  // The thread's buffer (render() does not nest): one allocation per thread, not per case.
  thread_local std::vector<std::pair<const spec::Param*, const Entry*>> order_buffer;
  std::vector<std::pair<const spec::Param*, const Entry*>>& order = order_buffer;
  order.clear();
  order.reserve(d.entries.size());
  for (const Entry& e : d.entries) {
    // settle() may have looked the path up already.
    const spec::Param* t = e.looked_up && e.known ? static_cast<const spec::Index::Entry*>(e.known)->top
                                                  : top_param(env, e.slot.path);
    if (t) order.emplace_back(t, &e);
  }
  // Stable by the entries' order in the draft (their addresses ascend): std::sort
  // on (top, entry) is that, with no merge buffer to allocate.
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second < b.second;
  });
  for (std::size_t k = 0; k < order.size(); ++k) {
    {
      const spec::Param& top = *order[k].first;
      const Entry& e = *order[k].second;
      // The entry's path is the top-level name itself, and no later entry reads
      // it (only those of the same parameter do, d.get below, and they sort
      // together): the wire name is made from the path's own buffer.
      const bool take_path = owned && e.slot.path.size() == top.name.size() &&
                             (k + 1 == order.size() || order[k + 1].first != order[k].first);
      if (top.in != spec::Location::path && top.in != spec::Location::body && e.slot.path.size() <= top.name.size()) {
        // A flat query parameter (no members): its pair is filled in place (each
        // string moved once, not through the temporaries below).
        if (rpc && top.name == std::string_view("Action")) continue;  // rendered first
        auto& [name, text] = c.query.emplace_back();
        Entry* mine = owned ? &owned->entries[static_cast<std::size_t>(&e - d.entries.data())] : nullptr;
        if (take_path) {
          name = std::move(mine->slot.path);
        } else {
          name = top.name;
        }
        substitute_in(name, e.slot);
        if (mine && e.value.is_string()) {
          text = std::move(mine->value.get_ref<std::string&>());
        } else {
          text = wire_text(e.value);
        }
        if (!e.value.is_string() && text.size() % 2 == 1) text = query_json_text(e.value, std::move(text));
        continue;
      }
      std::vector<std::string> members;
      if (e.slot.path.size() > top.name.size()) members = segments(e.slot.path.substr(top.name.size() + 1));
      if (top.in == spec::Location::path) {
        std::string token = "{" + top.name + "}";
        if (std::size_t at = c.path.find(token); at != std::string::npos) c.path.replace(at, token.size(), text_of(e));
      } else if (top.in == spec::Location::body) {
        members.insert(members.begin(), top.name);
        if (owned) {
          put(body, members, e.slot.key, std::move(owned->entries[static_cast<std::size_t>(&e - d.entries.data())].value));
        } else {
          put(body, members, e.slot.key, e.value);
        }
      } else if (!d.get(top.name, e.slot.index)) {  // a whole value set for it wins
        const std::string wire = substitute(top.name, e.slot);
        if (!json_params.count(wire)) json_order.push_back(wire);
        if (owned) {
          put(json_params[wire], members, e.slot.key, std::move(owned->entries[static_cast<std::size_t>(&e - d.entries.data())].value));
        } else {
          put(json_params[wire], members, e.slot.key, e.value);
        }
      }
    }
  }
  for (const std::string& name : json_order) c.query.emplace_back(name, query_json_text(json_params[name]));
  // A path parameter left out: its segment is empty (the service sees it missing).
  for (const spec::Param& p : s.params) {
    if (c.path.find('{') == std::string::npos) break;
    std::string token = "{" + p.name + "}";
    if (std::size_t at = c.path.find(token); at != std::string::npos) c.path.replace(at, token.size(), "");
  }
  if (!rpc) c.set_body(std::move(body));
  return c;
}

}  // namespace

Case render(const Env& env, const Draft& d) { return render_draft(env, d, nullptr); }

Case render(const Env& env, Draft&& d) { return render_draft(env, d, &d); }

}  // namespace conform::gen
