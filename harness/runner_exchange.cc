// The run loop's answers: an exchange judged (harness/verdict.h), baselined,
// counted and handed to the listeners; failures held back and shrunk first.
#include <chrono>

#include <nlohmann/json.hpp>

#include "harness/runner_case.h"
#include "harness/runner_engine.h"
#include "harness/verdict.h"
#include "transport/throttle.h"

namespace conform::runner {
namespace {

using report::ExchangeDone;
using report::Outcome;
using report::Prediction;

report::Finding throttled_finding(const transport::Exchange& x, const Prediction& expected) {
  transport::Reply reply = transport::read_reply(transport::Dialect::aliyun_rpc, *x.response);
  return {"throttled", Outcome::warning,
          "the target kept throttling (" + std::to_string(x.throttled) + " throttling answers, last " +
              std::to_string(x.response->status) + (reply.code.empty() ? "" : " " + reply.code) +
              "); not judged: lower --rate or the target's rate",
          expected.status, expected.codes, x.response->status, reply.code, false};
}

// What makes two failures "the same": the predicted rule, the observed status
// and code, and which checks failed.
std::string failure_signature(const ExchangeDone& e) {
  std::string sig = e.expected.rule + "|" + std::to_string(e.response ? e.response->status : 0) + "|" + e.observed_code;
  for (const report::Finding& f : e.findings) {
    if (f.outcome == Outcome::fail) sig += "|" + f.check;
  }
  return sig;
}

}  // namespace

void Engine::finish_unknown_op(Pending p) {
  ExchangeDone e = base_event(p);
  e.findings.push_back({"operation", Outcome::error, "no spec for operation '" + p.sent.op + "'", 0, {}, 0, "", false});
  complete(std::move(p), std::move(e), nullptr);
}

ExchangeDone Engine::base_event(const Pending& p) const {
  ExchangeDone e;
  e.target = cfg_.target_name;
  e.origin = origin_;
  const Scenario& s = scenario(p.scenario);
  // append() rather than "#" + ...: GCC 12 at -O3 warns (-Wrestrict, a false
  // positive) on a literal plus a std::string here.
  e.case_id = s.id.empty() ? std::string("#").append(std::to_string(p.scenario + 1)) : s.id;
  if (s.steps.size() > 1) e.case_id.append("/").append(std::to_string(p.step));
  e.op = p.sent.op;
  e.expected = p.expected;
  label(e, p.sent, p.expected);
  e.reproduce = p.reproduce;
  // The body build_request wrote from the case, for the redactor; not when a
  // signer (prepare) may have rewritten what was sent.
  if (p.op && p.op->dialect != transport::Dialect::aliyun_rpc && p.sent.body && !p.sent.raw_body && !cfg_.prepare) {
    e.request_json = p.sent.body;
  }
  return e;
}

// The verdict after the baseline; the case line only where a failure may be
// saved (--save-failures): no report reads it, and most exchanges pass.
void Engine::settle(const Pending& p, ExchangeDone& e) const {
  if (in_.baseline) in_.baseline->apply(e);
  e.outcome = verdict::outcome_of(e.findings);
  if (e.outcome == Outcome::fail || e.outcome == Outcome::error) {
    e.case_json = to_json_line(Scenario{e.case_id, {p.sent}, false});
  }
}

void Engine::on_done(Pending p, transport::Exchange x) {
  ExchangeDone e = base_event(p);
  e.request = std::move(x.request);
  e.elapsed_ms = x.elapsed_ms;
  Body body;
  outcome_.summary.throttled += x.throttled;
  if (x.ok() && transport::is_throttling(*x.response)) {
    // Still throttled after the bounded retries: not an answer to judge, and
    // never a conformance failure; counted apart.
    answered_ = true;
    reach_.answered();
    ++outcome_.summary.throttled_unjudged;
    e.findings.push_back(throttled_finding(x, p.expected));
    e.response = std::move(x.response);
  } else if (!x.ok()) {
    e.error = x.error;
    e.findings.push_back(verdict::transport_finding(*x.error, p.expected));
    note_transport_error(*x.error);
  } else {
    answered_ = true;
    reach_.answered();
    consecutive_errors_ = 0;
    pacer_.answered(std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(), p.limited);
    transport::Reply reply = transport::read_reply(reached_dialect(p), *x.response);
    e.observed_code = reply.code;
    e.request_id = reply.request_id;
    if (reply.format == transport::Reply::Format::json) e.response_json = reply.body;
    body = reply.body;
    judge(p, reply, e);
    if (x.response->unsolicited_bytes > 0) {
      e.findings.push_back({"framing", Outcome::error,
                            std::to_string(x.response->unsolicited_bytes) +
                                " bytes followed the answer before any other request (a second answer to one "
                                "request?); the connection was closed so that no other request reads them",
                            p.expected.status, p.expected.codes, reply.status, reply.code, false});
    }
    e.response = std::move(x.response);
  }
  complete(std::move(p), std::move(e), std::move(body));
}

// The dialect of the gateway that answered: that of the operation the request
// reached (the oracle's `op`: the path picks it, decisions.md section 3,
// "Routing"), which may not be the case's own; where the error code and the
// request id sit in the answer is that gateway's business.
transport::Dialect Engine::reached_dialect(const Pending& p) const {
  if (!p.expected.op.empty() && p.expected.op != p.op->spec->op) {
    if (const OpInfo* reached = find_op(p.expected.op)) return reached->dialect;
  }
  return p.op->dialect;
}

void Engine::judge(const Pending& p, const transport::Reply& reply, ExchangeDone& e) {
  if (!p.expected.error.empty()) {
    e.findings.push_back({"prediction", Outcome::warning, "the oracle could not predict: " + p.expected.error,
                          0, {}, reply.status, reply.code, false});
    return;
  }
  const std::string* replay = p.replay ? &p.replay_id : nullptr;
  // The documented response is that of the operation the request reached, which the
  // path picks (decisions.md section 3, "Routing"), not always the case's own.
  const spec::Spec* reached = p.op->spec;
  if (!p.expected.op.empty() && p.expected.op != reached->op && in_.specs) {
    for (const spec::Spec& s : *in_.specs) {
      if (s.op == p.expected.op) reached = &s;
    }
  }
  verdict::Input vin{p.sent, *reached, reached_dialect(p), p.expected, reply, cfg_.strict, replay};
  e.findings = verdict::judge(vin);
  if (!p.replay && !p.token_key.empty() && reply.status >= 200 && reply.status < 300) {
    first_ids_.emplace(p.token_key, verdict::created_id(*p.op->spec, reply));
  }
}

void Engine::note_transport_error(const transport::TransportError& err) {
  ++consecutive_errors_;
  reach_.failed(err);
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

void Engine::complete(Pending p, ExchangeDone e, Body body) {
  settle(p, e);
  bool hold = cfg_.shrink && e.outcome == Outcome::fail && p.lane < 0 && shrinking_.size() < kMaxShrunk;
  if (hold) {
    shrinking_.push_back({p, std::move(e)});
  } else {
    emit(std::move(e));
  }
  --inflight_;
  if (p.lane < 0) {
    release(p.keys);
  } else {
    Lane& lane = lanes_.at(p.lane);
    if (!lane.global.empty()) lane.bodies[lane.global.back()] = std::move(body);
    if (++lane.step < scenario(lane.scenario).steps.size() && !stopping_) {
      send_step(lane.scenario, lane.step, p.lane, {});
    } else {
      release(lane.keys);
      client_.unpin(p.lane);
      lanes_.erase(p.lane);
    }
  }
  pump();
}

void Engine::emit(ExchangeDone e) {
  count(e);
  if (in_.record_baseline) in_.record_baseline->record(e);
  if (in_.on_failure && (e.outcome == Outcome::fail || e.outcome == Outcome::error)) in_.on_failure(e);
  out_.exchange_done(std::move(e));
}

// Sends one request now and waits for it (the main phase is over, so the
// client is idle), judged like any other.
ExchangeDone Engine::send_now(Pending p) {
  p.expected = in_.oracle.step(p.sent);
  ExchangeDone out;
  transport::HttpRequest req = transport::build_request(p.sent, p.op->dialect, cfg_.endpoint);
  client_.submit(std::move(req), [&](transport::Exchange x) {
    ExchangeDone e = base_event(p);
    e.request = std::move(x.request);
    e.elapsed_ms = x.elapsed_ms;
    if (x.ok()) {
      transport::Reply reply = transport::read_reply(reached_dialect(p), *x.response);
      e.observed_code = reply.code;
      if (reply.format == transport::Reply::Format::json) e.response_json = reply.body;
      judge(p, reply, e);
      e.response = std::move(x.response);
    } else {
      e.error = x.error;
      e.findings.push_back(verdict::transport_finding(*x.error, p.expected));
    }
    settle(p, e);
    out = std::move(e);
  });
  client_.run();
  return out;
}

// The smallest request that still fails the same way (runner::shrink_by_removal).
void Engine::shrink_and_emit(Held h) {
  if (stopping_) return emit(std::move(h.event));
  if (!shrink_stopped_.empty()) {
    h.event.shrunk = "not shrunk: " + shrink_stopped_;
    return emit(std::move(h.event));
  }
  const std::string want = failure_signature(h.event);
  Pending best = h.pending;
  ExchangeDone best_event = std::move(h.event);
  Shrunk s = shrink_by_removal(best.sent, kShrinkAttempts, [&](const Case& smaller) {
    // A signal, a dead target or the time budget ends the shrinking with what it has.
    if (stopping_ || !shrink_stopped_.empty()) return false;
    if (std::chrono::steady_clock::now() >= shrink_deadline_) {
      shrink_stopped_ = "shrinking took more than " + std::to_string(kShrinkBudgetS) + " s";
      return false;
    }
    Pending trial = best;
    trial.sent = smaller;
    ExchangeDone e = send_now(trial);
    if (e.error) {
      if (++shrink_errors_ >= kShrinkErrors) {
        shrink_stopped_ = std::to_string(kShrinkErrors) + " tries in a row while shrinking got no answer (last: " +
                          std::string(transport::to_string(e.error->kind)) + ")";
      }
      return false;
    }
    shrink_errors_ = 0;
    if (e.outcome != Outcome::fail || failure_signature(e) != want) return false;
    best = std::move(trial);
    best_event = std::move(e);
    return true;
  });
  if (!s.removed.empty()) best_event.shrunk = shrunk_note(s);
  if (s.removed.empty() && !shrink_stopped_.empty()) best_event.shrunk = "not shrunk: " + shrink_stopped_;
  emit(std::move(best_event));
}

void Engine::count(const ExchangeDone& e) {
  report::RunFinished& s = outcome_.summary;
  ++s.exchanges;
  tally(s, e.outcome);
  for (const report::Finding& f : e.findings) {
    if (f.baselined) {
      ++s.baselined;
      break;
    }
  }
}

}  // namespace conform::runner
