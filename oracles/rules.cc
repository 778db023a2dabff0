#include "oracles/rules.h"

#include <algorithm>
#include <cstdint>

#include "core/text.h"
#include "oracles/checks.h"

namespace conform::oracle {
namespace {

using spec::RuleKind;

bool present_nonempty(const View& view, const PathRef& ref, const Binding& at) {
  for (const Instance& i : Scan(view, ref, at)) {
    if (!is_empty(i.value)) return true;
  }
  return false;
}

// The places a member must be present at: each present parent (an object), or,
// for a top-level indexed parameter, each index of its family.
std::vector<Binding> required_scopes(const PathRef& ref, const View& view) {
  std::vector<Binding> out;
  if (ref.members.empty()) {
    if (!ref.indexed) return {Binding{}};
    for (const std::string& idx : view.indices(ref.prefix)) out.push_back(Binding{idx, ""});
    return out;
  }
  PathRef parent = ref;
  parent.members.pop_back();
  parent.leaf = nullptr;
  for (const Instance& p : Scan(view, parent, Binding{})) {
    if (p.value.text) {
      if (!type_ok(*ref.top, ref.top_list, p.value)) continue;  // not JSON: the type rule answers
    } else if (!p.value.j->is_object()) {
      continue;
    }
    out.push_back(p.at);
  }
  return out;
}

std::optional<Binding> missing(const CompiledRule& cr, const Context& ctx, bool conditional) {
  const PathRef& ref = cr.params[0];
  if (!ref.top) return std::nullopt;
  if (ref.members.empty() && !ref.indexed) {  // one scope, the request itself: no vector of it
    const Binding b{};
    if (conditional && !when_holds(cr, ctx, b)) return std::nullopt;
    if (!present_nonempty(ctx.view, ref, b)) return b;
    return std::nullopt;
  }
  for (const Binding& b : required_scopes(ref, ctx.view)) {
    if (conditional && !when_holds(cr, ctx, b)) continue;
    if (!present_nonempty(ctx.view, ref, b)) return b;
  }
  return std::nullopt;
}

// The bindings at which any of the rule's parameters is present.
std::vector<Binding> scopes_of(const CompiledRule& cr, const View& view) {
  std::vector<Binding> out;
  for (const PathRef& p : cr.params) {
    for (const Instance& i : Scan(view, p, Binding{})) {
      bool seen = false;
      for (const Binding& b : out) seen = seen || (b.index == i.at.index && b.key == i.at.key && b.keyed == i.at.keyed);
      if (!seen) out.push_back(i.at);
    }
  }
  return out;
}

std::optional<Binding> count_present(const CompiledRule& cr, const Context& ctx) {
  for (const Binding& b : scopes_of(cr, ctx.view)) {
    std::size_t n = 0;
    for (const PathRef& p : cr.params) n += ctx.view.has(p, b) ? 1 : 0;
    bool bad = cr.rule->kind == RuleKind::pair ? (n > 0 && n < cr.params.size()) : n > 1;
    if (bad) return b;
  }
  return std::nullopt;
}

// std::stod(s) for s of at most 15 characters, read in place when they are all
// digits (exact below 2^53).
double small_number(const std::string& s) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::stod(s);
  std::uint64_t n = 0;
  for (char c : s) n = n * 10 + static_cast<std::uint64_t>(c - '0');
  return static_cast<double>(n);
}

std::optional<Binding> index_out_of_range(const CompiledRule& cr, const Context& ctx) {
  const PathRef& ref = cr.params[0];
  if (!ref.indexed) return std::nullopt;
  for (const std::string& idx : ctx.view.indices(ref.prefix)) {
    // More digits than any bound: out of range without overflowing.
    double n = idx.size() > 15 ? 1e300 : small_number(idx);
    if (!in_range(n, *cr.rule)) return Binding{idx, ""};
  }
  return std::nullopt;
}

std::optional<Binding> bad_value(const CompiledRule& cr, const Context& ctx) {
  const PathRef& ref = cr.params[0];
  const spec::Rule& r = *cr.rule;
  for (const Instance& i : Scan(ctx.view, ref, Binding{})) {
    if (r.when && !when_holds(cr, ctx, i.at)) continue;
    if (r.kind == RuleKind::type) {
      if (ref.leaf && !type_ok(*ref.leaf, ref.leaf_list, i.value)) return i.at;
      continue;
    }
    if (r.kind == RuleKind::length && r.attr == "key") {
      if (i.at.keyed && !value_ok(cr, ref.leaf, Value{true, i.at.key, nullptr})) return i.at;
      continue;
    }
    if (!value_ok(cr, ref.leaf, i.value)) return i.at;
  }
  return std::nullopt;
}

// The values at the indices where the condition holds add up to more than max
// (ECS line 55: local SSDs at most 1,024 GiB in all): the last index that adds to
// it. Where params[1] names a resource, its attribute `attr` counts instead of
// params[0] (a disk made from a snapshot has the snapshot's size, whatever size the
// request gives, line 150). A value that is no number adds nothing: the type
// rule's business.
std::optional<Binding> over_sum(const CompiledRule& cr, const Context& ctx) {
  const spec::Rule& r = *cr.rule;
  const PathRef& ref = cr.params[0];
  if (!ref.leaf || !r.max || !ref.indexed) return std::nullopt;
  const bool fallback = cr.params.size() > 1 && !r.attr.empty() && !cr.param_types[1].empty();
  double total = 0;
  std::optional<Binding> last;
  for (const std::string& idx : ctx.view.indices(ref.prefix)) {
    const Binding b{idx, ""};
    if (r.when && !when_holds(cr, ctx, b)) continue;
    std::optional<double> n;
    if (fallback) {
      Scan named(ctx.view, cr.params[1], b);
      std::string scratch;
      Found f = named.empty() ? Found{} : find_resource(ctx, cr.param_types[1], text_view(named[0].value, scratch));
      auto a = f.attrs ? f.attrs->find(r.attr) : std::map<std::string, std::string>::const_iterator{};
      if (f.attrs && a != f.attrs->end()) n = attr_number(a->second);
    }
    if (Scan value(ctx.view, ref, b); !n && !value.empty()) n = number_of(value[0].value, ref.leaf->type);
    if (!n) continue;
    total += *n;
    last = b;
  }
  if (total > *r.max) return last;
  return std::nullopt;
}

std::optional<Binding> forbidden(const CompiledRule& cr, const Context& ctx) {
  for (const Instance& i : Scan(ctx.view, cr.params[0], Binding{})) {
    if (cr.rule->when) {
      if (when_holds(cr, ctx, i.at)) return i.at;
    } else if (cr.params.size() > 1 && ctx.view.has(cr.params[1], i.at)) {
      return i.at;
    }
  }
  return std::nullopt;
}

bool equals_any(const spec::Condition& w, const spec::Param* p, std::string_view v) {
  bool ci = p && p->type == spec::ParamType::Boolean;
  for (const std::string& e : w.equals) {
    if (v == e || (ci && text::equals_ci(v, e))) return true;
  }
  return false;
}

}  // namespace

