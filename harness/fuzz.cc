#include "harness/fuzz.h"

#include <chrono>
#include <map>
#include <set>
#include <string_view>

#include "core/text.h"
#include "harness/fuzz_mutate.h"
#include "harness/interrupt.h"
#include "harness/reach.h"
#include "harness/runner.h"
#include "harness/runner_case.h"
#include "harness/verdict.h"
#include "transport/client.h"
#include "transport/dialect.h"

namespace conform::fuzz {
namespace {

using report::ExchangeDone;
using report::Finding;
using report::Outcome;
using Clock = std::chrono::steady_clock;

Finding finding(std::string check, Outcome o, std::string message, int status, std::string code) {
  return {std::move(check), o, std::move(message), 0, {}, status, std::move(code), false};
}

// Whether an operation is sent with `method`: an aliyun-rpc one with GET or POST
// (DESIGN.md, "Dialects"), any other with its spec's method.
bool method_of(const spec::Spec& spec, transport::Dialect d, std::string_view method) {
  if (d == transport::Dialect::aliyun_rpc) return text::equals_ci(method, "GET") || text::equals_ci(method, "POST");
  return text::equals_ci(method, spec.method.empty() ? "GET" : spec.method);
}

// splitmix64's finaliser: spreads consecutive seeds over the whole range.
std::uint64_t mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

struct Sent {
  std::size_t index = 0;  // which mutated request (regenerates it with the seed)
  Mutation m;
  const spec::Spec* spec = nullptr;
  transport::Dialect dialect = transport::Dialect::aliyun_rpc;
};

class Engine {
 public:
  Engine(FuzzInput in, const FuzzConfig& cfg, report::Listeners& out, transport::Client& client)
      : in_(std::move(in)), cfg_(cfg), out_(out), client_(client) {
    for (const spec::Spec& s : *in_.specs) specs_[s.op] = &s;
  }

  FuzzOutcome run() {
    start_ = Clock::now();
    // A signal is noticed between answers (pump), and while none comes too.
    client_.set_tick(std::chrono::milliseconds(kTickMs), [this] { check_interrupt(); });
    pump();
    client_.run();
    // Shrinking sends more requests: after a signal the failures go out as they were.
    // Its budget: kShrinkBudgetS, or with --time a quarter of it (5 s at least).
    int budget = kShrinkBudgetS;
    if (cfg_.seconds > 0) budget = std::min(budget, std::max(5, static_cast<int>(cfg_.seconds / 4)));
    shrink_budget_s_ = budget;
    shrink_deadline_ = Clock::now() + std::chrono::seconds(budget);
    for (auto& [sent, event] : held_) {
      if (interrupted_ == 0) shrink_and_emit(std::move(sent), std::move(event));
      else emit(std::move(event), true);
    }
    // Not one byte back to any request, however few: unreachable, as for `run`.
    if (std::string why = reach_.never_answered(static_cast<long long>(next_));
        interrupted_ == 0 && !outcome_.unreachable && !why.empty()) {
      outcome_.unreachable = true;
      outcome_.summary.stop_reason = std::move(why);
    }
    outcome_.summary.elapsed_s = std::chrono::duration<double>(Clock::now() - start_).count();
    outcome_.summary.target = cfg_.target_name;
    outcome_.summary.exit_code = interrupted_ != 0          ? 128 + interrupted_
                                 : outcome_.unreachable ? kExitUnreachable
                                 : outcome_.summary.fail + outcome_.summary.error > 0 ? kExitFindings
                                                                                       : kExitOk;
    out_.run_finished(outcome_.summary);
    return outcome_;
  }

 private:
  bool out_of_time() const {
    return cfg_.seconds > 0 && std::chrono::duration<double>(Clock::now() - start_).count() >= cfg_.seconds;
  }

  // After a signal: no new request; those in flight get kStopGraceMs more, then
  // end as timeouts that say why (as `conform run` does).
  void check_interrupt() {
    int sig = interrupt::pending();
    if (sig == 0 || interrupted_ != 0) return;
    interrupted_ = sig;
    stopping_ = true;
    outcome_.summary.stop_reason =
        std::string("interrupted by ") + interrupt::name(sig) + " after " + std::to_string(next_) + " requests";
    outcome_.summary.incomplete = true;
    client_.drop_queued();
    client_.hurry(std::chrono::milliseconds(kStopGraceMs), "no answer within " + std::to_string(kStopGraceMs) +
                                                               " ms after " + interrupt::name(sig) + " stopped the run");
  }

