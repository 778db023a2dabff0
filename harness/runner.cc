#include "harness/runner.h"

#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <optional>

#include <nlohmann/json.hpp>

#include "harness/runner_case.h"
#include "harness/runner_order.h"
#include "harness/verdict.h"
#include "transport/client.h"
#include "transport/dialect.h"
#include "transport/throttle.h"

namespace conform {
namespace {

using report::ExchangeDone;
using report::Outcome;
using report::Prediction;
using Clock = std::chrono::steady_clock;

struct OpInfo {
  const spec::Spec* spec = nullptr;
  transport::Dialect dialect = transport::Dialect::aliyun_rpc;
};

// One request on its way: which scenario step it is and what was predicted.
struct Pending {
  std::size_t scenario = 0;
  std::size_t step = 0;
  Case sent;  // as on the wire (placeholders filled)
  Prediction expected;
  const OpInfo* op = nullptr;
  int lane = -1;            // the sequence this step belongs to (-1: a single request)
  runner::StateKeys keys;   // a single request's state keys, released when it completes
  std::string replay_id;  // set when this replays an earlier idempotent request
  bool replay = false;
  std::string token_key;  // op + token + signature, for recording the first answer
};

class Engine {
  struct Held {  // a failure kept back for shrinking
    Pending pending;
    ExchangeDone event;
  };

 public:
  Engine(RunInput in, const RunConfig& cfg, report::Listeners& out, transport::Client& client,
         std::map<std::string, OpInfo> ops)
      : in_(std::move(in)), cfg_(cfg), out_(out), client_(client), ops_(std::move(ops)) {}

  RunOutcome run() {
    auto start = Clock::now();
    pump();
    client_.run();
    for (Held& h : held_) shrink_and_emit(std::move(h));
    outcome_.summary.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
    outcome_.summary.target = cfg_.target_name;
    outcome_.summary.exit_code = exit_code(outcome_);
    out_.run_finished(outcome_.summary);
    return outcome_;
  }

 private:
  // A stateful sequence in progress: its steps go one after another, each after
  // the previous one's answer, holding the sequence's state keys throughout.
  struct Lane {
    std::size_t scenario = 0;
    std::size_t step = 0;
    std::vector<int> global;  // model step of each of its steps sent so far
    std::map<int, std::shared_ptr<const nlohmann::json>> bodies;
    runner::StateKeys keys;
  };

  // Sends what may go now; called at the start and after every completion
  // (harness/runner_order.h: which requests may be in flight together).
  void pump() {
    while (!stopping_ && inflight_ < limit() && start_next()) {
    }
  }

  // Starts the first scenario, in order, whose state keys are free and shared with
  // no earlier scenario still waiting (so that requests on one piece of state reach
  // the target in scenario order); false when none can start now.
  bool start_next() {
    std::vector<const std::string*> ahead;  // keys of the waiting scenarios before this one
    auto startable = [&](const runner::StateKeys& keys) {
      return keys.empty() || (held_keys_.free(keys) && !runner::conflicts(keys, ahead));
    };
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
      if (startable(it->second)) {
        auto [si, keys] = std::move(*it);
        waiting_.erase(it);
        start(si, std::move(keys));
        return true;
      }
      for (const std::string& k : it->second) ahead.push_back(&k);
    }
    while (next_ < in_.scenarios.size() && waiting_.size() < kWindow) {
      std::size_t si = next_++;
      runner::StateKeys keys = keys_of(si);
      if (startable(keys)) {
        start(si, std::move(keys));
        return true;
      }
      waiting_.emplace_back(si, std::move(keys));
      for (const std::string& k : waiting_.back().second) ahead.push_back(&k);
    }
    return false;
  }

  runner::StateKeys keys_of(std::size_t si) const {
    const Scenario& s = in_.scenarios[si];
    if (is_sequence(s)) {
      return runner::sequence_keys(s, [this](const std::string& op) -> const spec::Spec* {
        const OpInfo* info = find_op(op);
        return info ? info->spec : nullptr;
      });
    }
    const OpInfo* op = find_op(s.steps[0].op);
    if (!op) return {};
    Case c = transport::with_common_params(s.steps[0], *op->spec, op->dialect);
    return runner::request_keys(*op->spec, c, in_.oracle.peek(c));
  }

  static bool is_sequence(const Scenario& s) { return s.stateful || s.steps.size() > 1; }

