#include "emulator/rules.h"

#include <cstdlib>

#include "core/text.h"
#include "emulator/values.h"

namespace conform::emulator {

// The state kinds, in rules_state.cc.
bool state_violated(const EvalContext& ctx, const RuleModel& m, const Binding& b, const Value& v);

namespace {

using K = spec::RuleKind;

bool is_empty(const Value& v) { return v.text.empty() && (!v.from_json || v.json->is_string()); }

bool condition_holds(const EvalContext& ctx, const RuleModel& m, const Binding& b) {
  const spec::Condition& c = *m.rule->when;
  if (m.unless && ctx.params.get(*m.unless, b).present) return false;  // the value is ignored then
  if (!c.attr.empty()) {
    Value v = ctx.params.get(*m.when, b);
    const Resource* r = v.present ? referenced(ctx, c.param, v) : nullptr;
    if (!r) return false;
    auto a = r->attrs.find(c.attr);
    if (a == r->attrs.end()) return false;
    if (c.equals.empty()) return true;  // the resource records the attribute
    for (const auto& e : c.equals)
      if (e == a->second.text) return true;
    return false;
  }
  if (c.equals.empty()) return ctx.params.get(*m.when, b).present;
  Value v = ctx.params.get_or_default(*m.when, b);
  if (!v.present) return false;
  const bool ci = m.when->leaf && m.when->leaf->type == spec::ParamType::Boolean;
  for (const auto& e : c.equals)
    if (ci ? text::equals_ci(e, v.text) : e == v.text) return true;
  return false;
}

struct Bounds {
  std::optional<double> min, max;
};

Bounds bounds(const EvalContext& ctx, const spec::Rule& r) {
  Bounds b{r.min, r.max};
  const std::string& op = ctx.op.spec->op;
  if (auto f = ctx.faults.for_rule(op, r.id, FaultKind::shift_max); f && b.max) *b.max += f->amount;
  if (auto f = ctx.faults.for_rule(op, r.id, FaultKind::shift_min); f && b.min) *b.min += f->amount;
  return b;
}

bool outside(const Bounds& b, double x) { return (b.min && x < *b.min) || (b.max && x > *b.max); }

bool enum_violated(const EvalContext& ctx, const spec::Rule& r, const std::string& s) {
  const std::string& op = ctx.op.spec->op;
  const bool ci = r.case_insensitive || ctx.faults.for_rule(op, r.id, FaultKind::case_insensitive);
  const Fault* drop = ctx.faults.for_rule(op, r.id, FaultKind::enum_drop);
  for (const auto& v : r.values) {
    if (drop && drop->value == v) continue;
    if (ci ? text::equals_ci(v, s) : v == s) return false;
  }
  return true;
}

bool range_violated(const Bounds& b, const Value& v) {
  if (const nlohmann::json* arr = array_of(v)) {
    for (const auto& e : *arr)
      if (!e.is_number() || outside(b, e.get<double>())) return true;
    return false;
  }
  auto n = number_of(v);
  return !n || outside(b, *n);
}

bool type_violated(const EvalContext& ctx, const RuleModel& m, const Value& v) {
  const PathRef& ref = m.params[0];
  if (!ref.leaf) return false;
  if (!v.from_json && ref.leaf->type == spec::ParamType::Json &&
      ctx.faults.for_op(ctx.op.spec->op, FaultKind::json_whitespace) && v.text.find(' ') != std::string::npos)
    return true;
  const bool list = ctx.op.json_lists.contains(ref.path);
  return !type_ok(v, ref.leaf->type, ref.leaf->item_type, list, !ref.leaf->members.empty());
}

bool string_violated(const RuleModel& m, const std::string& s) {
  const spec::Rule& r = *m.rule;
  switch (r.kind) {
    case K::charset: return !RE2::FullMatch(s, *m.re);
    case K::first_char: return !s.empty() && !RE2::FullMatch(s, *m.re);
    case K::pattern: return !RE2::FullMatch(s, *m.re);
    case K::format: return !format_ok(r.format, s);
    case K::forbidden_prefix:
      for (const auto& p : r.values)
        if (s.starts_with(p)) return true;
      return false;
    case K::forbidden_suffix:
      for (const auto& p : r.values)
        if (s.ends_with(p)) return true;
      return false;
    case K::forbidden_substring:
      for (const auto& p : r.values)
        if (s.find(p) != std::string::npos) return true;
      return false;
    case K::char_classes: {
      double n = 0;
      for (const auto& c : m.classes) n += RE2::PartialMatch(s, *c);
      return r.min && n < *r.min;
    }
    default: return false;
  }
}

// A sum past its max (ECS line 55, local SSDs at most 1,024 GiB in all): the
// values at the family's indices where the condition holds; where params[1] names
// a resource, its attribute `attr` instead (a disk made from a snapshot has the
// snapshot's size, line 150). Evaluated once per request.
bool sum_over_max(const EvalContext& ctx, const RuleModel& m) {
  const spec::Rule& r = *m.rule;
  const std::optional<double> max = bounds(ctx, r).max;
  if (!max) return false;
  const bool fallback = m.params.size() > 1 && !r.attr.empty();
  double total = 0;
  for (const std::string& idx : ctx.params.indices(m.params[0].family)) {
    const Binding b{{idx}};
    if (r.when && !condition_holds(ctx, m, b)) continue;
    std::optional<double> n;
    if (fallback) {
      Value named = ctx.params.get(m.params[1], b);
      const Resource* res = named.present ? referenced(ctx, m.params[1].path, named) : nullptr;
      auto a = res ? res->attrs.find(r.attr) : decltype(res->attrs.cend()){};
      if (res && a != res->attrs.end()) n = a->second.number;
    }
    if (Value v = ctx.params.get(m.params[0], b); !n && v.present) n = number_of(v);
    if (n) total += *n;
  }
  return total > *max;
}

std::size_t present_count(const EvalContext& ctx, const RuleModel& m, const Binding& b) {
  std::size_t n = 0;
  for (const auto& p : m.params) n += ctx.params.get(p, b).present;
  return n;
}

// Whether rule `m` is broken by the request at binding `b`; `v` receives the value.
bool violated_at(const EvalContext& ctx, const RuleModel& m, const Binding& b, Value& v) {
  const spec::Rule& r = *m.rule;
  if (r.kind == K::sum) return sum_over_max(ctx, m);  // over the whole family, once
  if (r.when && r.kind != K::at_least_ref && !condition_holds(ctx, m, b)) return false;
  if (r.kind == K::quota && m.params.empty()) return state_violated(ctx, m, b, v);
  if (m.params.empty()) return false;
  if (!m.params[0].family_only) v = ctx.params.get(m.params[0], b);
  switch (r.kind) {
    case K::required:
      return ctx.params.parent_present(m.params[0], b) && (!v.present || is_empty(v));
    case K::required_if:  // an empty value is missing, as for `required`
      return ctx.params.parent_present(m.params[0], b) && (!v.present || is_empty(v));
    case K::pair: {
      std::size_t n = present_count(ctx, m, b);
      return n > 0 && n < m.params.size();
    }
    case K::requires_param:
      return v.present && present_count(ctx, m, b) < m.params.size();
    case K::exclusive: return present_count(ctx, m, b) > 1;
    case K::forbidden_with:
      return v.present && (r.when || (m.params.size() > 1 && ctx.params.get(m.params[1], b).present));
    case K::index_max: {
      Bounds bd = bounds(ctx, r);
      // strtod, not stod: an index of 400 digits is +inf, not an exception.
      return !b.subs.empty() && outside(bd, std::strtod(b.subs[0].c_str(), nullptr));
    }
    default: break;
  }
  if (!v.present) return false;
  switch (r.kind) {
    case K::type: return type_violated(ctx, m, v);
    case K::length: {
      const std::string s = r.attr == "key" ? b.last_key() : v.text;
      return outside(bounds(ctx, r), static_cast<double>(length_of(s, r.unit)));
    }
    case K::range:
    case K::range_if: return range_violated(bounds(ctx, r), v);
    case K::enumeration:
    case K::enum_if: return enum_violated(ctx, r, v.text);
    case K::items: {
      auto n = item_count(v);
      return n && outside(bounds(ctx, r), static_cast<double>(*n));
    }
    case K::reference:
    case K::ref_attr:
    case K::at_least_ref:
    case K::ref_match:
    case K::unique:
    case K::quota: return state_violated(ctx, m, b, v);
    default: return string_violated(m, v.text);
  }
}

std::vector<Binding> bindings(const EvalContext& ctx, const RuleModel& m) {
  if (m.params.empty() || m.rule->kind == K::sum) return {Binding{}};
  return ctx.params.instances(m.params[0]);
}

}  // namespace

std::optional<Violation> first_violation(const EvalContext& ctx, Phase phase) {
  const int orders = phase == Phase::state ? 6 : 1;
  for (int order = 0; order < orders; ++order) {
    for (const auto& m : ctx.op.rules) {
      if (m.phase != phase || (phase == Phase::state && m.state_order != order)) continue;
      if (ctx.faults.for_rule(ctx.op.spec->op, m.rule->id, FaultKind::skip_rule)) continue;
      for (const Binding& b : bindings(ctx, m)) {
        Value v;
        if (violated_at(ctx, m, b, v)) {
          std::string wire = v.wire_name.empty() && !m.params.empty() ? m.params[0].path : v.wire_name;
          if (m.params.size() == 1 && m.params[0].family_only && !b.subs.empty())
            wire = m.params[0].family + "." + b.subs[0];
          return Violation{&m, b, wire};
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace conform::emulator
