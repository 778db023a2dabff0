// `conform emulate`: the spec-driven emulator on a port (emulator/server.h).
#include <cstdint>
#include <iostream>
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>

#include "emulator/faults.h"
#include "emulator/handler.h"
#include "emulator/server.h"
#include "harness/cli_checks.h"
#include "harness/cli_commands.h"
#include "spec/loader.h"

namespace conform::cli {
namespace {

struct EmulateOptions {
  std::string specs = kDefaultSpecsDir;
  int port = 8080;
  std::string host = "127.0.0.1";
  int threads = 1;
  std::string fixtures;  // empty: the project's default fixtures
  std::vector<std::string> faults;
  bool list_faults = false;
  // The largest valid RPC GET carries tens of KiB in its query (DESIGN.md, "Emulator").
  std::uint32_t max_header_bytes = 64 * 1024;
};

int list_faults(Io& io) {
  for (const auto& f : emulator::all_faults()) io.out << f.name << "  " << f.summary << "\n";
  return kExitOk;
}

int emulate(Io& io, const EmulateOptions& o) {
  if (o.list_faults) return list_faults(io);
  // An unknown fault is a usage error before anything is loaded.
  if (auto faults = emulator::FaultSet::from_names(o.faults); !faults) return report_error(io, faults.error());
  auto specs = spec::load_specs(o.specs);
  if (!specs) return report_error(io, specs.error());
  auto fixtures = o.fixtures.empty() ? emulator::default_fixtures() : emulator::load_fixtures(o.fixtures);
  if (!fixtures) return report_error(io, fixtures.error());
  emulator::EmulatorOptions eo;
  eo.faults = o.faults;
  auto emu = emulator::Emulator::create(std::move(*specs), std::move(*fixtures), eo);
  if (!emu) return report_error(io, emu.error());
  emulator::ServerOptions so;
  so.host = o.host;
  so.port = static_cast<std::uint16_t>(o.port);
  so.threads = o.threads;
  so.max_header_bytes = o.max_header_bytes;
  auto server = emulator::Server::start(**emu, so);
  if (!server) {
    report_error(io, server.error());
    return kExitUnreachable;
  }
  (*server)->catch_signals();
  // Tests start us with --port 0 and read the port from this line.
  io.out << "listening on " << o.host << ":" << (*server)->port() << std::endl;
  for (const auto& f : o.faults) io.err << "conform: emulate: fault " << f << " is on" << std::endl;
  (*server)->wait();
  return kExitOk;
}

}  // namespace

void add_emulate_command(CLI::App& root, Commands& commands) {
  auto options = std::make_shared<EmulateOptions>();
  CLI::App* cmd = root.add_subcommand(
      "emulate", "Serve the operations of the specs over HTTP, statefully, in each provider's dialect.");
  cmd->add_option("--specs", options->specs, "Folder of specs")->type_name("DIR")->capture_default_str();
  cmd->add_option("--port", options->port, "Port to listen on (0: any free port)")
      ->type_name("PORT")
      ->check(whole_number(0, 65535, "port"))
      ->capture_default_str();
  cmd->add_option("--host", options->host, "Address to listen on")->type_name("IP")->capture_default_str();
  cmd->add_option("--threads", options->threads, "Threads serving requests")
      ->type_name("N")
      ->check(whole_number(1, 256, "threads"))
      ->capture_default_str();
  cmd->add_option("--fixtures", options->fixtures, "Resources that exist (default: the project's set)")
      ->type_name("FILE");
  cmd->add_option("--fault", options->faults, "Switch on a named bug; repeatable (see --list-faults)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  cmd->add_flag("--list-faults", options->list_faults, "Print the fault names, one a line, and exit");
  cmd->add_option("--max-header-bytes", options->max_header_bytes,
                  "Largest request line plus headers accepted")
      ->type_name("BYTES")
      ->check(whole_number(1, 1u << 30, "bytes"))
      ->capture_default_str();
  commands.push_back({cmd, options, [options](Io& io) { return emulate(io, *options); }});
}

}  // namespace conform::cli
