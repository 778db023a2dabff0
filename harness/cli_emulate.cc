// `conform emulate`: the spec-driven emulator. Only parses its options for now.
#include <cstdint>
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>

#include "harness/cli_commands.h"

namespace conform::cli {
namespace {

struct EmulateOptions {
  std::string specs = kDefaultSpecsDir;
  int port = 8080;
  std::string fixtures;  // empty: the project's default fixtures
  std::vector<std::string> faults;
  bool list_faults = false;
  // The largest valid RPC GET carries tens of KiB in its query (DESIGN.md, "Emulator").
  std::uint32_t max_header_bytes = 64 * 1024;
};

}  // namespace

void add_emulate_command(CLI::App& root, Commands& commands) {
  auto options = std::make_shared<EmulateOptions>();
  CLI::App* cmd = root.add_subcommand(
      "emulate", "Serve the operations of the specs over HTTP, statefully, in each "
                 "provider's dialect. [not implemented yet]");
  cmd->add_option("--specs", options->specs, "Folder of specs")->type_name("DIR")->capture_default_str();
  cmd->add_option("--port", options->port, "Port to listen on (0: any free port)")
      ->type_name("PORT")
      ->check(CLI::Range(0, 65535))
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
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  commands.push_back({cmd, options, [](Io& io) { return not_implemented(io, "emulate"); }});
}

}  // namespace conform::cli
