// The run loop's scheduling: which scenario or step goes out when
// (harness/runner_order.h), and on which connection. What happens to an answer
// is harness/runner_exchange.cc.
#include "harness/runner.h"

#include <algorithm>

#include "harness/interrupt.h"
#include "harness/runner_case.h"
#include "harness/runner_engine.h"

namespace conform {
namespace runner {

using Clock = std::chrono::steady_clock;

RunOutcome Engine::run() {
  auto start = Clock::now();
  // A signal is noticed between answers (pump), and while none comes too.
  client_.set_tick(std::chrono::milliseconds(kTickMs), [this] { check_interrupt(); });
  pump();
  client_.run();
  shrink_deadline_ = Clock::now() + std::chrono::seconds(kShrinkBudgetS);
  for (Held& h : shrinking_) shrink_and_emit(std::move(h));
  // Fewer requests than --max-transport-errors, none of which got a single byte
  // back (a target that accepts and then says nothing, or closes at once): that
  // target could not be reached either, whatever the number of cases.
  if (std::string why = reach_.never_answered(outcome_.summary.error); !stopping_ && !why.empty()) {
    outcome_.unreachable = true;
    outcome_.summary.stop_reason = std::move(why);
  }
  outcome_.summary.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  outcome_.summary.target = cfg_.target_name;
  outcome_.summary.exit_code = exit_code(outcome_);
  out_.run_finished(outcome_.summary);
  return outcome_;
}

// Sends what may go now; called at the start and after every completion
// (harness/runner_order.h: which requests may be in flight together).
void Engine::pump() {
  check_interrupt();
  while (!stopping_ && inflight_ < limit() && start_next()) {
  }
}

// After a signal: no new request; those in flight get kStopGraceMs more (a
// silent target must not hold the reports back for the whole --timeout), then
// end as timeouts that say why.
void Engine::check_interrupt() {
  int sig = interrupt::pending();
  if (sig == 0 || stopping_) return;
  stopping_ = true;
  outcome_.interrupted = sig;
  outcome_.summary.stop_reason = std::string("interrupted by ") + interrupt::name(sig);
  outcome_.summary.incomplete = true;
  client_.drop_queued();
  client_.hurry(std::chrono::milliseconds(kStopGraceMs),
                "no answer within " + std::to_string(kStopGraceMs) + " ms after " + interrupt::name(sig) +
                    " stopped the run");
}

// The key that keeps a scenario from starting now, or -1: one held in a way
// that excludes it (a shared key goes beside shared holders only), or one that
// an earlier waiting scenario names (exclusively, for a shared key), so that
// requests on one piece of state reach the target in scenario order. `number`
// is the scenario's waiting number (the next one for a scenario not waiting yet).
int Engine::blocker(const KeyRefs& keys, std::uint64_t number) const {
  for (const KeyRef& k : keys) {
    const KeyState& c = keys_[k.id];
    if (c.exclusive > 0 || (!k.shared && c.shared > 0)) return k.id;
    const std::deque<std::uint64_t>& earlier = k.shared ? c.waiting_exclusive : c.waiting;
    if (!earlier.empty() && earlier.front() < number) return k.id;
  }
  return -1;
}

// A waiting scenario blocked on a key that was not released since stays
// blocked: the key's holders only grew, and an earlier waiting scenario that
// named it stopped waiting only by starting, so now holds it.
bool Engine::still_blocked(const Waiting& w) const {
  return w.blocker >= 0 && keys_[w.blocker].released == w.blocker_released;
}

void Engine::wait(std::size_t si, KeyRefs keys, int blocked_by, Peek peek) {
  Waiting w{si, std::move(keys), waiting_number_++, blocked_by, keys_[blocked_by].released, std::move(peek)};
  for (const KeyRef& k : w.keys) {
    keys_[k.id].waiting.push_back(w.number);
    if (!k.shared) keys_[k.id].waiting_exclusive.push_back(w.number);
  }
  waiting_.push_back(std::move(w));
}

void Engine::stop_waiting(const Waiting& w) {
  auto drop = [&w](std::deque<std::uint64_t>& d) { d.erase(std::lower_bound(d.begin(), d.end(), w.number)); };
  for (const KeyRef& k : w.keys) {
    drop(keys_[k.id].waiting);
    if (!k.shared) drop(keys_[k.id].waiting_exclusive);
  }
}

KeyRefs Engine::intern(const StateKeys& keys) {
  KeyRefs out;
  for (const std::string& k : keys) {
    auto [it, added] = key_ids_.try_emplace(std::string(key_name(k)), static_cast<int>(key_ids_.size()));
    if (added) keys_.emplace_back();
    out.push_back({it->second, is_shared_key(k)});
  }
  return out;
}

void Engine::take(const KeyRefs& keys) {
  for (const KeyRef& k : keys) ++(k.shared ? keys_[k.id].shared : keys_[k.id].exclusive);
}

// Starts the first scenario, in order, that no key blocks; false when none can
// start now. A scan that found nothing is not repeated until a key is released:
// taking keys only blocks more.
bool Engine::start_next() {
  if (stuck_) return false;
  for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
    if (still_blocked(*it)) continue;
    int b = blocker(it->keys, it->number);
    if (b < 0) {
      stop_waiting(*it);
      std::size_t si = it->scenario;
      KeyRefs keys = std::move(it->keys);
      Peek peek = std::move(it->peek);
      waiting_.erase(it);
      start(si, std::move(keys), std::move(peek));
      return true;
    }
    it->blocker = b;
    it->blocker_released = keys_[b].released;
  }
  while (next_ < scenario_count() && waiting_.size() < kWindow) {
    std::size_t si = next_++;
    Peek peek;
    KeyRefs keys = keys_of(si, peek);
    int b = blocker(keys, waiting_number_);
    if (b < 0) {
      start(si, std::move(keys), std::move(peek));
      return true;
    }
    wait(si, std::move(keys), b, std::move(peek));
  }
  stuck_ = true;
  return false;
}

void Engine::release(const KeyRefs& keys) {
  if (keys.empty()) return;
  for (const KeyRef& k : keys) {
    KeyState& c = keys_[k.id];
    --(k.shared ? c.shared : c.exclusive);
    ++c.released;
  }
  stuck_ = false;
}

// A single request's case gets the dialect's common parameters here, in place:
// the oracle peeks at the case as it goes out, and send_step takes it as it is.
KeyRefs Engine::keys_of(std::size_t si, Peek& peek) {
  Scenario& s = scenario(si);
  if (is_sequence(s)) {
    return intern(sequence_keys(s, [this](const std::string& op) -> const spec::Spec* {
      const OpInfo* info = find_op(op);
      return info ? info->spec : nullptr;
    }));
  }
  const OpInfo* op = find_op(s.steps[0].op);
  if (!op) return {};
  Case& c = s.steps[0];
  Settled* settled = in_.source ? in_.source->settled(si) : nullptr;
  if (!settled) transport::add_common_params(c, *op->spec, op->dialect);  // a Settle added them
  if (settled) {
    peek.clean = settled->clean;
    peek.request = std::move(settled->request);
    if (settled->prediction && in_.oracle.step_after) {
      peek.prediction = std::move(*settled->prediction);
      peek.settled = true;
    }
  }
  // Only an op with shared state reads the prediction (request_keys): the
  // oracle's work is skipped for the others.
  if (!peek.settled && has_shared_state(*op->spec)) {
    peek.at = in_.oracle.steps();
    peek.prediction = peek.clean && in_.oracle.peek_clean ? in_.oracle.peek_clean(c) : in_.oracle.peek(c);
  }
  return intern(request_keys(*op->spec, c, peek.prediction));
}

void Engine::start(std::size_t si, KeyRefs keys, Peek peek) {
  take(keys);
  if (!is_sequence(scenario(si))) return send_step(si, 0, -1, std::move(keys), std::move(peek));
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

// A single request's case leaves its scenario for good (keys_of made it ready):
// the scenario keeps only its id and its number of steps for the reports.
void Engine::send_step(std::size_t si, std::size_t step, int lane, KeyRefs keys, Peek peek) {
  Scenario& s = scenario(si);
  Pending p;
  p.scenario = si;
  p.step = step;
  p.lane = lane;
  p.keys = std::move(keys);
  p.op = find_op(s.steps[step].op);
  if (in_.reproduce) p.reproduce = in_.reproduce(s);
  Lane* l = lane >= 0 ? &lanes_.at(lane) : nullptr;
  if (l) {
    Case c = p.op ? transport::with_common_params(s.steps[step], *p.op->spec, p.op->dialect) : s.steps[step];
    c = renumber_placeholders(c, l->global);
    l->global.push_back(in_.oracle.steps());
    p.expected = in_.oracle.step(c);
    p.sent = fill_placeholders(c, l->bodies);
  } else {
    p.sent = std::move(s.steps[step]);
    bool unmoved = (peek.settled || (peek.at >= 0 && peek.at == in_.oracle.steps())) && in_.oracle.step_after;
    bool clean = peek.clean && in_.oracle.step_clean;
    if (unmoved) {
      p.expected = in_.oracle.step_after(p.sent, std::move(peek.prediction), clean);
    } else {
      p.expected = clean ? in_.oracle.step_clean(p.sent) : in_.oracle.step(p.sent);
    }
  }
  note_token(p);
  p.limited = limit() < cfg_.jobs;
  ++inflight_;
  if (!p.op) return finish_unknown_op(std::move(p));
  transport::HttpRequest req =
      peek.request ? std::move(*peek.request) : transport::build_request(p.sent, p.op->dialect, cfg_.endpoint);
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
  outcome_.summary.incomplete = true;
  client_.drop_queued();
}

}  // namespace runner

int exit_code(const RunOutcome& o) {
  if (o.interrupted != 0) return 128 + o.interrupted;
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
