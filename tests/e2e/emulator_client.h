// A tiny HTTP/1.1 client over raw sockets and a launcher for the real
// `conform emulate`, for the emulator's end-to-end tests. Raw sockets, so that a
// test can also send what no well-behaved client would (garbage, truncation).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace conform::e2e {

struct Reply {
  bool answered = false;  // false: the connection closed or timed out first
  bool timed_out = false;
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class Connection {
 public:
  explicit Connection(int port);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool ok() const { return fd_ >= 0; }
  bool send_raw(const std::string& bytes);
  // Reads one response (Content-Length framed) within `timeout`.
  Reply read(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the peer closed the connection within `timeout`.
  bool closed_within(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection.
Reply request(int port, const std::string& method, const std::string& target, const std::string& body = "",
              const std::string& content_type = "", std::chrono::milliseconds timeout = std::chrono::seconds(10));

// `conform emulate --port 0` with `args`; stops it with SIGTERM on destruction.
class EmulatorProcess {
 public:
  explicit EmulatorProcess(const std::vector<std::string>& args);
  ~EmulatorProcess();
  int port() const { return port_; }
  bool alive();
  // Sends SIGTERM and returns the exit status (-1 if it had to be killed).
  int stop();

 private:
  int pid_ = -1;
  int port_ = 0;
};

std::string url_encode(const std::string& s);

}  // namespace conform::e2e
