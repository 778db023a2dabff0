// settle(): a draft's cross-parameter and state rules brought into line, and
// values their conditions no longer allow regenerated (cases.h).
#include <algorithm>
#include <atomic>
#include <optional>
#include <set>

#include "generators/cases.h"
#include "generators/derived.h"
#include "generators/values.h"

namespace conform::gen {
namespace {

using spec::RuleKind;

// `path` is `parent` or a path below it.
bool at_or_below(std::string_view path, std::string_view parent) {
  return path.starts_with(parent) && (path.size() == parent.size() || path[parent.size()] == '.');
}

bool present_under(const Draft& d, const std::string& parent, const Slot& at) {
  for (const Entry& e : d.entries) {
    if (at_or_below(e.slot.path, parent) &&
        (at.index.empty() || e.slot.index == at.index) && (at.key.empty() || e.slot.key == at.key)) {
      return true;
    }
  }
  return false;
}

std::string parent_of(const std::string& path) {
  std::size_t dot = path.rfind('.');
  return dot == std::string::npos ? "" : path.substr(0, dot);
}

// docs/decisions.md section 1, as far as the generators need it: would rule `a`
// answer before rule `b`?
bool precedes(const spec::Rule& a, const spec::Rule& b) {
  auto pa = spec::phase_of(a.kind), pb = spec::phase_of(b.kind);
  if (pa != pb) return pa < pb;
  return &a < &b;  // spec order: both live in spec.rules
}

// Whether `r`'s condition can be turned off by setting another value of a
// parameter that no missing-phase rule (required_if, pair, requires) reads.
bool loose_condition(const Env& env, const spec::Rule& r) {
  if (!r.when || r.when->equals.empty() || !r.when->attr.empty()) return false;
  const std::string& p = r.when->param;
  return std::none_of(env.spec.rules.begin(), env.spec.rules.end(), [&](const spec::Rule& o) {
    if (o.kind != RuleKind::required_if && o.kind != RuleKind::pair && o.kind != RuleKind::requires_param) return false;
    return std::find(o.params.begin(), o.params.end(), p) != o.params.end() || (o.when && o.when->param == p);
  });
}

bool names_resource(const Env& env, const std::string& path) {
  const spec::Index::Entry* e = env.index->find(path);
  return e && !e->ref_type.empty();
}

bool required_path(const Env& env, const std::string& path) {
  const spec::Param* p = find_param(env, path);
  return p && is_required(env, path, *p);
}

// cross[j] of the Env's Derived: rule `r`, with what Derived knows of it.
void fix_cross(const Env& env, Draft& d, Rng& rng, std::size_t j, const std::vector<Slot>& keep) {
  const Derived& dv = *env.derived;
  const spec::Rule& r = *dv.cross[j];
  auto kept = [&](const std::string& path) {
    return std::any_of(keep.begin(), keep.end(), [&](const Slot& k) { return k.path == path; });
  };
  auto present = [&](const std::string& p, const std::string& idx) { return d.get(p, idx) != nullptr; };
  switch (r.kind) {
    case RuleKind::required_if: {
      const std::string& p = r.params[0];
      // The one place p must be present at, if any (no vector of them: at most one).
      auto require_at = [&](const Slot& s) {
        if (holds(env, r, s, d) && !d.get(p, s.index, s.key)) fill(env, d, s, rng);
      };
      if (dv.cross_member[j]) {  // is_member(env, p)
        if (present_under(d, parent_of(p), Slot{})) require_at(slot_for(env, d, rng, p));
      } else if (!dv.cross_indexed[j]) {  // !is_indexed(p)
        // holds() reads only the slot's index and key (none here): the slot is made when needed.
        static const Slot kTop;
        if (holds(env, r, kTop, d) && !d.get(p)) fill(env, d, Slot{p, "", ""}, rng);
      }
      break;
    }
    case RuleKind::pair:
    case RuleKind::requires_param: {
      std::set<std::string> idx;
      for (const Entry& e : d.entries) {
        if (e.slot.path == r.params[0] && r.kind == RuleKind::requires_param && r.when && !holds(env, r, e.slot, d)) continue;
        if (e.slot.path == r.params[0] || (r.kind == RuleKind::pair && std::find(r.params.begin(), r.params.end(), e.slot.path) != r.params.end())) {
          idx.insert(e.slot.index);
        }
      }
      for (const std::string& i : idx) {
        for (const std::string& p : r.params) {
          if (!present(p, is_indexed(p) ? i : "")) fill(env, d, Slot{p, is_indexed(p) ? i : "", ""}, rng);
        }
      }
      break;
    }
    case RuleKind::exclusive: {
      auto keep_first = [&](const std::vector<std::string>& order) {
        bool seen = false;
        for (const std::string& p : order) {
          if (d.has(p) && seen) d.erase(p);
          seen = seen || d.has(p);
        }
      };
      if (std::none_of(r.params.begin(), r.params.end(), kept)) {
        keep_first(r.params);
        break;
      }
      std::vector<std::string> order = r.params;  // a kept one stays
      std::stable_partition(order.begin(), order.end(), [&](const std::string& p) { return kept(p); });
      keep_first(order);
      break;
    }
    case RuleKind::forbidden_with: {
      std::vector<Slot> drop;
      for (const Entry& e : d.entries) {
        if (e.slot.path != r.params[0]) continue;
        bool hit = r.when ? holds(env, r, e.slot, d) : (r.params.size() > 1 && d.has(r.params[1]));
        if (hit) drop.push_back(e.slot);
      }
      for (const Slot& s : drop) {
        if (!kept(s.path)) {
          d.erase(s.path, s.index, s.key);
        } else if (r.when) {
          make_condition(env, d, rng, r, s, false);
        } else {
          d.erase(r.params[1]);
        }
      }
      break;
    }
    case RuleKind::sum:
      fix_sum(env, d, rng, r, keep);
      break;
    case RuleKind::ref_attr:  // only a conditional one is among the cross rules (draft.cc)
      fix_conditional_attr(env, d, rng, r, !kept(r.params[0]));
      break;
    default:
      if (std::none_of(r.params.begin(), r.params.end(), kept)) {
        fix_state(env, d, rng, r);
      } else if (r.kind == RuleKind::ref_match && r.params.size() >= 2 && kept(r.params[0]) && !kept(r.params[1]) &&
                 names_resource(env, r.params[0]) && !required_path(env, r.params[1])) {
        // A resource kept for a condition (a classic security group) that the
        // other side cannot match: the other side goes, if optional.
        fix_state(env, d, rng, r, /*first_kept=*/true);
      }
      break;
  }
}

std::uint64_t condition_reads_of(const Env& env, const spec::Index::Entry* known) {
  return known ? env.derived->condition_reads[env.index->position(*known)] : 0;
}

}  // namespace

std::uint64_t condition_reads_of(const spec::Index::Entry* known) {
  std::uint64_t reads = 0;
  if (!known) return reads;
  for (const spec::Rule* r : known->rules) {
    if (r->when) reads |= touch_bit(r->when->param);
    if (r->when && !r->when->unless.empty()) reads |= touch_bit(r->when->unless);
  }
  return reads;
}

namespace {

std::atomic<bool> skipping{true};  // set_settle_skipping

}  // namespace

void set_settle_skipping(bool on) { skipping.store(on, std::memory_order_relaxed); }

void note_lookup(const Env& env, Entry& e, const spec::Index::Entry* known) {
  e.known = known;
  e.looked_up = true;
  e.condition_reads = condition_reads_of(env, known);
}

bool is_cross_kind(RuleKind k) {
  switch (k) {
    case RuleKind::required_if: case RuleKind::pair: case RuleKind::requires_param: case RuleKind::exclusive:
    case RuleKind::forbidden_with: case RuleKind::ref_match: case RuleKind::at_least_ref: case RuleKind::sum: return true;
    default: return false;
  }
}

Slot condition_slot(const spec::Rule& r, const Slot& at) {
  if (!r.when) return Slot{};
  return Slot{r.when->param, is_indexed(r.when->param) ? (at.index.empty() ? "1" : at.index) : "", at.key};
}

namespace {

// settle(); with Skips false, set_settle_skipping(false)'s (a compile-time
// choice, so that the usual settle() carries no test of the switch).
template <bool Skips>
void settle_rounds(const Env& env, Draft& d, Rng& rng, const spec::Rule* except, const std::vector<Slot>& keep_in) {
  // A condition turned off for a kept value is kept too, so that a chain of
  // conditions is followed rather than undone (CreateInstance: an ephemeral_ssd data
  // disk needs an ephemeral_ssd system disk, line 55, which IoOptimized=optimized
  // forbids, line 54: IoOptimized gives way, not the system disk).
  // `keep_in` until a condition slot joins it (rare): then `grown`, a copy (none made for most settles).
  std::vector<Slot> grown;
  const std::vector<Slot>* keep = &keep_in;
  auto kept = [&](const Slot& s) {
    return std::any_of(keep->begin(), keep->end(), [&](const Slot& k) {
      return k.path == s.path && (k.index.empty() || k.index == s.index) && (k.key.empty() || k.key == s.key);
    });
  };
  // A rule whose last run changed neither the draft nor the Rng would change
  // nothing again unless a path it reads (derived.h, cross_reads) was edited
  // since, or `keep` grew: such a run is skipped. A run that changed nothing
  // with nothing kept changes nothing whatever is kept (kept values only spare
  // what a rule would edit), so the draft carries that from one settle() to the next.
  const std::vector<const spec::Rule*>& cross = env.derived->cross;
  const std::vector<std::uint64_t>& reads = env.derived->cross_reads;
  constexpr std::size_t kTracked = 32;
  constexpr std::uint64_t may_skip = Skips ? ~std::uint64_t{0} : 0;  // without Skips no rule is idle
  const bool track = cross.size() <= kTracked;
  std::uint64_t idle = track ? d.idle_rules & may_skip : 0;  // bit j: cross[j]'s last run changed nothing
  std::uint64_t edited[kTracked];                 // touch_bit()s of the edits since cross[j]'s last run
  std::size_t keep_size[kTracked];                // keep->size() then
  if (track) {
    for (std::size_t j = 0; j < cross.size(); ++j) {
      edited[j] = d.touched;
      keep_size[j] = keep->size();
    }
  }
  d.touched = 0;
  auto note_edits = [&] {
    if (d.touched == 0) return;
    for (std::size_t j = 0; j < cross.size(); ++j) edited[j] |= d.touched;
    d.touched = 0;
  };
  auto run_rules = [&] {
    for (std::size_t j = 0; j < cross.size(); ++j) {
      if (cross[j] == except) continue;
      if (!track) {
        fix_cross(env, d, rng, j, *keep);
        continue;
      }
      note_edits();
      const std::uint64_t bit = std::uint64_t{1} << j;
      if ((idle & bit) && (edited[j] & reads[j]) == 0 && keep_size[j] == keep->size()) continue;
      const std::uint64_t v = d.version, st = rng.state();
      fix_cross(env, d, rng, j, *keep);
      idle = d.version == v && rng.state() == st ? (idle | bit) & may_skip : idle & ~bit;
      note_edits();
      edited[j] = 0;
      keep_size[j] = keep->size();
    }
  };
  for (int round = 0; round < 4; ++round) {
    // A round that changes neither the draft nor the Rng would be repeated
    // exactly by the next one: stop after it.
    const std::uint64_t version = d.version, rng_state = rng.state();
    run_rules();
    std::vector<Slot> stale;
    bool conditions_off = false;  // a kept value's condition turned off below: the rules run again
    // The entries as the round found them: make_condition below edits the draft,
    // so those not yet read are copied before its first edit (most rounds make none).
    std::optional<std::vector<Entry>> snapshot;
    std::size_t first = 0;  // snapshot holds entries [first, count)
    const std::size_t count = d.entries.size();
    for (std::size_t i = 0; i < count; ++i) {
      const Entry* at = snapshot ? &(*snapshot)[i - first] : &d.entries[i];
      const spec::Index::Entry* known = static_cast<const spec::Index::Entry*>(at->known);
      std::uint64_t condition_reads = at->condition_reads;
      if (!at->looked_up) {
        known = env.index->find(at->slot.path);
        condition_reads = condition_reads_of(env, known);
        if (!snapshot) note_lookup(env, d.entries[i], known);
      }
      if (!known || !known->ref_type.empty()) continue;  // resource ids: the state rules' business
      if (known->rules.empty()) continue;  // nothing to satisfy
      // With no condition on any of its rules, the path's constraints are the
      // ones it last satisfied (constraints() would find the same entry); with
      // conditions, too, while nothing they read was edited since.
      const void* satisfied = Skips ? at->satisfied : nullptr;
      if (satisfied && static_cast<const Constraints*>(satisfied)->param == known->leaf &&
          (condition_reads == 0 || d.unedited_since(condition_reads, at->checked))) {
        continue;
      }
      const Constraints& c = constraints(env, known, at->slot, d, nullptr);
      if (satisfied == &c) {  // unchanged since it satisfied these very constraints
        if (!snapshot) d.entries[i].checked = d.version;
        continue;
      }
      if (satisfies(c, at->value)) {
        if (!snapshot) {
          d.entries[i].satisfied = &c;
          d.entries[i].checked = d.version;
        }
        continue;
      }
      if (!kept(at->slot)) {
        stale.push_back(at->slot);
        continue;
      }
      if (!snapshot) {
        snapshot.emplace(d.entries.begin() + static_cast<std::ptrdiff_t>(i), d.entries.begin() + static_cast<std::ptrdiff_t>(count));
        first = i;
        at = &(*snapshot)[0];
      }
      const Entry& e = *at;
      // A value that must stay: turn off the conditions that make it wrong.
      for (const spec::Rule* r : c.rules) {
        if (r == except || !r->when || rule_ok(*r, c, e.value)) continue;
        // A rule that answers after the violation is still a rival of its
        // prediction (decisions.md section 1) and the answer of a target that
        // checks in another order: its condition is turned off too where that
        // only changes a value (IoOptimized=none for SystemDisk.Category=CLOUD),
        // not where the value may be dropped from a pair or a requirement, which
        // would break an earlier rule.
        if (except && !precedes(*r, *except) && !loose_condition(env, *r)) continue;
        if (make_condition(env, d, rng, *r, e.slot, false)) {
          conditions_off = true;
          if (keep != &grown) {
            grown = keep_in;
            keep = &grown;
          }
          grown.push_back(condition_slot(*r, e.slot));
        }
      }
    }
    // A condition turned off (IoOptimized=none for an ephemeral_ssd system disk)
    // may break a rule fix_cross settles (KeyPairName with IoOptimized=none, line
    // 492): another round, not a break.
    if (stale.empty() && !conditions_off && (round > 0 || (Skips && d.version == version && rng.state() == rng_state))) break;
    for (const Slot& s : stale) fill(env, d, s, rng);
  }
  d.idle_rules = 0;
  if (track && keep_in.empty()) {
    note_edits();
    for (std::size_t j = 0; j < cross.size(); ++j) {
      if ((edited[j] & reads[j]) == 0) d.idle_rules |= idle & (std::uint64_t{1} << j);
    }
  }
  d.touched = 0;
}

}  // namespace

void settle(const Env& env, Draft& d, Rng& rng, const spec::Rule* except, const std::vector<Slot>& keep) {
  if (skipping.load(std::memory_order_relaxed)) {
    settle_rounds<true>(env, d, rng, except, keep);
  } else {
    settle_rounds<false>(env, d, rng, except, keep);
  }
}

}  // namespace conform::gen
