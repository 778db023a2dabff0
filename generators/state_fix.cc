// Valid drafts and the rules that read resources: a PrivateIpAddress inside its
// VSwitch's CIDR, a security group in the VSwitch's VPC, a system disk no
// smaller than its image.
#include <algorithm>
#include <string_view>

#include "generators/cases.h"
#include "generators/derived.h"
#include "generators/values.h"

namespace conform::gen {
namespace {

using nlohmann::json;
using spec::RuleKind;

std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

using Kind = const std::vector<const Resource*>*;  // resources(env, ref_type(env, path)), null for type ""

// For rule `r`, whose parameter k (params[0], params[1], when.param) a kind is
// asked of: worked out once per Env (Derived::rule_resources).
Kind kind_of(const Env& env, const spec::Rule& r, std::size_t k) {
  const std::vector<spec::Rule>& rules = env.spec.rules;
  if (&r >= rules.data() && &r < rules.data() + rules.size()) return env.derived->rule_resources[env.index->position(r)][k];
  const std::string& type = ref_type(env, k < 2 ? r.params[k] : r.when->param);  // a rule not of the spec (none today)
  return type.empty() ? nullptr : &resources(env, type);
}

// The resource of that kind with that id.
const Resource* find(Kind kind, std::string_view id) {
  if (!kind) return nullptr;
  for (const Resource* r : *kind) {
    if (r->id == id) return r;
  }
  return nullptr;
}

// `v` as text: a view of a JSON string, or its JSON text in `scratch`.
std::string_view text_view(const json& v, std::string& scratch) {
  if (v.is_string()) return v.get_ref<const std::string&>();
  scratch = v.dump();
  return scratch;
}

// The attribute a ref_match compares, or the value itself where no resource has it.
// `own`: the parameter itself is compared (no resource of its kind has the attribute).
// A view of the resource's attribute or of the value (`scratch` holds the text
// of a value that is no JSON string): most drafts already match, and copies cost.
std::string_view side(Kind kind, const json& v, const std::string& attr, std::string& scratch) {
  const std::string_view text = text_view(v, scratch);
  const Resource* found = find(kind, text);
  const std::string* a = found ? found->attr(attr) : nullptr;
  return a ? std::string_view(*a) : text;
}

// Whether no resource of `path`'s kind has the attribute (so the parameter
// itself is compared); asked only of sides that do not match.
bool own_side(Kind kind, const std::string& attr) {
  if (!kind) return true;
  for (const Resource* r : *kind) {
    if (r->attr(attr)) return false;
  }
  return true;
}

// Digits only, few enough not to overflow: what std::stoul reads of such text.
bool plain_number(std::string_view s, unsigned long& v) {
  if (s.empty() || s.size() > 9) return false;
  v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned long>(c - '0');
  }
  return true;
}

// An address of four dot-separated runs of digits, read in place (rules compare
// many); false for anything else, which ip_number reads as it always did.
bool plain_ip(std::string_view ip, unsigned long& v) {
  v = 0;
  for (int i = 0; i < 4; ++i) {
    std::size_t dot = i < 3 ? ip.find('.') : ip.size();
    unsigned long part = 0;
    if (dot == std::string_view::npos || !plain_number(ip.substr(0, dot), part)) return false;
    v = (v << 8) | part;
    ip.remove_prefix(i < 3 ? dot + 1 : dot);
  }
  return true;
}

unsigned long ip_number(const std::string& ip) {
  unsigned long v = 0;
  if (plain_ip(ip, v)) return v;
  std::size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    std::size_t dot = ip.find('.', start);
    v = (v << 8) | std::stoul(ip.substr(start, dot - start));
    start = dot + 1;
  }
  return v;
}

std::string ip_text(unsigned long v) {
  return std::to_string((v >> 24) & 255) + "." + std::to_string((v >> 16) & 255) + "." + std::to_string((v >> 8) & 255) +
         "." + std::to_string(v & 255);
}

}  // namespace