  void pump() {
    check_interrupt();
    int limit = answered_ ? cfg_.jobs : 1;
    while (!stopping_ && inflight_ < limit && next_ < static_cast<std::size_t>(cfg_.cases) && !in_.bases.empty()) {
      if (out_of_time()) {
        stopping_ = true;
        outcome_.summary.stop_reason = "--time reached after " + std::to_string(next_) + " requests";
        return;
      }
      send(make(next_++));
    }
  }

  Sent make(std::size_t i) const {
    // Request i: a base and a mutation drawn from (run seed, i) alone.
    Sent s;
    s.index = i;
    std::uint64_t h = mix(cfg_.seed * 0x9E3779B97F4A7C15ull + i + 1);
    const Case& base = in_.bases[h % in_.bases.size()];
    s.m = mutate(base, mix(h));
    auto it = specs_.find(base.op);
    s.spec = it == specs_.end() ? nullptr : it->second;
    if (s.spec) {
      if (auto d = transport::parse_dialect(s.spec->dialect)) s.dialect = *d;
    }
    return s;
  }

  void send(Sent s) {
    ++inflight_;
    transport::HttpRequest req = transport::build_request(s.m.mutated, s.dialect, cfg_.endpoint);
    client_.submit(std::move(req), [this, s = std::move(s)](transport::Exchange x) mutable {
      --inflight_;
      ExchangeDone e = judge(s, std::move(x));
      if (e.error) {
        note_transport_error(*e.error);
      } else {
        answered_ = true;
        reach_.answered();
        consecutive_errors_ = 0;
      }
      std::string sig = signature(e);
      // A warning (an answer the properties allow, though not the best one) is
      // reported, but is no failure to shrink, count or save.
      const bool failed = e.outcome == Outcome::fail || e.outcome == Outcome::error;
      if (failed && seen_.insert(sig).second && cfg_.shrink && held_.size() < kMaxShrunk) {
        held_.emplace_back(std::move(s), std::move(e));
      } else {
        emit(std::move(e), failed && !sig.empty() && saved_.insert(sig).second);
      }
      pump();
    });
  }

  ExchangeDone judge(const Sent& s, transport::Exchange x) const {
    ExchangeDone e;
    e.target = cfg_.target_name;
    e.origin = cfg_.endpoint.origin();
    e.case_id = "fuzz#" + std::to_string(s.index);
    e.op = s.m.mutated.op;
    e.rule = "fuzz." + s.m.kind.substr(0, s.m.kind.find('+'));
    e.side = "mutated";
    e.expected.rule = s.m.detail;
    e.expected.citation = "DESIGN.md, Fuzzing: no 5xx, no dropped connection, a timely answer, a well-formed error body";
    e.findings = check_answer(s.spec ? s.spec->dialect : "", s.m.mutated.method, x,
                              s.spec && !method_of(*s.spec, s.dialect, s.m.mutated.method));
    e.request = std::move(x.request);
    e.elapsed_ms = x.elapsed_ms;
    e.error = std::move(x.error);
    if (x.response) {
      if (s.spec) {
        transport::Reply r = transport::read_reply(s.dialect, *x.response);
        e.observed_code = r.code;
        e.request_id = r.request_id;
      }
      e.response = std::move(x.response);
    }
    e.outcome = verdict::outcome_of(e.findings);
    Case sent = s.m.mutated;
    sent.id = e.case_id;
    e.case_json = to_json_line(Scenario{e.case_id, {sent}, false});
    if (in_.reproduce) e.reproduce = in_.reproduce(s.index);
    return e;
  }

  // What makes two failures the same bug: the op, the failing properties and
  // the status (or the transport failure).
  static std::string signature(const ExchangeDone& e) {
    if (e.outcome == Outcome::pass) return "";
    std::string sig = e.op + "|" + std::to_string(e.response ? e.response->status : 0) + "|" + e.observed_code;
    for (const Finding& f : e.findings) {
      if (f.outcome != Outcome::pass) sig += "|" + f.check;
    }
    if (e.error) sig += "|" + std::string(transport::to_string(e.error->kind));
    return sig;
  }

