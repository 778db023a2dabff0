// Proxy choice (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) and the throttling rules, as
// pure functions.
#include <gtest/gtest.h>

#include "transport/proxy.h"
#include "transport/throttle.h"

namespace conform::transport {
namespace {

Endpoint url(const std::string& u) { return *parse_url(u); }

TEST(Proxy, HttpsUsesHttpsProxyAndHttpUsesHttpProxy) {
  ProxyEnv env{"http://proxy.corp:3128", "http://plain.corp:8080", ""};
  auto p = proxy_for(url("https://ecs.aliyuncs.com"), env);
  ASSERT_TRUE(p.has_value());
  ASSERT_TRUE(p->has_value());
  EXPECT_EQ((*p)->host, "proxy.corp");
  EXPECT_EQ((*p)->port, 3128);
  p = proxy_for(url("http://ecs.aliyuncs.com"), env);
  ASSERT_TRUE(p && p->has_value());
  EXPECT_EQ((*p)->host, "plain.corp");
}

TEST(Proxy, NoProxyEntriesAndLoopbackGoDirect) {
  ProxyEnv env{"proxy.corp:3128", "", "internal.example, .corp.example,10.1.2.3,api.other:8443"};
  auto direct = [&](const std::string& u) {
    auto p = proxy_for(url(u), env);
    EXPECT_TRUE(p.has_value());
    return p && !p->has_value();
  };
  EXPECT_TRUE(direct("https://internal.example"));
  EXPECT_TRUE(direct("https://ecs.internal.example"));
  EXPECT_FALSE(direct("https://notinternal.example"));
  EXPECT_TRUE(direct("https://a.corp.example"));
  EXPECT_TRUE(direct("https://10.1.2.3"));
  EXPECT_TRUE(direct("https://api.other:8443"));
  EXPECT_FALSE(direct("https://api.other"));
  EXPECT_TRUE(direct("https://127.0.0.1:8443"));
  EXPECT_TRUE(direct("https://localhost"));
  EXPECT_FALSE(direct("https://ecs.aliyuncs.com"));
  env.no_proxy = "*";
  EXPECT_TRUE(direct("https://ecs.aliyuncs.com"));
}

TEST(Proxy, ABadProxyUrlIsAnErrorNamingTheVariable) {
  ProxyEnv env{"socks5://proxy:1080", "", ""};
  auto p = proxy_for(url("https://ecs.aliyuncs.com"), env);
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.error().message().find("HTTPS_PROXY"), std::string::npos);
  env.https_proxy = "http://user:pw@proxy:3128";
  p = proxy_for(url("https://ecs.aliyuncs.com"), env);
  ASSERT_FALSE(p.has_value());
}

HttpResponse answer(int status, std::string body, Pairs headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  if (!r.body.empty()) r.headers.emplace_back("Content-Type", r.body[0] == '<' ? "text/xml" : "application/json");
  return r;
}

TEST(Throttle, KnowsTheThrottlingAnswersOfTheThreeDialects) {
  EXPECT_TRUE(is_throttling(answer(429, "")));
  EXPECT_TRUE(is_throttling(answer(400, R"({"Code":"Throttling.User","RequestId":"r"})")));
  EXPECT_TRUE(is_throttling(answer(503, R"({"Code":"Throttling","RequestId":"r"})")));
  EXPECT_TRUE(is_throttling(answer(400, "<Error><Code>Throttling.Api</Code><RequestId>r</RequestId></Error>")));
  EXPECT_TRUE(is_throttling(answer(429, R"({"error_code":"APIG.0308","error_msg":"The request is throttled."})")));
  EXPECT_TRUE(is_throttling(answer(403, R"({"error_code":"APIG.0308","error_msg":"throttled"})")));
  EXPECT_FALSE(is_throttling(answer(400, R"({"Code":"MissingParameter","RequestId":"r"})")));
  EXPECT_FALSE(is_throttling(answer(400, R"({"Code":"ThrottlingX","RequestId":"r"})")));
  EXPECT_FALSE(is_throttling(answer(200, R"({"Code":"Throttling"})")));
}

TEST(Throttle, BackoffDoublesIsBoundedAndHonoursRetryAfter) {
  BackoffPolicy p;
  p.base_ms = 100;
  p.max_ms = 1000;
  HttpResponse none = answer(429, "");
  EXPECT_EQ(backoff(1, none, p).count(), 100);
  EXPECT_EQ(backoff(2, none, p).count(), 200);
  EXPECT_EQ(backoff(4, none, p).count(), 800);
  EXPECT_EQ(backoff(5, none, p).count(), 1000);
  EXPECT_EQ(backoff(60, none, p).count(), 1000);
  EXPECT_EQ(backoff(3, answer(429, "", {{"Retry-After", "0"}}), p).count(), 0);
  p.max_ms = 5000;
  EXPECT_EQ(backoff(1, answer(429, "", {{"Retry-After", "3"}}), p).count(), 3000);
  EXPECT_EQ(backoff(1, answer(429, "", {{"Retry-After", "99999999"}}), p).count(), 5000);
  EXPECT_EQ(backoff(1, answer(429, "", {{"Retry-After", "3 seconds"}}), p).count(), 100) << "neither form: ignored";
}

// RFC 9110 section 10.2.3: Retry-After = HTTP-date / delay-seconds.
TEST(Throttle, RetryAfterAsAnHttpDate) {
  BackoffPolicy p;
  p.base_ms = 100;
  p.max_ms = 20000;
  auto now = parse_http_date("Wed, 21 Oct 2026 07:28:00 GMT");
  ASSERT_TRUE(now.has_value());
  auto wait = [&](Pairs headers) { return backoff(1, answer(429, "", std::move(headers)), p, *now).count(); };
  EXPECT_EQ(wait({{"Retry-After", "Wed, 21 Oct 2026 07:28:07 GMT"}}), 7000);
  EXPECT_EQ(wait({{"Retry-After", "Wednesday, 21-Oct-26 07:28:02 GMT"}}), 2000);  // RFC 850
  EXPECT_EQ(wait({{"Retry-After", "Wed Oct 21 07:28:03 2026"}}), 3000);           // asctime
  EXPECT_EQ(wait({{"Retry-After", "Wed, 21 Oct 2026 07:27:00 GMT"}}), 0) << "already past: no wait";
  EXPECT_EQ(wait({{"Retry-After", "Thu, 22 Oct 2026 07:28:00 GMT"}}), 20000) << "bounded by max_ms";
  // The server's Date is the reference when it sends one: a local clock an hour
  // ahead does not cancel the wait.
  EXPECT_EQ(wait({{"Date", "Wed, 21 Oct 2026 06:28:00 GMT"}, {"Retry-After", "Wed, 21 Oct 2026 06:28:04 GMT"}}), 4000);
  EXPECT_EQ(wait({{"Retry-After", "Wed, 21 Oct 2026 07:28:07 UTC"}}), 100) << "not an HTTP date: ignored";
}

TEST(Throttle, ParsesTheThreeHttpDateForms) {
  auto fixdate = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
  ASSERT_TRUE(fixdate.has_value());
  EXPECT_EQ(fixdate->time_since_epoch().count(), 784111777);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), fixdate);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), fixdate);
  for (const char* bad : {"", "Sun, 06 Nov 1994", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
                          "Sun, 06 Nvv 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT+1", "5"}) {
    EXPECT_FALSE(parse_http_date(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace conform::transport
