#include "generators/draft.h"

#include <string_view>
#include <algorithm>
#include <atomic>
#include <memory>
#include <tuple>

#include "core/text.h"
#include "generators/cases.h"
#include "generators/derived.h"

namespace conform::gen {

using namespace std::string_view_literals;
namespace {

using nlohmann::json;

bool matches(const Entry& e, const std::string& path, const std::string& index, const std::string& key) {
  return e.slot.path == path && (index.empty() || e.slot.index.empty() || e.slot.index == index) &&
         (key.empty() || e.slot.key.empty() || e.slot.key == key);
}

std::string wire_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Entry buffers of drafts that ended on this thread, capacity kept.
std::vector<Entry>& spare_entries() {
  thread_local std::vector<Entry> spare;
  return spare;
}

}  // namespace

bool condition_equals(const spec::Condition& w, const std::string& s) {
  const bool s_boolean = s == "true"sv || s == "false"sv;  // once, not per value
  return std::any_of(w.equals.begin(), w.equals.end(), [&](const std::string& e) {
    return s == e || ((s_boolean || e == "true"sv) && text::equals_ci(s, e));
  });
}

Draft::Draft() : entries(std::move(spare_entries())) { entries.clear(); }

Draft::~Draft() {
  std::vector<Entry>& spare = spare_entries();
  if (entries.capacity() > spare.capacity()) {
    entries.clear();
    spare = std::move(entries);
  }
}

const json* Draft::get(const std::string& path, const std::string& index, const std::string& key) const {
  for (const Entry& e : entries) {
    if (matches(e, path, index, key)) return &e.value;
  }
  return nullptr;
}

Entry& Draft::set(const Slot& slot, json value) { return place(slot, nullptr, value); }

Entry& Draft::set(Slot&& slot, json value) { return place(slot, &slot, value); }

Entry& Draft::place(const Slot& slot, Slot* owned, json& value) {
  ++version;
  const unsigned bit = touch_index(slot.path);  // and any empty parent it replaces (same first segment)
  touched |= std::uint64_t{1} << bit;
  edit_at[bit] = version;
  auto same_slot = [&](const Entry& e) {
    return e.slot.path == slot.path && e.slot.index == slot.index && e.slot.key == slot.key;
  };
  Entry* same = nullptr;
  if (empty_objects > 0) {
    // An empty object stood for a parent with no members yet: a member replaces it.
    auto empty_parent = [&](const Entry& e) {
      const std::string& p = e.slot.path;
      return e.value.is_object() && e.value.empty() && slot.path.size() > p.size() &&
             slot.path.compare(0, p.size(), p) == 0 && slot.path[p.size()] == '.' &&
             (e.slot.key.empty() || e.slot.key == slot.key);
    };
    auto parents = std::remove_if(entries.begin(), entries.end(), empty_parent);
    const std::size_t gone = static_cast<std::size_t>(entries.end() - parents);
    empty_objects -= gone;
    held[bit] = static_cast<std::uint16_t>(held[bit] - gone);  // a parent's first segment is the slot's
    entries.erase(parents, entries.end());
  }
  if (held[bit] > 0) {
    for (Entry& e : entries) {
      if (same_slot(e)) {
        same = &e;
        break;
      }
    }
  }
  const bool now_empty = value.is_object() && value.empty();
  if (now_empty) ++empty_objects;
  if (same) {
    if (same->value.is_object() && same->value.empty()) --empty_objects;
    same->value = std::move(value);
    same->satisfied = nullptr;
    return *same;
  }
  ++held[bit];
  if (owned) return entries.emplace_back(std::move(*owned), std::move(value));
  return entries.emplace_back(slot, std::move(value));
}

void Draft::erase(const std::string& path, const std::string& index, const std::string& key) {
  std::size_t before = entries.size();
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [&](const Entry& e) {
                                 std::string_view p = e.slot.path;
                                 bool under = p.starts_with(path) && (p.size() == path.size() || p[path.size()] == '.');
                                 bool gone = under && (index.empty() || e.slot.index == index) &&
                                             (key.empty() || e.slot.key == key);
                                 if (gone && e.value.is_object() && e.value.empty()) --empty_objects;
                                 if (gone) --held[touch_index(p)];
                                 return gone;
                               }),
                entries.end());
  if (entries.size() != before) {
    ++version;
    const unsigned bit = touch_index(path);
    touched |= std::uint64_t{1} << bit;
    edit_at[bit] = version;
  }
}

