#include "transport/client.h"

#include <chrono>
#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include "transport/failure.h"

namespace conform::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using Clock = std::chrono::steady_clock;

namespace {

struct Job {
  HttpRequest request;
  Client::Done done;
  int pin = -1;
};

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
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
  std::optional<Endpoint> proxy;           // where the TCP connections go instead, when set
  std::optional<ssl::context> tls;        // https only
  tcp::resolver::results_type addresses;
  std::optional<TransportError> resolve_error;  // the name did not resolve: every exchange fails so
  std::deque<Job> queue;
  std::vector<std::shared_ptr<Connection>> connections;
  std::vector<Connection*> idle;
  // Client::submit's pins: a connection (once the first job took one) kept out of
  // `idle`, and the pin's next jobs waiting for it.
  struct Pin {
    Connection* conn = nullptr;
    bool busy = false;
    std::deque<Job> waiting;
  };
  std::map<int, Pin> pins;
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
  explicit Connection(Client::Impl& owner) : owner_(owner), timer_(owner.ioc) {}

  void start(Job job, Clock::time_point slot) {
    job_ = std::move(job);
    throttled_ = 0;
    wait_then_begin(slot);
  }

 private:
  void wait_then_begin(Clock::time_point slot) {
    if (slot <= Clock::now()) return begin();
    timer_.expires_at(slot);
    timer_.async_wait([self = shared_from_this()](beast::error_code) { self->begin(); });
  }

