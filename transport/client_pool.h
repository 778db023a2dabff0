// Internal to the client (transport/client.h): the pool and its connections,
// shared by client.cc (the pool, the queue, pins) and client_connection.cc (one
// connection's exchange). Beast and Asio: include it from those two files only.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "transport/client.h"

namespace conform::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using Clock = std::chrono::steady_clock;

struct Job {
  HttpRequest request;
  Client::Done done;
  int pin = -1;
};

class Connection;

// The message Beast writes for a request (Host, User-Agent, the headers in order,
// Content-Length by prepare_payload, a header set to "" dropped with its
// namesakes, keep-alive). Connection::build_request uses it for what
// request_head (transport/request_wire.h) leaves to Beast; tests compare the two.
void beast_request(const HttpRequest& sent, std::string target, std::string_view host,
                   http::request<http::string_body>& req);

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
  // Client::set_tick: armed while any exchange is in flight (busy > 0), so that
  // it never keeps run() from returning.
  std::function<void()> tick;
  std::chrono::milliseconds tick_period{0};
  std::optional<asio::steady_timer> tick_timer;
  bool tick_armed = false;
  int busy = 0;  // exchanges started and not yet completed

  void dispatch();
  void on_idle(Connection* c);
  Clock::time_point take_slot();
  void arm_tick();
};

// One keep-alive connection; exchanges on it run one after the other. The
// deadline of an exchange is set once, so it covers connect, write and the read
// of the whole response, and a retry on a fresh connection stays within it.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  explicit Connection(Client::Impl& owner);

  void start(Job job, Clock::time_point slot);
  // Client::hurry: the exchange in progress ends by `by` at the latest, and a
  // timeout then says `why`.
  void hurry(Clock::time_point by, const std::string& why);

 private:
  void wait_then_begin(Clock::time_point slot);

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

  void begin();
  void arm_deadline();
  void attempt();
  // A failure as the deadline makes it: a timeout once the deadline fired.
  beast::error_code or_timeout(beast::error_code ec) const { return ec && timed_out_ ? beast::error::timeout : ec; }

  // HTTPS through a proxy: CONNECT host:port, then TLS inside the tunnel.
  void tunnel();
  void on_tunnel(beast::error_code ec);

  // TLS: SNI, the verification set up in create() plus the host name, handshake.
  void secure();

  void build_request();

  std::string host_header() const;
  void write();

  // A server may answer before it has read the whole request and then close (413
  // for a body over its limit): the write then fails with a broken pipe or a
  // reset, but the answer is already in the receive buffer. Read it; only when
  // nothing comes back is the write's failure the outcome. Not over TLS: OpenSSL
  // allows no read after a failed write.
  void on_write_failed(beast::error_code ec);

  void read();

  // Reads piece by piece rather than with one async_read, so that the deadline is
  // checked between pieces too: a fast endless stream keeps completing reads
  // immediately and would otherwise starve the stream's timer.
  void read_some();

  // A kept-alive connection may have been closed by the server while idle: the
  // first write or read on it fails before any response byte. That is not the
  // target's fault; try once more on a fresh connection within the same deadline.
  void retry_or_fail(beast::error_code ec, bool got_bytes);
  void read_next();
  bool interim();
  static constexpr int kMaxInterim = 8;

  void finish_ok();
  void finish_error(beast::error_code ec, bool got_bytes);
  void finish_failure(TransportError e);
  void complete(Exchange x);

  // No TLS close_notify: the connection is dropped either way, and waiting for
  // the peer's answer would only add a round trip.
  void close();

  Client::Impl& owner_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<TlsStream> tls_;
  asio::steady_timer timer_;
  // The exchange's deadline after connect (write, read, TLS, a proxy's tunnel):
  // one wait per exchange that cancels whatever is pending when it fires,
  // rather than the stream's timer, which Beast arms and cancels again for
  // every read and write. The connect itself keeps the stream's timer.
  asio::steady_timer deadline_timer_;
  std::uint64_t exchange_no_ = 0;  // tells a late deadline of an earlier exchange
  bool timed_out_ = false;         // this exchange's deadline fired: any failure is a timeout
  bool in_progress_ = false;       // between start() and complete()
  bool begun_ = false;             // begin() ran for it (its --rate slot came)
  std::string hurried_;            // Client::hurry's reason, the message of a timeout after it
  Clock::time_point hurry_by_{};   // Client::hurry's deadline, for an exchange not begun yet
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  http::request<http::string_body> req_;  // when raw_ is false
  std::string head_;                      // when raw_ is true: start line and headers, sent_.body follows
  bool raw_ = false;
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
  int interim_ = 0;  // 1xx answers skipped before the final one (of this attempt)
};

}  // namespace conform::transport
