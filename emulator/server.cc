// The Beast layer, after boostorg/beast's advanced_server: a Session per connection
// reads with a timeout and limits, hands the request to Emulator::handle, writes the
// answer (after the delay a slow-path fault asks for), and reads the next.
#include "emulator/server.h"

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include "emulator/handler.h"

namespace conform::emulator {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::chrono::seconds kWriteTimeout{30};
// After a refusal, the rest of the request is read and dropped for this long, or
// this much, before the close (nginx's lingering_close).
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerBytes = 64u << 20;

// The status a request that did not parse gets, or 0 to close without answering;
// 431 becomes 414 when the request line alone is over the limit (Session::on_read).
int parse_failure_status(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return 0;
  if (ec.category() == http::make_error_code(http::error::bad_target).category()) return 400;
  return 0;
}

HttpResponse transport_error(int status) {
  HttpResponse r;
  r.status = status;
  r.close = true;
  r.headers.emplace_back("Content-Type", "text/plain");
  r.body = std::string(http::obsolete_reason(static_cast<http::status>(status))) + "\n";
  return r;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Emulator& emulator, const ServerOptions& options)
      : stream_(std::move(socket)), emulator_(emulator), options_(options), delay_(stream_.get_executor()) {
    beast::error_code ec;
    auto peer = stream_.socket().remote_endpoint(ec);
    loopback_ = !ec && peer.address().is_loopback();
  }

  void run() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this())); }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(options_.max_header_bytes);
    parser_->body_limit(options_.max_body_bytes);
    stream_.expires_after(options_.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  // A client that sent "Expect: 100-continue" (curl does for a body over 1 KiB)
  // waits for a 100 Continue before it sends the body, or a second when none
  // comes: answer it, as the services' gateways do (RFC 9110 section 10.1.1).
  void on_header(beast::error_code ec, std::size_t n) {
    if (ec) return on_read(ec, n);
    const auto& req = parser_->get();
    const auto expect = req[http::field::expect];
    if (!parser_->is_done() && req.version() >= 11 && beast::iequals(expect, "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                              [self = shared_from_this()](beast::error_code wec, std::size_t) {
                                if (wec) return self->close();
                                self->read_body();
                              });
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      int status = parse_failure_status(ec);
      if (status == 0) return close();
      if (status == 400) return respond(transport_error(status), 11, false);
      // The target is known once the request line is read: always for 413, and for
      // 431 unless the request line alone is over the limit, which is 414.
      std::string target(parser_->get().target());
      if (status == 431 && target.empty()) {
        status = 414;
        target = partial_target();
      }
      return respond(emulator_.refuse(status, target), 11, false);
    }
    auto req = parser_->release();
    HttpRequest in;
    in.method = std::string(req.method_string());
    in.target = std::string(req.target());
    for (const auto& field : req) in.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    in.body = std::move(req.body());
    in.from_loopback = loopback_;
    in.framed = req.has_content_length() || req.chunked();
    respond(emulator_.handle(in), req.version(), req.keep_alive());
  }

  // The start of the target of a request line that never ended: the bytes after
  // the method, unconsumed in the buffer.
  std::string partial_target() const {
    const auto data = buffer_.cdata();
    std::string_view line(static_cast<const char*>(data.data()), data.size());
    const auto space = line.find(' ');
    if (space == std::string_view::npos) return {};
    line.remove_prefix(space + 1);
    return std::string(line.substr(0, line.find_first_of(" \r\n")));
  }

  void respond(const HttpResponse& r, unsigned version, bool keep_alive) {
    res_ = {};
    res_.version(version);
    res_.result(static_cast<unsigned>(r.status));
    res_.set(http::field::server, "conform-emulator");
    for (const auto& [k, v] : r.headers) res_.set(k, v);
    res_.body() = r.body;
    res_.keep_alive(keep_alive && !r.close);
    refused_ = r.close;
    res_.prepare_payload();
    stream_.expires_never();
    if (r.delay.count() > 0) {
      delay_.expires_after(r.delay);
      delay_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec) self->write();
      });
      return;
    }
    write();
  }

  void write() {
    stream_.expires_after(kWriteTimeout);
    http::async_write(stream_, res_, beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return;
    if (refused_) return linger();
    if (!res_.keep_alive()) return close();
    read();
  }

  // A refusal (411, 413, 414, 431, 400) may come while the client is still
  // sending the request (a body over the limit): closing with its bytes unread
  // would reset the connection, and a reset can discard the answer before the
  // client reads it. So the answer and a FIN go out, and what still arrives is
  // read and dropped, within kLingerTime and kLingerBytes, before the close.
  void linger() {
    close();
    buffer_.clear();
    stream_.expires_after(kLingerTime);
    drain();
  }

  void drain() {
    stream_.async_read_some(buffer_.prepare(16384), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->buffer_.commit(n);
      self->buffer_.consume(n);
      self->lingered_ += n;
      if (!ec && self->lingered_ < kLingerBytes) self->drain();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  Emulator& emulator_;
  const ServerOptions& options_;
  net::steady_timer delay_;
  bool loopback_ = false;
  bool refused_ = false;       // the answer being written closes the connection: linger
  std::size_t lingered_ = 0;
};

}  // namespace

struct Server::Impl {
  Impl(Emulator& e, ServerOptions o) : emulator(e), options(std::move(o)), acceptor(ioc), signals(ioc) {}

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) std::make_shared<Session>(std::move(socket), emulator, options)->run();
      accept();
    });
  }

  Emulator& emulator;
  ServerOptions options;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::signal_set signals;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  std::mutex mutex;
  std::condition_variable cv;
  bool stopped = false;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Server>> Server::start(Emulator& emulator, const ServerOptions& options) {
  auto impl = std::make_unique<Impl>(emulator, options);
  const std::string where = options.host + ":" + std::to_string(options.port);
  beast::error_code ec;
  auto address = net::ip::make_address(options.host, ec);
  if (ec) return fail(where, "not an IP address: " + ec.message());
  tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail(where, "cannot listen: " + ec.message());
  impl->port = impl->acceptor.local_endpoint().port();
  impl->accept();
  const int threads = options.threads < 1 ? 1 : options.threads;
  for (int i = 0; i < threads; ++i) impl->threads.emplace_back([io = &impl->ioc] { io->run(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::~Server() {
  stop();
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
}

std::uint16_t Server::port() const { return impl_->port; }
const std::string& Server::host() const { return impl_->options.host; }

void Server::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  net::post(impl_->ioc, [impl = impl_.get()] {
    beast::error_code ec;
    impl->acceptor.close(ec);
    impl->signals.cancel(ec);
    impl->ioc.stop();
  });
  impl_->cv.notify_all();
}

void Server::catch_signals() {
  impl_->signals.add(SIGINT);
  impl_->signals.add(SIGTERM);
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) stop();
  });
}

void Server::wait() {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  impl_->cv.wait(lock, [this] { return impl_->stopped; });
}

}  // namespace conform::emulator
