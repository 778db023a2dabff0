// Internal to the runner: how many requests may be in flight while a chain is
// pending, that is, requests that must go one after another (a stateful
// sequence's steps, or scenarios waiting for a key that another holds).
//
// A target that answers one request at a time (the embedded emulator, a
// single-threaded service, a gateway that serialises) queues what we send. With
// --jobs requests in flight, each step of a chain waits behind --jobs - 1 others,
// so a chain of hundreds of steps (a quota filled to its limit, for each side)
// falls behind and then runs alone once all else is done: in a default run
// against the emulator, the last 800 of 3,307 requests went out one at a time.
// Such a target is as fast with a quarter of --jobs in flight, and a chain's
// step then waits behind a quarter as many.
//
// A target that answers in parallel (a real service far away) is slower with
// fewer requests in flight. So the limit is tried: if kStrikes windows of
// kWindow answers in a row under it have throughput below kKeep of the best seen
// without it, the limit is dropped for the rest of the run. One slow window is
// not enough: on a loaded machine a 64-answer window (a few ms) takes a
// scheduling stall now and then, and dropping the limit for it left the chain
// to run alone at the end (default runs of 0.7 s instead of 0.3 s).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>

namespace conform::runner {

class Pacer {
 public:
  static constexpr std::size_t kWindow = 64;  // answers per throughput measurement
  static constexpr double kKeep = 0.5;        // throughput kept under the limit, or it is dropped
  static constexpr int kStrikes = 3;          // windows in a row below kKeep that drop it

  // One answer at `now` (seconds on a steady clock); `limited`: its request was
  // sent under the limit.
  void answered(double now, bool limited) {
    times_[count_ % kWindow] = now;
    in_a_row_ = limited == limited_run_ ? in_a_row_ + 1 : 1;
    limited_run_ = limited;
    ++count_;
    if (count_ < kWindow || in_a_row_ % kWindow != 0) return;  // each window of one kind once
    double span = now - times_[count_ % kWindow];         // since the oldest of the last kWindow
    if (span <= 0) return;
    double rate = static_cast<double>(kWindow - 1) / span;
    if (!limited) {
      best_rate_ = std::max(best_rate_, rate);
    } else if (rate < kKeep * best_rate_) {
      dropped_ = ++strikes_ >= kStrikes;
    } else {
      strikes_ = 0;
    }
  }

  // The limit for the next request: `jobs`, or a quarter of it (at least 2)
  // while a chain is pending, once the throughput without the limit is known.
  int limit(int jobs, bool chain_pending) const {
    if (!chain_pending || dropped_ || best_rate_ <= 0) return jobs;
    return std::min(jobs, std::max(2, jobs / 4));
  }

  bool dropped() const { return dropped_; }

 private:
  std::array<double, kWindow> times_{};
  std::size_t count_ = 0;
  std::size_t in_a_row_ = 0;  // answers in a row sent the way the last one was
  bool limited_run_ = false;
  double best_rate_ = 0;  // answers per second, the best window without the limit
  int strikes_ = 0;       // limited windows in a row below kKeep
  bool dropped_ = false;
};

}  // namespace conform::runner
