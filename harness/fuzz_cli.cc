#include "harness/fuzz_cli.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <memory>
#include <ostream>

#include "emulator/fixtures.h"
#include "emulator/handler.h"
#include "emulator/server.h"
#include "harness/fuzz.h"
#include "harness/interrupt.h"
#include "harness/runner_plan.h"
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

struct FuzzSession {
  std::vector<spec::Spec> specs;
  Fixtures fixtures;
  std::unique_ptr<emulator::Emulator> emulator;
  std::unique_ptr<emulator::Server> server;
  fuzz::FuzzConfig config;
};

Result<FuzzSession> open(const FuzzOptions& o) {
  FuzzSession s;
  CONFORM_TRY(all, spec::load_specs(o.specs));
  CONFORM_TRY(selected, plan::select_ops(std::move(all), o.ops));
  s.specs = std::move(selected);
  CONFORM_TRY(fixtures, o.fixtures.empty() ? parse_fixtures(emulator::default_fixtures_text(), "default fixtures")
                                           : load_fixtures(o.fixtures));
  s.fixtures = std::move(fixtures);
  fuzz::FuzzConfig& c = s.config;
  c.jobs = o.jobs;
  c.timeout_ms = o.timeout_ms;
  c.seed = o.seed;
  c.cases = o.cases;
  c.seconds = o.seconds;
  if (!o.target.empty()) {
    if (!o.faults.empty()) return fail("--fault", "only the embedded emulator takes faults (no --target)");
    CONFORM_TRY(endpoint, transport::parse_url(o.target));
    c.endpoint = endpoint;
    c.target_name = endpoint.host;
    return s;
  }
  CONFORM_TRY(specs_all, spec::load_specs(o.specs));
  emulator::EmulatorOptions eo;
  eo.faults = o.faults;
  CONFORM_TRY(emu_fixtures, o.fixtures.empty() ? emulator::default_fixtures() : emulator::load_fixtures(o.fixtures));
  CONFORM_TRY(emu, emulator::Emulator::create(std::move(specs_all), std::move(emu_fixtures), eo));
  s.emulator = std::move(emu);
  emulator::ServerOptions so;
  so.threads = 1;
  CONFORM_TRY(server, emulator::Server::start(*s.emulator, so));
  s.server = std::move(server);
  c.endpoint.host = "127.0.0.1";
  c.endpoint.port = s.server->port();
  c.target_name = "emulator";
  return s;
}

// The requests to mutate: every step of the cases `conform run` generates by
// default (both sides of every rule), with the dialect's common parameters.
Result<std::vector<Case>> bases(const FuzzSession& s, std::uint64_t seed) {
  std::vector<Case> out;
  for (const Scenario& sc : plan::generate(s.specs, s.fixtures, 0, seed)) {
    for (const Case& step : sc.steps) {
      const spec::Spec* spec = nullptr;
      for (const spec::Spec& sp : s.specs) {
        if (sp.op == step.op) spec = &sp;
      }
      if (!spec) continue;
      CONFORM_TRY(d, transport::parse_dialect(spec->dialect));
      out.push_back(transport::with_common_params(step, *spec, d));
    }
  }
  return out;
}

std::string command(const FuzzOptions& o) {
  std::string cmd = "conform fuzz --specs " + o.specs;
  if (!o.target.empty()) cmd += " --target " + o.target;
  if (!o.fixtures.empty()) cmd += " --fixtures " + o.fixtures;
  for (const std::string& f : o.faults) cmd += " --fault " + f;
  std::string ops;
  for (const std::string& g : o.ops) ops += (ops.empty() ? "" : ",") + g;
  if (!ops.empty()) cmd += " --ops " + ops;
  return cmd + " --seed " + std::to_string(o.seed);
}

}  // namespace

int fuzz_command(const FuzzOptions& o, std::ostream& out, std::ostream& err) {
  auto session = open(o);
  if (!session) return usage(err, session.error());
  auto base = bases(*session, o.seed);
  if (!base) return usage(err, base.error());

  // From here a Ctrl-C or SIGTERM stops the session, which still writes its reports.
  interrupt::Guard on_signal;
  report::Listeners ls(report::Redactor::for_specs(session->specs));
  ls.add(report::console_listener(out, &out == &std::cout && report::console_is_live(STDOUT_FILENO)));
  if (!o.junit.empty()) ls.add(report::junit_listener(o.junit));
  if (!o.html.empty()) ls.add(report::html_listener(o.html));
  if (!o.log.empty()) ls.add(report::ndjson_listener(o.log));
  std::vector<std::string> ops;
  for (const spec::Spec& sp : session->specs) ops.push_back(sp.op);
  std::string cmd = command(o);
  std::string whole = cmd + " --cases " + std::to_string(o.cases) + (o.seconds > 0 ? " --time " + std::to_string(o.seconds) : "");
  report::RunStarted started;
  started.command = whole;
  started.seed = o.seed;
  started.targets = {session->config.target_name};
  started.ops = ops;
  started.started_at = now_iso();
  ls.run_started(started);

  fuzz::FuzzInput in;
  in.specs = &session->specs;
  in.bases = std::move(*base);
  // Request i depends only on the seed, the ops and i: --cases i+1 regenerates it.
  in.reproduce = [cmd](std::size_t i) { return cmd + " --cases " + std::to_string(i + 1) + "   # request fuzz#" + std::to_string(i); };
  int saved = 0;
  std::string save_error;  // a failing case that could not be saved
  if (!o.save_failures.empty()) {
    in.on_failure = [&](const report::ExchangeDone& e) {
      report::ExchangeDone r = ls.redactor().redact(e);
      if (auto w = plan::save_case(o.save_failures, r.op, r.rule, r.case_json)) {
        ++saved;
      } else if (save_error.empty()) {
        save_error = w.error().message();  // the first failure names the path and why
      }
    };
  }
  auto result = fuzz::fuzz(std::move(in), session->config, ls);
  if (!result) return usage(err, result.error());
  // A report or saved case asked for and not written is exit 2 at least.
  int code = result->summary.exit_code;
  std::string problems;
  if (!ls.flush(&problems)) {
    err << "conform: error: " << problems << "\n";
    code = std::max(code, 2);
  }
  if (!save_error.empty()) {
    err << "conform: error: --save-failures: " << save_error << "\n";
    code = std::max(code, 2);
  }
  out << result->distinct << " distinct failures\n";
  if (saved > 0) out << "saved " << saved << " failing requests under " << o.save_failures << "\n";
  for (const std::string* p : {&o.junit, &o.html, &o.log}) {
    if (!p->empty()) out << "report: " << *p << "\n";
  }
  return code;
}

}  // namespace conform::cli
