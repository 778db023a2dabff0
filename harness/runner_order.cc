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

StateKeys request_keys(const spec::Spec& spec, const Case& c, const report::Prediction& p) {
  StateKeys keys;
  if (std::string t = token_key(spec, c); !t.empty()) keys.push_back(std::move(t));
  if (!has_shared_state(spec)) return keys;
  bool success = p.error.empty() && p.status >= 200 && p.status < 300;
  bool on_state = !p.error.empty();  // unpredicted: assume the worst
  for (const spec::Rule& r : spec.rules) {
    if (is_shared_state_rule(r.kind) && r.id == p.rule) on_state = true;
  }
  if (success || on_state) keys.push_back("state:" + spec.op);
  return keys;
}

bool KeyTable::free(const StateKeys& keys) const {
  for (const std::string& k : keys) {
    if (held_.count(k)) return false;
  }
  return true;
}

void KeyTable::take(const StateKeys& keys) {
  for (const std::string& k : keys) ++held_[k];
}

void KeyTable::release(const StateKeys& keys) {
  for (const std::string& k : keys) {
    auto it = held_.find(k);
    if (it != held_.end() && --it->second <= 0) held_.erase(it);
  }
}

}  // namespace conform::runner