  void note_transport_error(const transport::TransportError& err) {
    ++consecutive_errors_;
    reach_.failed(err);
    bool never = !answered_ && (err.kind == transport::FailureKind::refused ||
                                err.kind == transport::FailureKind::unreachable);
    if (!never && consecutive_errors_ < cfg_.max_transport_errors) return;
    if (stopping_) return;
    stopping_ = true;
    outcome_.unreachable = true;
    outcome_.summary.incomplete = true;
    outcome_.summary.stop_reason = never ? "the target could not be reached: " + err.message
                                         : std::to_string(consecutive_errors_) + " transport errors in a row (last: " +
                                               err.message + ")";
    client_.drop_queued();
  }

  // Sends one request after the main phase and waits for it.
  ExchangeDone send_now(const Sent& s) {
    ExchangeDone out;
    client_.submit(transport::build_request(s.m.mutated, s.dialect, cfg_.endpoint),
                   [&](transport::Exchange x) { out = judge(s, std::move(x)); });
    client_.run();
    return out;
  }

  // The smallest request that still fails the same way, as `conform run` does
  // (runner::shrink_by_removal).
  void shrink_and_emit(Sent s, ExchangeDone e) {
    if (outcome_.unreachable) return emit(std::move(e), true);
    if (!shrink_stopped_.empty()) {
      e.shrunk = "not shrunk: " + shrink_stopped_;
      return emit(std::move(e), true);
    }
    const std::string want = signature(e);
    runner::Shrunk shrunk = runner::shrink_by_removal(s.m.mutated, kShrinkAttempts, [&](const Case& smaller) {
      // A signal, a target that stopped answering or the budget ends the shrinking
      // with what it has.
      if (interrupted_ != 0 || !shrink_stopped_.empty()) return false;
      if (Clock::now() >= shrink_deadline_) {
        shrink_stopped_ = "shrinking took more than " + std::to_string(shrink_budget_s_) + " s";
        return false;
      }
      Sent trial = s;
      trial.m.mutated = smaller;
      ExchangeDone te = send_now(trial);
      if (te.error) {
        if (++shrink_errors_ >= kShrinkErrors) {
          shrink_stopped_ = std::to_string(kShrinkErrors) + " tries in a row while shrinking got no answer (last: " +
                            std::string(transport::to_string(te.error->kind)) + ")";
        }
        // (A timeout may be the very failure being shrunk: it still counts below.)
      } else {
        shrink_errors_ = 0;
      }
      if (signature(te) != want) return false;
      s = std::move(trial);
      e = std::move(te);
      return true;
    });
    if (!shrunk.removed.empty()) e.shrunk = runner::shrunk_note(shrunk);
    if (shrunk.removed.empty() && !shrink_stopped_.empty()) e.shrunk = "not shrunk: " + shrink_stopped_;
    emit(std::move(e), true);
  }

  void emit(ExchangeDone e, bool first_of_its_kind) {
    report::RunFinished& s = outcome_.summary;
    ++s.exchanges;
    runner::tally(s, e.outcome);
    if (first_of_its_kind) {
      ++outcome_.distinct;
      if (in_.on_failure) in_.on_failure(e);
    }
    out_.exchange_done(std::move(e));
  }

