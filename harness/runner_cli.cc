#include "harness/runner_cli.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <ctime>
#include <optional>
#include <ostream>
#include <set>

#include "emulator/fixtures.h"
#include "emulator/handler.h"
#include "emulator/server.h"
#include "harness/interrupt.h"
#include "harness/runner.h"
#include "harness/runner_plan.h"
#include "harness/runner_stream.h"
#include "harness/runner_targets.h"
#include "oracles/predict.h"
#include "reports/reports.h"
#include "spec/loader.h"
#include "transport/dialect.h"

namespace conform::cli {
namespace {

int usage(std::ostream& err, const Error& e) {
  err << "conform: error: " << e.message() << "\n";
  return kExitUsage;
}

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

report::Prediction to_prediction(oracle::Expectation e) {
  return {e.status, std::move(e.codes), e.confidence, std::move(e.rule), std::move(e.citation), std::move(e.error),
          std::move(e.op)};
}

oracle::Expectation to_expectation(report::Prediction p) {
  oracle::Expectation e;
  e.status = p.status;
  e.codes = std::move(p.codes);
  e.confidence = p.confidence;
  e.rule = std::move(p.rule);
  e.citation = std::move(p.citation);
  e.op = std::move(p.op);
  e.error = std::move(p.error);
  return e;
}

// Everything a run needs besides its cases: the embedded emulator when there is
// no target, and the targets (one, or a targets file's).
struct Session {
  std::vector<spec::Spec> all_specs;
  std::unique_ptr<emulator::Emulator> emulator;
  std::unique_ptr<emulator::Server> server;
  std::vector<TargetSession> targets;
};

Result<Session> open_session(const RunOptions& o) {
  Session s;
  CONFORM_TRY(all, spec::load_specs(o.specs));
  s.all_specs = all;
  if (!o.targets.empty()) {
    CONFORM_TRY(targets, open_targets(o, all));
    s.targets = std::move(targets);
    return s;
  }
  TargetSession t;
  CONFORM_TRY(selected, plan::select_ops(std::move(all), o.ops));
  t.specs = std::move(selected);
  // The oracle reads the fixtures with core's loader, the emulator with its own
  // (they are independent readings); the default set is the emulator's built-in text.
  CONFORM_TRY(fixtures, o.fixtures.empty() ? parse_fixtures(emulator::default_fixtures_text(), "default fixtures")
                                           : load_fixtures(o.fixtures));
  t.fixtures = std::move(fixtures);
  t.allow_create = o.allow_create;
  RunConfig& c = t.config;
  c.jobs = o.jobs > 0 ? o.jobs : kDefaultJobs;
  c.rate = o.rate;
  c.timeout_ms = o.timeout_ms > 0 ? o.timeout_ms : kDefaultTimeoutMs;
  c.max_response_bytes = o.max_response_bytes;
  c.max_transport_errors = o.max_transport_errors;
  c.strict = o.strict;
  c.insecure = o.insecure;
  if (!o.target.empty()) {
    CONFORM_TRY(endpoint, transport::parse_url(o.target));
    c.endpoint = endpoint;
    c.target_name = endpoint.host;
    t.name = c.target_name;
    s.targets.push_back(std::move(t));
    return s;
  }
  // No target: the embedded emulator on an ephemeral loopback port, with every
  // spec (an Action may lead a request to another operation) and the same fixtures.
  emulator::EmulatorOptions eo;
  eo.faults = o.faults;
  CONFORM_TRY(emu_fixtures, o.fixtures.empty() ? emulator::default_fixtures() : emulator::load_fixtures(o.fixtures));
  CONFORM_TRY(emu, emulator::Emulator::create(s.all_specs, std::move(emu_fixtures), eo));
  s.emulator = std::move(emu);
  emulator::ServerOptions so;
  so.threads = 1;
  CONFORM_TRY(server, emulator::Server::start(*s.emulator, so));
  s.server = std::move(server);
  c.endpoint.host = "127.0.0.1";
  c.endpoint.port = s.server->port();
  c.target_name = "emulator";
  t.name = c.target_name;
  s.targets.push_back(std::move(t));
  return s;
}

std::string base_command(const char* verb, const RunOptions& o) {
  std::string cmd = std::string("conform ") + verb + " --specs " + o.specs;
  if (!o.target.empty()) cmd += " --target " + o.target;
  if (!o.targets.empty()) cmd += " --targets " + o.targets;
  if (!o.fixtures.empty()) cmd += " --fixtures " + o.fixtures;
  for (const std::string& f : o.faults) cmd += " --fault " + f;
  if (o.strict) cmd += " --strict";
  if (o.insecure) cmd += " --insecure";
  if (o.allow_create) cmd += " --allow-create";
  return cmd;
}

void add_listeners(report::Listeners& ls, const RunOptions& o, std::ostream& out) {
  ls.add(report::console_listener(out, &out == &std::cout && report::console_is_live(STDOUT_FILENO)));
  if (!o.junit.empty()) ls.add(report::junit_listener(o.junit));
  if (!o.html.empty()) ls.add(report::html_listener(o.html));
  if (!o.log.empty()) ls.add(report::ndjson_listener(o.log));
}

using MakeScenarios = std::function<std::vector<Scenario>(const TargetSession&)>;
// The same scenarios as MakeScenarios, made while the run sends the first ones.
// `settle` finishes and predicts each single request as it is made (Settle).
using StreamScenarios = std::function<std::unique_ptr<plan::Stream>(const TargetSession&, Settle settle)>;

// The run's Settle for one target: the dialect's common parameters (as the run
// adds them before it sends), oracle::settle on `model`, which reads no state
// step() writes, and the request for the target's endpoint.
Settle settle_on(const TargetSession& t, const oracle::Model& model) {
  std::map<std::string, std::pair<const spec::Spec*, transport::Dialect>> ops;
  for (const spec::Spec& sp : t.specs) {
    if (auto d = transport::parse_dialect(sp.dialect)) ops.emplace(sp.op, std::pair{&sp, *d});
  }
  return [ops = std::move(ops), &model, endpoint = t.config.endpoint](Case& c) {
    Settled out;
    auto it = ops.find(c.op);
    if (it == ops.end()) return out;
    transport::add_common_params(c, *it->second.first, it->second.second);
    oracle::Settled s = oracle::settle(c, model);
    if (s.answer) out.prediction = to_prediction(std::move(*s.answer));
    out.clean = s.clean;
    out.request = transport::build_request(c, it->second.second, endpoint);
    return out;
  };
}

// Runs every target's scenarios, one target after the other into the same
// reports, and writes them, also when a run stopped early.
// `stream`, when given, replaces `make` for a single target that guard()
// leaves alone: its scenarios are made as the run goes.
int execute(Session& s, const MakeScenarios& make, const StreamScenarios& stream, const RunOptions& o,
            const std::string& command, std::function<std::string(const Scenario&)> reproduce, std::ostream& out,
            std::ostream& err) {
  // From here a Ctrl-C or SIGTERM stops the run, which still writes its reports.
  interrupt::Guard on_signal;
  std::optional<Baseline> baseline;
  if (!o.baseline.empty()) {
    auto b = Baseline::load(o.baseline);
    if (!b) return usage(err, b.error());
    baseline = std::move(*b);
  }
  Baseline recorded;
  report::Redactor redactor = report::Redactor::for_specs(s.all_specs);
  for (const TargetSession& t : s.targets) {
    for (const std::string& secret : t.secrets) redactor.add_secret_value(secret);
  }
  report::Listeners ls(std::move(redactor));
  add_listeners(ls, o, out);
  report::RunStarted started{command, o.seed, {}, {}, now_iso(), {}, {}, {}};
  std::set<std::string> ops;
  std::vector<std::vector<Scenario>> scenarios;
  // Each target has its own state. Declared before `streamed`, whose helpers
  // read the model until the stream is gone.
  std::vector<std::unique_ptr<oracle::Model>> models;
  std::unique_ptr<plan::Stream> streamed;  // the single target's, when streamed
  for (const TargetSession& t : s.targets) {
    models.push_back(std::make_unique<oracle::Model>(t.specs, t.fixtures));
    started.targets.push_back(t.name);
    for (const spec::Spec& sp : t.specs) ops.insert(sp.op);
    if (o.insecure && t.config.endpoint.scheme == "https") started.warnings.push_back(insecure_warning(t.name));
    if (stream && s.targets.size() == 1 && unguarded(t)) {
      streamed = stream(t, settle_on(t, *models.back()));
      scenarios.emplace_back();
    } else {
      scenarios.push_back(guard(t, make(t), started));
    }
  }
  started.ops.assign(ops.begin(), ops.end());
  ls.run_started(started);
  // Redaction and the reports on a thread of their own: the engine's thread
  // sends, receives and judges (reports/listeners.h).
  ls.start_worker();

  int saved = 0;
  std::string save_error;  // a failing case that could not be saved
  int code = kExitOk;
  for (std::size_t i = 0; i < s.targets.size(); ++i) {
    const TargetSession& t = s.targets[i];
    oracle::Model& model = *models[i];
    RunInput in;
    in.specs = &t.specs;
    in.scenarios = std::move(scenarios[i]);
    in.source = streamed.get();
    in.oracle.peek = [&model](const Case& c) { return to_prediction(oracle::predict(c, model)); };
    in.oracle.step = [&model](const Case& c) { return to_prediction(oracle::step(c, model)); };
    in.oracle.steps = [&model] { return model.steps; };
    in.oracle.step_after = [&model](const Case& c, report::Prediction peeked, bool clean) {
      return to_prediction(oracle::step_after(c, model, to_expectation(std::move(peeked)), clean));
    };
    in.oracle.peek_clean = [&model](const Case& c) { return to_prediction(oracle::predict_clean(c, model)); };
    in.oracle.step_clean = [&model](const Case& c) { return to_prediction(oracle::step_clean(c, model)); };
    in.reproduce = reproduce;
    in.baseline = baseline ? &*baseline : nullptr;
    in.record_baseline = o.write_baseline.empty() ? nullptr : &recorded;
    if (!o.save_failures.empty()) {
      // Saved redacted: the dispatcher's redaction, so no secret reaches the corpus.
      in.on_failure = [&](const report::ExchangeDone& e) {
        report::ExchangeDone r = ls.redactor().redact(e);
        if (auto w = plan::save_case(o.save_failures, r.op, r.rule, r.case_json)) {
        ++saved;
      } else if (save_error.empty()) {
        save_error = w.error().message();  // the first failure names the path and why
      }
      };
    }
    auto result = run_scenarios(std::move(in), t.config, ls);
    if (!result) {
      ls.flush(nullptr);
      return usage(err, result.error());
    }
    code = std::max(code, exit_code(*result));  // 128 + signal over 3 over 1 over 0
    if (result->interrupted != 0) break;  // the targets after it are not run
  }
  // A report, baseline or saved case asked for and not written is exit 2 (a
  // usage or config error) at least: a CI gate must not show green without them.
  std::string problems;
  if (!ls.flush(&problems)) {
    err << "conform: error: " << problems << "\n";
    code = std::max(code, 2);
  }
  if (!o.write_baseline.empty()) {
    if (auto w = recorded.write(o.write_baseline); !w) {
      err << "conform: error: " << w.error().message() << "\n";
      code = std::max(code, 2);
    }
  }
  if (!save_error.empty()) {
    err << "conform: error: --save-failures: " << save_error << "\n";
    code = std::max(code, 2);
  }
  if (saved > 0) out << "saved " << saved << " failing cases under " << o.save_failures << "\n";
  for (const char* what : {"junit", "html", "log"}) {
    const std::string& path = what == std::string("junit") ? o.junit : what == std::string("html") ? o.html : o.log;
    if (!path.empty()) out << what << ": " << path << "\n";
  }
  return code;
}

}  // namespace

int run_command(const RunOptions& o, std::ostream& out, std::ostream& err) {
  auto session = open_session(o);
  if (!session) return usage(err, session.error());
  int k = 0, n = 1;
  if (!o.shard.empty()) std::sscanf(o.shard.c_str(), "%d/%d", &k, &n);
  auto make = [&](const TargetSession& t) {
    return plan::shard(plan::generate(t.specs, t.fixtures, o.cases, o.seed), k, n);
  };
  auto stream = [&](const TargetSession& t, Settle settle) {
    return std::make_unique<plan::Stream>(t.specs, t.fixtures, o.cases, o.seed, k, n, std::move(settle));
  };
  std::string cmd = base_command("run", o) + (o.cases > 0 ? " --cases " + std::to_string(o.cases) : "") +
                    " --seed " + std::to_string(o.seed);
  auto reproduce = [cmd](const Scenario& s) {
    std::string op = s.steps.empty() ? "" : s.steps[0].op;
    return cmd + " --ops " + op + "   # case " + s.id;
  };
  std::string ops;
  for (const std::string& g : o.ops) ops += (ops.empty() ? "" : ",") + g;
  std::string whole = cmd + (ops.empty() ? "" : " --ops " + ops) + (o.shard.empty() ? "" : " --shard " + o.shard);
  return execute(*session, make, stream, o, whole, reproduce, out, err);
}

int replay_command(const RunOptions& o, std::ostream& out, std::ostream& err) {
  auto session = open_session(o);
  if (!session) return usage(err, session.error());
  auto cases = plan::read_corpus(o.corpus);
  if (!cases) return usage(err, cases.error());
  std::string cmd = base_command("replay", o) + " " + o.corpus;
  auto reproduce = [cmd](const Scenario& s) { return cmd + "   # case " + s.id; };
  auto make = [&](const TargetSession&) { return *cases; };
  return execute(*session, make, nullptr, o, cmd, reproduce, out, err);
}

}  // namespace conform::cli