  // The lowest layer: the TCP stream with the deadline, under TLS or not.
  beast::tcp_stream& tcp() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }
  bool has_stream() const { return tls_.has_value() || plain_.has_value(); }

  // The same Beast call on whichever stream this connection has.
  template <class F>
  void on_stream(F&& f) {
    if (tls_) {
      f(*tls_);
    } else {
      f(*plain_);
    }
  }

  void begin() {
    started_ = Clock::now();
    deadline_ = started_ + std::chrono::milliseconds(owner_.options.timeout_ms);
    retried_ = false;
    if (has_stream()) tcp().expires_at(deadline_);
    attempt();
  }

  void attempt() {
    write_error_ = {};
    sent_ = job_.request;
    if (owner_.options.prepare) owner_.options.prepare(sent_);
    build_request();
    if (connected_) {
      reused_ = true;
      return write();
    }
    reused_ = false;
    if (owner_.resolve_error) return finish_failure(*owner_.resolve_error);
    // A fresh stream per connection: a TLS session cannot be reused after a close.
    if (owner_.tls) {
      plain_.reset();
      tls_.emplace(owner_.ioc, *owner_.tls);
    } else {
      plain_.emplace(owner_.ioc);
    }
    tcp().expires_at(deadline_);
    tcp().async_connect(owner_.addresses, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return self->finish_error(ec, false);
      self->tcp().socket().set_option(tcp::no_delay(true), ec);
      if (self->owner_.proxy && self->tls_) return self->tunnel();
      self->secure();
    });
  }

  // HTTPS through a proxy: CONNECT host:port, then TLS inside the tunnel.
  void tunnel() {
    const Endpoint& e = owner_.endpoint;
    std::string authority = (e.host.find(':') != std::string::npos ? "[" + e.host + "]" : e.host) + ":" +
                            std::to_string(e.port);
    connect_req_ = {};
    connect_req_.method(http::verb::connect);
    connect_req_.target(authority);
    connect_req_.version(11);
    connect_req_.set(http::field::host, authority);
    connect_req_.set(http::field::user_agent, "conform");
    http::async_write(tcp(), connect_req_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish_error(ec, false);
      self->connect_res_.emplace();
      self->connect_res_->skip(true);  // a 2xx answer to CONNECT has no body: the tunnel follows
      self->connect_res_->header_limit(self->owner_.options.max_header_bytes);
      http::async_read(self->tcp(), self->buffer_, *self->connect_res_,
                       [self](beast::error_code ec, std::size_t) { self->on_tunnel(ec); });
    });
  }

  void on_tunnel(beast::error_code ec) {
    if (ec) return finish_error(ec, false);
    unsigned status = connect_res_->get().result_int();
    std::string reason(connect_res_->get().reason());
    connect_res_.reset();
    if (status < 200 || status >= 300 || buffer_.size() > 0) {
      const Endpoint& p = *owner_.proxy;
      return finish_failure({FailureKind::proxy, "the proxy " + p.origin() + " refused the tunnel to " +
                                                     owner_.endpoint.origin() + ": " + std::to_string(status) + " " +
                                                     reason});
    }
    secure();
  }

  // TLS: SNI, the verification set up in create() plus the host name, handshake.
  void secure() {
    if (!tls_) {
      connected_ = true;
      return write();
    }
    const std::string& host = owner_.endpoint.host;
    if (!is_ip_literal(host)) SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
    if (!owner_.options.insecure) tls_->set_verify_callback(ssl::host_name_verification(host));
    tls_->async_handshake(ssl::stream_base::client, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish_failure(tls_failure(ec, self->tls_->native_handle(), self->owner_.options, self->owner_.endpoint));
      self->connected_ = true;
      self->write();
    });
  }

  void build_request() {
    req_ = {};
    req_.method_string(sent_.method);
    // Plain http through a proxy: the absolute form names the origin.
    req_.target(owner_.proxy && !owner_.tls ? owner_.endpoint.origin() + sent_.target : sent_.target);
    req_.version(11);
    req_.set(http::field::host, host_header());
    req_.set(http::field::user_agent, "conform");
    for (const auto& [name, value] : sent_.headers) {
      if (!value.empty()) req_.insert(name, value);
    }
    req_.body() = sent_.body;
    // Beast adds Content-Length for a body; GET with no body gets none.
    if (!sent_.body.empty() || (sent_.method != "GET" && sent_.method != "HEAD")) req_.prepare_payload();
    // A header set to the empty string is not sent, not even one the client adds
    // itself (curl's -H 'Name:'): Content-Length "" is a POST without framing,
    // which a server answers 411 (docs/decisions.md section 3).
    for (const auto& [name, value] : sent_.headers) {
      if (value.empty()) req_.erase(name);
    }
    req_.keep_alive(true);
  }

  std::string host_header() const {
    const Endpoint& e = owner_.endpoint;
    std::string origin = e.origin();
    return origin.substr(origin.find("://") + 3);
  }

  void write() {
    on_stream([this](auto& stream) {
      http::async_write(stream, req_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->on_write_failed(ec);
        self->read();
      });
    });
  }

  // A server may answer before it has read the whole request and then close (413
  // for a body over its limit): the write then fails with a broken pipe or a
  // reset, but the answer is already in the receive buffer. Read it; only when
  // nothing comes back is the write's failure the outcome. Not over TLS: OpenSSL
  // allows no read after a failed write.
  void on_write_failed(beast::error_code ec) {
    bool closed = ec == asio::error::broken_pipe || ec == asio::error::connection_reset ||
                  ec == asio::error::connection_aborted || ec == asio::error::eof;
    if (!closed || tls_) return retry_or_fail(ec, false);
    write_error_ = ec;
    read();
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
    on_stream([this](auto& stream) {
      http::async_read_some(stream, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        bool got = self->parser_->got_some();
        if (!ec && !self->parser_->is_done() && Clock::now() >= self->deadline_) ec = beast::error::timeout;
        // After a failed write, a read that finds nothing reports the write's failure.
        if (ec && !got && self->write_error_ && ec != beast::error::timeout) ec = self->write_error_;
        if (ec) return self->retry_or_fail(ec, got);
        if (!self->parser_->is_done()) return self->read_some();
        self->finish_ok();
      });
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
    if (!keep || write_error_) close();  // half of a failed request is no base for the next
    if (is_throttling(out)) {
      ++throttled_;
      if (throttled_ <= owner_.options.throttle.retries) {
        // Slow down: the same request again later, prepared (signed) afresh.
        tcp().expires_never();
        auto wait = backoff(throttled_, out, owner_.options.throttle);
        return wait_then_begin(std::max(Clock::now() + wait, owner_.take_slot()));
      }
    }
    Exchange x{std::move(sent_), std::move(out), std::nullopt, ms_since(started_), throttled_};
    complete(std::move(x));
  }

  void finish_error(beast::error_code ec, bool got_bytes) { finish_failure(classify(ec, got_bytes, owner_.options)); }

  void finish_failure(TransportError e) {
    parser_.reset();
    close();
    Exchange x{std::move(sent_), std::nullopt, std::move(e), ms_since(started_), throttled_};
    complete(std::move(x));
  }

  void complete(Exchange x) {
    Client::Done done = std::move(job_.done);
    job_ = {};
    // Cancels the deadline timer, so that an idle connection keeps run() from
    // returning no longer than needed and the next exchange starts with a fresh one.
    if (has_stream()) tcp().expires_never();
    // Idle first, so that a submit from the callback can reuse this connection.
    owner_.on_idle(this);
    done(std::move(x));
  }

  // No TLS close_notify: the connection is dropped either way, and waiting for
  // the peer's answer would only add a round trip.
  void close() {
    if (has_stream()) {
      beast::error_code ignored;
      tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
      tcp().close();
    }
    buffer_.clear();
    connected_ = false;
  }

  Client::Impl& owner_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<TlsStream> tls_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  http::request<http::string_body> req_;
  http::request<http::empty_body> connect_req_;
  std::optional<http::response_parser<http::empty_body>> connect_res_;
  int throttled_ = 0;
  Job job_;
  HttpRequest sent_;
  Clock::time_point started_{};
  Clock::time_point deadline_{};
  beast::error_code write_error_;  // the write failed; the read after it may still find an answer
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
  for (auto& [id, p] : pins) {
    if (!p.conn || p.busy || p.waiting.empty()) continue;
    p.busy = true;
    Job job = std::move(p.waiting.front());
    p.waiting.pop_front();
    p.conn->start(std::move(job), take_slot());
  }
  while (!queue.empty() && !idle.empty()) {
    Connection* c = idle.back();
    idle.pop_back();
    Job job = std::move(queue.front());
    queue.pop_front();
    if (auto pin = pins.find(job.pin); pin != pins.end()) {
      pin->second.conn = c;
      pin->second.busy = true;
    }
    c->start(std::move(job), take_slot());
  }
}

