#include "core/case.h"

#include <algorithm>
#include <istream>
#include <set>

#include <nlohmann/json.hpp>

#include "core/json_text.h"

namespace conform {
namespace {

using nlohmann::json;

// A string member's text: copied from a const json, moved out of one the caller
// gives up (scenario_from_json(json&&), which read_cases runs on every line).
std::string text_of(const json& v) { return v.get<std::string>(); }
std::string text_of(json& v) { return std::move(v.get_ref<json::string_t&>()); }

// The wire carries text: a hand-written case may give {"Size": 40}, which a client
// would send as "40".
template <typename Json>
std::string wire_text(Json& v) {
  if (v.is_string()) return text_of(v);
  if (v.is_null()) return "";
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

// `where` + `field` names the member in an error (built only for one: the case
// loader reads every line of a corpus, and most have no error).
template <typename Json>
Result<Pairs> pairs_from_json(Json& j, const std::string& where, std::string_view field) {
  Pairs out;
  if (j.is_null()) return out;
  if (j.is_object()) {
    out.reserve(j.size());
    for (auto it = j.begin(); it != j.end(); ++it) out.emplace_back(it.key(), wire_text(*it));
    return out;
  }
  if (!j.is_array()) return fail(where + std::string(field), "expected an object or an array of [name, value] pairs");
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    Json& e = j[i];
    if (e.is_array() && e.size() == 2 && e[0].is_string()) {
      out.emplace_back(text_of(e[0]), wire_text(e[1]));
      continue;
    }
    if (e.is_object()) {
      auto name = e.find("name");
      if (name != e.end() && name->is_string()) {
        auto value = e.find("value");
        out.emplace_back(text_of(*name), value != e.end() ? wire_text(*value) : "");
        continue;
      }
    }
    return fail(where + std::string(field) + "/" + std::to_string(i), "expected [name, value] or {\"name\", \"value\"}");
  }
  return out;
}

// An object when the names are unique (the DESIGN.md form); pairs otherwise, so
// that duplicates and their order survive a round trip.
json pairs_to_json(const Pairs& pairs) {
  std::set<std::string_view> names;
  for (const auto& p : pairs) names.insert(p.first);
  if (names.size() == pairs.size()) {
    json o = json::object();
    for (const auto& [k, v] : pairs) o[k] = v;
    return o;
  }
  json a = json::array();
  for (const auto& [k, v] : pairs) a.push_back(json::array({k, v}));
  return a;
}

template <typename Json>
Result<std::string> opt_string(Json& j, const char* key, const std::string& where, std::string fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_string()) return text_of(*it);
  if (it->is_number()) return it->dump();
  return fail(where + "/" + key, "expected a string");
}

// `where` + "/expect" names the member in an error (built only for one).
template <typename Json>
Result<CaseExpect> expect_from_json(Json& j, const std::string& where) {
  if (!j.is_object()) return fail(where + "/expect", "expected an object");
  CaseExpect e;
  auto st = j.find("status");
  if (st == j.end() || !st->is_number_integer()) return fail(where + "/expect/status", "expected an integer");
  long long s = st->template get<long long>();
  if (s < 100 || s > 599) return fail(where + "/expect/status", "expected an HTTP status (100-599)");
  e.status = static_cast<int>(s);
  if (auto c = j.find("code"); c != j.end() && c->is_string()) e.codes.push_back(text_of(*c));
  if (auto c = j.find("codes"); c != j.end() && c->is_array()) {
    for (auto& v : *c) {
      if (v.is_string()) e.codes.push_back(text_of(v));
    }
  }
  return e;
}

// `where` + "/target" names the member in an error (built only for one).
template <typename Json>
Result<TargetRule> target_from_json(Json& j, const std::string& where) {
  auto rule = j.find("rule");  // end() for anything but an object
  if (rule == j.end() || !rule->is_string()) return fail(where + "/target", "expected {\"rule\", \"side\"}");
  TargetRule t{text_of(*rule), Side::valid};
  if (auto s = j.find("side"); s != j.end() && s->is_string() && *s == "violating") t.side = Side::violating;
  return t;
}

}  // namespace

std::string_view to_string(Side s) { return s == Side::valid ? "valid" : "violating"; }

const std::string* Case::query_value(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return &v;
  }
  return nullptr;
}

void Case::set_body(json j) {
  if (j.is_null()) {
    body.reset();
  } else {
    body = std::make_shared<const json>(std::move(j));
  }
}

void to_json(json& j, const Case& c) {
  j = json::object();
  if (!c.id.empty()) j["id"] = c.id;
  j["op"] = c.op;
  j["method"] = c.method;
  j["path"] = c.path;
  j["query"] = pairs_to_json(c.query);
  j["headers"] = pairs_to_json(c.headers);
  j["body"] = c.body ? *c.body : json(nullptr);
  if (c.raw_body) j["raw_body"] = *c.raw_body;
  if (c.expect) {
    json e = {{"status", c.expect->status}};
    if (c.expect->codes.size() == 1) e["code"] = c.expect->codes[0];
    if (c.expect->codes.size() > 1) e["codes"] = c.expect->codes;
    j["expect"] = std::move(e);
  }
  if (c.target) j["target"] = {{"rule", c.target->rule}, {"side", to_string(c.target->side)}};
}

