// `conform run`'s scenarios made while the run already sends the first ones:
// generation no longer holds every request back until the last case is made.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/case.h"
#include "core/fixtures.h"
#include "harness/runner.h"
#include "spec/model.h"

namespace conform::gen {
struct Env;
class Plan;
}  // namespace conform::gen

namespace conform::plan {

// shard(generate(specs, fixtures, cases, seed), k, n), scenario for scenario and
// in the same order, made on helper threads: each takes the next chunk of
// scenarios and writes it into its own slots (plan::generate's scheme), and
// at(i) waits only for the chunk that holds scenario i. A shard is made alone:
// its scenarios are i mod n == k of the whole list. With a Settle, the helpers
// also finish each single request, settle its prediction and build its wire
// form (harness/runner.h), work the run's own thread then skips.
class Stream : public ScenarioSource {
 public:
  // `settle`, when set, runs on each single request as the helpers make it (Settle).
  Stream(const std::vector<spec::Spec>& specs, const Fixtures& fixtures, int cases, std::uint64_t seed, int k = 0,
         int n = 1, Settle settle = {});
  ~Stream() override;  // stops making more and waits for the helpers
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  std::size_t size() const override { return slots_.size(); }
  // Rethrows, on the caller's thread, what a generator threw.
  Scenario& at(std::size_t i) override;
  Settled* settled(std::size_t i) override { return settled_.empty() ? nullptr : &settled_[i]; }
  // Every scenario, once all are made.
  std::vector<Scenario> take_all();

 private:
  static constexpr std::size_t kChunk = 8;
  static constexpr int kNice = 10;  // the helpers' nice value (Stream::work)
  void work();
  Scenario make(std::size_t slot) const;
  void wait_for(std::size_t chunk);

  const std::vector<spec::Spec>& specs_;
  std::uint64_t seed_;
  std::size_t per_op_ = 0;
  std::size_t total_ = 0;  // generated scenarios of the whole list (the extra ones follow)
  std::size_t k_ = 0, n_ = 1;
  std::vector<std::unique_ptr<gen::Env>> envs_;
  std::vector<std::unique_ptr<gen::Plan>> plans_;
  std::vector<Scenario> extra_;
  std::vector<Scenario> slots_;
  Settle settle_;
  std::vector<Settled> settled_;  // parallel to slots_ when settle_ is set
  std::unique_ptr<std::atomic<bool>[]> done_;  // per chunk
  std::atomic<std::size_t> next_{0};           // the next chunk's first slot
  std::atomic<bool> stop_{false};
  std::mutex m_;
  std::condition_variable made_;
  int waiters_ = 0;
  std::exception_ptr error_;
  std::vector<std::thread> helpers_;
};

}  // namespace conform::plan
