// An asynchronous HTTP/1.1 client: a fixed pool of keep-alive connections to one
// endpoint, fed from a queue, all on the thread that calls run(). Concurrency is
// the number of connections, not threads. Beast and Asio stay in client.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "transport/http.h"
#include "transport/proxy.h"
#include "transport/throttle.h"
#include "transport/url.h"

namespace conform::transport {

struct ClientOptions {
  int connections = 4;
  int timeout_ms = 10000;                          // whole exchange: connect, send, full response
  std::uint64_t max_response_bytes = 8ull << 20;   // body; over it: too_large
  std::uint32_t max_header_bytes = 64u << 10;      // status line and headers
  double rate = 0;                                 // requests per second over all connections; 0: no limit
  // Called on every attempt just before it is written (a retry on a fresh
  // connection too): where a signer puts a fresh nonce and timestamp (issue 8).
  std::function<void(HttpRequest&)> prepare;
  // https: the server's chain is verified against the system CA store, or only
  // against ca_file (PEM) when set, and its name against the endpoint's host;
  // SNI names the host. insecure (--insecure) checks neither.
  std::string ca_file;
  bool insecure = false;
  // Where a proxy is chosen (transport/proxy.h); empty: direct connections.
  ProxyEnv proxy;
  // Throttling answers (transport/throttle.h) are retried on the same slot of the
  // pool after a backoff, each attempt prepared (signed) afresh.
  BackoffPolicy throttle;
};

class Client {
 public:
  using Done = std::function<void(Exchange)>;

  // Resolves the endpoint's host (or its proxy's) once; reads ca_file. An error
  // names the endpoint, the proxy variable or the CA file. A name that does not
  // resolve is no error here: every exchange then fails `unreachable` (`proxy`
  // for the proxy's name), as with a target that refuses connections.
  static Result<std::unique_ptr<Client>> create(const Endpoint& endpoint, ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Queues a request. `done` runs inside run(), on its thread, exactly once; it may
  // submit more. A request with CR, LF or NUL in its method, target or headers is
  // not sent: it completes with an `other` error.
  // pin >= 0: every request with that pin goes on one connection of the pool, in
  // the order submitted, one at a time (a stateful sequence, where the order
  // matters): the first takes a free connection, and it stays theirs, out of the
  // others' reach, until unpin(pin). A dropped keep-alive reconnects in place.
  void submit(HttpRequest request, Done done, int pin = -1);
  // The pin's connection goes back to the pool (now, or when its exchange ends).
  void unpin(int pin);

  // Runs until the queue is empty and every exchange has completed.
  void run();

  // Drops queued requests that have not started (their callbacks do not run);
  // exchanges in flight finish normally.
  void drop_queued();

  // While exchanges are in flight, calls `tick` every `period` on run()'s thread,
  // so that a run waiting on a silent target still notices a request to stop.
  void set_tick(std::chrono::milliseconds period, std::function<void()> tick);
  // The exchanges in flight get at most `grace` more: one still unanswered then
  // fails as a timeout whose message is `why`. Queued requests are not touched.
  void hurry(std::chrono::milliseconds grace, std::string why);

  const Endpoint& endpoint() const;
  // The proxy requests go through; nullopt: direct.
  const std::optional<Endpoint>& proxy() const;

  struct Impl;  // opaque: Beast and Asio live in client.cc

 private:
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conform::transport