void to_json(json& j, const Scenario& s) {
  if (!s.stateful && s.steps.size() == 1) {
    to_json(j, s.steps[0]);
    return;
  }
  j = json::object();
  j["id"] = s.id;
  json steps = json::array();
  for (const Case& c : s.steps) {
    json cj;
    to_json(cj, c);
    steps.push_back(std::move(cj));
  }
  j["steps"] = std::move(steps);
}

namespace {

// The body is copied from a const json, moved out of one the caller gives up.
void take_body(Case& c, const json& b) { c.body = std::make_shared<const json>(b); }
void take_body(Case& c, json& b) { c.body = std::make_shared<const json>(std::move(b)); }

template <typename Json>
Result<Case> read_case(Json& j, const std::string& where) {
  if (!j.is_object()) return fail(where, "a case is a JSON object");
  Case c;
  CONFORM_TRY(id, opt_string(j, "id", where, ""));
  CONFORM_TRY(op, opt_string(j, "op", where, ""));
  if (op.empty()) return fail(where + "/op", "expected the operation id (e.g. \"ecs.CreateInstance\")");
  CONFORM_TRY(method, opt_string(j, "method", where, "GET"));
  CONFORM_TRY(path, opt_string(j, "path", where, "/"));
  c.id = std::move(id);
  c.op = std::move(op);
  c.method = std::move(method);
  c.path = std::move(path);
  if (auto q = j.find("query"); q != j.end()) {
    CONFORM_TRY(query, pairs_from_json(*q, where, "/query"));
    c.query = std::move(query);
  }
  if (auto h = j.find("headers"); h != j.end()) {
    CONFORM_TRY(headers, pairs_from_json(*h, where, "/headers"));
    c.headers = std::move(headers);
  }
  if (auto b = j.find("body"); b != j.end() && !b->is_null()) take_body(c, *b);
  if (auto r = j.find("raw_body"); r != j.end() && !r->is_null()) {
    if (!r->is_string()) return fail(where + "/raw_body", "expected a string");
    c.raw_body = text_of(*r);
  }
  if (auto e = j.find("expect"); e != j.end() && !e->is_null()) {
    CONFORM_TRY(expect, expect_from_json(*e, where));
    c.expect = std::move(expect);
  }
  if (auto t = j.find("target"); t != j.end() && !t->is_null()) {
    CONFORM_TRY(target, target_from_json(*t, where));
    c.target = std::move(target);
  }
  return c;
}

template <typename Json>
Result<Scenario> read_scenario(Json& j, const std::string& where) {
  if (!j.is_object()) return fail(where, "a case is a JSON object");
  auto steps = j.find("steps");
  if (steps == j.end()) {
    CONFORM_TRY(c, read_case(j, where));
    Scenario s{c.id, {}, false};
    s.steps.push_back(std::move(c));
    return s;
  }
  if (!steps->is_array() || steps->empty()) return fail(where + "/steps", "expected a non-empty array of cases");
  Scenario s;
  s.stateful = true;
  CONFORM_TRY(id, opt_string(j, "id", where, ""));
  s.id = std::move(id);
  for (std::size_t i = 0; i < steps->size(); ++i) {
    CONFORM_TRY(c, read_case((*steps)[i], where + "/steps/" + std::to_string(i)));
    s.steps.push_back(std::move(c));
  }
  return s;
}

}  // namespace

Result<Case> case_from_json(const json& j, const std::string& where) { return read_case(j, where); }

Result<Scenario> scenario_from_json(const json& j, const std::string& where) { return read_scenario(j, where); }

Result<Scenario> scenario_from_json(json&& j, const std::string& where) { return read_scenario(j, where); }

Result<Scenario> scenario_from_text(std::string_view line, const std::string& where) {
  if (json_nesting(line, kMaxJsonNesting) > kMaxJsonNesting) {
    return fail(where, "JSON nested deeper than " + std::to_string(kMaxJsonNesting) + " levels");
  }
  if (std::size_t at = nul_at(line); at != std::string_view::npos) {
    return fail(where, "not a JSON value: a NUL byte at column " + std::to_string(at + 1));
  }
  json j = parse_json_bounded(line);
  if (j.is_discarded()) return fail(where, "not a JSON value");
  return scenario_from_json(std::move(j), where);
}

std::vector<CaseLine> read_cases(std::istream& in, const std::string& name) {
  std::vector<CaseLine> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    out.push_back({number, scenario_from_text(line, name + ":" + std::to_string(number))});
  }
  return out;
}

}  // namespace conform
