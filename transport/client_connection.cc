// One keep-alive connection of the client's pool (transport/client_pool.h):
// connect (through a proxy, under TLS), write, read within the deadline, retry
// once on a stale keep-alive, back off on throttling.
#include <algorithm>
#include <array>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>

#include "transport/client_pool.h"
#include "transport/failure.h"
#include "transport/request_wire.h"

namespace conform::transport {

namespace {

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace

void Connection::start(Job job, Clock::time_point slot) {
  job_ = std::move(job);
  in_progress_ = true;
  begun_ = false;
  hurried_.clear();
  ++owner_.busy;
  owner_.arm_tick();
  // Unsigned, every attempt sends the same bytes: the request moves in once.
  // Signed, each attempt starts again from the request as submitted.
  if (!owner_.options.prepare) sent_ = std::move(job_.request);
  throttled_ = 0;
  wait_then_begin(slot);
}

void Connection::wait_then_begin(Clock::time_point slot) {
  if (slot <= Clock::now()) return begin();
  timer_.expires_at(slot);
  timer_.async_wait([self = shared_from_this()](beast::error_code) { self->begin(); });
}

void Connection::hurry(Clock::time_point by, const std::string& why) {
  if (!in_progress_) return;
  if (!begun_) {  // still waiting for its --rate slot: begin() takes the earlier deadline
    hurried_ = why;
    hurry_by_ = by;
    return;
  }
  if (by >= deadline_) return;
  hurried_ = why;
  deadline_ = by;
  arm_deadline();
}

void Connection::begin() {
  begun_ = true;
  started_ = Clock::now();
  deadline_ = started_ + std::chrono::milliseconds(owner_.options.timeout_ms);
  if (!hurried_.empty()) deadline_ = std::min(deadline_, hurry_by_);
  retried_ = false;
  arm_deadline();
  attempt();
}

void Connection::arm_deadline() {
  timed_out_ = false;
  deadline_timer_.expires_at(deadline_);
  deadline_timer_.async_wait([self = shared_from_this(), n = ++exchange_no_](beast::error_code ec) {
    if (ec || n != self->exchange_no_) return;
    self->timed_out_ = true;
    if (self->has_stream()) self->tcp().socket().cancel(ec);
  });
}

void Connection::attempt() {
  write_error_ = {};
  if (owner_.options.prepare) {
    sent_ = job_.request;
    owner_.options.prepare(sent_);
  }
  build_request();
  // Bytes the target sent unasked since the last answer (a second answer to one
  // request) would be read as this request's answer: such a connection is out of
  // step, so it is closed and a fresh one taken. Under TLS the bytes may be a
  // record that is no answer (a late session ticket, a close_notify): a fresh
  // connection costs a handshake then, never a wrong answer.
  if (connected_) {
    beast::error_code ec;
    // Under TLS the bytes may also sit inside OpenSSL: a record read from the socket
    // with the answer but not decrypted yet (in the read BIO), or decrypted and not read.
    SSL* ssl = tls_ ? tls_->native_handle() : nullptr;
    const bool decrypted = ssl && (SSL_has_pending(ssl) == 1 || BIO_ctrl_pending(SSL_get_rbio(ssl)) > 0);
    if (decrypted || tcp().socket().available(ec) > 0 || ec) close();
  }
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
    self->tcp().expires_never();  // from here on, the deadline timer
    if (ec) return self->finish_error(ec, false);
    self->tcp().socket().set_option(tcp::no_delay(true), ec);
    if (self->owner_.proxy && self->tls_) return self->tunnel();
    self->secure();
  });
}

