// The root of the conform command line: global flags, usage errors, dispatch.
#include "harness/cli.h"

#include <ostream>

#include <CLI/CLI.hpp>

#include "harness/cli_commands.h"

namespace conform::cli {
namespace {

constexpr const char* kExitCodesFooter =
    "Exit codes: 0 all pass; 1 conformance failures (or, for import --check, stale\n"
    "specs); 2 usage, spec or config error; 3 the target could not be reached.";

// "conform: error: ..." like every other error, and where to find the usage: the
// subcommand's own help when the error is inside one.
std::string usage_error_message(const CLI::App* app, const CLI::Error& e) {
  std::string help = app->get_name();
  for (const CLI::App* sub : app->get_subcommands()) help += " " + sub->get_name();
  return "conform: error: " + std::string(e.what()) + "\nRun `" + help +
         " --help` for more information.\n";
}

std::vector<const char*> to_argv(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  argv.reserve(args.size() + 1);
  if (args.empty()) argv.push_back("conform");
  for (const std::string& a : args) argv.push_back(a.c_str());
  return argv;
}

}  // namespace

int report_error(Io& io, const Error& error) {
  io.err << "conform: error: " << error.message() << "\n";
  return kExitUsage;
}


int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"conform: property-based conformance and fuzz testing of cloud HTTP APIs.",
               "conform"};
  app.set_version_flag("--version", "conform " CONFORM_VERSION);
  // At most one; "none" is reported after parsing, so that an unknown flag is named
  // as such rather than as a missing subcommand.
  app.require_subcommand(0, 1);
  app.failure_message(usage_error_message);
  app.footer(kExitCodesFooter);

  Commands commands;
  add_import_command(app, commands);
  add_case_commands(app, commands);
  add_emulate_command(app, commands);
  add_run_commands(app, commands);

  std::vector<const char*> argv = to_argv(args);
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    // --help and --version end parsing with a "success" error; the rest are usage errors.
    return app.exit(e, out, err) == 0 ? kExitOk : kExitUsage;
  }

  Io io{out, err};
  for (Command& command : commands) {
    if (command.app->parsed()) return command.action(io);
  }
  err << "conform: error: a subcommand is required\nRun `conform --help` for more information.\n";
  return kExitUsage;
}

}  // namespace conform::cli
