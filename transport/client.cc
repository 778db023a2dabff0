// The client's pool (transport/client.h): the queue, pinned sequences, the rate
// limit, and the public API. One connection's exchange is client_connection.cc.
#include "transport/client.h"

#include <algorithm>

#include <boost/asio/post.hpp>

#include "transport/client_pool.h"
#include "transport/failure.h"

namespace conform::transport {

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

void Client::Impl::arm_tick() {
  if (!tick || tick_armed || busy == 0) return;
  tick_armed = true;
  if (!tick_timer) tick_timer.emplace(ioc);
  tick_timer->expires_after(tick_period);
  tick_timer->async_wait([this](beast::error_code ec) {
    tick_armed = false;
    if (!ec) tick();
    arm_tick();  // cancelled when the last exchange ended: again only if one started since
  });
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

void Client::set_tick(std::chrono::milliseconds period, std::function<void()> tick) {
  impl_->tick = std::move(tick);
  impl_->tick_period = std::max(period, std::chrono::milliseconds(1));
  impl_->arm_tick();
}

void Client::hurry(std::chrono::milliseconds grace, std::string why) {
  const Clock::time_point by = Clock::now() + grace;
  for (const std::shared_ptr<Connection>& c : impl_->connections) c->hurry(by, why);
}

const Endpoint& Client::endpoint() const { return impl_->endpoint; }

const std::optional<Endpoint>& Client::proxy() const { return impl_->proxy; }

}  // namespace conform::transport
