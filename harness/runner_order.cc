#include "harness/runner_order.h"

#include "harness/runner_case.h"

namespace conform::runner {
namespace {

bool is_shared_state_rule(spec::RuleKind k) { return k == spec::RuleKind::quota || k == spec::RuleKind::unique; }

}  // namespace

bool has_shared_state(const spec::Spec& spec) {
  for (const spec::Rule& r : spec.rules) {
    if (is_shared_state_rule(r.kind)) return true;
  }
  return false;
}

std::string token_key(const spec::Spec& spec, const Case& c) {
  std::string token = idempotency_token(spec, c);
  return token.empty() ? "" : "token:" + spec.op + ":" + token;
}

// The piece of state a rule guards: a uniqueness rule, the resource its first
// parameter names (a stack group: two creations in different groups never
// collide); a quota, the op's whole count.
std::string state_key(const spec::Spec& spec, const spec::Rule& r, const Case& c) {
  if (r.kind == spec::RuleKind::unique && !r.params.empty()) {
    const std::string* v = c.query_value(r.params[0]);
    if (v) return "state:" + spec.op + ":" + r.params[0] + "=" + *v;
  }
  return "state:" + spec.op;
}

StateKeys request_keys(const spec::Spec& spec, const Case& c, const report::Prediction& p) {
  StateKeys keys;
  if (std::string t = token_key(spec, c); !t.empty()) keys.push_back(std::move(t));
  if (!has_shared_state(spec)) return keys;
  bool success = p.error.empty() && p.status >= 200 && p.status < 300;
  bool unpredicted = !p.error.empty();
  for (const spec::Rule& r : spec.rules) {
    if (!is_shared_state_rule(r.kind)) continue;
    if (success || unpredicted) {
      keys.push_back(state_key(spec, r, c));  // a creation changes the state: alone
    } else if (r.id == p.rule) {
      keys.push_back(kShared + state_key(spec, r, c));  // a refusal only reads it
    }
  }
  return keys;
}

StateKeys step_keys(const spec::Spec& spec, const Case& c) {
  report::Prediction unknown;
  unknown.error = "not predicted yet";
  return request_keys(spec, c, unknown);
}

namespace {

bool shared(std::string_view k) { return is_shared_key(k); }
std::string_view name_of(std::string_view k) { return key_name(k); }

}  // namespace

bool KeyTable::free(const StateKeys& keys) const {
  for (const std::string& k : keys) {
    auto it = held_.find(name_of(k));
    if (it == held_.end()) continue;
    if (it->second.exclusive > 0 || !shared(k)) return false;
  }
  return true;
}

void KeyTable::take(const StateKeys& keys) {
  for (const std::string& k : keys) {
    Count& n = held_[std::string(name_of(k))];
    ++(shared(k) ? n.shared : n.exclusive);
  }
}

void KeyTable::release(const StateKeys& keys) {
  for (const std::string& k : keys) {
    auto it = held_.find(name_of(k));
    if (it == held_.end()) continue;
    --(shared(k) ? it->second.shared : it->second.exclusive);
    if (it->second.shared <= 0 && it->second.exclusive <= 0) held_.erase(it);
  }
}

bool conflicts(const StateKeys& a, const std::vector<const std::string*>& b) {
  for (const std::string& x : a) {
    for (const std::string* y : b) {
      if (name_of(x) == name_of(*y) && !(shared(x) && shared(*y))) return true;
    }
  }
  return false;
}

}  // namespace conform::runner
