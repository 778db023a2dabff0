// The dispatcher: the engine emits each event once; every listener gets it after
// the one redaction (reports/redact.h) and with the curl command filled in.
// With start_worker(), that work (redaction, curl, every listener) is done on a
// thread of its own, in the order the events came, so that the engine's thread
// only sends and judges.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "reports/event.h"
#include "reports/redact.h"

namespace conform::report {

class Listeners {
 public:
  explicit Listeners(Redactor redactor);
  ~Listeners();
  Listeners(const Listeners&) = delete;
  Listeners& operator=(const Listeners&) = delete;
  void add(std::unique_ptr<Listener> l) { listeners_.push_back(std::move(l)); }

  // From now on exchange_done() only queues the event (at most `capacity`
  // waiting: a full queue makes the caller wait) and one worker thread redacts
  // it and hands it to the listeners, in order. The other calls first wait until
  // the worker has delivered everything queued, then run on the caller's thread;
  // an exception a listener threw on the worker is rethrown there.
  void start_worker(std::size_t capacity = 256);

  void run_started(const RunStarted& e);
  void exchange_done(ExchangeDone e);  // redacts, adds curl, then fans out (findings too)
  void run_finished(const RunFinished& e);
  // Flushes every listener, even after one fails; the errors joined.
  bool flush(std::string* error);

  // Thread-safe (const, no caches): also used beside the worker.
  const Redactor& redactor() const { return redactor_; }

  struct Worker;  // listeners.cc

 private:
  void deliver(ExchangeDone e);
  void drain();

  Redactor redactor_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::unique_ptr<Worker> worker_;
};

// `curl` command that sends the request again, shell-quoted; on one line.
std::string curl_command(const std::string& origin, const transport::HttpRequest& r);
// A string quoted for a POSIX shell: 'it'\''s'.
std::string shell_quote(std::string_view s);

}  // namespace conform::report
