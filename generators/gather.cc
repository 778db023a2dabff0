// gather(): the constraints the rules in force put on one slot's value (values.h),
// worked out once per (path, rule left out, rules whose condition holds) and
// kept in the Env (derived.h), since every draft asks for the same few.
#include <string_view>
#include <algorithm>
#include <unordered_map>

#include "generators/derived.h"
#include "generators/values.h"

namespace conform::gen {

using namespace std::string_view_literals;
namespace {

using spec::RuleKind;

// The characters of a set of charset and first_char rules, worked out once per
// distinct set (specs have few) instead of once per gather().
struct CharRules {
  CharsRef chars, first;
};
const CharRules& char_rules(const std::vector<const spec::Rule*>& rules, bool bytes) {
  std::string key(1, bytes ? 'b' : 'c');
  for (const spec::Rule* r : rules) {
    if (r->kind == RuleKind::char_classes) {
      key += 'K';
      for (const std::string& cls : r->values) key += cls + '\1';
      key += '\0';
      continue;
    }
    if (r->kind != RuleKind::charset && r->kind != RuleKind::first_char) continue;
    key += r->kind == RuleKind::charset ? 'C' : 'F';
    key += r->charset;
    key += '\0';
  }
  thread_local std::unordered_map<std::string, CharRules> cache;
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  CharsRef chars;
  std::vector<std::string> both;
  for (const spec::Rule* r : rules) {
    if (r->kind != RuleKind::charset) continue;
    const CharsRef& m = chars_of(r->charset);
    if (!chars) {
      chars = m;
      continue;
    }
    both.clear();
    for (const auto& ch : chars->all) {
      if (std::find(m->all.begin(), m->all.end(), ch) != m->all.end()) both.push_back(ch);
    }
    chars = make_chars(both);
  }
  if (!chars) {
    // No charset but character types ("at least three of: lower case, upper case,
    // digits, these specials"): the doc names what a value is made of, and says
    // nothing either way about other characters, so valid values draw only from
    // the named types (docs/decisions.md, dcs.CreateInstance password).
    std::vector<std::string> named;
    for (const spec::Rule* r : rules) {
      if (r->kind != RuleKind::char_classes) continue;
      for (const std::string& cls : r->values) {
        for (const std::string& ch : chars_of(cls)->all) {
          if (std::find(named.begin(), named.end(), ch) == named.end()) named.push_back(ch);
        }
      }
    }
    if (!named.empty()) chars = make_chars(std::move(named));
  }
  if (!chars) {
    // No charset: letters and digits, and multi-byte characters the doc does not forbid.
    auto pool = [](bool ascii_only) {
      std::vector<std::string> out;
      for (const std::string& ch : universe()) {
        bool alnum = ch.size() == 1 && std::isalnum(static_cast<unsigned char>(ch[0]));
        if (alnum || ch == "-" || ch == "_" || (ch.size() > 1 && !ascii_only)) out.push_back(ch);
      }
      return make_chars(std::move(out));
    };
    static const CharsRef with_multibyte = pool(false), ascii = pool(true);
    chars = bytes ? ascii : with_multibyte;
  }
  CharsRef first = chars;
  if (std::any_of(rules.begin(), rules.end(), [](const spec::Rule* r) { return r->kind == RuleKind::first_char; })) {
    std::vector<std::string> ok;
    for (const std::string& ch : chars->all) {
      bool in = true;
      for (const spec::Rule* r : rules) {
        if (r->kind == RuleKind::first_char && !in_class(r->charset, ch)) in = false;
      }
      if (in) ok.push_back(ch);
    }
    first = make_chars(std::move(ok));
  }
  return cache.emplace(std::move(key), CharRules{std::move(chars), std::move(first)}).first->second;
}

void derive(Constraints& c) {
  for (const spec::Rule* r : c.rules) {
    switch (r->kind) {
      case RuleKind::length:
        if (r->min && (!c.len_lo || *r->min > *c.len_lo)) c.len_lo = r->min;
        if (r->max && (!c.len_hi || *r->max < *c.len_hi)) c.len_hi = r->max;
        c.bytes = c.bytes || r->unit == spec::LengthUnit::bytes;
        break;
      case RuleKind::range:
      case RuleKind::range_if:
        if (r->min && (!c.lo || *r->min > *c.lo)) c.lo = r->min;
        if (r->max && (!c.hi || *r->max < *c.hi)) c.hi = r->max;
        break;
      case RuleKind::items:
        if (r->min && (!c.items_lo || *r->min > *c.items_lo)) c.items_lo = r->min;
        if (r->max && (!c.items_hi || *r->max < *c.items_hi)) c.items_hi = r->max;
        break;
      case RuleKind::enumeration:
      case RuleKind::enum_if:
        if (!c.allowed) {
          c.allowed = std::make_shared<const std::vector<std::string>>(r->values);
        } else {
          std::vector<std::string> both;
          for (const auto& v : *c.allowed) {
            if (std::find(r->values.begin(), r->values.end(), v) != r->values.end()) both.push_back(v);
          }
          c.allowed = std::make_shared<const std::vector<std::string>>(std::move(both));
        }
        break;
      case RuleKind::format: c.format = r->format; break;
      default: break;
    }
  }
  const CharRules& cr = char_rules(c.rules, c.bytes);
  c.chars = cr.chars;
  c.first = cr.first;
}

// The rules of `mine` that bear on a slot's value: not `except`, not a map key's
// length, and (for a conditional one) its condition holding in the draft.
bool in_force(const Env& env, const spec::Rule& r, const spec::Rule* except, const Slot& slot, const Draft& d) {
  if (&r == except || !is_value_kind(r.kind)) return false;
  if (r.kind == RuleKind::length && r.attr == "key"sv) return false;  // about the map key, not the value
  return holds(env, r, slot, d);
}

Constraints gather_uncached(const Env& env, const spec::Index::Entry* entry, const Slot& slot, const Draft& d,
                            const spec::Rule* except) {
  Constraints c;
  c.param = entry ? entry->leaf : find_param(env, slot.path);
  c.text = is_text_slot(env, slot.path);
  static const std::vector<const spec::Rule*> no_rules;
  const std::vector<const spec::Rule*>& mine = entry ? entry->rules : no_rules;
  for (const spec::Rule* r : mine) {
    if (in_force(env, *r, except, slot, d)) c.rules.push_back(r);
  }
  derive(c);
  // A per-request quota on a number (MaxClusterGroupDesiredVMCount) bounds valid values too.
  for (const spec::Rule* rp : mine) {
    const spec::Rule& r = *rp;
    if (r.kind != RuleKind::quota || &r == except) continue;
    if (auto limit = env.fixtures.quota(env.spec.service, r.quota)) {
      if (!c.hi || *c.hi > static_cast<double>(*limit)) c.hi = static_cast<double>(*limit);
    }
  }
  resolve_enum(c);
  return c;
}

}  // namespace

const Constraints& constraints(const Env& env, const Slot& slot, const Draft& d, const spec::Rule* except) {
  return constraints(env, env.index->find(slot.path), slot, d, except);
}

const Constraints& constraints(const Env& env, const spec::Index::Entry* entry, const Slot& slot, const Draft& d,
                               const spec::Rule* except) {
  const Derived& dv = *env.derived;
  static const std::vector<const spec::Rule*> no_rules;
  const std::vector<const spec::Rule*>& mine = entry ? entry->rules : no_rules;
  if (!entry || mine.size() > 64) {  // a path the spec does not name, or a very ruled one: the slow key
    std::lock_guard<std::mutex> lock(dv.gathered_mutex);  // holds() and gather_uncached() never come back here
    std::vector<bool> holding;
    for (const spec::Rule* r : mine) holding.push_back(in_force(env, *r, except, slot, d));
    Derived::RareKey key{slot.path, except, std::move(holding)};
    auto it = dv.gathered_rare.find(key);
    if (it == dv.gathered_rare.end()) it = dv.gathered_rare.emplace(std::move(key), gather_uncached(env, entry, slot, d, except)).first;
    return it->second;
  }
  // This thread's view of the Env's answers, so that a lookup takes no lock
  // (the answers live in the Env). Which of the path's value rules always
  // apply and which when their condition holds: Derived::value_rules.
  struct Front {
    std::uint64_t env = 0;  // Derived::id
    std::unordered_map<Derived::GatherKey, const Constraints*, Derived::GatherHash> found;
  };
  thread_local Front front;
  if (front.env != dv.id) {
    front.found.clear();
    front.env = dv.id;
  }
  const Derived::ValueRules& split = dv.value_rules[env.index->position(*entry)];
  std::uint64_t mask = split.always;
  for (std::size_t i : split.conditional) {
    if (holds(env, *mine[i], slot, d)) mask |= std::uint64_t{1} << i;
  }
  if (except) {
    for (std::size_t i = 0; i < mine.size(); ++i) {
      if (mine[i] == except) mask &= ~(std::uint64_t{1} << i);
    }
  }
  Derived::GatherKey key{entry, except, mask};
  if (auto f = front.found.find(key); f != front.found.end()) return *f->second;
  const Constraints* c = nullptr;
  {
    std::lock_guard<std::mutex> lock(dv.gathered_mutex);  // holds() and gather_uncached() never come back here
    auto it = dv.gathered.find(key);
    if (it == dv.gathered.end()) it = dv.gathered.emplace(key, gather_uncached(env, entry, slot, d, except)).first;
    c = &it->second;
  }
  front.found.emplace(key, c);
  return *c;
}

Derived::ValueRules value_rules_of(const spec::Index::Entry& entry) {
  Derived::ValueRules out;
  if (entry.rules.size() > 64) return out;  // constraints() takes the slow key for such a path
  for (std::size_t i = 0; i < entry.rules.size(); ++i) {
    const spec::Rule& r = *entry.rules[i];
    if (!is_value_kind(r.kind) || (r.kind == RuleKind::length && r.attr == "key")) continue;
    if (r.when) {
      out.conditional.push_back(i);
    } else {
      out.always |= std::uint64_t{1} << i;
    }
  }
  return out;
}

Constraints gather(const Env& env, const Slot& slot, const Draft& d, const spec::Rule* except) {
  return constraints(env, slot, d, except);
}

}  // namespace conform::gen
