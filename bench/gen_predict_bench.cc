// gen+predict throughput per operation: generate case i of the operation (as
// `conform gen` does: one gen::Plan per operation), then predict each of its
// steps. Items are cases.
//   build-release/generators/gen_predict_bench --benchmark_filter=ecs.CreateInstance
//   CONFORM_BENCH_ROOT=/tmp/old-checkout build-release/generators/gen_predict_bench
// CONFORM_BENCH_ITERATIONS=N runs each benchmark exactly N iterations (cases 0..N-1
// for gen_predict), so that callgrind's instruction counts compare two builds:
//   CONFORM_BENCH_ITERATIONS=1000 valgrind --tool=callgrind gen_predict_bench
//     --benchmark_filter=gen_predict/ecs.CreateInstance
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "core/test_paths.h"
#include "generators/plan.h"
#include "oracles/predict.h"
#include "spec/loader.h"

namespace {

using namespace conform;

struct World {
  std::vector<spec::Spec> specs;
  Fixtures fixtures;
  std::unique_ptr<oracle::Model> model;
};

const World& world() {
  static const World w = [] {
    World out;
    // CONFORM_BENCH_ROOT: a folder with specs/ and fixtures/ other than the source
    // tree's (to compare two builds on the same specs).
    const char* env_root = std::getenv("CONFORM_BENCH_ROOT");
    const std::string root = env_root ? env_root : CONFORM_SOURCE_DIR;
    auto specs = spec::load_specs(root + "/specs");
    auto fixtures = load_fixtures(root + "/fixtures/default.json");
    if (!specs || !fixtures) {
      std::cerr << "cannot load specs or fixtures\n";
      std::exit(2);
    }
    out.specs = std::move(*specs);
    out.fixtures = std::move(*fixtures);
    out.model = std::make_unique<oracle::Model>(out.specs, out.fixtures);
    return out;
  }();
  return w;
}

void gen_predict(benchmark::State& state, std::size_t op_index) {
  const World& w = world();
  const spec::Spec& s = w.specs[op_index];
  gen::Env env{s, w.fixtures, gen::default_region(s, w.fixtures)};
  gen::Plan plan(env, w.specs);
  oracle::Model model = *w.model;
  std::size_t i = 0;
  for (auto _ : state) {
    Scenario sc = plan.case_at(i++, gen::kDefaultSeed);
    model.reset();
    for (const Case& c : sc.steps) benchmark::DoNotOptimize(sc.stateful ? oracle::step(c, model) : oracle::predict(c, model));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Predict alone, over a fixed set of generated cases.
void predict_only(benchmark::State& state, std::size_t op_index) {
  const World& w = world();
  const spec::Spec& s = w.specs[op_index];
  gen::Env env{s, w.fixtures, gen::default_region(s, w.fixtures)};
  std::vector<Case> cases;
  for (std::size_t i = 0; i < 500; ++i) {
    Scenario sc = gen::generate_one(env, w.specs, i, gen::kDefaultSeed);
    if (!sc.stateful) cases.push_back(sc.steps[0]);
  }
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(oracle::predict(cases[i++ % cases.size()], *w.model));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

const bool registered = [] {
  const World& w = world();
  const char* env_iterations = std::getenv("CONFORM_BENCH_ITERATIONS");
  const long long iterations = env_iterations ? std::atoll(env_iterations) : 0;
  for (std::size_t k = 0; k < w.specs.size(); ++k) {
    for (auto* b : {benchmark::RegisterBenchmark(("gen_predict/" + w.specs[k].op).c_str(), gen_predict, k),
                    benchmark::RegisterBenchmark(("predict/" + w.specs[k].op).c_str(), predict_only, k)}) {
      b->Unit(benchmark::kMicrosecond);
      if (iterations > 0) b->Iterations(iterations);
    }
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
