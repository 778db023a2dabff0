// End-to-end, the real `conform emulate` on loopback: every error-table row that
// the doc gives a trigger for is produced by some request, and every state rule
// answers as the spec says on both sides.
//
// A row has a trigger when the spec links it to rules (the generators' violating
// cases of those rules, `conform gen`, are its triggers) or when a hand-made case
// in tests/e2e/data/error_rows.jsonl names it (rows the importer could not link,
// whose trigger docs/decisions.md reads from the doc). A row is produced when one
// of its triggers gets the row's status and code; a row with a trigger that is never
// produced fails. Rows without a trigger are counted with the importer's reason.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "core/test_paths.h"
#include "spec/loader.h"
#include "tests/e2e/case_wire.h"
#include "tests/e2e/emulator_client.h"

namespace conform::e2e {
namespace {

using nlohmann::json;
using spec::RuleKind;

// A request built to trigger something, and what it got.
struct Trigger {
  std::string scenario;
  const spec::Rule* rule = nullptr;  // the rule it violates (nullptr: a hand-made row case)
  Exchanged ex;
};

struct HandRow {
  std::string op;
  int line = 0;
  std::string code;
};

struct RunData {
  std::vector<spec::Spec> specs;
  // op -> rule id -> the steps that violate it; op -> doc line -> hand-made triggers.
  std::map<std::string, std::map<std::string, std::vector<Trigger>>> by_rule;
  std::map<std::string, std::map<int, std::vector<Trigger>>> by_row;
  // op -> rule id -> the steps generated on its valid side, and their scenario's steps.
  std::map<std::string, std::map<std::string, std::vector<std::vector<Exchanged>>>> valid;
  std::vector<std::string> errors;  // setup problems: each fails every test
};

// The map a "{key}" placeholder of `param` ranges over: "Groups.{key}.Type" -> Groups.
const json* keyed_map(const std::string& param, const Case& sent) {
  std::size_t k = param.find(".{key}");
  if (k == std::string::npos || !sent.body) return nullptr;
  const json* j = sent.body.get();
  std::string path = param.substr(0, k);
  for (std::size_t start = 0; j && start <= path.size();) {
    std::size_t dot = path.find('.', start);
    std::string seg = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    j = j->is_object() && j->contains(seg) ? &(*j)[seg] : nullptr;
    start = dot == std::string::npos ? path.size() + 1 : dot + 1;
  }
  return j && j->is_object() ? j : nullptr;
}

// Whether `got` is the row's `want`. A "{Parameter}" placeholder stands for the
// parameter of the rule (Invalid{Parameter}: InvalidIdempotentToken); a "{key}"
// placeholder for an entry of the map the rule is about, which the request must have.
bool code_matches(const std::string& want, const std::string& got, const spec::Rule* rule, const Case& sent) {
  std::string w = want;
  if (auto p = w.find("{Parameter}"); p != std::string::npos && rule && !rule->params.empty())
    w.replace(p, 11, rule->params[0]);
  auto k = w.find("{key}");
  if (k == std::string::npos) return got == w;
  const std::string prefix = w.substr(0, k), suffix = w.substr(k + 5);
  if (got.size() <= prefix.size() + suffix.size() || !got.starts_with(prefix) || !got.ends_with(suffix)) return false;
  const std::string key = got.substr(prefix.size(), got.size() - prefix.size() - suffix.size());
  const json* map = rule && !rule->params.empty() ? keyed_map(rule->params[0], sent) : nullptr;
  return map && map->contains(key);
}

std::string seen(const Trigger& t) {
  if (!t.ex.answered) return "no answer";
  return std::to_string(t.ex.reply.status) + " " + (t.ex.reply.code.empty() ? "(no code)" : t.ex.reply.code);
}

std::vector<std::pair<HandRow, Scenario>> hand_cases(std::vector<std::string>& errors) {
  std::vector<std::pair<HandRow, Scenario>> out;
  const std::string file = std::string(CONFORM_SOURCE_DIR) + "/tests/e2e/data/error_rows.jsonl";
  std::ifstream in(file);
  if (!in) errors.push_back("cannot read " + file);
  std::string text;
  for (int n = 1; std::getline(in, text); ++n) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = file + ":" + std::to_string(n);
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.contains("row") || !j["row"].is_object()) {
      errors.push_back(where + ": not a JSON object with a \"row\" {op, line, code}");
      continue;
    }
    HandRow row{j["row"].value("op", ""), j["row"].value("line", 0), j["row"].value("code", "")};
    auto s = scenario_from_json(j, where);
    if (!s) errors.push_back(s.error().message());
    else out.emplace_back(row, std::move(*s));
  }
  return out;
}

