// The dispatcher: the engine emits each event once; every listener gets it after
// the one redaction (reports/redact.h) and with the curl command filled in.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "reports/event.h"
#include "reports/redact.h"

namespace conform::report {

class Listeners {
 public:
  explicit Listeners(Redactor redactor) : redactor_(std::move(redactor)) {}
  void add(std::unique_ptr<Listener> l) { listeners_.push_back(std::move(l)); }

  void run_started(const RunStarted& e);
  void exchange_done(ExchangeDone e);  // redacts, adds curl, then fans out (findings too)
  void run_finished(const RunFinished& e);
  // Flushes every listener, even after one fails; the errors joined.
  bool flush(std::string* error);

  const Redactor& redactor() const { return redactor_; }

 private:
  Redactor redactor_;
  std::vector<std::unique_ptr<Listener>> listeners_;
};

// `curl` command that sends the request again, shell-quoted; on one line.
std::string curl_command(const std::string& origin, const transport::HttpRequest& r);
// A string quoted for a POSIX shell: 'it'\''s'.
std::string shell_quote(std::string_view s);

}  // namespace conform::report
