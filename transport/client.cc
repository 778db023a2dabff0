#include "transport/client.h"

#include <chrono>
#include <deque>
#include <optional>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "transport/failure.h"

namespace conform::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Job {
  HttpRequest request;
  Client::Done done;
};

bool has_control(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return true;
  }
  return false;
}

// Whether the request can be written without injecting bytes into the stream.
bool sendable(const HttpRequest& r) {
  if (r.method.empty() || has_control(r.method) || r.method.find(' ') != std::string::npos) return false;
  if (r.target.empty() || has_control(r.target) || r.target.find(' ') != std::string::npos) return false;
  for (const auto& [name, value] : r.headers) {
    if (name.empty() || has_control(name) || has_control(value) || name.find(':') != std::string::npos) {
      return false;
    }
  }
  return true;
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace

class Connection;

struct Client::Impl {
  asio::io_context ioc{1};
  Endpoint endpoint;
  ClientOptions options;
  tcp::resolver::results_type addresses;
  std::deque<Job> queue;
  std::vector<std::shared_ptr<Connection>> connections;
  std::vector<Connection*> idle;
  Clock::time_point next_slot{};  // rate limiting: when the next request may start

  void dispatch();
  void on_idle(Connection* c);
  Clock::time_point take_slot();
};

// One keep-alive connection; exchanges on it run one after the other. The
// deadline of an exchange is set once, so it covers connect, write and the read
// of the whole response, and a retry on a fresh connection stays within it.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  explicit Connection(Client::Impl& owner) : owner_(owner), stream_(owner.ioc), timer_(owner.ioc) {}

  void start(Job job, Clock::time_point slot) {
    job_ = std::move(job);
    if (slot <= Clock::now()) return begin();
    timer_.expires_at(slot);
    timer_.async_wait([self = shared_from_this()](beast::error_code) { self->begin(); });
  }

 private:
  void begin() {
    started_ = Clock::now();
    deadline_ = started_ + std::chrono::milliseconds(owner_.options.timeout_ms);
    retried_ = false;
    stream_.expires_at(deadline_);
    attempt();
  }

  void attempt() {
    sent_ = job_.request;
    if (owner_.options.prepare) owner_.options.prepare(sent_);
    build_request();
    if (connected_) {
      reused_ = true;
      return write();
    }
    reused_ = false;
    stream_.async_connect(owner_.addresses, [self = shared_from_this()](beast::error_code ec,
                                                                        const tcp::endpoint&) {
      if (ec) return self->finish_error(ec, false);
      self->connected_ = true;
      self->stream_.socket().set_option(tcp::no_delay(true), ec);
      self->write();
    });
  }

  void build_request() {
    req_ = {};
    req_.method_string(sent_.method);
    req_.target(sent_.target);
    req_.version(11);
    req_.set(http::field::host, host_header());
    req_.set(http::field::user_agent, "conform");
    for (const auto& [name, value] : sent_.headers) req_.insert(name, value);
    req_.body() = sent_.body;
    // Beast adds Content-Length for a body; GET with no body gets none.
    if (!sent_.body.empty() || (sent_.method != "GET" && sent_.method != "HEAD")) req_.prepare_payload();
    req_.keep_alive(true);
  }

  std::string host_header() const {
    const Endpoint& e = owner_.endpoint;
    std::string origin = e.origin();
    return origin.substr(origin.find("://") + 3);
  }

  void write() {
    http::async_write(stream_, req_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->retry_or_fail(ec, false);
      self->read();
    });
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(owner_.options.max_response_bytes);
    parser_->header_limit(owner_.options.max_header_bytes);
    read_some();
  }

  // Reads piece by piece rather than with one async_read, so that the deadline is
  // checked between pieces too: a fast endless stream keeps completing reads
  // immediately and would otherwise starve the stream's timer.
  void read_some() {
    http::async_read_some(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            bool got = self->parser_->got_some();
                            if (!ec && !self->parser_->is_done() && Clock::now() >= self->deadline_) {
                              ec = beast::error::timeout;
                            }
                            if (ec) return self->retry_or_fail(ec, got);
                            if (!self->parser_->is_done()) return self->read_some();
                            self->finish_ok();
                          });
  }

  // A kept-alive connection may have been closed by the server while idle: the
  // first write or read on it fails before any response byte. That is not the
  // target's fault; try once more on a fresh connection within the same deadline.
  void retry_or_fail(beast::error_code ec, bool got_bytes) {
    if (reused_ && !retried_ && !got_bytes && ec != beast::error::timeout) {
      retried_ = true;
      close();
      return attempt();
    }
    finish_error(ec, got_bytes);
  }

  void finish_ok() {
    auto& res = parser_->get();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    out.reason = std::string(res.reason());
    for (const auto& field : res) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out.body = std::move(res.body());
    bool keep = res.keep_alive();
    parser_.reset();
    if (!keep) close();
    Exchange x{std::move(sent_), std::move(out), std::nullopt, ms_since(started_)};
    complete(std::move(x));
  }

  void finish_error(beast::error_code ec, bool got_bytes) {
    TransportError e = classify(ec, got_bytes, owner_.options);
    parser_.reset();
    close();
    Exchange x{std::move(sent_), std::nullopt, std::move(e), ms_since(started_)};
    complete(std::move(x));
  }

  void complete(Exchange x) {
    Client::Done done = std::move(job_.done);
    job_ = {};
    // Cancels the deadline timer, so that an idle connection keeps run() from
    // returning no longer than needed and the next exchange starts with a fresh one.
    stream_.expires_never();
    // Idle first, so that a submit from the callback can reuse this connection.
    owner_.on_idle(this);
    done(std::move(x));
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    buffer_.clear();
    connected_ = false;
  }

  Client::Impl& owner_;
  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  http::request<http::string_body> req_;
  Job job_;
  HttpRequest sent_;
  Clock::time_point started_{};
  Clock::time_point deadline_{};
  bool connected_ = false;
  bool reused_ = false;
  bool retried_ = false;
};

