// conform: see harness/cli.h and DESIGN.md "Command line".
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "core/error.h"
#include "harness/cli.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

// glibc grows a thread's malloc arena by the pages each allocation needs, one
// mprotect call at a time. `conform run` makes its cases on helper threads and
// frees them on another, so those arenas grew page by page: about 1,650 mprotect
// calls per default run, and the I/O thread waited on the arena locks they held
// (46 ms of futex waits in a 0.4 s run, 8 ms with this). A 16 MiB pad makes each
// growth one call; the address space is reserved, pages are only touched when used.
// (For a build with glibc's malloc: the default build links mimalloc, CMakeLists.txt,
// and then this setting reaches nothing.)
void tune_malloc() {
#if defined(__GLIBC__)
  mallopt(M_TOP_PAD, 16 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  tune_malloc();
  std::vector<std::string> args(argv, argv + argc);
  try {
    return conform::cli::run(args, std::cout, std::cerr);
  } catch (const std::exception& e) {
    // A bug, not bad input (input errors are values); still exit with a documented code.
    std::cerr << "conform: internal error: " << e.what() << "\n";
    return conform::kExitUsage;
  }
}