void Client::Impl::on_idle(Connection* c) {
  auto pinned = std::find_if(pins.begin(), pins.end(), [c](const auto& p) { return p.second.conn == c; });
  if (pinned != pins.end()) {
    pinned->second.busy = false;
  } else {
    idle.push_back(c);
  }
  // Posted, not called: the finishing callback runs first and may submit.
  asio::post(ioc, [this] { dispatch(); });
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

Result<std::unique_ptr<Client>> Client::create(const Endpoint& endpoint, ClientOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->endpoint = endpoint;
  impl->options = std::move(options);
  if (impl->options.connections < 1) impl->options.connections = 1;
  CONFORM_TRY(proxy, proxy_for(endpoint, impl->options.proxy));
  impl->proxy = proxy;
  beast::error_code ec;
  if (endpoint.scheme == "https") {
    ssl::context& ctx = impl->tls.emplace(ssl::context::tls_client);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (impl->options.insecure) {
      ctx.set_verify_mode(ssl::verify_none);
    } else {
      ctx.set_verify_mode(ssl::verify_peer);
      if (impl->options.ca_file.empty()) {
        ctx.set_default_verify_paths(ec);
        if (ec) return fail(endpoint.origin(), "cannot load the system CA store: " + ec.message());
      } else {
        ctx.load_verify_file(impl->options.ca_file, ec);
        if (ec) return fail(impl->options.ca_file, "ca_file: cannot read PEM certificates (" + ec.message() + ")");
      }
    }
  }
  // A name that does not resolve is a target that cannot be reached, not a setup
  // error: every exchange fails with it (unreachable, or proxy), as a refused
  // connection does, so a run ends with exit 3 and its reports.
  const Endpoint& connect_to = impl->proxy ? *impl->proxy : endpoint;
  tcp::resolver resolver(impl->ioc);
  impl->addresses = resolver.resolve(connect_to.host, std::to_string(connect_to.port), ec);
  if (ec) {
    impl->resolve_error = TransportError{
        impl->proxy ? FailureKind::proxy : FailureKind::unreachable,
        std::string(impl->proxy ? "cannot resolve the proxy " : "cannot resolve the host of ") + connect_to.origin() +
            ": " + ec.message()};
  }
  for (int i = 0; i < impl->options.connections; ++i) {
    impl->connections.push_back(std::make_shared<Connection>(*impl));
    impl->idle.push_back(impl->connections.back().get());
  }
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

void Client::submit(HttpRequest request, Done done, int pin) {
  if (!sendable(request)) {
    TransportError e{FailureKind::other, "the request has a control character or space in its method, "
                                         "target or a header, so it was not sent"};
    Exchange x{std::move(request), std::nullopt, std::move(e), 0, 0};
    asio::post(impl_->ioc, [done = std::move(done), x = std::move(x)]() mutable { done(std::move(x)); });
    return;
  }
  Job job{std::move(request), std::move(done), pin};
  if (pin >= 0 && impl_->pins.count(pin)) {
    impl_->pins[pin].waiting.push_back(std::move(job));
  } else {
    if (pin >= 0) impl_->pins[pin];  // the first: it takes a connection from the queue
    impl_->queue.push_back(std::move(job));
  }
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->dispatch(); });
}

void Client::unpin(int pin) {
  auto it = impl_->pins.find(pin);
  if (it == impl_->pins.end()) return;
  Impl::Pin p = std::move(it->second);
  impl_->pins.erase(it);
  for (Job& job : p.waiting) {
    job.pin = -1;
    impl_->queue.push_back(std::move(job));
  }
  if (p.conn && !p.busy) impl_->idle.push_back(p.conn);
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->dispatch(); });
}

void Client::run() {
  impl_->ioc.restart();
  impl_->ioc.run();
}

void Client::drop_queued() {
  impl_->queue.clear();
  for (auto& [id, p] : impl_->pins) p.waiting.clear();
}

const Endpoint& Client::endpoint() const { return impl_->endpoint; }

const std::optional<Endpoint>& Client::proxy() const { return impl_->proxy; }

}  // namespace conform::transport
