// The runner's Pacer (harness/runner_pace.h): a quarter of --jobs in flight
// while a chain is pending, kept against a target that answers one request at a
// time and dropped against one that answers in parallel.
#include "harness/runner_pace.h"

#include <gtest/gtest.h>

namespace conform::runner {
namespace {

// Answers from a target that takes `service` seconds per request, one at a
// time (serial) or each on its own (parallel, then `inflight` at once), until
// `n` answers; returns the clock after them.
double feed(Pacer& pacer, double now, int n, int jobs, bool chain, bool serial, double service) {
  for (int i = 0; i < n; ++i) {
    int inflight = pacer.limit(jobs, chain);
    bool limited = inflight < jobs;
    now += serial ? service : service / inflight;
    pacer.answered(now, limited);
  }
  return now;
}

TEST(Pacer, FullJobsUntilTheUnlimitedThroughputIsKnown) {
  Pacer pacer;
  EXPECT_EQ(pacer.limit(16, true), 16);
  feed(pacer, 0, static_cast<int>(Pacer::kWindow) - 1, 16, true, true, 1e-4);
  EXPECT_EQ(pacer.limit(16, true), 16);
  feed(pacer, 1, 1, 16, true, true, 1e-4);
  EXPECT_EQ(pacer.limit(16, true), 4);
  EXPECT_EQ(pacer.limit(16, false), 16) << "no chain pending: no limit";
}

TEST(Pacer, KeptAgainstATargetThatAnswersOneAtATime) {
  Pacer pacer;
  double now = feed(pacer, 0, 2000, 16, true, true, 1e-4);
  EXPECT_FALSE(pacer.dropped());
  EXPECT_EQ(pacer.limit(16, true), 4);
  // Noise within kKeep does not drop it either.
  feed(pacer, now, 200, 16, true, true, 1.8e-4);
  EXPECT_FALSE(pacer.dropped());
}

TEST(Pacer, DroppedAgainstATargetThatAnswersInParallel) {
  Pacer pacer;
  double now = feed(pacer, 0, (1 + Pacer::kStrikes) * static_cast<int>(Pacer::kWindow) - 1, 16, true, false, 0.1);
  EXPECT_FALSE(pacer.dropped()) << "not kStrikes whole windows under the limit yet";
  feed(pacer, now, 1, 16, true, false, 0.1);
  EXPECT_TRUE(pacer.dropped());
  EXPECT_EQ(pacer.limit(16, true), 16);
}

// A stall (one window at a tenth of the speed) against a one-at-a-time target
// keeps the limit; so do stalls with good windows between them.
TEST(Pacer, KeptThroughAnOddSlowWindow) {
  Pacer pacer;
  // One window without the limit, then windows under it, aligned with the stalls.
  double now = feed(pacer, 0, 8 * static_cast<int>(Pacer::kWindow), 16, true, true, 1e-4);
  for (int k = 0; k < 5; ++k) {
    now = feed(pacer, now, static_cast<int>(Pacer::kWindow) * (Pacer::kStrikes - 1), 16, true, true, 1e-3);
    now = feed(pacer, now, static_cast<int>(Pacer::kWindow), 16, true, true, 1e-4);
  }
  EXPECT_FALSE(pacer.dropped());
  EXPECT_EQ(pacer.limit(16, true), 4);
}

TEST(Pacer, SmallJobs) {
  Pacer pacer;
  feed(pacer, 0, 100, 4, false, true, 1e-4);
  EXPECT_EQ(pacer.limit(1, true), 1);
  EXPECT_EQ(pacer.limit(2, true), 2);
  EXPECT_EQ(pacer.limit(4, true), 2);
  EXPECT_EQ(pacer.limit(8, true), 2);
  EXPECT_EQ(pacer.limit(32, true), 8);
}

}  // namespace
}  // namespace conform::runner
