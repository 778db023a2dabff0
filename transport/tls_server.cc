#include "transport/tls_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace conform::testing {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

int listen_loopback(std::uint16_t* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::listen(fd, 64);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

int connect_loopback(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

// The accept loop both servers share: a worker thread per connection, every fd
// remembered so that the destructor can unblock the workers.
template <class Serve>
void accept_into(int listen_fd, std::atomic<bool>& stop, std::mutex& mu, std::vector<std::thread>& workers,
                 std::vector<int>& fds, Serve serve) {
  while (!stop) {
    int fd = ::accept(listen_fd, nullptr, nullptr);
    if (fd < 0) {
      if (stop) return;
      continue;
    }
    std::lock_guard lock(mu);
    if (stop) {
      ::close(fd);
      return;
    }
    fds.push_back(fd);
    workers.emplace_back([fd, serve] { serve(fd); });
  }
}

void stop_all(int listen_fd, std::atomic<bool>& stop, std::thread& acceptor, std::mutex& mu,
              std::vector<std::thread>& workers, std::vector<int>& fds) {
  stop = true;
  ::shutdown(listen_fd, SHUT_RDWR);
  if (acceptor.joinable()) acceptor.join();
  ::close(listen_fd);
  std::vector<std::thread> all;
  {
    std::lock_guard lock(mu);
    for (int fd : fds) ::shutdown(fd, SHUT_RDWR);
    all.swap(workers);
  }
  for (std::thread& t : all) t.join();
}

void forget(std::mutex& mu, std::vector<int>& fds, int fd) {
  std::lock_guard lock(mu);
  fds.erase(std::remove(fds.begin(), fds.end(), fd), fds.end());
}

}  // namespace

TestCert TestCert::make(const std::vector<std::string>& dns, const std::vector<std::string>& ips) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  static long serial = 1;
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("conform test"), -1,
                             -1, 0);
  X509_set_issuer_name(x, name);
  std::string san;
  for (const std::string& d : dns) san += (san.empty() ? "" : ",") + std::string("DNS:") + d;
  for (const std::string& ip : ips) san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair<int, std::string>{NID_subject_alt_name, san},
                            {NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(x, key, EVP_sha256());
  TestCert out;
  BIO* c = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(c, x);
  out.cert_pem = bio_text(c);
  BIO_free(c);
  BIO* k = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
  out.key_pem = bio_text(k);
  BIO_free(k);
  X509_free(x);
  EVP_PKEY_free(key);
  return out;
}

bool TestCert::write_cert(const std::string& path) const {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << cert_pem;
  return static_cast<bool>(f);
}

struct TlsServer::Impl {
  ssl::context ctx{ssl::context::tls_server};
  Handler handler;
  int listen_fd = -1;
  std::atomic<bool> stop{false};
  std::thread acceptor;
  mutable std::mutex mu;
  std::vector<std::thread> workers;
  std::vector<int> fds;
  std::string sni;
};

TlsServer::TlsServer(const TestCert& cert, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->ctx.use_certificate_chain(asio::buffer(cert.cert_pem));
  impl_->ctx.use_private_key(asio::buffer(cert.key_pem), ssl::context::pem);
  impl_->handler = std::move(handler);
  impl_->listen_fd = listen_loopback(&port_);
  auto serve = [this](int fd) {
    {
      asio::io_context ioc;
      ssl::stream<tcp::socket> stream(ioc, impl_->ctx);
      beast::error_code ec;
      stream.next_layer().assign(tcp::v4(), fd, ec);
      // No Nagle: a second answer goes out when written, not with the client's next ACK.
      if (!ec) stream.next_layer().set_option(tcp::no_delay(true), ec);
      stream.handshake(ssl::stream_base::server, ec);
      if (ec) {
        ++failed_;
      } else {
        const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
        {
          std::lock_guard lock(impl_->mu);
          impl_->sni = sni ? sni : "";
        }
        beast::flat_buffer buffer;
        for (int i = 0; i < 100000 && !impl_->stop; ++i) {
          http::request<http::string_body> req;
          http::read(stream, buffer, req, ec);
          if (ec) break;
          ++requests_;
          transport::HttpRequest in;
          in.method = std::string(req.method_string());
          in.target = std::string(req.target());
          for (const auto& f : req) in.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
          in.body = req.body();
          transport::HttpResponse r = impl_->handler(in);
          http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
          for (const auto& [k, v] : r.headers) res.set(k, v);
          res.body() = r.body;
          res.keep_alive(req.keep_alive());
          res.prepare_payload();
          http::write(stream, res, ec);
          if (!ec && twice_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            res.body() = "extra";
            res.prepare_payload();
            http::write(stream, res, ec);
            if (!ec) ++seconds_;
          }
          if (ec || !req.keep_alive()) break;
        }
      }
      forget(impl_->mu, impl_->fds, fd);
    }  // the socket closes the fd here, after it left the list
  };
  impl_->acceptor = std::thread([this, serve] {
    accept_into(impl_->listen_fd, impl_->stop, impl_->mu, impl_->workers, impl_->fds, serve);
  });
}

TlsServer::~TlsServer() {
  stop_all(impl_->listen_fd, impl_->stop, impl_->acceptor, impl_->mu, impl_->workers, impl_->fds);
}

std::string TlsServer::last_sni() const {
  std::lock_guard lock(impl_->mu);
  return impl_->sni;
}

ConnectProxy::ConnectProxy(std::uint16_t backend_port) : backend_(backend_port) {
  listen_fd_ = listen_loopback(&port_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

ConnectProxy::~ConnectProxy() { stop_all(listen_fd_, stop_, acceptor_, mu_, workers_, fds_); }

void ConnectProxy::accept_loop() {
  accept_into(listen_fd_, stop_, mu_, workers_, fds_, [this](int fd) {
    serve(fd);
    forget(mu_, fds_, fd);
    ::close(fd);
  });
}

std::vector<std::string> ConnectProxy::request_lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

void ConnectProxy::serve(int fd) {
  std::string head;
  char buf[16384];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    head.append(buf, static_cast<std::size_t>(n));
  }
  std::string line = head.substr(0, head.find("\r\n"));
  {
    std::lock_guard lock(mu_);
    lines_.push_back(line);
  }
  int up = connect_loopback(backend_);
  if (up < 0) {
    std::string bad = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
    ::send(fd, bad.data(), bad.size(), MSG_NOSIGNAL);
    return;
  }
  {
    std::lock_guard lock(mu_);
    fds_.push_back(up);
  }
  bool tunnel = line.rfind("CONNECT ", 0) == 0;
  std::string first = tunnel ? "HTTP/1.1 200 Connection established\r\n\r\n" : head;
  int to = tunnel ? fd : up;
  ::send(to, first.data(), first.size(), MSG_NOSIGNAL);
  if (tunnel && head.size() > head.find("\r\n\r\n") + 4) {
    std::string rest = head.substr(head.find("\r\n\r\n") + 4);
    ::send(up, rest.data(), rest.size(), MSG_NOSIGNAL);
  }
  pollfd p[2] = {{fd, POLLIN, 0}, {up, POLLIN, 0}};
  for (int i = 0; i < 1000000 && !stop_; ++i) {
    if (::poll(p, 2, 1000) < 0) break;
    bool done = false;
    for (int k = 0; k < 2; ++k) {
      if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::recv(p[k].fd, buf, sizeof buf, 0);
      if (n <= 0 || ::send(p[1 - k].fd, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) <= 0) done = true;
    }
    if (done) break;
  }
  forget(mu_, fds_, up);
  ::close(up);
}

}  // namespace conform::testing
