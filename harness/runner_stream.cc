#include "harness/runner_stream.h"

#include <algorithm>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "generators/plan.h"
#include "harness/runner_plan.h"

namespace conform::plan {

Stream::Stream(const std::vector<spec::Spec>& specs, const Fixtures& fixtures, int cases, std::uint64_t seed, int k,
               int n, Settle settle)
    : specs_(specs), seed_(seed), k_(static_cast<std::size_t>(std::max(k, 0))),
      n_(static_cast<std::size_t>(std::max(n, 1))), settle_(std::move(settle)) {
  per_op_ = static_cast<std::size_t>(cases > 0 ? cases : gen::kDefaultCases);
  for (const spec::Spec& s : specs) {
    envs_.push_back(std::make_unique<gen::Env>(s, fixtures, gen::default_region(s, fixtures)));
    plans_.push_back(std::make_unique<gen::Plan>(*envs_.back(), specs));
  }
  total_ = per_op_ * specs.size();
  extra_ = extra_scenarios(specs, fixtures, seed);
  const std::size_t whole = total_ + extra_.size();
  slots_.resize(whole > k_ ? (whole - k_ + n_ - 1) / n_ : 0);
  if (settle_) settled_.resize(slots_.size());
  const std::size_t chunks = (slots_.size() + kChunk - 1) / kChunk;
  done_ = std::make_unique<std::atomic<bool>[]>(chunks);
  for (std::size_t c = 0; c < chunks; ++c) done_[c].store(false, std::memory_order_relaxed);
  unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  if (slots_.size() < 4 * kChunk) threads = 1;
  for (unsigned t = 0; t < threads && chunks > 0; ++t) helpers_.emplace_back([this] { work(); });
}

Stream::~Stream() {
  stop_ = true;
  for (std::thread& t : helpers_) t.join();
}

// Slot i is scenario k + i*n of the whole list: the generated cases, op by op,
// then the dialect's extra scenarios.
Scenario Stream::make(std::size_t slot) const {
  std::size_t j = k_ + slot * n_;
  if (j >= total_) return extra_[j - total_];
  return plans_[j / per_op_]->case_at(j % per_op_, seed_);
}

void Stream::work() {
  // Look-ahead work: the engine's thread, which sends and judges, and a target on
  // this machine (the embedded emulator) come first. Linux nices a thread on its
  // own (its tid); failing that, the helper runs at the process's priority.
  // A default run against conform emulate on 2 cores, 5 runs each way: best
  // 0.305 s at nice 10, 0.340 s at the process's.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kNice);
  try {
    for (std::size_t first = next_.fetch_add(kChunk); first < slots_.size() && !stop_;
         first = next_.fetch_add(kChunk)) {
      const std::size_t end = std::min(first + kChunk, slots_.size());
      for (std::size_t i = first; i < end; ++i) {
        slots_[i] = make(i);
        // A single request is predicted here when the request alone decides it:
        // the run's own thread, which sends and judges, then only counts the step.
        Scenario& s = slots_[i];
        if (settle_ && !s.stateful && s.steps.size() == 1) settled_[i] = settle_(s.steps[0]);
      }
      std::lock_guard<std::mutex> lock(m_);
      done_[first / kChunk].store(true, std::memory_order_release);
      if (waiters_ > 0) made_.notify_all();
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(m_);
    if (!error_) error_ = std::current_exception();
    stop_ = true;
    made_.notify_all();
  }
}

void Stream::wait_for(std::size_t chunk) {
  if (done_[chunk].load(std::memory_order_acquire)) return;
  std::unique_lock<std::mutex> lock(m_);
  ++waiters_;
  made_.wait(lock, [&] { return done_[chunk].load(std::memory_order_acquire) || error_; });
  --waiters_;
  if (!done_[chunk].load(std::memory_order_acquire)) std::rethrow_exception(error_);
}

Scenario& Stream::at(std::size_t i) {
  wait_for(i / kChunk);
  return slots_[i];
}

std::vector<Scenario> Stream::take_all() {
  for (std::size_t c = 0; c * kChunk < slots_.size(); ++c) wait_for(c);
  return std::move(slots_);
}

}  // namespace conform::plan
