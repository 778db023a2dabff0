// The conform command line: parses argv, runs the chosen subcommand, returns the
// process exit code. A library function, so that tests can run it on argv vectors.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace conform::cli {

// args[0] is the program name, as in argv; the rest are the arguments. Normal output
// goes to `out`, diagnostics to `err`. Returns an ExitCode (core/error.h): a usage
// error (unknown flag, bad value, no subcommand) is kExitUsage.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace conform::cli