  void start(std::size_t si, runner::StateKeys keys) {
    held_keys_.take(keys);
    if (!is_sequence(in_.scenarios[si])) return send_step(si, 0, -1, std::move(keys));
    int id = next_lane_++;
    Lane& lane = lanes_[id];
    lane.scenario = si;
    lane.keys = std::move(keys);
    send_step(si, 0, id, {});
  }

  // Until the first answer, one request at a time: a target that refuses the first
  // connection gets one request, not --jobs of them.
  int limit() const { return answered_ ? cfg_.jobs : 1; }

  const OpInfo* find_op(const std::string& op) const {
    auto it = ops_.find(op);
    return it == ops_.end() ? nullptr : &it->second;
  }

  void send_step(std::size_t si, std::size_t step, int lane, runner::StateKeys keys) {
    const Scenario& s = in_.scenarios[si];
    Pending p;
    p.scenario = si;
    p.step = step;
    p.lane = lane;
    p.keys = std::move(keys);
    p.op = find_op(s.steps[step].op);
    Case c = s.steps[step];
    if (p.op) c = transport::with_common_params(c, *p.op->spec, p.op->dialect);
    Lane* l = lane >= 0 ? &lanes_.at(lane) : nullptr;
    if (l) {
      c = runner::renumber_placeholders(c, l->global);
      l->global.push_back(in_.oracle.steps());
    }
    p.expected = in_.oracle.step(c);
    p.sent = l ? runner::fill_placeholders(c, l->bodies) : c;
    note_token(p);
    ++inflight_;
    if (!p.op) return finish_unknown_op(std::move(p));
    transport::HttpRequest req = transport::build_request(p.sent, p.op->dialect, cfg_.endpoint);
    client_.submit(std::move(req), [this, p = std::move(p)](transport::Exchange x) mutable {
      on_done(std::move(p), std::move(x));
    });
  }

  void note_token(Pending& p) {
    if (!p.op) return;
    std::string token = runner::idempotency_token(*p.op->spec, p.sent);
    if (token.empty()) return;
    p.token_key = p.op->spec->op + "\n" + token + "\n" + runner::signature(p.sent);
    auto it = first_ids_.find(p.token_key);
    if (it != first_ids_.end()) {
      p.replay = true;
      p.replay_id = it->second;
    }
  }

  void finish_unknown_op(Pending p) {
    ExchangeDone e = base_event(p);
    e.findings.push_back({"operation", Outcome::error, "no spec for operation '" + p.sent.op + "'", 0, {}, 0, "", false});
    complete(std::move(p), std::move(e), nullptr);
  }

  ExchangeDone base_event(const Pending& p) const {
    ExchangeDone e;
    e.target = cfg_.target_name;
    e.origin = cfg_.endpoint.origin();
    const Scenario& s = in_.scenarios[p.scenario];
    e.case_id = s.id.empty() ? "#" + std::to_string(p.scenario + 1) : s.id;
    if (s.steps.size() > 1) e.case_id += "/" + std::to_string(p.step);
    e.op = p.sent.op;
    e.expected = p.expected;
    runner::label(e, p.sent, p.expected);
    e.case_json = to_json_line(Scenario{e.case_id, {p.sent}, false});
    if (in_.reproduce) e.reproduce = in_.reproduce(s);
    return e;
  }

  void on_done(Pending p, transport::Exchange x) {
    ExchangeDone e = base_event(p);
    e.request = std::move(x.request);
    e.elapsed_ms = x.elapsed_ms;
    std::shared_ptr<const nlohmann::json> body;
    outcome_.summary.throttled += x.throttled;
    if (x.ok() && transport::is_throttling(*x.response)) {
      // Still throttled after the bounded retries: not an answer to judge, and
      // never a conformance failure; counted apart.
      answered_ = true;
      ++outcome_.summary.throttled_unjudged;
      e.findings.push_back(throttled_finding(x, p.expected));
      e.response = std::move(x.response);
    } else if (!x.ok()) {
      e.error = x.error;
      e.findings.push_back(verdict::transport_finding(*x.error, p.expected));
      note_transport_error(*x.error);
    } else {
      answered_ = true;
      consecutive_errors_ = 0;
      transport::Reply reply = transport::read_reply(p.op->dialect, *x.response);
      e.observed_code = reply.code;
      e.request_id = reply.request_id;
      body = reply.body;
      judge(p, reply, e);
      e.response = std::move(x.response);
    }
    complete(std::move(p), std::move(e), std::move(body));
  }