Found find_resource(const Context& ctx, const std::string& type, std::string_view id) {
  const std::string& service = ctx.cs.spec->service;
  if (const Resource* r = ctx.model.fixtures().find(service, ctx.region, type, id)) return {true, &r->attrs};
  for (const Model::Created& c : ctx.model.created) {
    if (c.type == type && c.id == id && c.service == service && (ctx.region.empty() || c.region.empty() || c.region == ctx.region)) {
      return {true, nullptr};
    }
  }
  return {};
}

bool when_holds(const CompiledRule& cr, const Context& ctx, const Binding& at) {
  const spec::Condition& w = *cr.rule->when;
  // "When DataDisk.N.SnapshotId is specified, ... DataDisk.N.Size is ignored."
  if (!w.unless.empty() && cr.unless.top && ctx.view.has(cr.unless, at)) return false;
  Scan found(ctx.view, cr.when, at);
  if (!w.attr.empty()) {
    if (found.empty() || cr.when_type.empty()) return false;
    // Only a fixture records attributes (what an earlier step created has none
    // the model knows), so a condition on one reads no state: phases 2-4 stay
    // free of it, and predict_settled may run beside step() (oracles/predict.h).
    std::string scratch;
    const Resource* res =
        ctx.model.fixtures().find(ctx.cs.spec->service, ctx.region, cr.when_type, text_view(found[0].value, scratch));
    if (!res) return false;
    auto a = res->attrs.find(w.attr);
    // No `equals`: the resource records the attribute (a security group in a VPC).
    return a != res->attrs.end() && (w.equals.empty() || equals_any(w, nullptr, a->second));
  }
  if (w.equals.empty()) return !found.empty();
  if (!found.empty()) {
    std::string scratch;
    return equals_any(w, cr.when.leaf, text_view(found[0].value, scratch));
  }
  const spec::Param* p = cr.when.leaf;
  return p && p->default_value && equals_any(w, p, *p->default_value);
}

std::optional<Binding> violated(const CompiledRule& cr, const Context& ctx) {
  if (cr.params.empty() || (!cr.params[0].top && !cr.params[0].family)) return std::nullopt;
  switch (cr.rule->kind) {
    case RuleKind::required: return missing(cr, ctx, false);
    case RuleKind::required_if: return missing(cr, ctx, true);
    case RuleKind::pair:
    case RuleKind::exclusive: return count_present(cr, ctx);
    case RuleKind::requires_param:
      if (!ctx.view.may_have(cr.params[0])) return std::nullopt;  // nothing to require of
      for (const Instance& i : Scan(ctx.view, cr.params[0], Binding{})) {
        if (cr.rule->when && !when_holds(cr, ctx, i.at)) continue;
        for (std::size_t k = 1; k < cr.params.size(); ++k) {
          if (!ctx.view.has(cr.params[k], i.at)) return i.at;
        }
      }
      return std::nullopt;
    case RuleKind::forbidden_with: return ctx.view.may_have(cr.params[0]) ? forbidden(cr, ctx) : std::nullopt;
    case RuleKind::index_max: return index_out_of_range(cr, ctx);
    case RuleKind::sum: return over_sum(cr, ctx);
    // Most value rules are about parameters a request leaves out: no Scan for them.
    default: return ctx.view.may_have(cr.params[0]) ? bad_value(cr, ctx) : std::nullopt;
  }
}

}  // namespace conform::oracle
