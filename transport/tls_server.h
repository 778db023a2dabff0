// Test helpers for HTTPS (issue 8): a self-signed certificate made at run time
// with OpenSSL (no private key is ever committed), a TLS HTTP server on 127.0.0.1
// with a pluggable handler, and a CONNECT proxy that tunnels to a fixed local port.
// Blocking sockets, a thread per connection, every loop bounded.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "transport/http.h"

namespace conform::testing {

struct TestCert {
  std::string cert_pem;
  std::string key_pem;
  // Self-signed, valid from an hour ago for a day, for these names (DNS) and
  // addresses (IP) in its subjectAltName.
  static TestCert make(const std::vector<std::string>& dns, const std::vector<std::string>& ips);
  // Writes cert_pem to `path`; false on an I/O error.
  bool write_cert(const std::string& path) const;
};

class TlsServer {
 public:
  using Handler = std::function<transport::HttpResponse(const transport::HttpRequest&)>;
  TlsServer(const TestCert& cert, Handler handler);
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_.load(); }
  int handshakes_failed() const { return failed_.load(); }
  // The SNI name of the last handshake ("" when the client sent none).
  std::string last_sni() const;
  // From now on, a second answer (200 "extra") follows each answer 10 ms later,
  // on the same connection: a target out of step with its client.
  void answer_twice() { twice_ = true; }
  // How many such second answers were written so far.
  int second_answers() const { return seconds_.load(); }

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  std::atomic<int> requests_{0};
  std::atomic<int> failed_{0};
  std::atomic<bool> twice_{false};
  std::atomic<int> seconds_{0};
};

// An HTTP proxy on 127.0.0.1: CONNECT tunnels and absolute-form requests all go
// to 127.0.0.1:backend_port, whatever host they name; it records what it was asked.
class ConnectProxy {
 public:
  explicit ConnectProxy(std::uint16_t backend_port);
  ~ConnectProxy();
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> request_lines() const;  // "CONNECT host:443 HTTP/1.1", "GET http://... HTTP/1.1"

 private:
  void accept_loop();
  void serve(int fd);

  std::uint16_t backend_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<int> fds_;
  std::vector<std::string> lines_;
};

}  // namespace conform::testing