  static report::Finding throttled_finding(const transport::Exchange& x, const Prediction& expected) {
    transport::Reply reply = transport::read_reply(transport::Dialect::aliyun_rpc, *x.response);
    return {"throttled", Outcome::warning,
            "the target kept throttling (" + std::to_string(x.throttled) + " throttling answers, last " +
                std::to_string(x.response->status) + (reply.code.empty() ? "" : " " + reply.code) +
                "); not judged: lower --rate or the target's rate",
            expected.status, expected.codes, x.response->status, reply.code, false};
  }

  void judge(const Pending& p, const transport::Reply& reply, ExchangeDone& e) {
    if (!p.expected.error.empty()) {
      e.findings.push_back({"prediction", Outcome::warning, "the oracle could not predict: " + p.expected.error,
                            0, {}, reply.status, reply.code, false});
      return;
    }
    const std::string* replay = p.replay ? &p.replay_id : nullptr;
    verdict::Input vin{p.sent, *p.op->spec, p.op->dialect, p.expected, reply, cfg_.strict, replay};
    e.findings = verdict::judge(vin);
    if (!p.replay && !p.token_key.empty() && reply.status >= 200 && reply.status < 300) {
      first_ids_.emplace(p.token_key, verdict::created_id(*p.op->spec, reply));
    }
  }

  void note_transport_error(const transport::TransportError& err) {
    ++consecutive_errors_;
    // A TLS or proxy failure before any answer is a setup problem (wrong CA, a
    // proxy that refuses): repeating it 20 times would only add noise.
    bool never_reached = !answered_ && (err.kind == transport::FailureKind::refused ||
                                        err.kind == transport::FailureKind::unreachable ||
                                        err.kind == transport::FailureKind::tls ||
                                        err.kind == transport::FailureKind::proxy);
    if (never_reached || consecutive_errors_ >= cfg_.max_transport_errors) {
      stop(never_reached ? "the target could not be reached: " + err.message
                         : std::to_string(consecutive_errors_) + " transport errors in a row (last: " + err.message + ")");
    }
  }

  void stop(std::string reason) {
    if (stopping_) return;
    stopping_ = true;
    outcome_.unreachable = true;
    outcome_.summary.stop_reason = std::move(reason);
    client_.drop_queued();
  }

  void complete(Pending p, ExchangeDone e, std::shared_ptr<const nlohmann::json> body) {
    if (in_.baseline) in_.baseline->apply(e);
    e.outcome = verdict::outcome_of(e.findings);
    bool hold = cfg_.shrink && e.outcome == Outcome::fail && p.lane < 0 && held_.size() < kMaxShrunk;
    if (hold) {
      held_.push_back({p, std::move(e)});
    } else {
      emit(std::move(e));
    }
    --inflight_;
    if (p.lane < 0) {
      held_keys_.release(p.keys);
    } else {
      Lane& lane = lanes_.at(p.lane);
      if (!lane.global.empty()) lane.bodies[lane.global.back()] = std::move(body);
      if (++lane.step < in_.scenarios[lane.scenario].steps.size() && !stopping_) {
        send_step(lane.scenario, lane.step, p.lane, {});
      } else {
        held_keys_.release(lane.keys);
        lanes_.erase(p.lane);
      }
    }
    pump();
  }

  void emit(ExchangeDone e) {
    count(e);
    if (in_.record_baseline) in_.record_baseline->record(e);
    if (in_.on_failure && (e.outcome == Outcome::fail || e.outcome == Outcome::error)) in_.on_failure(e);
    out_.exchange_done(std::move(e));
  }

  // What makes two failures "the same": the predicted rule, the observed status
  // and code, and which checks failed.
  static std::string failure_signature(const ExchangeDone& e) {
    std::string sig = e.expected.rule + "|" + std::to_string(e.response ? e.response->status : 0) + "|" + e.observed_code;
    for (const report::Finding& f : e.findings) {
      if (f.outcome == Outcome::fail) sig += "|" + f.check;
    }
    return sig;
  }