bool cidr_has(const std::string& cidr, const std::string& ip) {
  std::size_t slash = cidr.find('/');
  if (slash == std::string::npos || std::count(ip.begin(), ip.end(), '.') != 3) return false;
  unsigned long plain_bits = 0, a = 0, b = 0;
  std::string_view text = cidr;
  if (plain_number(text.substr(slash + 1), plain_bits) && plain_bits <= 32 && plain_ip(ip, a) &&
      plain_ip(text.substr(0, slash), b)) {
    unsigned long mask = plain_bits == 0 ? 0 : (0xFFFFFFFFul << (32 - plain_bits)) & 0xFFFFFFFFul;
    return (a & mask) == (b & mask);
  }
  int bits = std::stoi(cidr.substr(slash + 1));
  unsigned long mask = bits == 0 ? 0 : (0xFFFFFFFFul << (32 - bits)) & 0xFFFFFFFFul;
  return (ip_number(ip) & mask) == (ip_number(cidr.substr(0, slash)) & mask);
}

// A host address inside (or, with `inside` false, just outside) a CIDR block.
std::string ip_near(const std::string& cidr, Rng& rng, bool inside) {
  std::size_t slash = cidr.find('/');
  int bits = std::stoi(cidr.substr(slash + 1));
  unsigned long size = bits == 0 ? 0x100000000ul : 1ul << (32 - bits);
  unsigned long net = ip_number(cidr.substr(0, slash)) & ~(size - 1) & 0xFFFFFFFFul;
  if (inside) return ip_text(net + 1 + rng.below(size > 3 ? size - 2 : 1));
  return ip_text((net + size + 1 + rng.below(100)) & 0xFFFFFFFFul);
}

// std::stod(s), or std::atof(s.c_str()) with `atof`, of plain digits read in
// place (at most 9: the same double); anything else is theirs.
double text_double(const std::string& s, bool atof = false) {
  unsigned long v = 0;
  if (plain_number(s, v)) return static_cast<double>(v);
  return atof ? std::atof(s.c_str()) : std::stod(s);
}

bool sides_match(const std::string& a, const std::string& b) {
  bool ac = a.find('/') != std::string::npos, bc = b.find('/') != std::string::npos;
  if (ac != bc) return ac ? cidr_has(a, b) : cidr_has(b, a);
  return a == b;
}

