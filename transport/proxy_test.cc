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
  EXPECT_EQ(backoff(1, answer(429, "", {{"Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"}}), p).count(), 100);
}

}  // namespace
}  // namespace conform::transport