  FuzzInput in_;
  const FuzzConfig& cfg_;
  report::Listeners& out_;
  transport::Client& client_;
  std::map<std::string, const spec::Spec*> specs_;
  FuzzOutcome outcome_;
  Clock::time_point start_;
  std::size_t next_ = 0;
  int inflight_ = 0;
  bool answered_ = false;
  runner::Reach reach_;  // whether the target ever sent a byte back (exit 3 if not)
  bool stopping_ = false;
  int interrupted_ = 0;  // the signal that stopped the run, 0 for none
  int consecutive_errors_ = 0;
  std::set<std::string> seen_;   // failure signatures met so far
  std::set<std::string> saved_;  // and those already reported as first of their kind
  std::vector<std::pair<Sent, ExchangeDone>> held_;
  static constexpr std::size_t kMaxShrunk = 20;
  static constexpr int kShrinkAttempts = 40;
  // As conform run (runner_engine.h): shrinking stops after kShrinkErrors
  // transport errors in a row, or past its budget.
  static constexpr int kShrinkErrors = 3;
  static constexpr int kShrinkBudgetS = 60;
  int shrink_errors_ = 0;
  int shrink_budget_s_ = kShrinkBudgetS;
  std::string shrink_stopped_;
  Clock::time_point shrink_deadline_{};
  static constexpr int kTickMs = 100;        // how often a run waiting for answers looks for a signal
  static constexpr int kStopGraceMs = 1000;  // what the exchanges in flight get after one
};

}  // namespace

std::vector<Finding> check_answer(const std::string& dialect, const std::string& method, const transport::Exchange& x,
                                  bool foreign_method) {
  std::vector<Finding> out;
  if (!x.response) {
    const transport::TransportError& err = *x.error;
    std::string check = err.kind == transport::FailureKind::timeout ? "timely_answer" : "connection";
    out.push_back(finding(check, Outcome::error, std::string(transport::to_string(err.kind)) + ": " + err.message, 0, ""));
    return out;
  }
  const transport::HttpResponse& r = *x.response;
  auto d = transport::parse_dialect(dialect);
  transport::Reply reply = d ? transport::read_reply(*d, r) : transport::Reply{};
  if (r.status == 501 && foreign_method) {
    // RFC 9110 section 15.6.2: 501 "is the appropriate response when the server
    // does not recognize the request method and is not capable of supporting it
    // for any resource" (Python's http.server answers every method it has no
    // handler for so). Allowed, but 405 would say more: a warning.
    out.push_back(finding("no_5xx", Outcome::warning,
                          "answered 501 to method " + method +
                              ", which the operation does not use: RFC 9110 section 15.6.2 allows it for a method the "
                              "server does not implement; 405 would say the resource does not allow it",
                          r.status, reply.code));
  } else if (r.status >= 500) {
    out.push_back(finding("no_5xx", Outcome::fail, "answered " + std::to_string(r.status) +
                                                       (reply.code.empty() ? "" : " " + reply.code) +
                                                       ": a broken request is the client's error (4xx), never a 5xx",
                          r.status, reply.code));
  } else if (r.status < 200 || (r.status >= 300 && r.status < 400)) {
    out.push_back(finding("status", Outcome::fail, "answered " + std::to_string(r.status) + ", neither 2xx nor 4xx",
                          r.status, reply.code));
  } else {
    out.push_back(finding("no_5xx", Outcome::pass, "answered " + std::to_string(r.status), r.status, reply.code));
  }
  if (r.unsolicited_bytes > 0) {
    out.push_back(finding("framing", Outcome::error,
                          std::to_string(r.unsolicited_bytes) + " bytes followed the answer before any other request "
                                                                 "(a second answer to one request?)",
                          r.status, reply.code));
  }
  // Every 4xx owes the dialect's error body, the HTTP layer's limits (411, 413,
  // 414, 431) too: the service's gateway answers them in its own error shape
  // (docs/decisions.md section 3, "HTTP level").
  if (r.status >= 400 && r.status < 500 && d && method != "HEAD") {
    std::string problem;
    if (!reply.parse_error.empty()) {
      problem = "the error body is not well-formed: " + reply.parse_error;
    } else if (reply.format != transport::Reply::Format::json && reply.format != transport::Reply::Format::xml) {
      std::string what = reply.content_type.empty() || reply.format == transport::Reply::Format::empty
                             ? std::string(transport::to_string(reply.format))
                             : reply.content_type;
      problem = "the error body is " + what + ", not " + dialect + " JSON or XML";
    } else if (reply.code.empty()) {
      problem = "the error body names no error code (" + dialect + ")";
    } else if (transport::has_request_id(*d) && reply.request_id.empty()) {
      problem = "the error answer has no request id (" + dialect + " promises one)";
    }
    out.push_back(finding("error_body", problem.empty() ? Outcome::pass : Outcome::fail,
                          problem.empty() ? "a well-formed " + dialect + " error" : problem, r.status, reply.code));
  }
  return out;
}

Result<FuzzOutcome> fuzz(FuzzInput input, const FuzzConfig& config, report::Listeners& listeners) {
  transport::ClientOptions co;
  co.connections = config.jobs;
  co.timeout_ms = config.timeout_ms;
  co.max_response_bytes = config.max_response_bytes;
  co.throttle.retries = 0;
  CONFORM_TRY(client, transport::Client::create(config.endpoint, co));
  Engine engine(std::move(input), config, listeners, *client);
  return engine.run();
}

}  // namespace conform::fuzz
