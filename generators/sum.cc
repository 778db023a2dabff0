// The `sum` rule kind in the generators (docs/spec-format.md): its two sides made
// (make_sum), what a case on it keeps while it settles (kept_for), and a draft
// over its max brought back under it (fix_sum, from settle()).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "generators/cases.h"
#include "generators/value_syntax.h"
#include "generators/values.h"

namespace conform::gen {
namespace {

using nlohmann::json;
using spec::RuleKind;

// What each index adds to a sum rule's total (oracles/rules.cc over_sum) where the
// condition holds: attribute `attr` of the resource params[1] names, or else its
// params[0] value. Slots are params[0]'s, at those indices.
std::vector<std::pair<Slot, double>> sum_parts(const Env& env, const Draft& d, const spec::Rule& r) {
  auto number = [](const std::string& t) -> std::optional<double> {
    return decimal_text(t) ? std::optional<double>(text_number(t)) : std::nullopt;
  };
  const bool fallback = r.params.size() > 1 && !r.attr.empty();
  std::vector<std::string> indices;
  for (const Entry& e : d.entries) {
    const bool mine = e.slot.path == r.params[0] || (fallback && e.slot.path == r.params[1]);
    if (mine && std::find(indices.begin(), indices.end(), e.slot.index) == indices.end()) indices.push_back(e.slot.index);
  }
  std::vector<std::pair<Slot, double>> parts;
  for (const std::string& idx : indices) {
    Slot s{r.params[0], idx, ""};
    if (r.when && !holds(env, r, s, d)) continue;
    std::optional<double> n;
    if (const json* id = fallback ? d.get(r.params[1], idx) : nullptr; id && id->is_string()) {
      const Resource* res = resource(env, ref_type(env, r.params[1]), id->get_ref<const std::string&>());
      if (const std::string* a = res ? res->attr(r.attr) : nullptr) n = number(*a);
    }
    if (const json* v = n ? nullptr : d.get(r.params[0], idx); v && v->is_number()) {
      n = v->get<double>();
    } else if (v && v->is_string()) {
      n = number(v->get_ref<const std::string&>());
    }
    if (n) parts.emplace_back(s, *n);
  }
  return parts;
}

}  // namespace

bool make_sum(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, double total, Slot& target) {
  const std::string& p0 = r.params[0];
  const bool text = is_text_slot(env, p0);
  double left = total;
  long long i = 1;
  for (; left > 0; ++i) {
    if (i > 64) return false;
    Slot s{p0, std::to_string(i), ""};
    if (!d.get(p0, s.index)) add(env, d, rng, p0, s, false);
    if (!d.get(p0, s.index) || !make_condition(env, d, rng, r, s, true)) return false;
    // The value's own bounds in force: what turns them off goes (a DataDisk.N.SnapshotId,
    // with which the size's range is not checked, line 150).
    for (const spec::Rule& o : env.spec.rules) {
      if (o.when && !o.when->unless.empty() && !o.params.empty() && o.params[0] == p0) {
        d.erase(o.when->unless, is_indexed(o.when->unless) ? s.index : "", "");
      }
    }
    const Constraints& c = constraints(env, s, d);
    const double lo = std::max(c.lo.value_or(0), 0.0);
    double v = std::floor(std::min(c.hi.value_or(left), left));
    if (v < lo || v <= 0) return false;
    // The next index must get at least its least: leave it that much.
    if (left - v > 0 && left - v < lo) v = left - lo;
    const long long n = static_cast<long long>(v);
    d.set(s, text ? json(std::to_string(n)) : json(n));
    left -= static_cast<double>(n);
    target = s;
  }
  // Every other index of the family adds nothing: its condition off (a disk made
  // from a snapshot adds the snapshot's size without a value of its own).
  std::vector<std::string> others;
  for (const Entry& e : d.entries) {
    if (e.slot.index.empty() || !is_indexed(e.slot.path) || spec::family_of(e.slot.path) != spec::family_of(p0)) continue;
    const std::size_t k = static_cast<std::size_t>(std::strtoull(e.slot.index.c_str(), nullptr, 10));
    if ((k == 0 || k >= static_cast<std::size_t>(i)) && std::find(others.begin(), others.end(), e.slot.index) == others.end()) {
      others.push_back(e.slot.index);
    }
  }
  for (const std::string& idx : others) {
    const Slot s{p0, idx, ""};
    if (!r.when || !make_condition(env, d, rng, r, s, false)) {
      d.erase(p0, idx, "");
      if (r.params.size() > 1) d.erase(r.params[1], idx, "");
    }
  }
  return left == 0;
}

std::vector<Slot> kept_for(const spec::Rule& r, const Slot& target) {
  if (r.kind != RuleKind::sum) return {target, condition_slot(r, target)};
  std::vector<Slot> keep{Slot{r.params[0], "", ""}};  // an empty index keeps every index
  if (r.when) keep.push_back(Slot{r.when->param, "", ""});
  return keep;
}

void fix_sum(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, const std::vector<Slot>& keep) {
  // Over the max (a rich draft with several local SSDs): the last indices that
  // add to it turn their condition off (another disk category), kept ones aside.
  if (!r.max) return;
  auto kept_slot = [&](const Slot& s) {
    return std::any_of(keep.begin(), keep.end(), [&](const Slot& k) {
      return k.path == s.path && (k.index.empty() || k.index == s.index);
    });
  };
  std::vector<std::pair<Slot, double>> parts = sum_parts(env, d, r);
  double total = 0;
  for (const auto& part : parts) total += part.second;
  for (auto it = parts.rbegin(); it != parts.rend() && total > *r.max; ++it) {
    const Slot& s = it->first;
    if (kept_slot(s) || (r.when && kept_slot(condition_slot(r, s)))) continue;
    if (r.when ? make_condition(env, d, rng, r, s, false) : (d.erase(s.path, s.index, s.key), true)) total -= it->second;
  }
}

}  // namespace conform::gen
