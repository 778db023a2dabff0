// The run loop's scheduling: which scenario or step goes out when
// (harness/runner_order.h), and on which connection. What happens to an answer
// is harness/runner_exchange.cc.
#include "harness/runner.h"

#include "harness/runner_case.h"
#include "harness/runner_engine.h"

namespace conform {
namespace runner {

using Clock = std::chrono::steady_clock;

RunOutcome Engine::run() {
  auto start = Clock::now();
  pump();
  client_.run();
  for (Held& h : shrinking_) shrink_and_emit(std::move(h));
  outcome_.summary.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  outcome_.summary.target = cfg_.target_name;
  outcome_.summary.exit_code = exit_code(outcome_);
  out_.run_finished(outcome_.summary);
  return outcome_;
}

// Sends what may go now; called at the start and after every completion
// (harness/runner_order.h: which requests may be in flight together).
void Engine::pump() {
  while (!stopping_ && inflight_ < limit() && start_next()) {
  }
}

// Free in the key table (a shared key beside shared holders only), and shared
// with no earlier scenario still waiting (so that requests on one piece of state
// reach the target in scenario order).
bool Engine::startable(const KeyRefs& keys) const {
  for (const KeyRef& k : keys) {
    const Count& c = held_[k.id];
    if (c.exclusive > 0 || (!k.shared && c.shared > 0)) return false;
    unsigned char a = ahead_[k.id];
    if (a != 0 && (!k.shared || a == 2)) return false;
  }
  return true;
}

void Engine::note_ahead(const KeyRefs& keys) {
  for (const KeyRef& k : keys) {
    if (ahead_[k.id] == 0) marked_.push_back(k.id);
    if (ahead_[k.id] != 2) ahead_[k.id] = k.shared ? 1 : 2;
  }
}

KeyRefs Engine::intern(const StateKeys& keys) {
  KeyRefs out;
  for (const std::string& k : keys) {
    auto [it, added] = key_ids_.try_emplace(std::string(key_name(k)), static_cast<int>(key_ids_.size()));
    if (added) {
      held_.emplace_back();
      ahead_.push_back(0);
    }
    out.push_back({it->second, is_shared_key(k)});
  }
  return out;
}

void Engine::take(const KeyRefs& keys) {
  for (const KeyRef& k : keys) ++(k.shared ? held_[k.id].shared : held_[k.id].exclusive);
}

// Starts the first scenario, in order, that is startable(); false when none can
// start now. A scan that found nothing is not repeated until a key is released:
// taking keys only blocks more.
bool Engine::start_next() {
  if (stuck_) return false;
  for (int id : marked_) ahead_[id] = 0;
  marked_.clear();
  for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
    if (startable(it->second)) {
      auto [si, keys] = std::move(*it);
      waiting_.erase(it);
      start(si, std::move(keys));
      return true;
    }
    note_ahead(it->second);
  }
  while (next_ < in_.scenarios.size() && waiting_.size() < kWindow) {
    std::size_t si = next_++;
    KeyRefs keys = keys_of(si);
    if (startable(keys)) {
      start(si, std::move(keys));
      return true;
    }
    waiting_.emplace_back(si, std::move(keys));
    note_ahead(waiting_.back().second);
  }
  stuck_ = true;
  return false;
}

void Engine::release(const KeyRefs& keys) {
  if (keys.empty()) return;
  for (const KeyRef& k : keys) --(k.shared ? held_[k.id].shared : held_[k.id].exclusive);
  stuck_ = false;
}

KeyRefs Engine::keys_of(std::size_t si) {
  const Scenario& s = in_.scenarios[si];
  if (is_sequence(s)) {
    return intern(sequence_keys(s, [this](const std::string& op) -> const spec::Spec* {
      const OpInfo* info = find_op(op);
      return info ? info->spec : nullptr;
    }));
  }
  const OpInfo* op = find_op(s.steps[0].op);
  if (!op) return {};
  Case c = transport::with_common_params(s.steps[0], *op->spec, op->dialect);
  // Only an op with shared state reads the prediction (request_keys): the
  // oracle's work is skipped for the others.
  report::Prediction p = has_shared_state(*op->spec) ? in_.oracle.peek(c) : report::Prediction{};
  return intern(request_keys(*op->spec, c, p));
}

void Engine::start(std::size_t si, KeyRefs keys) {
  take(keys);
  if (!is_sequence(in_.scenarios[si])) return send_step(si, 0, -1, std::move(keys));
  int id = next_lane_++;
  Lane& lane = lanes_[id];
  lane.scenario = si;
  lane.keys = std::move(keys);
  send_step(si, 0, id, {});
}

const OpInfo* Engine::find_op(const std::string& op) const {
  auto it = ops_.find(op);
  return it == ops_.end() ? nullptr : &it->second;
}

void Engine::send_step(std::size_t si, std::size_t step, int lane, KeyRefs keys) {
  const Scenario& s = in_.scenarios[si];
  Pending p;
  p.scenario = si;
  p.step = step;
  p.lane = lane;
  p.keys = std::move(keys);
  p.op = find_op(s.steps[step].op);
  Case c = p.op ? transport::with_common_params(s.steps[step], *p.op->spec, p.op->dialect) : s.steps[step];
  Lane* l = lane >= 0 ? &lanes_.at(lane) : nullptr;
  if (l) {
    c = renumber_placeholders(c, l->global);
    l->global.push_back(in_.oracle.steps());
  }
  p.expected = in_.oracle.step(c);
  p.sent = l ? fill_placeholders(c, l->bodies) : std::move(c);
  note_token(p);
  ++inflight_;
  if (!p.op) return finish_unknown_op(std::move(p));
  transport::HttpRequest req = transport::build_request(p.sent, p.op->dialect, cfg_.endpoint);
  auto done = [this, p = std::move(p)](transport::Exchange x) mutable { on_done(std::move(p), std::move(x)); };
  // A sequence's steps share one connection, as a client of the API would send them.
  client_.submit(std::move(req), std::move(done), lane);
}

void Engine::note_token(Pending& p) {
  if (!p.op) return;
  std::string token = idempotency_token(*p.op->spec, p.sent);
  if (token.empty()) return;
  p.token_key = p.op->spec->op + "\n" + token + "\n" + signature(p.sent);
  auto it = first_ids_.find(p.token_key);
  if (it != first_ids_.end()) {
    p.replay = true;
    p.replay_id = it->second;
  }
}

void Engine::stop(std::string reason) {
  if (stopping_) return;
  stopping_ = true;
  outcome_.unreachable = true;
  outcome_.summary.stop_reason = std::move(reason);
  client_.drop_queued();
}

}  // namespace runner

int exit_code(const RunOutcome& o) {
  if (o.unreachable) return kExitUnreachable;
  return o.summary.fail + o.summary.error > 0 ? kExitFindings : kExitOk;
}

Result<RunOutcome> run_scenarios(RunInput input, const RunConfig& config, report::Listeners& listeners) {
  std::map<std::string, runner::OpInfo> ops;
  for (const spec::Spec& s : *input.specs) {
    CONFORM_TRY(d, transport::parse_dialect(s.dialect));
    ops[s.op] = runner::OpInfo{&s, d};
  }
  transport::ClientOptions co;
  co.connections = config.jobs;
  co.rate = config.rate;
  co.timeout_ms = config.timeout_ms;
  co.max_response_bytes = config.max_response_bytes;
  co.ca_file = config.ca_file;
  co.insecure = config.insecure;
  co.prepare = config.prepare;
  if (config.proxy_from_env) co.proxy = transport::ProxyEnv::from_environment();
  co.throttle.retries = config.throttle_retries;
  co.throttle.base_ms = config.throttle_backoff_ms;
  CONFORM_TRY(client, transport::Client::create(config.endpoint, co));
  runner::Engine engine(std::move(input), config, listeners, *client, std::move(ops));
  return engine.run();
}

}  // namespace conform
