// Phase 5 of docs/decisions.md section 1: rules that read the model's state
// (fixtures and what earlier steps created), not just the request.
#include <algorithm>

#include "oracles/checks.h"
#include "oracles/rules.h"

namespace conform::oracle {
namespace {

using nlohmann::json;
using spec::RuleKind;

// For ref_match: the attribute of the resource a parameter names, or, for a
// parameter that names no resource with it (PrivateIpAddress, ZoneId), its value.
std::string side_value(const CompiledRule& cr, const Context& ctx, std::size_t k, const Value& v) {
  std::string text = value_text(v);
  if (!cr.param_types[k].empty()) {
    Found f = find_resource(ctx, cr.param_types[k], text);
    if (f.attrs) {
      auto a = f.attrs->find(cr.rule->attr);
      if (a != f.attrs->end()) return a->second;
    }
  }
  return text;
}

bool matches(const std::string& a, const std::string& b) {
  bool a_cidr = a.find('/') != std::string::npos, b_cidr = b.find('/') != std::string::npos;
  if (a_cidr != b_cidr) return a_cidr ? ip_in_cidr(b, a) : ip_in_cidr(a, b);
  return a == b;
}

std::optional<Binding> attr_out_of_range(const CompiledRule& cr, const Context& ctx) {
  const spec::Rule& r = *cr.rule;
  for (const Instance& i : Scan(ctx.view, cr.params[0], Binding{})) {
    // A `when` gates ref_attr too (decisions.md section 1): the 32-bit image rule.
    if (r.when && !when_holds(cr, ctx, i.at)) continue;
    std::string scratch;
    Found f = find_resource(ctx, r.resource, text_view(i.value, scratch));
    if (!f.attrs) continue;
    auto a = f.attrs->find(r.attr);
    if (a == f.attrs->end()) continue;  // not recorded: nothing to hold against it
    if (!r.values.empty() && std::find(r.values.begin(), r.values.end(), a->second) == r.values.end()) return i.at;
    if (r.min || r.max) {
      auto n = attr_number(a->second);
      if (n && !in_range(*n, r)) return i.at;
    }
  }
  return std::nullopt;
}

std::optional<Binding> below_ref(const CompiledRule& cr, const Context& ctx) {
  for (const Instance& i : Scan(ctx.view, cr.params[0], Binding{})) {
    auto x = number_of(i.value, cr.params[0].leaf ? cr.params[0].leaf->type : spec::ParamType::Float);
    Scan owner(ctx.view, cr.when, i.at);
    if (!x || owner.empty() || cr.when_type.empty()) continue;
    std::string scratch;
    Found f = find_resource(ctx, cr.when_type, text_view(owner[0].value, scratch));
    if (!f.attrs) continue;
    auto a = f.attrs->find(cr.rule->attr);
    if (a == f.attrs->end()) continue;
    auto bound = attr_number(a->second);
    if (bound && *x < *bound) return i.at;
  }
  return std::nullopt;
}

std::optional<Binding> mismatch(const CompiledRule& cr, const Context& ctx) {
  if (cr.params.size() < 2) return std::nullopt;
  for (const Instance& a : Scan(ctx.view, cr.params[0], Binding{})) {
    for (const Instance& b : Scan(ctx.view, cr.params[1], a.at)) {
      if (!matches(side_value(cr, ctx, 0, a.value), side_value(cr, ctx, 1, b.value))) return a.at;
    }
  }
  return std::nullopt;
}

std::optional<Binding> over_quota(const CompiledRule& cr, const Context& ctx) {
  auto limit = ctx.model.fixtures().quota(ctx.cs.spec->service, cr.rule->quota);
  if (!limit) return std::nullopt;
  if (cr.params.empty()) {
    // The fixtures' resources of the type the op creates count too.
    auto it = ctx.model.creates.find(ctx.cs.spec->op);
    long long made = it == ctx.model.creates.end() ? 0 : it->second;
    std::string type = ctx.cs.spec->name.rfind("Create", 0) == 0 ? ctx.cs.spec->name.substr(6) : "";
    for (const Resource& r : ctx.model.fixtures().resources) made += r.service == ctx.cs.spec->service && r.type == type;
    if (made >= *limit) return Binding{};
    return std::nullopt;
  }
  for (const Instance& i : Scan(ctx.view, cr.params[0], Binding{})) {
    double n = 0;
    if (!i.value.text && (i.value.j->is_object() || i.value.j->is_array())) {
      n = static_cast<double>(i.value.j->size());
    } else if (auto x = number_of(i.value, spec::ParamType::Float)) {
      n = *x;
    } else {
      continue;
    }
    if (n > static_cast<double>(*limit)) return i.at;
  }
  return std::nullopt;
}

// The elements a unique key is made of: a list's items, or the value itself.
std::vector<std::string> elements(const Value& v) {
  json parsed;
  const json* j = v.j;
  if (v.text) {
    parsed = parse_json_value(v.s);
    j = parsed.is_array() ? &parsed : nullptr;
  }
  if (!j || !j->is_array()) return {value_text(v)};
  std::vector<std::string> out;
  for (const json& e : *j) out.push_back(e.is_string() ? e.get<std::string>() : e.dump(-1, ' ', false, json::error_handler_t::replace));
  return out;
}

}  // namespace

std::vector<std::string> unique_keys(const CompiledRule& cr, const Context& ctx) {
  std::vector<std::string> keys = {""};
  for (const PathRef& p : cr.params) {
    Scan found(ctx.view, p, Binding{});
    if (found.empty()) return {};
    std::vector<std::string> next;
    for (const std::string& k : keys) {
      for (const std::string& e : elements(found[0].value)) next.push_back(k + e + '\x1f');
    }
    keys = std::move(next);
  }
  return keys;
}

// decisions.md, "Emulator state": every parameter but the token and the aliyun
// common ones, so that a re-signed retry is the same request.
bool common_param(std::string_view k) {
  return k == "Format" || k == "Version" || k == "AccessKeyId" || k.rfind("Signature", 0) == 0 || k == "Timestamp" ||
         k == "SecurityToken";
}

std::string signature(const Context& ctx, const std::string& token_param) {
  std::vector<std::pair<std::string, std::string>> mine;
  // No structured binding here: clang 14 (the fuzz build) cannot capture one in a lambda.
  for (const auto& kv : ctx.view.params()) {
    const std::string& k = kv.first;
    if (k == token_param || common_param(k)) continue;
    if (std::none_of(mine.begin(), mine.end(), [&](const auto& e) { return e.first == k; })) mine.emplace_back(k, kv.second);
  }
  std::sort(mine.begin(), mine.end());
  std::string sig;
  for (const auto& [k, v] : mine) sig += k + '=' + v + '\n';
  for (const auto& [k, v] : ctx.view.path_params()) sig += "path:" + k + '=' + v + '\n';
  if (ctx.view.body()) sig += ctx.view.body()->dump(-1, ' ', false, json::error_handler_t::replace);
  return sig;
}

namespace {

// A reference's value names no resource of its type; for a list of ids
// (RegionIds, a Json list), some string element names none (other elements are
// the type rule's business).
bool names_missing(const Context& ctx, const CompiledRule& cr, const Value& v) {
  const std::string& type = cr.rule->resource;
  if (cr.params[0].leaf_list) {
    json parsed;
    const json* list = v.text ? &(parsed = parse_json_value(v.s)) : v.j;
    if (list->is_array()) {
      return std::any_of(list->begin(), list->end(), [&](const json& e) {
        return e.is_string() && !find_resource(ctx, type, e.get_ref<const std::string&>()).exists;
      });
    }
  }
  std::string scratch;
  const std::string_view text = text_view(v, scratch);
  // `values`: what names nothing and is taken (a group's InstanceType "": the
  // cluster's applies).
  const auto& none = cr.rule->values;
  if (std::find(none.begin(), none.end(), text) != none.end()) return false;
  return !find_resource(ctx, type, text).exists;
}

}  // namespace

std::optional<Binding> violated_state(const CompiledRule& cr, const Context& ctx) {
  const spec::Rule& r = *cr.rule;
  switch (r.kind) {
    case RuleKind::reference:
      if (cr.params.empty()) return std::nullopt;
      for (const Instance& i : Scan(ctx.view, cr.params[0], Binding{})) {
        if (names_missing(ctx, cr, i.value)) return i.at;
      }
      return std::nullopt;
    case RuleKind::ref_attr: return cr.params.empty() ? std::nullopt : attr_out_of_range(cr, ctx);
    case RuleKind::at_least_ref: return cr.params.empty() || !r.when ? std::nullopt : below_ref(cr, ctx);
    case RuleKind::ref_match: return mismatch(cr, ctx);
    case RuleKind::unique: {
      auto taken = ctx.model.unique_keys.find(r.id);
      if (taken == ctx.model.unique_keys.end()) return std::nullopt;
      for (const std::string& k : unique_keys(cr, ctx)) {
        if (taken->second.count(k)) return Binding{};
      }
      return std::nullopt;
    }
    case RuleKind::quota: return over_quota(cr, ctx);
    default: return std::nullopt;
  }
}

}  // namespace conform::oracle
