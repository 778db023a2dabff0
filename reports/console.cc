// Console progress: one line redrawn in place on a terminal; in CI or a pipe,
// plain lines that a log viewer keeps readable.
#include <cstdlib>
#include <ostream>

#include <unistd.h>

#include "reports/format.h"
#include "reports/reports.h"

namespace conform::report {
namespace {

constexpr int kPlainEvery = 500;  // exchanges between summary lines when not live
constexpr int kLiveEvery = 16;    // redraw at most every N exchanges: the terminal is slow

class Console : public Listener {
 public:
  Console(std::ostream& out, bool live) : out_(out), live_(live) {}

  void run_started(const RunStarted& e) override {
    started_ = e;
    out_ << "conform: seed " << e.seed << ", " << e.ops.size() << " operations\n";
    for (const std::string& w : e.warnings) out_ << "warning: " << w << "\n";
    for (const std::string& n : e.notes) out_ << "note: " << n << "\n";
    for (const HeldBack& h : e.held_back) {
      out_ << "held back: " << h.target << ": " << h.count << " cases: " << h.reason << "\n";
    }
  }

  void exchange_done(const ExchangeDone& e) override {
    ++n_;
    switch (e.outcome) {
      case Outcome::pass: ++pass_; break;
      case Outcome::warning: ++warn_; break;
      case Outcome::fail: ++fail_; break;
      case Outcome::error: ++error_; break;
    }
    if (live_ && n_ % kLiveEvery == 0) {
      out_ << "\r\x1b[K" << counts() << "  " << e.op << std::flush;
    } else if (!live_ && n_ % kPlainEvery == 0) {
      out_ << counts() << "\n";
    }
  }

  void finding(const ExchangeDone& e, const Finding& f) override {
    if (f.outcome != Outcome::fail && f.outcome != Outcome::error) return;
    if (f.baselined) return;
    if (live_) out_ << "\r\x1b[K";
    out_ << to_string(f.outcome) << ": " << e.op << " " << case_name(e) << " [" << f.check << "] "
         << clip(f.message, 300) << "\n";
  }

  void run_finished(const RunFinished& r) override {
    if (live_) out_ << "\r\x1b[K";
    if (started_.targets.size() > 1) out_ << r.target << ": ";
    out_ << r.exchanges << " exchanges: " << r.pass << " pass, " << r.warning << " warning, " << r.fail << " fail, "
         << r.error << " error in " << r.elapsed_s << " s";
    if (r.baselined) out_ << " (" << r.baselined << " baselined)";
    if (r.throttled) {
      out_ << "; throttled " << r.throttled << " times (retried with backoff, not failures)";
      if (r.throttled_unjudged) out_ << ", " << r.throttled_unjudged << " left unjudged";
    }
    int held = 0;
    for (const HeldBack& h : started_.held_back) held += h.target == r.target ? h.count : 0;
    if (held) out_ << "; " << held << " cases held back for safety (see above)";
    if (!r.stop_reason.empty()) out_ << (r.incomplete ? "; stopped early: " : "; ") << r.stop_reason;
    out_ << "\n";
    for (const std::string& w : started_.warnings) out_ << "warning: " << w << "\n";
    out_ << std::flush;
  }

 private:
  std::string counts() const {
    return std::to_string(n_) + " exchanges: " + std::to_string(pass_) + " pass, " + std::to_string(warn_) +
           " warning, " + std::to_string(fail_) + " fail, " + std::to_string(error_) + " error";
  }

  std::ostream& out_;
  bool live_;
  RunStarted started_;
  int n_ = 0, pass_ = 0, warn_ = 0, fail_ = 0, error_ = 0;
};

}  // namespace

bool console_is_live(int fd) {
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") return false;
  return ::isatty(fd) != 0;
}

std::unique_ptr<Listener> console_listener(std::ostream& out, bool live) {
  return std::make_unique<Console>(out, live);
}

}  // namespace conform::report
