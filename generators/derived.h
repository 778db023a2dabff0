// Internal to generators/: what an Env works out once from its spec and fixtures
// (draft.cc), and the constraints of slots as gather() found them (values.cc),
// so that the many drafts of a run do not redo either.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "generators/values.h"

namespace conform::gen {

// The rule kinds settle()'s fix_cross (and fix_state) act on (settle.cc).
bool is_cross_kind(spec::RuleKind k);

struct Derived {
  // Tells this Env's derivations from those of an Env that lived at the same
  // address before (thread-local caches key on it; never 0).
  std::uint64_t id = 0;
  std::map<std::string, std::vector<const Resource*>, std::less<>> resources;  // by type, fixtures order
  std::vector<const spec::Param*> order;  // draft_order()
  std::vector<char> order_indexed;         // is_indexed(order[i]->name)
  std::vector<const spec::Index::Entry*> order_known;  // index->find(order[i]->name)
  std::vector<std::string> order_family;   // family_of(order[i]->name) of an indexed one
  // base_draft() takes order[i] without a draw (required, or Action), and
  // never keeps DryRun (true asks for a dry run).
  std::vector<char> order_take, order_dry_run;
  // The rules settle() brings into line (fix_cross), in spec order.
  std::vector<const spec::Rule*> cross;
  // For each of `cross`: the touch_bit()s of the paths fix_cross reads.
  std::vector<std::uint64_t> cross_reads;
  // For each of `cross`: its first parameter is a member below a top-level
  // parameter (so its presence depends on the parent's), and has an ".N"
  // segment (is_indexed).
  std::vector<char> cross_member, cross_indexed;
  // What holds() reads of each rule's condition, by the rule's position in
  // spec.rules (all but the draft's value), so that it looks nothing up by name.
  struct When {
    bool indexed = false;                 // when.param has an ".N" segment
    unsigned touch = 0;                   // touch_index(when.param): absent while Draft::held[touch] is 0
    const spec::Param* leaf = nullptr;    // find_param(when.param)
    const std::vector<const Resource*>* resources = nullptr;  // of when.param's ref_type
    // With when.attr: each of those resources and whether its attribute is
    // one of when.equals (what holds() answers for a draft naming it).
    std::vector<std::pair<const Resource*, bool>> attr_holds;
  };
  std::vector<When> when;
  // By spec::Index position: the touch_bit()s of the parameters the conditions
  // of the path's rules read (Entry::condition_reads).
  std::vector<std::uint64_t> condition_reads;
  // By spec::Index position: the bits (positions in the entry's rules) of the
  // value rules that always apply, and the positions of those that apply when
  // their condition holds (constraints()).
  struct ValueRules {
    std::uint64_t always = 0;
    std::vector<std::size_t> conditional;
  };
  std::vector<ValueRules> value_rules;
  // By the rule's position in spec.rules: the resources of the kind that a
  // reference rule gives its params[0], params[1] and when.param (null where
  // none gives one: ref_type is ""), so that fix_state looks nothing up by name.
  std::vector<std::array<const std::vector<const Resource*>*, 3>> rule_resources;
  // By the rule's position: valid_case keeps the value that exercises the rule's
  // valid side through settle() (a length, range or items rule, whose edge value is
  // the point, on a parameter no state rule reads; cases.cc).
  std::vector<char> keeps_valid;

  // gather()'s answers: a slot's constraints depend only on its path (an index
  // entry), the rule left out, and which of the path's rules hold in the draft
  // (one bit each, in index order). Node-based: references stay valid.
  using GatherKey = std::tuple<const spec::Index::Entry*, const spec::Rule*, std::uint64_t>;
  struct GatherHash {
    std::size_t operator()(const GatherKey& k) const {
      std::uint64_t h = reinterpret_cast<std::uintptr_t>(std::get<0>(k)) * 0x9E3779B97F4A7C15ull ^
                        reinterpret_cast<std::uintptr_t>(std::get<1>(k)) * 0xBF58476D1CE4E5B9ull ^
                        std::get<2>(k) * 0x94D049BB133111EBull;
      return static_cast<std::size_t>(h ^ (h >> 31));
    }
  };
  mutable std::mutex gathered_mutex;
  mutable std::unordered_map<GatherKey, Constraints, GatherHash> gathered;
  // ... for a path the index does not know or one with over 64 rules.
  using RareKey = std::tuple<std::string, const spec::Rule*, std::vector<bool>>;
  mutable std::map<RareKey, Constraints> gathered_rare;
  // choose_resource()'s candidates: (path, type, acceptable or not) -> resources.
  using ChoiceKey = std::tuple<std::string, std::string, bool>;
  // Found by views, no copies. Both sides are compared as views because libstdc++ 12
  // with clang-14 has no tuple<string, ...> < tuple<string_view, ...> (std::less<>
  // compiled with g++ only); the order is the same as ChoiceKey's own.
  struct ChoiceLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
    template <class K>
    static std::tuple<std::string_view, std::string_view, bool> view(const K& k) {
      return {std::get<0>(k), std::get<1>(k), std::get<2>(k)};
    }
  };
  mutable std::map<ChoiceKey, std::vector<const Resource*>, ChoiceLess> choices;
};

// Derived::value_rules' entry for one index entry (gather.cc).
Derived::ValueRules value_rules_of(const spec::Index::Entry& entry);

}  // namespace conform::gen
