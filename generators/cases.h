// Cases from a spec alone: valid ones (minimal: required parameters only; rich:
// optional ones too) that exercise the valid side of a rule at its boundary, and
// single-rule violations that break one rule and keep every other rule valid.
// Resource IDs come from the fixtures (DESIGN.md, "Fixtures").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/case.h"
#include "generators/draft.h"
#include "generators/rng.h"

namespace conform::gen {

// `variant` picks among the ways of a side (which edge, which enum value, which
// near-miss, which parameter of a cross rule); any number is fine.
std::optional<Case> valid_case(const Env& env, Rng& rng, const spec::Rule* focus, bool rich, std::size_t variant);
// nullopt when the rule cannot be broken by one request alone (idempotency,
// uniqueness, account-wide quotas: see sequences.h) or the fixtures lack what it takes.
std::optional<Case> violating_case(const Env& env, Rng& rng, const spec::Rule& rule, std::size_t variant);

// Rules whose violating side needs a sequence of requests on one state.
bool stateful_only(const spec::Rule& r);

// --- internals shared by cases.cc, sides.cc and violate.cc ---
Draft base_draft(const Env& env, Rng& rng, bool rich);
// Gives `slot` a valid value (or removes it when none can be made).
bool fill(const Env& env, Draft& d, const Slot& slot, Rng& rng);
// The same, `known` being env.index->find(slot.path).
bool fill_known(const Env& env, Draft& d, const Slot& slot, Rng& rng, const spec::Index::Entry* known);
bool fill_known(const Env& env, Draft& d, Slot&& slot, Rng& rng, const spec::Index::Entry* known);
// Brings cross-parameter and state rules into line (all but `except`), then
// regenerates values their conditions no longer allow (but the `keep` slot).
void settle(const Env& env, Draft& d, Rng& rng, const spec::Rule* except, const std::vector<Slot>& keep);
// For tests (process-wide, default on): with `on` false, settle() runs every
// cross rule in every round and checks every value against its constraints,
// skipping nothing by Draft::touched / edit_at / idle_rules / Entry::satisfied;
// the drafts must come out the same either way.
void set_settle_skipping(bool on);
// Notes in `e` its path's index entry (`known`, env.index->find(e.slot.path)),
// which settle() would otherwise look up.
void note_lookup(const Env& env, Entry& e, const spec::Index::Entry* known);
// The touch_bit()s of the parameters the conditions of `known`'s rules read (0 for null).
std::uint64_t condition_reads_of(const spec::Index::Entry* known);
// The slot a rule's condition reads at `at` (for keeping it while settling).
Slot condition_slot(const spec::Rule& r, const Slot& at);
// Adds `path` (a parameter, member or map entry) with valid values below it.
void add(const Env& env, Draft& d, Rng& rng, const std::string& path, Slot at, bool rich);
// A slot of `path` already in the draft, or a new one at index 1 / a new key.
Slot slot_for(const Env& env, Draft& d, Rng& rng, const std::string& path);
// Makes a rule's condition hold (or not) by setting the parameter it reads.
bool make_condition(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, const Slot& at, bool hold);
// Required by its table row or by a `required` rule (members often only by the latter).
bool is_required(const Env& env, const std::string& path, const spec::Param& p);
// A resource of `type` for `path` that its ref_attr rules accept (or reject).
const Resource* choose_resource(const Env& env, const std::string& path, const std::string& type, Rng& rng,
                                bool want_acceptable = true);
std::string map_key(Rng& rng, std::size_t length);
bool acceptable(const Env& env, const std::string& path, const Resource& res);
// Whether `res` keeps the ref_attr rule `r` (its `when` aside; an attribute it
// does not record breaks nothing).
bool attr_ok(const spec::Rule& r, const Resource& res);
// state_fix.cc: ref_match and at_least_ref brought into line in a valid draft.
// With `first_kept` (a ref_match whose params[0] a violation or a condition
// keeps), a disagreement drops params[1] instead of changing params[0].
void fix_state(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, bool first_kept = false);
// violate.cc: after params[1..] of `r` left the draft, the optional parameters
// that require one of them go too.
void drop_other_requirers(const Env& env, Draft& d, const spec::Rule& r);
// A conditional ref_attr (`when` on another resource's attribute) brought into
// line: another resource for r.params[0] if `may_change`, else the condition off.
void fix_conditional_attr(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, bool may_change);
bool cidr_has(const std::string& cidr, const std::string& ip);
bool sides_match(const std::string& a, const std::string& b);
std::string ip_near(const std::string& cidr, Rng& rng, bool inside);
// sides.cc: `path` made present (its top-level parameter first); a family's
// simplest member; a quota's limit; a count-like quota parameter set to n.
Slot ensure(const Env& env, Draft& d, Rng& rng, const std::string& path);
// A sum rule's side: indices 1, 2, ... of its family, each with the condition
// holding and the largest value its rules allow, adding up to `total` (the last
// index gets the rest); every other index turns its condition off. `target` is the
// last index filled. False when the values cannot reach `total` exactly.
bool make_sum(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, double total, Slot& target);
// What a case that exercises `r` keeps while it settles: the target and its
// condition slot, or for a sum every index of the parameter and of its condition.
std::vector<Slot> kept_for(const spec::Rule& r, const Slot& target);
// A valid draft over a sum rule's max (several local SSDs): the last indices that
// add to it, but kept ones, turn their condition off (sum.cc).
void fix_sum(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, const std::vector<Slot>& keep);
bool present(const Draft& d, const std::string& path);  // the slot or anything below it
// A rule no single request can be the answer to: every way to break it breaks an
// earlier rule of the same parameter first (docs/decisions.md section 1). The id
// of that earlier rule, or nullopt.
std::optional<std::string> shadowed_by(const Env& env, const spec::Rule& r);
std::string family_member(const Env& env, const std::string& family);
std::optional<long long> quota_limit(const Env& env, const spec::Rule& r);
bool set_quota_count(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, long long n, Slot& target);
// sides.cc / violate.cc: put the rule's valid side (at a boundary) or its
// violation into a valid draft; `target` receives the slot that carries it.
bool apply_valid_side(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, std::size_t variant, Slot& target);
bool apply_violation(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, std::size_t variant, Slot& target);

}  // namespace conform::gen
