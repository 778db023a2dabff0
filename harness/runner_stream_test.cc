// plan::Stream: the scenarios of shard(generate(...)) made on helper threads,
// each the same as one thread makes it (gen::generate_op, then the extra ones).
#include "harness/runner_stream.h"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "core/test_paths.h"
#include "generators/plan.h"
#include "harness/runner_plan.h"
#include "spec/loader.h"

namespace conform {
namespace {

std::vector<std::string> one_thread(const std::vector<spec::Spec>& specs, const Fixtures& f, int cases,
                                    std::uint64_t seed, int k, int n) {
  std::vector<std::string> all;
  for (const spec::Spec& s : specs) {
    gen::Env env(s, f, gen::default_region(s, f));
    for (const Scenario& sc : gen::generate_op(env, specs, cases, seed)) all.push_back(to_json_line(sc));
  }
  for (const Scenario& sc : plan::extra_scenarios(specs, f, seed)) all.push_back(to_json_line(sc));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(n)) == k) out.push_back(all[i]);
  }
  return out;
}

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto specs = spec::load_specs(std::string(CONFORM_SOURCE_DIR) + "/specs");
    ASSERT_TRUE(specs) << specs.error().message();
    specs_ = std::move(*specs);
  }
  std::vector<spec::Spec> specs_;
  Fixtures fixtures_;
};

TEST_F(StreamTest, SameScenariosInAnyOrderOfAsking) {
  for (auto [k, n] : {std::pair{0, 1}, std::pair{1, 3}, std::pair{2, 3}}) {
    std::vector<std::string> want = one_thread(specs_, fixtures_, 30, 7, k, n);
    plan::Stream stream(specs_, fixtures_, 30, 7, k, n);
    ASSERT_EQ(stream.size(), want.size()) << k << "/" << n;
    std::vector<std::size_t> order(want.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), std::mt19937(42));
    for (std::size_t i : order) EXPECT_EQ(to_json_line(stream.at(i)), want[i]) << k << "/" << n << " #" << i;
  }
}

TEST_F(StreamTest, GenerateAndShardAgreeWithOneThread) {
  std::vector<std::string> want = one_thread(specs_, fixtures_, 20, 3, 1, 2);
  std::vector<Scenario> got = plan::shard(plan::generate(specs_, fixtures_, 20, 3), 1, 2);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(to_json_line(got[i]), want[i]) << i;
}

TEST_F(StreamTest, StopsEarlyWhenDroppedBeforeTheEnd) {
  plan::Stream stream(specs_, fixtures_, 200, 1);
  EXPECT_FALSE(stream.at(0).steps.empty());
  // The destructor stops the helpers and waits for them: no hang, no crash.
}

}  // namespace
}  // namespace conform
