#include "harness/interrupt.h"

#include <csignal>

#include <signal.h>

namespace conform::interrupt {
namespace {

volatile std::sig_atomic_t g_signal = 0;
struct sigaction g_old_int, g_old_term;
bool g_int_installed = false, g_term_installed = false;

extern "C" void on_signal(int sig) { g_signal = sig; }

// SA_RESETHAND: the handler runs once, then the default action is back.
bool install(int sig, struct sigaction& old) {
  if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) return false;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  return sigaction(sig, &sa, nullptr) == 0;
}

}  // namespace

int pending() { return g_signal; }

const char* name(int signal) {
  if (signal == SIGINT) return "SIGINT";
  if (signal == SIGTERM) return "SIGTERM";
  return "a signal";
}

Guard::Guard() {
  g_signal = 0;
  g_int_installed = install(SIGINT, g_old_int);
  g_term_installed = install(SIGTERM, g_old_term);
}

Guard::~Guard() {
  if (g_int_installed) sigaction(SIGINT, &g_old_int, nullptr);
  if (g_term_installed) sigaction(SIGTERM, &g_old_term, nullptr);
  g_int_installed = g_term_installed = false;
}

}  // namespace conform::interrupt
