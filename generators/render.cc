// render(): a draft's entries on the wire (draft.h).
#include <algorithm>
#include <map>
#include <string_view>

#include "generators/draft.h"

namespace conform::gen {

using namespace std::string_view_literals;
namespace {

using nlohmann::json;

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

// An Array of objects with members (BatchCompute Configs.Mounts.Entries, an
// array of {Destination, Source, WriteSupport} in the request example) is drafted
// like an object, member by member; on the wire it is the array of that one
// object ([] when no member was drafted).
void arrays_of_objects(const std::vector<spec::Param>& params, json& node) {
  if (!node.is_object()) return;
  for (const spec::Param& p : params) {
    if (p.members.empty()) continue;
    auto it = node.find(p.name);
    if (it == node.end() || !it->is_object()) continue;
    arrays_of_objects(p.members, *it);
    if (p.type == spec::ParamType::Array) *it = it->empty() ? json::array() : json::array({std::move(*it)});
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
  const bool rpc = s.dialect == "aliyun-rpc";
  json body = rpc ? json() : json::object();  // no body for aliyun-rpc: no object allocated (put() makes one where needed)
  std::map<std::string, json> json_params;  // Json-in-query parameters by wire name
  std::vector<std::string> json_order;
  c.query.reserve(d.entries.size() + 2);  // grown once, not moved at each doubling
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
  if (!rpc) {
    arrays_of_objects(s.params, body);
    c.set_body(std::move(body));
  }
  return c;
}

}  // namespace

Case render(const Env& env, const Draft& d) { return render_draft(env, d, nullptr); }

Case render(const Env& env, Draft&& d) { return render_draft(env, d, &d); }

}  // namespace conform::gen
