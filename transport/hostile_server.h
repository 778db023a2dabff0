// Test helper: a tiny HTTP server on 127.0.0.1 that misbehaves on purpose, one way
// per instance. Blocking sockets, a thread per connection, every loop bounded.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace conform::testing {

enum class Behaviour {
  ok,               // 200 with a small JSON body, keep-alive
  reset,            // reads the request, then resets the connection
  close_silently,   // reads the request, then closes without a byte
  garbage,          // answers bytes that are not HTTP
  status_then_silence,  // a status line, then nothing (until the client gives up)
  endless_body,     // chunked body that never ends
  huge_body,        // Content-Length of 1 GiB, sent as fast as the client reads
  truncated_body,   // Content-Length 1000, 10 bytes, then close
  megabyte_header,  // a 1 MiB header field
  huge_trailer,     // a chunked body whose trailer holds a 65,534-byte field (Beast throws on one)
  many_trailers,    // a chunked body with 200,000 small trailer fields
  trickle,          // a valid response, one byte every 50 ms
  malformed_json,   // 400 with a JSON content type and a broken body
  answer_early,     // reads the head only, answers 413 and closes with the body unread (a reset)
  deep_json,        // 400 with a well-formed JSON error body nested 100,000 levels deep
  interim_then_answer,  // 100 Continue and 103 Early Hints (unasked), then 200 {"RequestId":"r-<n>"}, keep-alive
  endless_interim,  // 100 Continue after 100 Continue, never a final answer
  switch_protocols, // 101 Switching Protocols to a plain request
  answers_then_hangs,  // 400 {"Code":"Broken"} to the first 12 requests, then no answer at all (keep reading)
  double_answer,    // two answers to each request (200 {"RequestId":"r-<n>"}, then 200 {"RequestId":"extra-<n>"}), keep-alive
};

class HostileServer {
 public:
  explicit HostileServer(Behaviour b);
  ~HostileServer();
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_.load(); }
  int connections() const { return connections_.load(); }
  // The request line and headers of the last request read (ok and the others that
  // read whole requests).
  std::string last_head();

  // A port on which nobody listens (bound, then closed).
  static std::uint16_t closed_port();

 private:
  void accept_loop();
  void serve(int fd);
  bool answer(int fd);

  Behaviour behaviour_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<int> fds_;
  std::string last_head_;
};

}  // namespace conform::testing
