// The state phase: references and their attributes, uniqueness and quotas.
#include <algorithm>

#include "emulator/rules.h"
#include "emulator/values.h"

namespace conform::emulator {
namespace {

using K = spec::RuleKind;

const Resource* find_typed(const EvalContext& ctx, const std::string& type, const std::string& id) {
  return ctx.state.find(ctx.op.spec->service, type, id, ctx.region);
}

bool ref_attr_violated(const EvalContext& ctx, const spec::Rule& r, const Value& v) {
  auto type = r.resource.empty() ? ctx.op.ref_types.find(r.params[0]) : ctx.op.ref_types.end();
  const std::string& t = r.resource.empty() ? (type == ctx.op.ref_types.end() ? r.resource : type->second)
                                            : r.resource;
  const Resource* res = find_typed(ctx, t, v.text);
  if (!res) return false;  // the reference rule answers that
  auto a = res->attrs.find(r.attr);
  if (a == res->attrs.end()) return false;
  if (!r.values.empty()) {
    for (const auto& ok : r.values)
      if (ok == a->second.text) return false;
    return true;
  }
  if (!a->second.number) return false;
  return (r.min && *a->second.number < *r.min) || (r.max && *a->second.number > *r.max);
}

bool at_least_ref_violated(const EvalContext& ctx, const RuleModel& m, const Binding& b, const Value& v) {
  if (!m.when) return false;
  auto n = number_of(v);
  Value named = ctx.params.get(*m.when, b);
  const Resource* res = named.present ? referenced(ctx, m.when->path, named) : nullptr;
  if (!n || !res) return false;
  auto a = res->attrs.find(m.rule->attr);
  return a != res->attrs.end() && a->second.number && *n < *a->second.number;
}

// One side of a ref_match: the attribute of the resource the value names, or the
// value itself when it names no resource with that attribute (a ZoneId, an IP).
std::optional<std::string> match_side(const EvalContext& ctx, const PathRef& ref, const Value& v,
                                      const std::string& attr) {
  if (!v.present) return std::nullopt;
  if (!ctx.op.ref_types.contains(ref.path)) return v.text;
  const Resource* res = referenced(ctx, ref.path, v);
  if (!res) return std::nullopt;  // the reference rule answers that
  auto a = res->attrs.find(attr);
  return a == res->attrs.end() ? v.text : a->second.text;
}

bool ref_match_violated(const EvalContext& ctx, const RuleModel& m, const Binding& b, const Value& v) {
  if (m.params.size() < 2) return false;
  const std::string& attr = m.rule->attr;
  auto left = match_side(ctx, m.params[0], v, attr);
  auto right = match_side(ctx, m.params[1], ctx.params.get(m.params[1], b), attr);
  if (!left || !right) return false;
  if (attr == "cidr") {
    // An IP parameter against a CIDR attribute: the IP must lie inside.
    if (format_ok("cidr", *right) && !format_ok("cidr", *left)) return !ip_in_cidr(*left, *right);
    if (format_ok("cidr", *left) && !format_ok("cidr", *right)) return !ip_in_cidr(*right, *left);
  }
  return *left != *right;
}

bool quota_violated(const EvalContext& ctx, const RuleModel& m, const Binding& b, const Value& v) {
  const spec::Rule& r = *m.rule;
  auto limit = ctx.state.quota(ctx.op.spec->service, r.quota);
  if (!limit) return false;
  if (auto f = ctx.faults.for_rule(ctx.op.spec->op, r.id, FaultKind::shift_max)) *limit += f->amount;
  if (m.params.empty()) return static_cast<double>(ctx.state.count(ctx.op.spec->service, ctx.op.created_type)) + 1 > *limit;
  (void)b;
  if (auto n = item_count(v)) return static_cast<double>(*n) > *limit;
  auto n = number_of(v);
  return n && *n > *limit;
}

}  // namespace

const Resource* referenced(const EvalContext& ctx, const std::string& param_path, const Value& v) {
  auto t = ctx.op.ref_types.find(param_path);
  if (t == ctx.op.ref_types.end()) return nullptr;
  return find_typed(ctx, t->second, v.text);
}

std::vector<std::string> unique_keys(const EvalContext& ctx, const RuleModel& rule) {
  std::vector<std::string> keys{""};
  for (const auto& p : rule.params) {
    Value v = ctx.params.get(p, Binding{});
    std::vector<std::string> parts;
    if (const nlohmann::json* arr = array_of(v)) {
      for (const auto& e : *arr) parts.push_back(json_text(e));
    } else {
      parts.push_back(v.present ? v.text : "");
    }
    std::vector<std::string> next;
    for (const auto& k : keys)
      for (const auto& part : parts) next.push_back(k + part + '\x1f');
    keys = std::move(next);
  }
  return keys;
}

bool state_violated(const EvalContext& ctx, const RuleModel& m, const Binding& b, const Value& v) {
  switch (m.rule->kind) {
    case K::reference:
      // A list of ids (RegionIds): every string element names a resource (the
      // type rule answers for the others).
      if (v.json && v.json->is_array()) {
        return std::any_of(v.json->begin(), v.json->end(), [&](const nlohmann::json& e) {
          return e.is_string() && !find_typed(ctx, m.rule->resource, e.get_ref<const std::string&>());
        });
      }
      // `values` name nothing and are taken (a group's InstanceType "").
      if (std::find(m.rule->values.begin(), m.rule->values.end(), v.text) != m.rule->values.end()) return false;
      return !find_typed(ctx, m.rule->resource, v.text);
    case K::ref_attr: return ref_attr_violated(ctx, *m.rule, v);
    case K::at_least_ref: return at_least_ref_violated(ctx, m, b, v);
    case K::ref_match: return ref_match_violated(ctx, m, b, v);
    case K::unique:
      for (const auto& k : unique_keys(ctx, m))
        if (ctx.state.has_key(ctx.op.spec->op, m.rule->id + '\x1f' + k)) return true;
      return false;
    case K::quota: return quota_violated(ctx, m, b, v);
    default: return false;
  }
}

}  // namespace conform::emulator