RunData& observed() {
  static RunData r = [] {
    RunData r;
    auto specs = spec::load_specs(std::string(CONFORM_SOURCE_DIR) + "/specs");
    if (!specs) {
      r.errors.push_back(specs.error().message());
      return r;
    }
    r.specs = std::move(*specs);
    std::string error;
    // 500 cases per operation: `conform gen --coverage` confirms that this many
    // reach both sides of every reachable rule (generators/ ctest).
    auto generated = generated_cases("--cases 500 --seed 20261202", error);
    if (!error.empty()) r.errors.push_back(error);
    auto hand = hand_cases(r.errors);
    EmulatorProcess emu({});
    if (emu.port() <= 0) {
      r.errors.push_back("conform emulate did not print its port");
      return r;
    }
    auto reset = [&] {
      if (request(emu.port(), "POST", "/_conform/reset").status != 200) r.errors.push_back("reset failed");
    };
    for (const Scenario& s : generated) {
      reset();
      auto done = run_scenario(emu.port(), r.specs, s);
      for (std::size_t i = 0; i < done.size(); ++i) {
        const Case& step = s.steps[i];
        if (!step.target) continue;
        const spec::Spec* spec = find_spec(r.specs, step.op);
        const spec::Rule* rule = spec ? spec->find_rule(step.target->rule) : nullptr;
        if (!rule) continue;  // a dialect pseudo-rule
        if (step.target->side == Side::violating) r.by_rule[step.op][rule->id].push_back({s.id, rule, done[i]});
        else r.valid[step.op][rule->id].push_back(done);
      }
    }
    for (const auto& [row, s] : hand) {
      reset();
      auto done = run_scenario(emu.port(), r.specs, s);
      if (!done.empty()) r.by_row[row.op][row.line].push_back({s.id, nullptr, done.back()});
    }
    return r;
  }();
  return r;
}

TEST(EmulatorErrorRows, EveryRowWithATriggerIsProduced) {
  RunData& r = observed();
  for (const auto& e : r.errors) ADD_FAILURE() << e;
  ASSERT_EQ(r.specs.size(), 5u);
  // Each hand-made case names a row that exists as written.
  for (const auto& [op, rows] : r.by_row) {
    const spec::Spec* s = find_spec(r.specs, op);
    ASSERT_NE(s, nullptr) << "error_rows.jsonl names op " << op;
    for (const auto& [line, triggers] : rows) {
      bool found = false;
      for (const auto& row : s->errors) found = found || row.source.line == line;
      EXPECT_TRUE(found) << "error_rows.jsonl: " << op << " has no error row at doc line " << line;
    }
  }
  int total_rows = 0, total_triggerable = 0, total_produced = 0;
  for (const auto& s : r.specs) {
    int triggerable = 0, produced = 0;
    std::map<std::string, int> untriggered;  // reason -> rows
    for (const auto& row : s.errors) {
      std::vector<const Trigger*> triggers;
      for (const auto& id : row.rules)
        for (const auto& t : r.by_rule[s.op][id]) triggers.push_back(&t);
      for (const auto& t : r.by_row[s.op][row.source.line]) triggers.push_back(&t);
      const std::string where = s.op + " row " + row.code + " (" + s.doc + ":" + std::to_string(row.source.line) + ")";
      if (triggers.empty()) {
        EXPECT_TRUE(row.rules.empty()) << where << " is linked to rules no generated case violates";
        if (row.rules.empty()) ++untriggered[row.unlinked_reason.substr(0, row.unlinked_reason.find_first_of(":,"))];
        continue;
      }
      ++triggerable;
      bool ok = false;
      std::set<std::string> got;
      for (const Trigger* t : triggers) {
        if (t->ex.answered && t->ex.reply.status == row.status &&
            code_matches(row.code, t->ex.reply.code, t->rule, t->ex.sent))
          ok = true;
        got.insert(seen(*t));
      }
      produced += ok;
      std::string answers;
      for (const auto& g : got) answers += "\n    " + g;
      EXPECT_TRUE(ok) << where << ": " << triggers.size() << " triggering requests (first: "
                      << triggers.front()->scenario << "), none answered " << row.status << " " << row.code
                      << "; they got:" << answers;
    }
    std::cout << s.op << ": " << s.errors.size() << " error rows, " << triggerable << " with a trigger, " << produced
              << " produced\n";
    for (const auto& [reason, n] : untriggered) std::cout << "    no trigger (" << reason << "): " << n << "\n";
    total_rows += static_cast<int>(s.errors.size());
    total_triggerable += triggerable;
    total_produced += produced;
  }
  std::cout << "all: " << total_rows << " error rows, " << total_triggerable << " with a trigger, " << total_produced
            << " produced\n";
  EXPECT_GT(total_triggerable, 0);
}

