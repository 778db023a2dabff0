// The emulator on the network: an asynchronous HTTP/1.1 server (Boost.Beast) in
// front of Emulator::handle. Keep-alive; every read has a timeout, a header limit and
// a body limit; an oversized header is 431 (414 when the request line alone is over
// it), an oversized body 413, each in the dialect's error body (Emulator::refuse), a
// request that does not parse 400 in plain text, each followed by a close. No Beast in this header: the runner
// embeds the server through it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.h"

namespace conform::emulator {

class Emulator;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port; Server::port() tells which
  int threads = 1;
  // The largest valid RPC GET carries tens of KiB in its query (DESIGN.md, "Emulator").
  std::uint32_t max_header_bytes = 64 * 1024;
  std::uint64_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds read_timeout{10000};  // per request, from its first byte
};

class Server {
 public:
  // Binds and starts serving on `options.threads` threads; `emulator` must outlive
  // the server. A bind failure names host:port.
  static Result<std::unique_ptr<Server>> start(Emulator& emulator, const ServerOptions& options);
  ~Server();  // stops and joins
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  const std::string& host() const;
  // Stops accepting and serving; idempotent, callable from any thread.
  void stop();
  // From now on SIGINT and SIGTERM stop the server (call it before announcing the
  // port, so that a signal sent right after cannot kill the process instead).
  void catch_signals();
  // Blocks until stop() is called (by a caught signal or another thread).
  void wait();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conform::emulator
