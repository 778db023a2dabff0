// Internal to conform_cli: each subcommand family adds its subcommands, and what
// they do once parsed, to the root CLI11 app.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"

namespace CLI {
class App;
}

namespace conform::cli {

struct Io {
  std::ostream& out;
  std::ostream& err;
};

// What a subcommand does once its options are parsed; returns the exit code.
using Action = std::function<int(Io&)>;

struct Command {
  CLI::App* app;  // the subcommand, owned by the root app
  // The values the subcommand's options are parsed into: CLI11 keeps references to
  // them, so they live as long as the command.
  std::shared_ptr<const void> options;
  Action action;
};
using Commands = std::vector<Command>;

void add_import_command(CLI::App& root, Commands& commands);    // import
void add_case_commands(CLI::App& root, Commands& commands);     // gen, predict
void add_emulate_command(CLI::App& root, Commands& commands);   // emulate
void add_run_commands(CLI::App& root, Commands& commands);      // run, replay, fuzz

// Prints "conform: error: <message>" to err and returns kExitUsage.
int report_error(Io& io, const Error& error);


// Documented defaults shared by several subcommands (DESIGN.md, "Command line").
inline constexpr const char* kDefaultSpecsDir = "specs";

}  // namespace conform::cli
