#include "transport/hostile_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace conform::testing {
namespace {

constexpr int kMaxChunks = 100000;  // bounds every endless writer

int listen_loopback(std::uint16_t* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::listen(fd, 64);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

bool send_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one request head (and a Content-Length body); false when the peer is gone.
bool read_request(int fd, std::string& buffer, std::string& head) {
  for (int i = 0; i < 10000; ++i) {
    std::size_t end = buffer.find("\r\n\r\n");
    if (end != std::string::npos) {
      head = buffer.substr(0, end + 4);
      std::size_t length = 0;
      std::size_t cl = buffer.find("Content-Length: ");
      if (cl != std::string::npos && cl < end) length = std::stoul(buffer.substr(cl + 16));
      if (buffer.size() >= end + 4 + length) {
        buffer.erase(0, end + 4 + length);
        return true;
      }
    }
    char chunk[4096];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  return false;
}

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

const std::string kOkBody = R"({"RequestId":"r-1","InstanceId":"i-1"})";

std::string ok_response() {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(kOkBody.size()) + "\r\n\r\n" + kOkBody;
}

}  // namespace

HostileServer::HostileServer(Behaviour b) : behaviour_(b) {
  listen_fd_ = listen_loopback(&port_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

HostileServer::~HostileServer() {
  stop_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  acceptor_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
  for (std::thread& t : workers_) t.join();
}

std::string HostileServer::last_head() {
  std::lock_guard<std::mutex> lock(mu_);
  return last_head_;
}

std::uint16_t HostileServer::closed_port() {
  std::uint16_t port = 0;
  int fd = listen_loopback(&port);
  ::close(fd);
  return port;
}

void HostileServer::accept_loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    // No Nagle: what a behaviour writes goes out then, not with the client's next
    // ACK (a late second answer must be on the client's side when the test says so).
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ++connections_;
    std::lock_guard<std::mutex> lock(mu_);
    fds_.push_back(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

namespace {

// A server whose body limit is exceeded: it answers from the head alone, as
// conform emulate and most front ends do, and closes without reading the body.
void answer_from_head(int fd, std::atomic<int>& requests) {
  std::string head;
  char chunk[4096];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < (1u << 20)) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return;
    head.append(chunk, static_cast<std::size_t>(n));
  }
  ++requests;
  const std::string body = R"({"Code":"RequestEntityTooLarge","Message":"too large","RequestId":"r-413"})";
  send_all(fd, "HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\nConnection: close\r\n"
               "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  // A close with unread bytes resets the connection and drops what is still in
  // the send queue: wait (at most 1 s) until the answer has been acknowledged, so
  // that the reset comes after it, as from a server whose answer went out first.
  ::shutdown(fd, SHUT_WR);
  for (int i = 0; i < 200; ++i) {
    int queued = 0;
    if (::ioctl(fd, SIOCOUTQ, &queued) != 0 || queued == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

void HostileServer::serve(int fd) {
  if (behaviour_ == Behaviour::answer_early) {
    answer_from_head(fd, requests_);
    ::close(fd);  // unread bytes left: the kernel answers the rest of the body with a reset
    return;
  }
  std::string buffer;
  // Keep-alive for the well-behaved answers; every other behaviour ends the connection.
  for (int i = 0; i < 100000 && !stop_; ++i) {
    std::string head;
    if (!read_request(fd, buffer, head)) break;
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_head_ = head;
    }
    ++requests_;
    if (!answer(fd)) break;
  }
  if (behaviour_ == Behaviour::reset) {
    linger l{1, 0};  // close with RST rather than FIN
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  }
  ::close(fd);
}

// Writes one answer; true when the connection may carry another request.
bool HostileServer::answer(int fd) {
  switch (behaviour_) {
    case Behaviour::ok: return send_all(fd, ok_response());
    case Behaviour::reset:
    case Behaviour::close_silently: return false;
    case Behaviour::garbage: send_all(fd, "SSH-2.0-OpenSSH_9.2\r\nnot http at all\r\n\r\n"); return false;
    case Behaviour::status_then_silence:
      send_all(fd, "HTTP/1.1 200 OK\r\n");
      for (int i = 0; i < 200 && !stop_; ++i) sleep_ms(50);  // at most 10 s
      return false;
    case Behaviour::endless_body: {
      if (!send_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")) return false;
      const std::string chunk = "1000\r\n" + std::string(4096, 'x') + "\r\n";
      for (int i = 0; i < kMaxChunks && !stop_; ++i) {
        if (!send_all(fd, chunk)) break;
      }
      return false;
    }
    case Behaviour::huge_body: {
      if (!send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n")) return false;
      const std::string chunk(65536, 'y');
      for (int i = 0; i < kMaxChunks && !stop_; ++i) {
        if (!send_all(fd, chunk)) break;
      }
      return false;
    }
    case Behaviour::truncated_body:
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
      return false;
    case Behaviour::megabyte_header:
      send_all(fd, "HTTP/1.1 200 OK\r\nX-Big: " + std::string(1 << 20, 'h') + "\r\nContent-Length: 0\r\n\r\n");
      return false;
    case Behaviour::huge_trailer:
      send_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-T: " + std::string(65534, 't') +
                       "\r\n\r\n");
      return false;
    case Behaviour::many_trailers: {
      std::string r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n";
      for (int i = 0; i < 200000; ++i) r += "X-" + std::to_string(i) + ": a\r\n";
      send_all(fd, r + "\r\n");
      return false;
    }
    case Behaviour::trickle: {
      const std::string r = ok_response();
      for (std::size_t i = 0; i < r.size() && !stop_; ++i) {
        if (!send_all(fd, r.substr(i, 1))) return false;
        sleep_ms(50);
      }
      return false;
    }
    case Behaviour::answer_early: return false;  // served in serve()
    case Behaviour::interim_then_answer: {
      const std::string body = "{\"RequestId\":\"r-" + std::to_string(requests_.load()) + "\"}";
      return send_all(fd, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n"
                          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body);
    }
    case Behaviour::double_answer: {
      auto one = [&](const std::string& id) {
        const std::string body = "{\"RequestId\":\"" + id + std::to_string(requests_.load()) + "\"}";
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n\r\n" + body;
      };
      // The second answer in its own write after a pause half the time, so that
      // the client meets it both in its buffer and later on the socket.
      if (!send_all(fd, one("r-") + (requests_.load() % 2 ? one("extra-") : ""))) return false;
      if (requests_.load() % 2 == 0) {
        sleep_ms(20);
        return send_all(fd, one("extra-"));
      }
      return true;
    }
    case Behaviour::endless_interim:
      for (int i = 0; i < kMaxChunks && !stop_; ++i) {
        if (!send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n")) break;
      }
      return false;
    case Behaviour::switch_protocols:
      send_all(fd, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
      return false;
    case Behaviour::deep_json:
    {
      const std::string body = "{\"Code\":\"Deep\",\"RequestId\":\"r-1\",\"Data\":" + std::string(100'000, '[') +
                               std::string(100'000, ']') + "}";
      return send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body);
    }
    case Behaviour::answers_then_hangs: {
      if (requests_.load() > 12) {
        for (int i = 0; i < 200 && !stop_; ++i) sleep_ms(50);  // at most 10 s
        return false;
      }
      const std::string body = "{\"Code\":\"Broken\",\"RequestId\":\"r\"}";
      return send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body);
    }
    case Behaviour::malformed_json:
    {
      const std::string body = "{\"Code\": \"Inva";
      return send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body);
    }
  }
  return false;
}

}  // namespace conform::testing