bool Draft::has(const std::string& path) const { return get(path) != nullptr; }

std::vector<std::string> Draft::indices(const std::string& family_path) const {
  std::vector<std::string> out;
  for (const Entry& e : entries) {
    if (e.slot.path.rfind(family_path, 0) != 0 || e.slot.index.empty()) continue;
    if (std::find(out.begin(), out.end(), e.slot.index) == out.end()) out.push_back(e.slot.index);
  }
  return out;
}

namespace {

std::shared_ptr<Derived> derive_env(const Env& env) {
  static std::atomic<std::uint64_t> derived_count{0};
  auto out = std::make_shared<Derived>();
  out->id = ++derived_count;
  for (const Resource& r : env.fixtures.resources) {
    if (r.service == env.spec.service && (env.region.empty() || r.region.empty() || r.region == env.region)) {
      out->resources[r.type].push_back(&r);
    }
  }
  for (const spec::Param& p : env.spec.params) out->order.push_back(&p);
  for (const spec::Rule& r : env.spec.rules) {
    // A conditional ref_attr is settled like a cross rule (fix_state).
    if (r.params.empty() || !(is_cross_kind(r.kind) || (r.kind == spec::RuleKind::ref_attr && r.when))) continue;
    out->cross.push_back(&r);
    std::uint64_t reads = 0;  // fix_cross reads the rule's parameters (and below) and its condition
    for (const std::string& p : r.params) reads |= touch_bit(p);
    if (r.when) reads |= touch_bit(r.when->param);
    if (r.when && !r.when->unless.empty()) reads |= touch_bit(r.when->unless);
    out->cross_reads.push_back(reads);
    const spec::Param* top = env.index->top(r.params[0]);
    out->cross_member.push_back(top && top->name != r.params[0] ? 1 : 0);
    out->cross_indexed.push_back(is_indexed(r.params[0]) ? 1 : 0);
  }
  std::stable_partition(out->order.begin(), out->order.end(),
                        [&](const spec::Param* p) { return env.index->is_condition_source(p->name); });
  for (const spec::Param* p : out->order) {
    out->order_indexed.push_back(is_indexed(p->name) ? 1 : 0);
    out->order_known.push_back(env.index->find(p->name));
    out->order_family.push_back(is_indexed(p->name) ? family_of(p->name) : std::string());
    out->order_take.push_back(p->required || p->name == "Action"sv ? 1 : 0);
    out->order_dry_run.push_back(p->name == "DryRun"sv ? 1 : 0);
  }
  return out;
}

}  // namespace