void fix_state(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, bool first_kept) {
  if (r.kind == RuleKind::ref_match && r.params.size() >= 2) {
    const json* v0 = nullptr;  // d.get(r.params[0]) and d.get(r.params[1]), in one pass
    const json* v1 = nullptr;
    for (const Entry& e : d.entries) {
      if (!v0 && e.slot.path == r.params[0]) v0 = &e.value;
      if (!v1 && e.slot.path == r.params[1]) v1 = &e.value;
      if (v0 && v1) break;
    }
    if (!v0 || !v1) return;
    const Kind kind0 = kind_of(env, r, 0), kind1 = kind_of(env, r, 1);
    std::string scratch0, scratch1;
    const std::string_view side0 = side(kind0, *v0, r.attr, scratch0), side1 = side(kind1, *v1, r.attr, scratch1);
    // sides_match() without copies where neither side is a CIDR block.
    if (side0.find('/') == std::string_view::npos && side1.find('/') == std::string_view::npos && side0 == side1) return;
    std::string a0(side0), a1(side1);
    if (sides_match(a0, a1)) return;
    const bool own0 = own_side(kind0, r.attr), own1 = own_side(kind1, r.attr);
    Slot s0 = slot_for(env, d, rng, r.params[0]), s1 = slot_for(env, d, rng, r.params[1]);
    if (own1 && !own0 && find(kind1, a0)) {
      d.set(s1, a0);  // ZoneId := the VSwitch's zone
    } else if (first_kept) {
      // A classic security group kept for a condition: no VSwitch, and nothing
      // optional that requires one (PrivateIpAddress, line 291), which settle()
      // would otherwise meet by putting the VSwitch back.
      d.erase(r.params[1]);
      drop_other_requirers(env, d, r);
    } else if (own0 && !own1) {
      d.set(s0, a1.find('/') != std::string::npos ? ip_near(a1, rng, true) : a1);
    } else {
      std::vector<const Resource*> fit;
      for (const Resource* res : kind0 ? *kind0 : resources(env, "")) {  // resources(env, ref_type(env, r.params[0]))
        const std::string* a = res->attr(r.attr);
        if (a && sides_match(*a, a1) && acceptable(env, r.params[0], *res)) fit.push_back(res);
      }
      if (!fit.empty()) {
        d.set(s0, rng.pick(fit)->id);
      } else {
        d.erase(r.params[0]);
      }
    }
    return;
  }
  if (r.kind == RuleKind::at_least_ref && !r.params.empty() && r.when) {
    // The draft nearly always has every value at or above its bound: found by
    // reading it in place, before any slot is copied for the edits below.
    const Kind owners = kind_of(env, r, 2);
    std::string scratch;
    auto below_bound = [&](const Slot& s) {
      const json* owner = d.get(r.when->param, s.index, s.key);
      const Resource* res = owner ? find(owners, text_view(*owner, scratch)) : nullptr;
      const std::string* a = res ? res->attr(r.attr) : nullptr;
      const json* v = d.get(s.path, s.index, s.key);
      if (!a || !v) return false;
      double bound = text_double(*a),
             have = v->is_number()   ? v->get<double>()
                    : v->is_string() ? text_double(v->get_ref<const std::string&>(), true)
                                     : std::atof(text_of(*v).c_str());
      return have < bound;
    };
    if (std::none_of(d.entries.begin(), d.entries.end(),
                     [&](const Entry& e) { return e.slot.path == r.params[0] && below_bound(e.slot); })) {
      return;
    }
    std::vector<Slot> slots;
    for (const Entry& e : d.entries) {
      if (e.slot.path == r.params[0]) slots.push_back(e.slot);
    }
    for (const Slot& s : slots) {
      const json* owner = d.get(r.when->param, s.index, s.key);
      const Resource* res = owner ? find(owners, text_view(*owner, scratch)) : nullptr;
      const std::string* a = res ? res->attr(r.attr) : nullptr;
      const json* v = d.get(s.path, s.index, s.key);
      if (!a || !v) continue;
      double bound = text_double(*a),
             have = v->is_number()   ? v->get<double>()
                    : v->is_string() ? text_double(v->get_ref<const std::string&>(), true)
                                     : std::atof(text_of(*v).c_str());
      if (have >= bound) continue;
      long long want = static_cast<long long>(bound);
      json nv = is_text_slot(env, s.path) ? json(std::to_string(want)) : json(want);
      if (satisfies(constraints(env, s, d), nv)) {
        d.set(s, nv);
      } else {
        d.erase(s.path, s.index, s.key);
      }
    }
  }
}

void fix_conditional_attr(const Env& env, Draft& d, Rng& rng, const spec::Rule& r, bool may_change) {
  if (r.params.empty() || !r.when) return;
  const std::vector<const Resource*>& all = resources(env, r.resource);
  std::vector<Slot> bad;
  for (const Entry& e : d.entries) {
    if (e.slot.path != r.params[0] || !e.value.is_string() || !holds(env, r, e.slot, d)) continue;
    const std::string& id = e.value.get_ref<const std::string&>();
    for (const Resource* res : all) {
      if (res->id == id && !attr_ok(r, *res)) bad.push_back(e.slot);
    }
  }
  for (const Slot& s : bad) {
    std::vector<const Resource*> fit;
    if (may_change) {
      for (const Resource* res : all) {
        if (attr_ok(r, *res) && acceptable(env, r.params[0], *res)) fit.push_back(res);
      }
    }
    if (!fit.empty()) {
      d.set(s, rng.pick(fit)->id);
    } else {
      make_condition(env, d, rng, r, s, false);
    }
  }
}

}  // namespace conform::gen
