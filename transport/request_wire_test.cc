// request_head against Beast: for every shape it takes, the bytes it writes (and
// the body after them) are Beast's serialisation of the client's message,
// byte for byte; for the shapes Beast treats specially it declines.
#include "transport/request_wire.h"

#include <sstream>

#include <gtest/gtest.h>

#include "transport/client_pool.h"

namespace conform::transport {
namespace {

std::string beast_bytes(const HttpRequest& r, const std::string& target, const std::string& host) {
  http::request<http::string_body> req;
  beast_request(r, target, host, req);
  std::ostringstream os;
  os << req;
  return os.str();
}

const std::vector<std::string> kMethods = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
                                           "post", "Get", "CUSTOM", "CONNECT", "PROPFIND"};
const std::vector<std::string> kBodies = {"", "a=1&b=%20", "{\"InstanceName\":\"x\",\"n\":[1,2]}",
                                          std::string("bin\0\x01\xff", 6), std::string(70000, 'z')};
const std::vector<std::string> kTargets = {"/", "/?Action=DescribeInstances&RegionId=cn-hangzhou",
                                           "/v1.0/abc/instances/i-1?limit=10&marker=%2F",
                                           "http://127.0.0.1:8080/?Action=X"};  // a proxy's absolute form
const std::vector<std::string> kHosts = {"127.0.0.1:8080", "[::1]:8443", "ecs.aliyuncs.com",
                                         "ecs.cn-north-4.myhuaweicloud.com"};
const std::vector<Pairs> kHeaders = {
    {},
    {{"Content-Type", "application/x-www-form-urlencoded"}},
    {{"Content-Type", "application/json"}, {"x-acs-action", "CreateCluster"}, {"x-acs-version", "2015-12-15"},
     {"x-acs-signature-nonce", "n"}, {"Authorization", "acs AK:sig="}, {"Date", "Wed, 02 Dec 2026 15:00:00 GMT"}},
    {{"X-Sdk-Date", "20261202T150000Z"}, {"X-Project-Id", "p"}, {"X-Auth-Token", "t"},
     {"Authorization", "SDK-HMAC-SHA256 Access=a, SignedHeaders=host;x-sdk-date, Signature=s"}},
    {{"X-A", "1"}, {"x-a", "2"}, {"X-A", " spaced  value "}, {"Accept", "*/*"}, {"accept-encoding", "gzip"}},
    {{"content-type", "text/plain; charset=utf-8"}, {"Expect", "100-continue"}, {"Keep-Alive", "timeout=5"},
     {"Proxy-Connection", "keep-alive"}, {"TE", "trailers"}, {"Upgrade", "h2c"}, {"Content-Encoding", "gzip"}},
    {{"X-T", "\tTab\t"}, {"X-W", "   "}, {"X-M", " a \t b "}, {"x-tab", "\t"}},
    {{"X-Long", std::string(70000, 'v')}},      // declined: Beast throws
    {{"Content-Type", ""}},                     // declined: dropped with its namesakes
    {{"X-A", "1"}, {"X-A", ""}},                // declined
    {{"Content-Length", "5"}},                  // declined: replaced
    {{"content-length", ""}},                   // declined
    {{"Host", "other"}},                        // declined
    {{"user-agent", "curl"}},                   // declined
    {{"Transfer-Encoding", "chunked"}},         // declined: rewritten
    {{"Connection", "close"}},                  // declined: rewritten
    {{"CONNECTION", "keep-alive, Upgrade"}},    // declined
};

TEST(RequestWire, SameBytesAsBeastForEveryShapeItTakes) {
  int taken = 0, declined = 0;
  for (const auto& m : kMethods) {
    for (const auto& body : kBodies) {
      for (const auto& headers : kHeaders) {
        for (const auto& target : kTargets) {
          for (const auto& host : kHosts) {
            HttpRequest r;
            r.method = m;
            r.target = target;
            r.headers = headers;
            r.body = body;
            std::string head = "keep";
            if (!request_head(r, target, host, head)) {
              ++declined;
              EXPECT_EQ(head, "keep");
              continue;
            }
            ++taken;
            ASSERT_EQ(head.substr(0, 4), "keep");
            EXPECT_EQ(head.substr(4) + body, beast_bytes(r, target, host))
                << m << " " << target << " body " << body.size() << " headers " << headers.size();
          }
        }
      }
    }
  }
  EXPECT_GT(taken, 3000);
  EXPECT_GT(declined, 3000);
}

TEST(RequestWire, DeclinesWhatBeastRewrites) {
  HttpRequest r;
  r.method = "TRACE";
  std::string out;
  EXPECT_FALSE(request_head(r, "/", "h", out));
  for (const char* name : {"Host", "HOST", "User-Agent", "Content-Length", "transfer-encoding", "Connection"}) {
    HttpRequest h;
    h.headers = {{name, "v"}};
    EXPECT_FALSE(request_head(h, "/", "h", out)) << name;
  }
  HttpRequest e;
  e.headers = {{"X-Empty", ""}};
  EXPECT_FALSE(request_head(e, "/", "h", out));
  EXPECT_TRUE(out.empty());
}

TEST(RequestWire, ContentLengthAsPreparePayloadSetsIt) {
  auto head = [](std::string method, std::string body) {
    HttpRequest r;
    r.method = std::move(method);
    r.body = std::move(body);
    std::string out;
    EXPECT_TRUE(request_head(r, "/", "h", out));
    return out;
  };
  EXPECT_EQ(head("GET", ""), "GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: conform\r\n\r\n");
  EXPECT_EQ(head("POST", ""), "POST / HTTP/1.1\r\nHost: h\r\nUser-Agent: conform\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(head("DELETE", ""), "DELETE / HTTP/1.1\r\nHost: h\r\nUser-Agent: conform\r\n\r\n");
  EXPECT_EQ(head("GET", "ab"), "GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: conform\r\nContent-Length: 2\r\n\r\n");
}

}  // namespace
}  // namespace conform::transport
