#include "transport/url.h"

#include <gtest/gtest.h>

namespace conform::transport {
namespace {

TEST(Url, ParsesHostPortAndBasePath) {
  auto e = parse_url("http://127.0.0.1:8080/base/");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 8080);
  EXPECT_EQ(e->base_path, "/base");
  EXPECT_TRUE(e->loopback());
  EXPECT_EQ(e->origin(), "http://127.0.0.1:8080");
}

TEST(Url, DefaultPortsAndIpv6) {
  auto e = parse_url("https://ecs.example.com");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->port, 443);
  EXPECT_FALSE(e->loopback());
  EXPECT_EQ(e->origin(), "https://ecs.example.com");
  auto v6 = parse_url("http://[::1]:9000");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9000);
  EXPECT_EQ(v6->origin(), "http://[::1]:9000");
}

TEST(Url, RejectsBadUrls) {
  EXPECT_FALSE(parse_url("127.0.0.1:8080").has_value());
  EXPECT_FALSE(parse_url("ftp://x").has_value());
  EXPECT_FALSE(parse_url("http://:80").has_value());
  EXPECT_FALSE(parse_url("http://h:99999").has_value());
  EXPECT_FALSE(parse_url("http://h:8x").has_value());
}

TEST(Url, PercentEncodingIsRfc3986) {
  EXPECT_EQ(percent_encode("a b*~/+é"), "a%20b%2A~%2F%2B%C3%A9");
  EXPECT_EQ(percent_decode("a%20b+c%zz", true), "a b c%zz");
  EXPECT_EQ(percent_decode("%4", false), "%4");
}

TEST(Url, PairsRoundTripInOrderWithDuplicates) {
  Pairs p{{"B", "1"}, {"A", "x=y&z"}, {"B", "2"}, {"Empty", ""}};
  EXPECT_EQ(encode_pairs(p), "B=1&A=x%3Dy%26z&B=2&Empty=");
  EXPECT_EQ(decode_pairs(encode_pairs(p)), p);
}

}  // namespace
}  // namespace conform::transport
