#include "harness/runner.h"

#include <chrono>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "harness/runner_case.h"
#include "harness/verdict.h"
#include "transport/client.h"
#include "transport/dialect.h"

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
  bool exclusive = false;
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
    outcome_.summary.exit_code = exit_code(outcome_);
    out_.run_finished(outcome_.summary);
    return outcome_;
  }

 private:
  // Sends what may go now; called at the start and after every completion.
  void pump() {
    while (!stopping_ && !exclusive_ && inflight_ < limit()) {
      if (seq_) {
        if (inflight_ > 0) return;
        send_step(*seq_, seq_step_);
        return;
      }
      if (next_ >= in_.scenarios.size()) return;
      const Scenario& s = in_.scenarios[next_];
      if (s.stateful || s.steps.size() > 1) {
        if (inflight_ > 0) return;
        seq_ = next_++;
        seq_step_ = 0;
        seq_global_.clear();
        seq_bodies_.clear();
        continue;
      }
      const OpInfo* op = find_op(s.steps[0].op);
      Case c = op ? transport::with_common_params(s.steps[0], *op->spec, op->dialect) : s.steps[0];
      if (changes_state(in_.oracle.peek(c), c, op) && inflight_ > 0) return;
      send_step(next_++, 0);
    }
  }

  // Until the first answer, one request at a time: a target that refuses the first
  // connection gets one request, not --jobs of them.
  int limit() const { return answered_ ? cfg_.jobs : 1; }

  const OpInfo* find_op(const std::string& op) const {
    auto it = ops_.find(op);
    return it == ops_.end() ? nullptr : &it->second;
  }

  bool changes_state(const Prediction& p, const Case& c, const OpInfo* op) const {
    if (!op) return false;
    return (p.error.empty() && p.status >= 200 && p.status < 300) || !runner::idempotency_token(*op->spec, c).empty();
  }

  void send_step(std::size_t si, std::size_t step) {
    const Scenario& s = in_.scenarios[si];
    Pending p;
    p.scenario = si;
    p.step = step;
    p.op = find_op(s.steps[step].op);
    Case c = s.steps[step];
    if (p.op) c = transport::with_common_params(c, *p.op->spec, p.op->dialect);
    bool sequence = seq_.has_value();
    if (sequence) {
      c = runner::renumber_placeholders(c, seq_global_);
      seq_global_.push_back(in_.oracle.steps());
    }
    p.expected = in_.oracle.step(c);
    p.exclusive = sequence || changes_state(p.expected, c, p.op);
    p.sent = sequence ? runner::fill_placeholders(c, seq_bodies_) : c;
    note_token(p);
    ++inflight_;
    if (p.exclusive) exclusive_ = true;
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
    if (!x.ok()) {
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
    bool never_reached = !answered_ && (err.kind == transport::FailureKind::refused ||
                                        err.kind == transport::FailureKind::unreachable);
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
    bool hold = cfg_.shrink && e.outcome == Outcome::fail && !seq_ && held_.size() < kMaxShrunk;
    if (hold) {
      held_.push_back({p, std::move(e)});
    } else {
      emit(std::move(e));
    }
    --inflight_;
    if (p.exclusive) exclusive_ = false;
    if (seq_) {
      if (!seq_global_.empty()) seq_bodies_[seq_global_.back()] = std::move(body);
      if (++seq_step_ >= in_.scenarios[*seq_].steps.size()) seq_.reset();
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
  bool exclusive_ = false;
  bool answered_ = false;
  bool stopping_ = false;
  int consecutive_errors_ = 0;
  std::optional<std::size_t> seq_;
  std::size_t seq_step_ = 0;
  std::vector<int> seq_global_;
  std::map<int, std::shared_ptr<const nlohmann::json>> seq_bodies_;
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
  CONFORM_TRY(client, transport::Client::create(config.endpoint, co));
  Engine engine(std::move(input), config, listeners, *client, std::move(ops));
  return engine.run();
}

}  // namespace conform
