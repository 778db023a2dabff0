#include "core/test_paths.h"
#include "tests/e2e/emulator_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace conform::e2e {
namespace {

using Clock = std::chrono::steady_clock;

// Waits for readable data until `deadline`; false on timeout.
bool wait_readable(int fd, Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return false;
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(left)) > 0;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Connection::Connection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

bool Connection::send_raw(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

Reply Connection::read(std::chrono::milliseconds timeout) {
  Reply r;
  const auto deadline = Clock::now() + timeout;
  std::size_t header_end = std::string::npos;
  std::size_t length = 0;
  char chunk[65536];
  while (true) {
    if (header_end == std::string::npos && (header_end = buffer_.find("\r\n\r\n")) != std::string::npos) {
      std::size_t line_end = buffer_.find("\r\n");
      r.status = std::atoi(buffer_.substr(9, 3).c_str());
      std::size_t pos = line_end + 2;
      while (pos < header_end) {
        std::size_t eol = buffer_.find("\r\n", pos);
        std::string line = buffer_.substr(pos, eol - pos);
        auto colon = line.find(':');
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        r.headers[lower(line.substr(0, colon))] = value;
        pos = eol + 2;
      }
      length = r.headers.contains("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    }
    if (header_end != std::string::npos && buffer_.size() >= header_end + 4 + length) {
      r.body = buffer_.substr(header_end + 4, length);
      buffer_.erase(0, header_end + 4 + length);
      r.answered = true;
      return r;
    }
    if (!wait_readable(fd_, deadline)) {
      r.timed_out = true;
      return r;
    }
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return r;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

bool Connection::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  char c;
  while (wait_readable(fd_, deadline)) {
    if (::recv(fd_, &c, 1, 0) <= 0) return true;
  }
  return false;
}

Reply request(int port, const std::string& method, const std::string& target, const std::string& body,
              const std::string& content_type, std::chrono::milliseconds timeout) {
  Connection c(port);
  if (!c.ok()) return {};
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!content_type.empty()) req += "Content-Type: " + content_type + "\r\n";
  if (method == "POST" || !body.empty()) req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  c.send_raw(req + "\r\n" + body);
  return c.read(timeout);
}

EmulatorProcess::EmulatorProcess(const std::vector<std::string>& args) {
  int out[2];
  if (::pipe(out) != 0) return;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    // CONFORM_EMULATE_BINARY runs the tests against another build of conform.
    const char* env = std::getenv("CONFORM_EMULATE_BINARY");
    const std::string binary = env && *env ? env : CONFORM_BINARY;
    std::vector<std::string> all = {binary, "emulate", "--specs", std::string(CONFORM_SOURCE_DIR) + "/specs",
                                    "--port", "0"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  // The first line is "listening on 127.0.0.1:PORT".
  std::string line;
  char c;
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (line.find('\n') == std::string::npos && wait_readable(out[0], deadline) && ::read(out[0], &c, 1) == 1) line += c;
  ::close(out[0]);
  auto colon = line.rfind(':');
  if (line.starts_with("listening on ") && colon != std::string::npos) port_ = std::atoi(line.c_str() + colon + 1);
}

EmulatorProcess::~EmulatorProcess() { stop(); }

bool EmulatorProcess::alive() {
  if (pid_ <= 0) return false;
  int status = 0;
  return ::waitpid(pid_, &status, WNOHANG) == 0;
}

int EmulatorProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace conform::e2e
