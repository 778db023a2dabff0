#include "reports/listeners.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

namespace conform::report {

// The queue between the engine's thread and the worker. The worker takes the
// whole queue at once, so the caller can queue `capacity` more meanwhile: at
// most twice that many events are held. The caller wakes the worker only once
// `batch` events wait (or to drain): a wake-up per event would cost a futex
// call and a switch of threads each time; the worker also looks every
// kLinger, so that the console's progress never lags behind for long.
struct Listeners::Worker {
  std::mutex m;
  std::condition_variable work;   // the worker waits for events (or stop)
  std::condition_variable space;  // the caller waits for room in the queue
  std::condition_variable idle;   // drain() waits for the worker to be done
  std::deque<ExchangeDone> queue;
  std::size_t capacity = 256;
  std::size_t batch = 64;
  bool waiting = false;  // the worker is waiting on `work`
  bool busy = false;     // the worker is delivering a batch
  bool stop = false;
  int draining = 0;      // drain() calls waiting: deliver what is queued now
  std::exception_ptr error;  // the first a listener threw
  std::thread thread;
};

namespace {
constexpr std::chrono::milliseconds kLinger{20};
}  // namespace

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::pass: return "pass";
    case Outcome::warning: return "warning";
    case Outcome::fail: return "fail";
    case Outcome::error: return "error";
  }
  return "error";
}

Outcome worst(Outcome a, Outcome b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

namespace {

// `s` as it goes between single quotes in a POSIX shell (each quote as '\'').
void append_escaped(std::string& out, std::string_view s) {
  for (std::size_t q = s.find('\''); q != std::string_view::npos; q = s.find('\'')) {
    out.append(s.substr(0, q)).append("'\\''");
    s.remove_prefix(q + 1);
  }
  out.append(s);
}

}  // namespace

std::string shell_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '\'';
  append_escaped(out, s);
  out += '\'';
  return out;
}

std::string curl_command(const std::string& origin, const transport::HttpRequest& r) {
  std::size_t size = 32 + r.method.size() + r.body.size() + origin.size() + r.target.size();
  for (const auto& [name, value] : r.headers) size += name.size() + value.size() + 10;
  std::string out;
  out.reserve(size);
  out.append("curl -sS -i -X ").append(r.method);
  for (const auto& [name, value] : r.headers) {
    out.append(" -H '");
    append_escaped(out, name);
    out.append(": ");
    append_escaped(out, value);
    out += '\'';
  }
  if (!r.body.empty()) {
    out.append(" --data-binary '");
    append_escaped(out, r.body);
    out += '\'';
  }
  out.append(" '");
  append_escaped(out, origin);
  append_escaped(out, r.target);
  out += '\'';
  return out;
}

Listeners::Listeners(Redactor redactor) : redactor_(std::move(redactor)) {}

Listeners::~Listeners() {
  if (!worker_) return;
  {
    std::lock_guard<std::mutex> lock(worker_->m);
    worker_->stop = true;
  }
  worker_->work.notify_one();
  worker_->thread.join();
}

void Listeners::start_worker(std::size_t capacity) {
  if (worker_) return;
  worker_ = std::make_unique<Worker>();
  worker_->capacity = capacity > 0 ? capacity : 1;
  worker_->batch = std::max<std::size_t>(1, std::min<std::size_t>(64, worker_->capacity / 4));
  worker_->thread = std::thread([this, w = worker_.get()] {
    std::unique_lock<std::mutex> lock(w->m);
    for (;;) {
      w->waiting = true;
      w->work.wait_for(lock, kLinger, [w] {
        return w->stop || (!w->queue.empty() && (w->draining > 0 || w->queue.size() >= w->batch));
      });
      w->waiting = false;
      if (w->queue.empty()) {
        if (w->stop) return;  // everything delivered
        continue;
      }
      std::deque<ExchangeDone> batch;
      batch.swap(w->queue);
      w->busy = true;
      lock.unlock();
      w->space.notify_one();
      std::exception_ptr error;
      try {
        for (ExchangeDone& e : batch) deliver(std::move(e));
        for (auto& l : listeners_) l->delivered();
      } catch (...) {
        error = std::current_exception();
      }
      batch.clear();
      lock.lock();
      if (error && !w->error) w->error = error;
      w->busy = false;
      if (w->queue.empty()) w->idle.notify_all();
    }
  });
}

void Listeners::drain() {
  if (!worker_) return;
  Worker& w = *worker_;
  std::unique_lock<std::mutex> lock(w.m);
  ++w.draining;
  if (w.waiting && !w.queue.empty()) w.work.notify_one();
  w.idle.wait(lock, [&w] { return w.queue.empty() && !w.busy; });
  --w.draining;
  if (w.error) std::rethrow_exception(std::exchange(w.error, nullptr));
}

void Listeners::run_started(const RunStarted& e) {
  drain();
  for (auto& l : listeners_) l->run_started(e);
}

void Listeners::exchange_done(ExchangeDone e) {
  if (!worker_) {
    deliver(std::move(e));
    for (auto& l : listeners_) l->delivered();
    return;
  }
  Worker& w = *worker_;
  std::unique_lock<std::mutex> lock(w.m);
  w.space.wait(lock, [&w] { return w.queue.size() < w.capacity; });
  w.queue.push_back(std::move(e));
  bool wake = w.waiting && (w.queue.size() >= w.batch || w.draining > 0);
  lock.unlock();
  if (wake) w.work.notify_one();
}

void Listeners::deliver(ExchangeDone e) {
  ExchangeDone r = redactor_.redact(std::move(e));
  r.curl = curl_command(r.origin, r.request);
  for (auto& l : listeners_) l->exchange_done(r);
  for (const Finding& f : r.findings) {
    if (f.outcome == Outcome::pass) continue;
    for (auto& l : listeners_) l->finding(r, f);
  }
}

void Listeners::run_finished(const RunFinished& e) {
  drain();
  for (auto& l : listeners_) l->run_finished(e);
}

bool Listeners::flush(std::string* error) {
  drain();
  bool ok = true;
  for (auto& l : listeners_) {
    std::string one;
    if (!l->flush(&one)) {
      ok = false;
      if (error) *error += (error->empty() ? "" : "; ") + one;
    }
  }
  return ok;
}

}  // namespace conform::report
