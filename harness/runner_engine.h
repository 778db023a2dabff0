// Internal to the runner (harness/runner.h): the engine that runs the scenarios.
// runner.cc schedules (which scenario or step goes out when, on which
// connection); runner_exchange.cc turns an answer into a judged, reported event
// and shrinks failures.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "harness/reach.h"
#include "harness/runner.h"
#include "harness/runner_order.h"
#include "harness/runner_pace.h"
#include "transport/client.h"
#include "transport/dialect.h"

namespace conform::runner {

struct OpInfo {
  const spec::Spec* spec = nullptr;
  transport::Dialect dialect = transport::Dialect::aliyun_rpc;
};

// A state key (harness/runner_order.h) as the engine holds it: its name interned
// to a small number, so that the scheduler's checks are array lookups.
struct KeyRef {
  int id = 0;
  bool shared = false;
};
using KeyRefs = std::vector<KeyRef>;

// One request on its way: which scenario step it is and what was predicted.
struct Pending {
  std::size_t scenario = 0;
  std::size_t step = 0;
  Case sent;  // as on the wire (placeholders filled)
  report::Prediction expected;
  const OpInfo* op = nullptr;
  int lane = -1;            // the sequence this step belongs to (-1: a single request)
  KeyRefs keys;             // a single request's state keys, released when it completes
  std::string replay_id;  // set when this replays an earlier idempotent request
  bool replay = false;
  std::string token_key;  // op + token + signature, for recording the first answer
  std::string reproduce;  // RunInput::reproduce of its scenario, made before the case left it
  bool limited = false;   // sent while the Pacer held the run under --jobs
};

// The oracle's prediction for a single request when its state keys were made
// (only for an op with shared state), and the model step it was made at: when
// the model has not moved since, sending the request reuses it. A settled one
// (made with the request, from the request alone) is reused whenever it is sent.
struct Peek {
  report::Prediction prediction;
  int at = -1;  // RunOracle::steps() then; -1: no prediction
  bool settled = false;  // ScenarioSource::settled: no model step can change it
  bool clean = false;    // Settled::clean: the oracle's *_clean functions apply
  std::optional<transport::HttpRequest> request;  // Settled::request
};

class Engine {
 public:
  Engine(RunInput in, const RunConfig& cfg, report::Listeners& out, transport::Client& client,
         std::map<std::string, OpInfo> ops)
      : in_(std::move(in)), cfg_(cfg), out_(out), client_(client), ops_(std::move(ops)),
        origin_(cfg.endpoint.origin()) {}

  RunOutcome run();

 private:
  using Body = std::shared_ptr<const nlohmann::json>;
  struct Held {  // a failure kept back for shrinking
    Pending pending;
    report::ExchangeDone event;
  };
  // A stateful sequence in progress: its steps go one after another, each after
  // the previous one's answer, on one connection (the client pins it to the
  // lane), holding the sequence's state keys throughout.
  struct Lane {
    std::size_t scenario = 0;
    std::size_t step = 0;
    std::vector<int> global;  // model step of each of its steps sent so far
    std::map<int, Body> bodies;
    KeyRefs keys;
  };
  // Per interned key: its holders in flight, the waiting scenarios that name it
  // (their waiting numbers, ascending; all and exclusive ones), and how many
  // times it was released (a waiting scenario blocked on it is looked at again
  // only after that changed).
  struct KeyState {
    int shared = 0;
    int exclusive = 0;
    std::deque<std::uint64_t> waiting;
    std::deque<std::uint64_t> waiting_exclusive;
    std::uint32_t released = 0;
  };
  // A scenario that could not start yet, in scenario order: numbered as it
  // began waiting, and the key that blocked it when last looked at.
  struct Waiting {
    std::size_t scenario = 0;
    KeyRefs keys;
    std::uint64_t number = 0;
    int blocker = -1;
    std::uint32_t blocker_released = 0;
    Peek peek;
  };

