#include "harness/runner_case.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace conform::runner {
namespace {

using nlohmann::json;

// Calls f(index, field) -> replacement for each "${index.Field}" in s.
template <class F>
std::string rewrite(const std::string& s, F f) {
  if (s.find("${") == std::string::npos) return s;
  std::string out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t open = s.find("${", pos);
    std::size_t close = open == std::string::npos ? open : s.find('}', open);
    if (close == std::string::npos) break;
    std::string_view inner(s.data() + open + 2, close - open - 2);
    std::size_t dot = inner.find('.');
    int index = -1;
    auto [ptr, ec] = std::from_chars(inner.data(), inner.data() + (dot == std::string_view::npos ? 0 : dot), index);
    out.append(s, pos, open - pos);
    if (dot != std::string_view::npos && ec == std::errc() && ptr == inner.data() + dot) {
      out += f(index, std::string(inner.substr(dot + 1)), s.substr(open, close - open + 1));
    } else {
      out.append(s, open, close - open + 1);
    }
    pos = close + 1;
  }
  out.append(s, pos, std::string::npos);
  return out;
}

template <class F>
void rewrite_json(json& j, F f) {
  if (j.is_string()) {
    j = rewrite(j.get<std::string>(), f);
  } else if (j.is_structured()) {
    for (auto& v : j) rewrite_json(v, f);
  }
}

template <class F>
Case rewrite_case(const Case& c, F f) {
  Case out = c;
  for (auto& [k, v] : out.query) v = rewrite(v, f);
  if (out.body && out.body->dump().find("${") != std::string::npos) {
    json b = *out.body;
    rewrite_json(b, f);
    out.set_body(std::move(b));
  }
  if (out.raw_body) out.raw_body = rewrite(*out.raw_body, f);
  return out;
}

}  // namespace

Case renumber_placeholders(const Case& c, const std::vector<int>& global_of_local) {
  return rewrite_case(c, [&](int i, const std::string& field, const std::string& whole) {
    if (i < 0 || static_cast<std::size_t>(i) >= global_of_local.size()) return whole;
    return "${" + std::to_string(global_of_local[i]) + "." + field + "}";
  });
}

Case fill_placeholders(const Case& c, const std::map<int, std::shared_ptr<const json>>& bodies) {
  return rewrite_case(c, [&](int g, const std::string& field, const std::string& whole) {
    auto it = bodies.find(g);
    if (it == bodies.end() || !it->second || !it->second->is_object()) return whole;
    auto f = it->second->find(field);
    return f != it->second->end() && f->is_string() ? f->get<std::string>() : whole;
  });
}

std::string idempotency_token(const spec::Spec& spec, const Case& c) {
  for (const spec::Rule& r : spec.rules) {
    if (r.kind != spec::RuleKind::idempotency || r.params.empty()) continue;
    if (const std::string* v = c.query_value(r.params[0])) return r.params[0] + "=" + *v;
    if (c.body && c.body->is_object()) {
      auto it = c.body->find(r.params[0]);
      if (it != c.body->end() && it->is_string()) return r.params[0] + "=" + it->get<std::string>();
    }
  }
  return "";
}

// Every part length-prefixed (the body is its JSON text), so that different
// cases give different signatures; no JSON document built for it.
std::string signature(const Case& c) {
  std::string out;
  auto part = [&out](std::string_view s) { out.append(std::to_string(s.size())).append(":").append(s); };
  part(c.method);
  part(c.path);
  out.append(std::to_string(c.query.size())).append("q");
  for (const auto& [k, v] : c.query) {
    part(k);
    part(v);
  }
  part(c.body ? c.body->dump() : "null");
  if (c.raw_body) part(*c.raw_body);
  return out;
}

std::vector<Removal> removals(const Case& c) {
  std::vector<Removal> out;
  for (std::size_t i = 0; i < c.query.size(); ++i) {
    const std::string& name = c.query[i].first;
    if (name == "Action" || name == "Version" || name == "Format") continue;
    Case smaller = c;
    smaller.query.erase(smaller.query.begin() + static_cast<std::ptrdiff_t>(i));
    out.push_back({std::move(smaller), name});
  }
  if (c.body && c.body->is_object() && !c.raw_body) {
    for (const auto& [name, value] : c.body->items()) {
      json b = *c.body;
      b.erase(name);
      Case smaller = c;
      smaller.set_body(std::move(b));
      out.push_back({std::move(smaller), name});
    }
  }
  return out;
}

Shrunk shrink_by_removal(const Case& c, int max_attempts, const std::function<bool(const Case&)>& still_fails) {
  Shrunk s{c, {}, 0};
  for (bool progress = true; progress && s.attempts < max_attempts;) {
    progress = false;
    for (Removal& r : removals(s.smallest)) {
      if (++s.attempts > max_attempts) break;
      if (!still_fails(r.smaller)) continue;
      s.smallest = std::move(r.smaller);
      s.removed.push_back(std::move(r.what));
      progress = true;
      break;
    }
  }
  return s;
}

std::string shrunk_note(const Shrunk& s) {
  std::string list;
  for (const std::string& r : s.removed) list += (list.empty() ? "" : ", ") + r;
  return "shrunk by removing " + list + " (" + std::to_string(s.attempts) + " tries)";
}

void tally(report::RunFinished& s, report::Outcome o) {
  switch (o) {
    case report::Outcome::pass: ++s.pass; break;
    case report::Outcome::warning: ++s.warning; break;
    case report::Outcome::fail: ++s.fail; break;
    case report::Outcome::error: ++s.error; break;
  }
}

void label(report::ExchangeDone& e, const Case& c, const report::Prediction& p) {
  if (c.target) {
    e.rule = c.target->rule;
    e.side = std::string(to_string(c.target->side));
  } else if (!p.rule.empty()) {
    e.rule = p.rule;
    e.side = "violating";
  } else {
    e.rule = "success";
    e.side = "valid";
  }
}

}  // namespace conform::runner
