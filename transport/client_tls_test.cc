// HTTPS, proxies and throttling against local servers: a certificate made by the
// test, verification on by default, SNI, CONNECT tunnels, backoff on 429.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "transport/client.h"
#include "transport/hostile_server.h"
#include "transport/tls_server.h"

namespace conform::transport {
namespace {

using testing::ConnectProxy;
using testing::TestCert;
using testing::TlsServer;

HttpResponse ok(const HttpRequest&) {
  HttpResponse r;
  r.status = 200;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = R"({"RequestId":"r-1"})";
  return r;
}

struct TempCa {
  std::string path;
  explicit TempCa(const TestCert& cert) {
    path = (std::filesystem::temp_directory_path() / ("conform-ca-" + std::to_string(::getpid()) + "-" +
                                                      std::to_string(counter()++) + ".pem"))
               .string();
    EXPECT_TRUE(cert.write_cert(path));
  }
  ~TempCa() { std::filesystem::remove(path); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

Exchange send_one(const std::string& url, ClientOptions o) {
  auto e = parse_url(url);
  EXPECT_TRUE(e.has_value());
  if (o.timeout_ms == 10000) o.timeout_ms = 3000;
  auto c = Client::create(*e, std::move(o));
  EXPECT_TRUE(c.has_value()) << c.error().message();
  Exchange out;
  if (!c) return out;
  HttpRequest r;
  (*c)->submit(r, [&](Exchange x) { out = std::move(x); });
  (*c)->run();
  return out;
}

TEST(ClientTls, VerifiesAgainstTheCaFileAndSendsSni) {
  TestCert cert = TestCert::make({"localhost"}, {"127.0.0.1"});
  TempCa ca(cert);
  TlsServer server(cert, ok);
  ClientOptions o;
  o.ca_file = ca.path;
  Exchange x = send_one(server.url(), o);
  ASSERT_TRUE(x.ok()) << x.error->message;
  EXPECT_EQ(x.response->status, 200);
  EXPECT_EQ(server.last_sni(), "") << "no SNI for an IP address";
  x = send_one("https://localhost:" + std::to_string(server.port()), o);
  ASSERT_TRUE(x.ok()) << x.error->message;
  EXPECT_EQ(server.last_sni(), "localhost");
}

TEST(ClientTls, AnotherCaFailsVerificationWithAClearError) {
  TestCert cert = TestCert::make({"localhost"}, {"127.0.0.1"});
  TempCa wrong(TestCert::make({"localhost"}, {"127.0.0.1"}));
  TlsServer server(cert, ok);
  ClientOptions o;
  o.ca_file = wrong.path;
  Exchange x = send_one(server.url(), o);
  ASSERT_FALSE(x.ok());
  EXPECT_EQ(to_string(x.error->kind), "tls");
  EXPECT_NE(x.error->message.find("certificate verify failed"), std::string::npos) << x.error->message;
  EXPECT_NE(x.error->message.find(wrong.path), std::string::npos) << x.error->message;
  EXPECT_EQ(server.requests(), 0);
}

// https:// to a plain HTTP server, which waits for a request that never comes:
// the handshake stalls, and the failure says so (tls, not a slow answer).
TEST(ClientTls, AStalledHandshakeIsATlsFailure) {
  testing::HostileServer server(testing::Behaviour::ok);
  ClientOptions o;
  o.timeout_ms = 300;
  Exchange x = send_one("https://127.0.0.1:" + std::to_string(server.port()), o);
  ASSERT_FALSE(x.ok());
  EXPECT_EQ(to_string(x.error->kind), "tls");
  EXPECT_NE(x.error->message.find("TLS handshake"), std::string::npos) << x.error->message;
}

TEST(ClientTls, TheSystemStoreDoesNotTrustATestCertificate) {
  TestCert cert = TestCert::make({"localhost"}, {"127.0.0.1"});
  TlsServer server(cert, ok);
  Exchange x = send_one(server.url(), {});
  ASSERT_FALSE(x.ok());
  EXPECT_EQ(to_string(x.error->kind), "tls");
  EXPECT_NE(x.error->message.find("system CA store"), std::string::npos) << x.error->message;
}

TEST(ClientTls, AWrongHostNameFailsEvenWithTheRightCa) {
  TestCert cert = TestCert::make({"other.example"}, {"10.0.0.1"});
  TempCa ca(cert);
  TlsServer server(cert, ok);
  ClientOptions o;
  o.ca_file = ca.path;
  Exchange x = send_one(server.url(), o);
  ASSERT_FALSE(x.ok());
  EXPECT_EQ(to_string(x.error->kind), "tls") << x.error->message;
}

TEST(ClientTls, InsecureSkipsVerification) {
  TestCert cert = TestCert::make({"other.example"}, {});
  TlsServer server(cert, ok);
  ClientOptions o;
  o.insecure = true;
  Exchange x = send_one(server.url(), o);
  ASSERT_TRUE(x.ok()) << x.error->message;
  EXPECT_EQ(x.response->status, 200);
}

// A client of one keep-alive connection that trusts the server's certificate.
std::unique_ptr<Client> one_connection_client(const TlsServer& server, const TempCa& ca) {
  auto e = parse_url(server.url());
  EXPECT_TRUE(e.has_value());
  ClientOptions o;
  o.ca_file = ca.path;
  o.connections = 1;
  auto c = Client::create(*e, o);
  EXPECT_TRUE(c.has_value()) << c.error().message();
  return c ? std::move(*c) : nullptr;
}

TEST(ClientTls, KeepAliveReusesTheTlsConnection) {
  TestCert cert = TestCert::make({}, {"127.0.0.1"});
  TempCa ca(cert);
  TlsServer server(cert, ok);
  auto c = one_connection_client(server, ca);
  ASSERT_TRUE(c);
  int done = 0;
  for (int i = 0; i < 10; ++i) {
    c->submit(HttpRequest{}, [&](Exchange x) { done += x.ok() && x.response->status == 200; });
  }
  c->run();
  EXPECT_EQ(done, 10);
  EXPECT_EQ(server.requests(), 10);
}

// A second answer to one request that arrives after the first was read, while
// the connection sits idle, is never the next request's answer, under TLS too.
TEST(ClientTls, ALateSecondAnswerIsNeverTheNextRequestsAnswer) {
  TestCert cert = TestCert::make({}, {"127.0.0.1"});
  TempCa ca(cert);
  TlsServer server(cert, ok);
  server.answer_twice();
  auto c = one_connection_client(server, ca);
  ASSERT_TRUE(c);
  std::vector<std::string> bodies;
  std::function<void()> next = [&] {
    c->submit(HttpRequest{}, [&](Exchange x) {
      ASSERT_TRUE(x.ok()) << x.error->message;
      bodies.push_back(x.response->body);
      if (bodies.size() < 6) {
        // The late second answer is on its way (written, then 10 ms for loopback).
        for (int i = 0; i < 400 && server.second_answers() < static_cast<int>(bodies.size()); ++i) usleep(5'000);
        usleep(10'000);
        next();
      }
    });
  };
  next();
  c->run();
  ASSERT_EQ(bodies.size(), 6u);
  for (const std::string& b : bodies) EXPECT_EQ(b, R"({"RequestId":"r-1"})");
}

TEST(ClientTls, HttpsGoesThroughAConnectTunnel) {
  TestCert cert = TestCert::make({"api.conform.test"}, {});
  TempCa ca(cert);
  std::string target;
  TlsServer server(cert, [&](const HttpRequest& r) {
    target = r.target;
    return ok(r);
  });
  ConnectProxy proxy(server.port());
  ClientOptions o;
  o.ca_file = ca.path;
  o.proxy.https_proxy = proxy.url();
  // The name does not resolve: only the proxy is resolved and connected to.
  std::string url = "https://api.conform.test:" + std::to_string(server.port());
  Exchange x = send_one(url, o);
  ASSERT_TRUE(x.ok()) << x.error->message;
  ASSERT_EQ(proxy.request_lines().size(), 1u);
  EXPECT_EQ(proxy.request_lines()[0], "CONNECT api.conform.test:" + std::to_string(server.port()) + " HTTP/1.1");
  EXPECT_EQ(server.last_sni(), "api.conform.test");
  EXPECT_EQ(target, "/") << "inside the tunnel, the origin form";
}

TEST(ClientTls, PlainHttpThroughAProxyUsesTheAbsoluteForm) {
  testing::HostileServer server(testing::Behaviour::ok);
  ConnectProxy proxy(server.port());
  ClientOptions o;
  o.proxy.http_proxy = proxy.url();
  Exchange x = send_one("http://api.conform.test:" + std::to_string(server.port()), o);
  ASSERT_TRUE(x.ok()) << x.error->message;
  ASSERT_EQ(proxy.request_lines().size(), 1u);
  EXPECT_EQ(proxy.request_lines()[0], "GET http://api.conform.test:" + std::to_string(server.port()) + "/ HTTP/1.1");
}

TEST(ClientTls, NoProxyAndLoopbackGoDirect) {
  testing::HostileServer server(testing::Behaviour::ok);
  ConnectProxy proxy(server.port());
  ClientOptions o;
  o.proxy.http_proxy = proxy.url();
  Exchange x = send_one(server.url(), o);  // 127.0.0.1: never proxied
  ASSERT_TRUE(x.ok());
  EXPECT_TRUE(proxy.request_lines().empty());
}

TEST(ClientThrottle, ThrottlingAnswersAreRetriedWithBackoffThenPass) {
  TestCert cert = TestCert::make({}, {"127.0.0.1"});
  TempCa ca(cert);
  std::atomic<int> calls{0};
  TlsServer server(cert, [&](const HttpRequest& r) {
    if (calls++ < 2) {
      HttpResponse t;
      t.status = 429;
      t.headers = {{"Retry-After", "0"}};
      return t;
    }
    return ok(r);
  });
  ClientOptions o;
  o.ca_file = ca.path;
  o.throttle.base_ms = 5;
  int prepared = 0;
  o.prepare = [&](HttpRequest& r) { r.headers.emplace_back("X-Attempt", std::to_string(++prepared)); };
  Exchange x = send_one(server.url(), o);
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x.response->status, 200);
  EXPECT_EQ(x.throttled, 2);
  EXPECT_EQ(prepared, 3) << "each retry is prepared (signed) afresh";
  EXPECT_EQ(*x.request.header("X-Attempt"), "3");
}

TEST(ClientThrottle, RetriesAreBoundedAndTheLastAnswerIsKept) {
  testing::TestCert cert = TestCert::make({}, {"127.0.0.1"});
  TempCa ca(cert);
  TlsServer server(cert, [](const HttpRequest&) {
    HttpResponse t;
    t.status = 400;
    t.headers = {{"Content-Type", "application/json"}};
    t.body = R"({"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"r"})";
    return t;
  });
  ClientOptions o;
  o.ca_file = ca.path;
  o.throttle.base_ms = 1;
  o.throttle.retries = 3;
  Exchange x = send_one(server.url(), o);
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x.response->status, 400);
  EXPECT_EQ(x.throttled, 4);
  EXPECT_EQ(server.requests(), 4);
}

}  // namespace
}  // namespace conform::transport
