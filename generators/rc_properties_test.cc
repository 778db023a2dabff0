// RapidCheck properties (fixed seed from RC_PARAMS): predict is total on any JSON
// value; gen is deterministic per seed; random-seed valid cases succeed; and a
// stateful model of idempotency tokens and created references, run as
// rc::state commands against the oracle's model.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <nlohmann/json.hpp>

#include "core/test_paths.h"
#include "generators/cases.h"
#include "generators/plan.h"
#include "generators/sequences.h"
#include "oracles/predict.h"
#include "spec/loader.h"

namespace conform::gen {
namespace {

using nlohmann::json;

struct World {
  std::vector<spec::Spec> specs;
  Fixtures fixtures;
  std::unique_ptr<oracle::Model> model;
  const spec::Spec* find(const std::string& op) const {
    for (const auto& s : specs) {
      if (s.op == op) return &s;
    }
    return nullptr;
  }
};

const World& world() {
  static const World w = [] {
    World out;
    auto specs = spec::load_specs(CONFORM_SOURCE_DIR + "/specs");
    auto fixtures = load_fixtures(CONFORM_SOURCE_DIR + "/fixtures/default.json");
    if (!specs || !fixtures) std::abort();
    out.specs = *specs;
    out.fixtures = *fixtures;
    out.model = std::make_unique<oracle::Model>(*specs, *fixtures);
    return out;
  }();
  return w;
}

Env env_of(const spec::Spec& s) { return Env{s, world().fixtures, default_region(s, world().fixtures)}; }

// Any JSON value, with the names and values cases use mixed in (raw bytes too,
// so strings need not be UTF-8).
json any_json(Rng& rng, int depth) {
  static const std::vector<std::string> words = {
      "op", "query", "body", "raw_body", "steps", "method", "path", "Action", "Version", "RegionId", "ImageId",
      "Groups", "DataDisk.1.Size", "DataDisk.0.Size", "OperationPreferences", "headers", "ecs.CreateInstance",
      "CreateInstance", "2014-05-26", "{\"a\":1}", "[\"1\"]", "POST", "/clusters", "\xE0\x80", ""};
  auto text = [&] {
    if (rng.chance(60)) return rng.pick(words);
    std::string out;
    for (std::size_t i = rng.below(12); i > 0; --i) out += static_cast<char>(rng.below(256));
    return out;
  };
  switch (depth <= 0 ? rng.below(5) : rng.below(7)) {
    case 0: return nullptr;
    case 1: return rng.chance(50);
    case 2: return static_cast<long long>(rng.next());
    case 3: return static_cast<double>(rng.next()) / 7.0;
    case 4: return text();
    case 5: {
      json a = json::array();
      for (std::size_t i = rng.below(4); i > 0; --i) a.push_back(any_json(rng, depth - 1));
      return a;
    }
    default: {
      json o = json::object();
      for (std::size_t i = rng.below(5); i > 0; --i) o[text()] = any_json(rng, depth - 1);
      return o;
    }
  }
}

// Whatever JSON a case file holds, reading it and predicting it neither throws nor crashes.
RC_GTEST_PROP(RcProperties, PredictIsTotalOnAnyJson, ()) {
  Rng rng(*rc::gen::arbitrary<std::uint64_t>());
  json j = any_json(rng, 3);
  const auto op = *rc::gen::element<std::string>("ecs.CreateInstance", "ecs.CreateDeploymentSet", "ros.CreateStackInstances",
                                                 "batchcompute.CreateCluster", "dcs.CreateInstance");
  std::vector<json> tries = {j, json{{"op", op}, {"query", j}}, json{{"op", op}, {"body", j}, {"method", "POST"}},
                             json{{"op", op}, {"steps", json::array({j, json{{"op", op}, {"query", j}}})}},
                             json{{"op", op}, {"raw_body", j.dump(-1, ' ', false, json::error_handler_t::ignore)}, {"method", "POST"}, {"path", "/clusters"}}};
  oracle::Model model = *world().model;
  for (const json& t : tries) {
    auto s = scenario_from_json(t, "rc");
    if (!s) continue;
    for (const Case& c : s->steps) {
      oracle::Expectation e = oracle::step(c, model);
      RC_ASSERT(e.error.empty() || e.error.rfind("unknown operation", 0) == 0);
    }
  }
}

RC_GTEST_PROP(RcProperties, GenIsDeterministicPerSeed, (std::uint64_t seed)) {
  const spec::Spec& s = world().specs[*rc::gen::inRange<std::size_t>(0, world().specs.size())];
  Env env = env_of(s);
  for (std::size_t i = 0; i < 5; ++i) {
    RC_ASSERT(to_json_line(generate_one(env, world().specs, i, seed)) ==
              to_json_line(generate_one(env, world().specs, i, seed)));
  }
}

RC_GTEST_PROP(RcProperties, RandomSeedValidCasesSucceed, (std::uint64_t seed)) {
  const spec::Spec& s = world().specs[*rc::gen::inRange<std::size_t>(0, world().specs.size())];
  Env env = env_of(s);
  Rng rng(seed);
  auto c = valid_case(env, rng, nullptr, *rc::gen::arbitrary<bool>(), 0);
  RC_ASSERT(c.has_value());
  oracle::Expectation e = oracle::predict(*c, *world().model);
  RC_ASSERT(e.success());
}

// What settle() says of a request alone is what the whole oracle says: its
// answer is predict()'s, and a clean request's predict_clean() is predict(),
// on a model that has taken the earlier steps. The run's way to step (settled
// answers through step_after, clean ones through step_clean) leaves the model
// as step() does.
RC_GTEST_PROP(RcProperties, SettleAgreesWithTheWholeOracle, (std::uint64_t seed)) {
  oracle::Model whole = *world().model;
  oracle::Model run = *world().model;
  int answers = 0, cleans = 0;
  for (const spec::Spec& s : world().specs) {
    Env env = env_of(s);
    for (std::size_t i = 0; i < 12; ++i) {
      Scenario sc = generate_one(env, world().specs, i, seed);
      if (sc.stateful || sc.steps.size() != 1) continue;
      const Case& c = sc.steps[0];
      oracle::Settled settled = oracle::settle(c, run);
      json predicted, expected, stepped;
      oracle::to_json(predicted, oracle::predict(c, whole));
      answers += settled.answer ? 1 : 0;
      cleans += settled.clean ? 1 : 0;
      if (settled.answer) {
        RC_ASSERT(!settled.clean);
        RC_ASSERT(!settled.answer->success());
        json answer;
        oracle::to_json(answer, *settled.answer);
        RC_ASSERT(answer == predicted);
      } else if (settled.clean) {
        json clean;
        oracle::to_json(clean, oracle::predict_clean(c, run));
        RC_ASSERT(clean == predicted);
      }
      oracle::to_json(expected, oracle::step(c, whole));
      oracle::Expectation e = settled.answer  ? oracle::step_after(c, run, *settled.answer, false)
                              : settled.clean ? oracle::step_clean(c, run)
                                              : oracle::step(c, run);
      oracle::to_json(stepped, e);
      RC_ASSERT(stepped == expected);
    }
  }
  RC_ASSERT(answers > 0 && cleans > 0);  // both ways were taken
  RC_ASSERT(run.steps == whole.steps);
  RC_ASSERT(run.created.size() == whole.created.size());
  RC_ASSERT(run.tokens.size() == whole.tokens.size());
  RC_ASSERT(run.unique_keys == whole.unique_keys);
  RC_ASSERT(run.creates == whole.creates);
}

// --- stateful: ClientToken reuse and DeploymentSets created earlier ---

struct Seq {
  std::vector<Case> with_token;       // CreateDeploymentSet requests that succeeded with a token
  std::vector<std::size_t> creators;  // steps that created a DeploymentSet
  std::size_t steps = 0;
};
using Cmd = rc::state::Command<Seq, oracle::Model>;

Case deployment_set(std::uint64_t seed, const std::string& token) {
  Env env = env_of(*world().find("ecs.CreateDeploymentSet"));
  Rng rng(seed);
  Draft d = base_draft(env, rng, true);
  d.erase("ClientToken");
  if (!token.empty()) d.set(Slot{"ClientToken", "", ""}, token);
  return render(env, d);
}

struct CreateFresh : Cmd {
  std::uint64_t seed = *rc::gen::arbitrary<std::uint64_t>();
  bool token = *rc::gen::arbitrary<bool>();
  Case c = deployment_set(seed, token ? "tok" + std::to_string(seed) : "");
  void apply(Seq& m) const override {
    if (token) m.with_token.push_back(c);
    m.creators.push_back(m.steps++);
  }
  void run(const Seq&, oracle::Model& sut) const override { RC_ASSERT(oracle::step(c, sut).success()); }
};

struct ReplaySame : Cmd {
  std::size_t pick = *rc::gen::arbitrary<std::size_t>();
  void checkPreconditions(const Seq& m) const override { RC_PRE(!m.with_token.empty()); }
  void apply(Seq& m) const override { ++m.steps; }  // answers as before: creates nothing new
  void run(const Seq& m, oracle::Model& sut) const override {
    RC_ASSERT(oracle::step(m.with_token[pick % m.with_token.size()], sut).success());
  }
};

struct ReplayDifferent : Cmd {
  std::size_t pick = *rc::gen::arbitrary<std::size_t>();
  void checkPreconditions(const Seq& m) const override { RC_PRE(!m.with_token.empty()); }
  void apply(Seq& m) const override { ++m.steps; }
  void run(const Seq& m, oracle::Model& sut) const override {
    Case c = m.with_token[pick % m.with_token.size()];
    c.query.emplace_back("Description", "another description " + std::to_string(pick));
    for (auto& [k, v] : c.query) {
      if (k == "Description") v = "different " + std::to_string(pick);  // the first one counts
    }
    RC_ASSERT(oracle::step(c, sut).rule == "ClientToken.idempotency");
  }
};

struct UseDeploymentSet : Cmd {
  std::uint64_t seed = *rc::gen::arbitrary<std::uint64_t>();
  std::size_t pick = *rc::gen::arbitrary<std::size_t>();
  bool existing = *rc::gen::arbitrary<bool>();
  void checkPreconditions(const Seq& m) const override { RC_PRE(!existing || !m.creators.empty()); }
  void apply(Seq& m) const override { ++m.steps; }
  void run(const Seq& m, oracle::Model& sut) const override {
    Env env = env_of(*world().find("ecs.CreateInstance"));
    Rng rng(seed);
    Draft d = base_draft(env, rng, false);
    std::size_t step = existing ? m.creators[pick % m.creators.size()] : m.steps + 100;
    d.set(Slot{"DeploymentSetId", "", ""}, step_ref(step, "DeploymentSetId"));
    oracle::Expectation e = oracle::step(render(env, d), sut);
    bool ok = existing ? e.success() : e.rule == "DeploymentSetId.reference";
    RC_ASSERT(ok);
  }
};

RC_GTEST_PROP(RcProperties, TokensAndCreatedReferences, ()) {
  oracle::Model sut = *world().model;
  sut.reset();
  rc::state::check(Seq{}, sut, rc::state::gen::execOneOfWithArgs<CreateFresh, ReplaySame, ReplayDifferent, UseDeploymentSet>());
}

}  // namespace
}  // namespace conform::gen