  // runner.cc: scheduling.
  void pump();
  void check_interrupt();
  static constexpr int kTickMs = 100;         // how often a run waiting for answers looks for a signal
  static constexpr int kStopGraceMs = 1000;   // what the exchanges in flight get after one
  bool start_next();
  int blocker(const KeyRefs& keys, std::uint64_t number) const;
  bool still_blocked(const Waiting& w) const;
  void wait(std::size_t si, KeyRefs keys, int blocked_by, Peek peek);
  void stop_waiting(const Waiting& w);
  KeyRefs keys_of(std::size_t si, Peek& peek);
  KeyRefs intern(const StateKeys& keys);
  void take(const KeyRefs& keys);
  void release(const KeyRefs& keys);
  static bool is_sequence(const Scenario& s) { return s.stateful || s.steps.size() > 1; }
  std::size_t scenario_count() const { return in_.source ? in_.source->size() : in_.scenarios.size(); }
  Scenario& scenario(std::size_t si) { return in_.source ? in_.source->at(si) : in_.scenarios[si]; }
  const Scenario& scenario(std::size_t si) const { return in_.source ? in_.source->at(si) : in_.scenarios[si]; }
  void start(std::size_t si, KeyRefs keys, Peek peek);
  // One request until the target answered; then --jobs, or the Pacer's limit
  // while a chain (a sequence in progress, a scenario waiting for a key) is pending.
  int limit() const { return answered_ ? pacer_.limit(cfg_.jobs, !lanes_.empty() || !waiting_.empty()) : 1; }
  const OpInfo* find_op(const std::string& op) const;
  void send_step(std::size_t si, std::size_t step, int lane, KeyRefs keys, Peek peek = {});
  void note_token(Pending& p);
  void stop(std::string reason);

  // runner_exchange.cc: answers into events.
  void finish_unknown_op(Pending p);
  report::ExchangeDone base_event(const Pending& p) const;
  void on_done(Pending p, transport::Exchange x);
  transport::Dialect reached_dialect(const Pending& p) const;
  void judge(const Pending& p, const transport::Reply& reply, report::ExchangeDone& e);
  void settle(const Pending& p, report::ExchangeDone& e) const;
  void note_transport_error(const transport::TransportError& err);
  void complete(Pending p, report::ExchangeDone e, Body body);
  void emit(report::ExchangeDone e);
  report::ExchangeDone send_now(Pending p);
  void shrink_and_emit(Held h);
  void count(const report::ExchangeDone& e);

  RunInput in_;
  const RunConfig& cfg_;
  report::Listeners& out_;
  transport::Client& client_;
  std::map<std::string, OpInfo> ops_;
  const std::string origin_;  // cfg_.endpoint.origin(), for every event
  RunOutcome outcome_;
  std::size_t next_ = 0;
  int inflight_ = 0;
  bool answered_ = false;
  Reach reach_;  // whether the target ever sent a byte back (exit 3 if not)
  Pacer pacer_;
  bool stopping_ = false;
  int consecutive_errors_ = 0;
  // The key table (runner_order.h's KeyTable, by interned name): what the
  // requests and sequences in flight hold.
  std::unordered_map<std::string, int> key_ids_;
  std::vector<KeyState> keys_;
  std::deque<Waiting> waiting_;  // blocked on a key, in scenario order
  std::uint64_t waiting_number_ = 0;
  // True when start_next found nothing to start and no key was released since:
  // a new scan would find nothing either.
  bool stuck_ = false;
  std::map<int, Lane> lanes_;  // sequences in progress
  int next_lane_ = 0;
  static constexpr std::size_t kWindow = 256;  // waiting scenarios before none new is looked at
  std::map<std::string, std::string> first_ids_;  // token key -> id the first success got
  std::vector<Held> shrinking_;  // failures kept back for shrinking
  static constexpr std::size_t kMaxShrunk = 30;
  static constexpr int kShrinkAttempts = 40;
  // Shrinking sends one request at a time after the main phase: it stops for good
  // after kShrinkErrors transport errors in a row (a target that stopped
  // answering would otherwise cost 30 x 40 x --timeout) or past kShrinkBudgetS
  // seconds; the failures left go out as they were, saying why.
  static constexpr int kShrinkErrors = 3;
  static constexpr int kShrinkBudgetS = 60;
  int shrink_errors_ = 0;
  std::string shrink_stopped_;  // why shrinking stopped, once it has
  std::chrono::steady_clock::time_point shrink_deadline_{};
};

}  // namespace conform::runner