Clock::time_point Client::Impl::take_slot() {
  auto now = Clock::now();
  if (options.rate <= 0) return now;
  auto slot = std::max(now, next_slot);
  next_slot = slot + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / options.rate));
  return slot;
}

void Client::Impl::dispatch() {
  while (!queue.empty() && !idle.empty()) {
    Connection* c = idle.back();
    idle.pop_back();
    Job job = std::move(queue.front());
    queue.pop_front();
    c->start(std::move(job), take_slot());
  }
}

void Client::Impl::on_idle(Connection* c) {
  idle.push_back(c);
  // Posted, not called: the finishing callback runs first and may submit.
  asio::post(ioc, [this] { dispatch(); });
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

Result<std::unique_ptr<Client>> Client::create(const Endpoint& endpoint, ClientOptions options) {
  if (endpoint.scheme != "http") {
    return fail(endpoint.origin(), "only http:// targets are supported so far (HTTPS is issue 8)");
  }
  auto impl = std::make_unique<Impl>();
  impl->endpoint = endpoint;
  impl->options = std::move(options);
  if (impl->options.connections < 1) impl->options.connections = 1;
  beast::error_code ec;
  tcp::resolver resolver(impl->ioc);
  impl->addresses = resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
  if (ec) return fail(endpoint.origin(), "cannot resolve the host: " + ec.message());
  for (int i = 0; i < impl->options.connections; ++i) {
    impl->connections.push_back(std::make_shared<Connection>(*impl));
    impl->idle.push_back(impl->connections.back().get());
  }
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

void Client::submit(HttpRequest request, Done done) {
  if (!sendable(request)) {
    TransportError e{FailureKind::other, "the request has a control character or space in its method, "
                                         "target or a header, so it was not sent"};
    Exchange x{std::move(request), std::nullopt, std::move(e), 0};
    asio::post(impl_->ioc, [done = std::move(done), x = std::move(x)]() mutable { done(std::move(x)); });
    return;
  }
  impl_->queue.push_back(Job{std::move(request), std::move(done)});
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->dispatch(); });
}

void Client::run() {
  impl_->ioc.restart();
  impl_->ioc.run();
}

void Client::drop_queued() { impl_->queue.clear(); }

const Endpoint& Client::endpoint() const { return impl_->endpoint; }

}  // namespace conform::transport