  // Sends one request now and waits for it (the main phase is over, so the
  // client is idle), judged like any other.
  ExchangeDone send_now(Pending p) {
    p.expected = in_.oracle.step(p.sent);
    ExchangeDone out;
    transport::HttpRequest req = transport::build_request(p.sent, p.op->dialect, cfg_.endpoint);
    client_.submit(std::move(req), [&](transport::Exchange x) {
      ExchangeDone e = base_event(p);
      e.request = std::move(x.request);
      e.elapsed_ms = x.elapsed_ms;
      if (x.ok()) {
        transport::Reply reply = transport::read_reply(p.op->dialect, *x.response);
        e.observed_code = reply.code;
        judge(p, reply, e);
        e.response = std::move(x.response);
      } else {
        e.error = x.error;
        e.findings.push_back(verdict::transport_finding(*x.error, p.expected));
      }
      if (in_.baseline) in_.baseline->apply(e);
      e.outcome = verdict::outcome_of(e.findings);
      out = std::move(e);
    });
    client_.run();
    return out;
  }

  // Drops parameters one at a time while the failure stays the same, so that the
  // report shows the smallest request that still fails (a greedy one-removal
  // shrink: each kept removal restarts the scan, at most kShrinkAttempts sends).
  void shrink_and_emit(Held h) {
    if (stopping_) return emit(std::move(h.event));
    const std::string want = failure_signature(h.event);
    Pending best = h.pending;
    ExchangeDone best_event = std::move(h.event);
    std::vector<std::string> removed;
    int attempts = 0;
    for (bool progress = true; progress && attempts < kShrinkAttempts;) {
      progress = false;
      for (const runner::Removal& r : runner::removals(best.sent)) {
        if (++attempts > kShrinkAttempts) break;
        Pending trial = best;
        trial.sent = r.smaller;
        ExchangeDone e = send_now(trial);
        if (e.outcome != Outcome::fail || failure_signature(e) != want) continue;
        best = std::move(trial);
        best_event = std::move(e);
        removed.push_back(r.what);
        progress = true;
        break;
      }
    }
    if (!removed.empty()) {
      std::string list;
      for (const std::string& r : removed) list += (list.empty() ? "" : ", ") + r;
      best_event.shrunk = "shrunk by removing " + list + " (" + std::to_string(attempts) + " tries)";
    }
    emit(std::move(best_event));
  }

  void count(const ExchangeDone& e) {
    report::RunFinished& s = outcome_.summary;
    ++s.exchanges;
    switch (e.outcome) {
      case Outcome::pass: ++s.pass; break;
      case Outcome::warning: ++s.warning; break;
      case Outcome::fail: ++s.fail; break;
      case Outcome::error: ++s.error; break;
    }
    for (const report::Finding& f : e.findings) {
      if (f.baselined) {
        ++s.baselined;
        break;
      }
    }
  }

  RunInput in_;
  const RunConfig& cfg_;
  report::Listeners& out_;
  transport::Client& client_;
  std::map<std::string, OpInfo> ops_;
  RunOutcome outcome_;
  std::size_t next_ = 0;
  int inflight_ = 0;
  bool answered_ = false;
  bool stopping_ = false;
  int consecutive_errors_ = 0;
  runner::KeyTable held_keys_;
  std::deque<std::pair<std::size_t, runner::StateKeys>> waiting_;  // blocked on a key, in scenario order
  std::map<int, Lane> lanes_;  // sequences in progress
  int next_lane_ = 0;
  static constexpr std::size_t kWindow = 256;  // waiting scenarios before none new is looked at
  std::map<std::string, std::string> first_ids_;  // token key -> id the first success got
  std::vector<Held> held_;  // failures kept back for shrinking
  static constexpr std::size_t kMaxShrunk = 30;
  static constexpr int kShrinkAttempts = 40;
};

}  // namespace

int exit_code(const RunOutcome& o) {
  if (o.unreachable) return kExitUnreachable;
  return o.summary.fail + o.summary.error > 0 ? kExitFindings : kExitOk;
}

Result<RunOutcome> run_scenarios(RunInput input, const RunConfig& config, report::Listeners& listeners) {
  std::map<std::string, OpInfo> ops;
  for (const spec::Spec& s : *input.specs) {
    CONFORM_TRY(d, transport::parse_dialect(s.dialect));
    ops[s.op] = OpInfo{&s, d};
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
  Engine engine(std::move(input), config, listeners, *client, std::move(ops));
  return engine.run();
}

}  // namespace conform