Env::Env(const spec::Spec& s, const Fixtures& f, std::string r)
    : spec(s), fixtures(f), region(std::move(r)), index(std::make_shared<const spec::Index>(s)) {
  auto d = derive_env(*this);
  derived = d;
  // After `derived` is set: resources() reads it.
  d->when.resize(s.rules.size());
  d->condition_reads.resize(index->size());
  d->value_rules.resize(index->size());
  for (std::size_t i = 0; i < index->size(); ++i) {
    d->condition_reads[i] = condition_reads_of(&index->entry(i));
    d->value_rules[i] = value_rules_of(index->entry(i));
  }
  d->keeps_valid.resize(s.rules.size());
  for (std::size_t i = 0; i < s.rules.size(); ++i) {
    const spec::Rule& r = s.rules[i];
    // A state rule may change the value (fix_state edits no kept one): not kept.
    // PrivateIpAddress.format's valid address must still fall in the VSwitch's CIDR.
    auto read_by_state = [&](const std::string& p) {
      return std::any_of(s.rules.begin(), s.rules.end(), [&](const spec::Rule& o) {
        return spec::phase_of(o.kind).first == 5 &&
               (std::find(o.params.begin(), o.params.end(), p) != o.params.end() || (o.when && o.when->param == p));
      });
    };
    // The rules with edges: a boundary value is the point of their valid side.
    const bool edges = r.kind == spec::RuleKind::length || r.kind == spec::RuleKind::range ||
                       r.kind == spec::RuleKind::items;
    // A sum's values are its point whatever reads them (make_sum picks them all).
    d->keeps_valid[i] = !r.params.empty() && ((edges && !read_by_state(r.params[0])) || r.kind == spec::RuleKind::sum);
  }
  d->rule_resources.resize(s.rules.size());
  for (std::size_t i = 0; i < s.rules.size(); ++i) {
    const spec::Rule& r = s.rules[i];
    auto of = [&](const std::string& path) -> const std::vector<const Resource*>* {
      const std::string& type = ref_type(*this, path);
      return type.empty() ? nullptr : &resources(*this, type);
    };
    for (std::size_t k = 0; k < 2 && k < r.params.size(); ++k) d->rule_resources[i][k] = of(r.params[k]);
    if (r.when) d->rule_resources[i][2] = of(r.when->param);
  }
  for (std::size_t i = 0; i < s.rules.size(); ++i) {
    if (!s.rules[i].when) continue;
    const std::string& param = s.rules[i].when->param;
    Derived::When& wi = d->when[i];
    wi = {is_indexed(param), touch_index(param), find_param(*this, param), &resources(*this, ref_type(*this, param)), {}};
    if (s.rules[i].when->attr.empty()) continue;
    for (const Resource* res : *wi.resources) {
      const std::string* a = res->attr(s.rules[i].when->attr);
      wi.attr_holds.emplace_back(res, a && (s.rules[i].when->equals.empty() || condition_equals(*s.rules[i].when, *a)));
    }
  }
}

const std::vector<const Resource*>& resources(const Env& env, std::string_view type) {
  static const std::vector<const Resource*> none;
  auto it = env.derived->resources.find(type);
  return it == env.derived->resources.end() ? none : it->second;
}

const Resource* resource(const Env& env, std::string_view type, std::string_view id) {
  for (const Resource* r : resources(env, type)) {
    if (r->id == id) return r;
  }
  return nullptr;
}

const std::vector<const spec::Param*>& draft_order(const Env& env) { return env.derived->order; }

bool holds(const Env& env, const spec::Rule& r, const Slot& at, const Draft& d) {
  if (!r.when) return true;
  const spec::Condition& w = *r.when;
  if (!w.unless.empty() && d.get(w.unless, is_indexed(w.unless) ? at.index : std::string(), at.key)) return false;
  const std::vector<spec::Rule>& rules = env.spec.rules;
  Derived::When info;  // for a rule not of the spec (none today): looked up
  const Derived::When* wi = &info;
  if (&r >= rules.data() && &r < rules.data() + rules.size()) {
    wi = &env.derived->when[env.index->position(r)];
  } else {
    info = {is_indexed(w.param), touch_index(w.param), find_param(env, w.param), &resources(env, ref_type(env, w.param)), {}};
  }
  static const std::string kNoIndex;
  // Most conditions read an optional parameter the draft lacks: no search then.
  const json* v = d.held[wi->touch] == 0 ? nullptr : d.get(w.param, wi->indexed ? at.index : kNoIndex, at.key);
  auto equal = [&](const std::string& s) { return condition_equals(w, s); };
  if (!w.attr.empty()) {
    if (!v) return false;
    const std::string text = v->is_string() ? std::string() : wire_text(*v);
    const std::string& id = v->is_string() ? v->get_ref<const std::string&>() : text;
    if (wi == &info) {  // looked up just now: nothing worked out
      for (const Resource* res : *wi->resources) {
        if (res->id == id) {
          const std::string* a = res->attr(w.attr);
          return a && (w.equals.empty() || equal(*a));
        }
      }
      return false;
    }
    for (const auto& [res, ok] : wi->attr_holds) {
      if (res->id == id) return ok;
    }
    return false;
  }
  if (w.equals.empty()) return v != nullptr;
  if (v) return v->is_string() ? equal(v->get_ref<const std::string&>()) : equal(v->dump());
  const spec::Param* p = wi->leaf;
  return p && p->default_value && equal(*p->default_value);
}

}  // namespace conform::gen
