// Ctrl-C, or the SIGTERM a CI job gets at its timeout, during a run: the first
// one asks the run to stop starting requests, let those in flight end, and
// write its reports with what it has (exit 128 + the signal); a second one ends
// the process at once (the default action). A signal the shell had ignored
// (a background job's SIGINT) stays ignored.
#pragma once

namespace conform::interrupt {

// The signal that asked the run to stop, 0 for none yet.
int pending();
// "SIGINT", "SIGTERM".
const char* name(int signal);

// Installs the handlers for its lifetime and clears pending() on the way in.
class Guard {
 public:
  Guard();
  ~Guard();
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
};

}  // namespace conform::interrupt