// HTTPS through a proxy: CONNECT host:port, then TLS inside the tunnel.
void Connection::tunnel() {
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

void Connection::on_tunnel(beast::error_code ec) {
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
void Connection::secure() {
  if (!tls_) {
    connected_ = true;
    return write();
  }
  const std::string& host = owner_.endpoint.host;
  if (!is_ip_literal(host)) SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
  if (!owner_.options.insecure) tls_->set_verify_callback(ssl::host_name_verification(host));
  tls_->async_handshake(ssl::stream_base::client, [self = shared_from_this()](beast::error_code ec) {
    if (ec && self->timed_out_ && self->hurried_.empty()) {
      // A server that does not speak TLS on this port (a plain HTTP one waits for
      // a request) leaves the handshake hanging: a TLS failure, not a slow answer.
      return self->finish_failure({FailureKind::tls, "the TLS handshake with " + self->owner_.endpoint.host + ":" +
                                                         std::to_string(self->owner_.endpoint.port) +
                                                         " did not finish within " +
                                                         std::to_string(self->owner_.options.timeout_ms) +
                                                         " ms (does the port speak TLS?)"});
    }
    if (ec && self->timed_out_) return self->finish_error(ec, false);
    if (ec) return self->finish_failure(tls_failure(ec, self->tls_->native_handle(), self->owner_.options, self->owner_.endpoint));
    self->connected_ = true;
    self->write();
  });
}

void Connection::build_request() {
  // Plain http through a proxy: the absolute form names the origin.
  std::string target = owner_.proxy && !owner_.tls ? owner_.endpoint.origin() + sent_.target : sent_.target;
  std::string host = host_header();
  head_.clear();
  raw_ = request_head(sent_, target, host, head_);
  if (!raw_) beast_request(sent_, std::move(target), host, req_);
}

void beast_request(const HttpRequest& sent, std::string target, std::string_view host,
                   http::request<http::string_body>& req) {
  req = {};
  req.method_string(sent.method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, host);
  req.set(http::field::user_agent, "conform");
  for (const auto& [name, value] : sent.headers) {
    if (!value.empty()) req.insert(name, value);
  }
  req.body() = sent.body;
  // Beast adds Content-Length for a body; GET with no body gets none.
  if (!sent.body.empty() || (sent.method != "GET" && sent.method != "HEAD")) req.prepare_payload();
  // A header set to the empty string is not sent, not even one the client adds
  // itself (curl's -H 'Name:'): Content-Length "" is a POST without framing,
  // which a server answers 411 (docs/decisions.md section 3).
  for (const auto& [name, value] : sent.headers) {
    if (value.empty()) req.erase(name);
  }
  req.keep_alive(true);
}

std::string Connection::host_header() const {
  const Endpoint& e = owner_.endpoint;
  std::string origin = e.origin();
  return origin.substr(origin.find("://") + 3);
}

void Connection::write() {
  on_stream([this](auto& stream) {
    auto then = [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->on_write_failed(ec);
      self->read();
    };
    if (!raw_) return http::async_write(stream, req_, std::move(then));
    std::array<asio::const_buffer, 2> bytes{asio::buffer(head_), asio::buffer(sent_.body)};
    asio::async_write(stream, bytes, std::move(then));
  });
}

// A server may answer before it has read the whole request and then close (413
// for a body over its limit): the write then fails with a broken pipe or a
// reset, but the answer is already in the receive buffer. Read it; only when
// nothing comes back is the write's failure the outcome. Not over TLS: OpenSSL
// allows no read after a failed write.
void Connection::on_write_failed(beast::error_code ec) {
  ec = or_timeout(ec);
  bool closed = ec == asio::error::broken_pipe || ec == asio::error::connection_reset ||
                ec == asio::error::connection_aborted || ec == asio::error::eof;
  if (!closed || tls_) return retry_or_fail(ec, false);
  write_error_ = ec;
  read();
}

// The read buffer holds at most max_header_bytes: what the parser has not taken
// yet, which past the headers is a chunk's header line or the trailer section.
// Beast puts no limit on a trailer, and a trailer field of 64 KiB or more makes it
// throw (its fields store 16-bit lengths): a full buffer ends the read instead,
// as header_too_large (failure.cc). Body bytes are taken as they come.
Connection::Connection(Client::Impl& owner) : owner_(owner), timer_(owner.ioc), deadline_timer_(owner.ioc) {
  buffer_.max_size(std::max<std::size_t>(owner.options.max_header_bytes, 4096));
}

void Connection::read() {
  interim_ = 0;
  read_next();
}

// A new parser for the next response on the connection (after a 1xx, the final
// one follows in the same buffer).
void Connection::read_next() {
  parser_.emplace();
  parser_->body_limit(owner_.options.max_response_bytes);
  parser_->header_limit(owner_.options.max_header_bytes);
  read_some();
}

// Reads piece by piece rather than with one async_read, so that the deadline is
// checked between pieces too: a fast endless stream keeps completing reads
// immediately and would otherwise starve the stream's timer.
void Connection::read_some() {
  on_stream([this](auto& stream) {
    http::async_read_some(stream, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      bool got = self->parser_->got_some();
      ec = self->or_timeout(ec);
      if (!ec && !self->parser_->is_done() && Clock::now() >= self->deadline_) ec = beast::error::timeout;
      // After a failed write, a read that finds nothing reports the write's failure.
      if (ec && !got && self->write_error_ && ec != beast::error::timeout) ec = self->write_error_;
      if (ec) return self->retry_or_fail(ec, got);
      if (!self->parser_->is_done()) return self->read_some();
      if (self->interim()) return;
      self->finish_ok();
    });
  });
}

// RFC 9110 section 15.2: a client must parse 1xx (interim) answers it did not
// ask for and go on to the final answer (this client sends no Expect, so a 100
// Continue is unasked for, but allowed). Taking the 1xx as the answer would leave
// the final one in the buffer to be read as the next request's answer. A 101
// (the server switched protocols unasked) ends the exchange; so do more than
// kMaxInterim of them, and the deadline holds over all of them. True when the
// exchange goes on or has ended here.
bool Connection::interim() {
  const unsigned status = parser_->get().result_int();
  if (status < 100 || status >= 200) return false;
  if (status == 101) {
    finish_failure({FailureKind::malformed, "the target answered 101 Switching Protocols to a plain HTTP request"});
    return true;
  }
  if (++interim_ > kMaxInterim) {
    finish_failure({FailureKind::malformed, "more than " + std::to_string(kMaxInterim) +
                                                " interim (1xx) answers before a final one"});
    return true;
  }
  if (Clock::now() >= deadline_) {
    finish_error(beast::error::timeout, true);
    return true;
  }
  read_next();
  return true;
}

// A kept-alive connection may have been closed by the server while idle: the
// first write or read on it fails before any response byte. That is not the
// target's fault; try once more on a fresh connection within the same deadline.
void Connection::retry_or_fail(beast::error_code ec, bool got_bytes) {
  if (reused_ && !retried_ && !got_bytes && ec != beast::error::timeout) {
    retried_ = true;
    close();
    return attempt();
  }
  finish_error(ec, got_bytes);
}

void Connection::finish_ok() {
  auto& res = parser_->get();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  out.reason = std::string(res.reason());
  for (const auto& field : res) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = std::move(res.body());
  out.unsolicited_bytes = buffer_.size();
  bool keep = res.keep_alive();
  parser_.reset();
  // Half of a failed request is no base for the next; nor are bytes after the
  // answer (a second answer to one request: the next request would get it).
  if (!keep || write_error_ || buffer_.size() > 0) close();
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

void Connection::finish_error(beast::error_code ec, bool got_bytes) {
  TransportError e = classify(or_timeout(ec), got_bytes, owner_.options);
  if (e.kind == FailureKind::timeout && !hurried_.empty()) e.message = hurried_;
  finish_failure(std::move(e));
}

void Connection::finish_failure(TransportError e) {
  parser_.reset();
  close();
  Exchange x{std::move(sent_), std::nullopt, std::move(e), ms_since(started_), throttled_};
  complete(std::move(x));
}

void Connection::complete(Exchange x) {
  Client::Done done = std::move(job_.done);
  job_ = {};
  in_progress_ = false;
  // The last exchange in flight: the tick must not keep run() going.
  if (--owner_.busy == 0 && owner_.tick_timer) owner_.tick_timer->cancel();
  // Cancels the deadline timer, so that an idle connection keeps run() from
  // returning no longer than needed and the next exchange starts with a fresh one.
  if (has_stream()) tcp().expires_never();
  deadline_timer_.cancel();
  // Idle first, so that a submit from the callback can reuse this connection.
  owner_.on_idle(this);
  done(std::move(x));
}

// No TLS close_notify: the connection is dropped either way, and waiting for
// the peer's answer would only add a round trip.
void Connection::close() {
  if (has_stream()) {
    beast::error_code ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp().close();
  }
  buffer_.clear();
  connected_ = false;
}

}  // namespace conform::transport
