// conform: see harness/cli.h and DESIGN.md "Command line".
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "core/error.h"
#include "harness/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  try {
    return conform::cli::run(args, std::cout, std::cerr);
  } catch (const std::exception& e) {
    // A bug, not bad input (input errors are values); still exit with a documented code.
    std::cerr << "conform: internal error: " << e.what() << "\n";
    return conform::kExitUsage;
  }
}