bool is_state_rule(RuleKind k) {
  return k == RuleKind::idempotency || k == RuleKind::unique || k == RuleKind::reference ||
         k == RuleKind::ref_attr || k == RuleKind::at_least_ref || k == RuleKind::ref_match || k == RuleKind::quota;
}

// The first "*Id" / "*_id" member of a success body: the resource it created.
std::string created_id(const Exchanged& e) {
  if (!e.reply.body || !e.reply.body->is_object()) return "";
  for (const auto& [k, v] : e.reply.body->items())
    if (k != "RequestId" && (k.ends_with("Id") || k.ends_with("_id")) && v.is_string()) return v.get<std::string>();
  return "";
}

// Every state rule of the specs, both sides: the valid scenario succeeds at every
// step (a quota: every create up to the limit), the violating step gets the rule's
// status and code (a quota: one past the limit); an idempotency replay with the
// same parameters answers the same resource id, with others the conflict.
TEST(EmulatorErrorRows, EveryStateRuleAnswersAsSpecifiedOnBothSides) {
  RunData& r = observed();
  for (const auto& e : r.errors) ADD_FAILURE() << e;
  int rules = 0;
  for (const auto& s : r.specs) {
    for (const auto& rule : s.rules) {
      if (!is_state_rule(rule.kind)) continue;
      ++rules;
      const std::string where = s.op + " " + rule.id;
      const auto& valid = r.valid[s.op][rule.id];
      const auto& violating = r.by_rule[s.op][rule.id];
      EXPECT_FALSE(valid.empty()) << where << ": no generated valid case";
      EXPECT_FALSE(violating.empty()) << where << ": no generated violating case";
      for (const auto& steps : valid) {
        for (const auto& e : steps) {
          const spec::Spec* step_spec = find_spec(r.specs, e.sent.op);
          ASSERT_NE(step_spec, nullptr);
          EXPECT_EQ(e.reply.status, step_spec->success_status)
              << where << " valid side, step " << e.sent.id << " got " << e.reply.code << " " << e.reply.message;
        }
        if (rule.kind == RuleKind::idempotency && steps.size() >= 2) {
          EXPECT_EQ(created_id(steps.back()), created_id(steps.front())) << where << ": a replay created another resource";
        }
        if (rule.kind == RuleKind::quota && rule.params.empty()) {
          EXPECT_GE(steps.size(), 2u) << where << ": the valid side should fill the quota";
        }
      }
      for (const auto& t : violating) {
        ASSERT_FALSE(rule.expect.codes.empty()) << where;
        EXPECT_EQ(t.ex.reply.status, rule.expect.status) << where << " (" << t.scenario << ")";
        EXPECT_TRUE(code_matches(rule.expect.codes[0], t.ex.reply.code, &rule, t.ex.sent))
            << where << " (" << t.scenario << "): got " << t.ex.reply.code;
      }
    }
  }
  std::cout << rules << " state rules checked on both sides\n";
  EXPECT_GE(rules, 10);
}

// ECS DryRun: a dry run that passes every check answers 400 DryRunOperation and
// stores nothing; its ClientToken stays free for the real request with other
// parameters.
TEST(EmulatorErrorRows, DryRunAnswersDryRunOperationAndChangesNoState) {
  EmulatorProcess emu({});
  ASSERT_GT(emu.port(), 0);
  const std::string ci = "/?Version=2014-05-26&RegionId=cn-hangzhou&Action=CreateInstance&"
                         "ImageId=ubuntu_18_04_64_20G_alibase_20190624.vhd&InstanceType=ecs.g5.large&ClientToken=dry1";
  Reply dry = request(emu.port(), "GET", ci + "&DryRun=true&InstanceName=first");
  EXPECT_EQ(dry.status, 400);
  EXPECT_EQ(json::parse(dry.body, nullptr, false).value("Code", ""), "DryRunOperation") << dry.body;
  Reply real = request(emu.port(), "GET", ci + "&InstanceName=second");
  EXPECT_EQ(real.status, 200) << real.body;
  // A dry run that fails a check answers that check, not DryRunOperation.
  Reply bad = request(emu.port(), "GET", ci + "2&DryRun=true&VSwitchId=vsw-none");
  EXPECT_EQ(bad.status, 404) << bad.body;
  EXPECT_EQ(json::parse(bad.body, nullptr, false).value("Code", ""), "InvalidVSwitchId.NotFound") << bad.body;
}

}  // namespace
}  // namespace conform::e2e
