#include "transport/url.h"

#include <cstdio>
#include <string>

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
  // No password from a URL reaches an error message (or a report): refused, shown as ***.
  auto creds = parse_url("http://alice:S3cretPw@127.0.0.1:70000/x");
  ASSERT_FALSE(creds.has_value());
  EXPECT_EQ(creds.error().message().find("S3cretPw"), std::string::npos) << creds.error().message();
  EXPECT_NE(creds.error().message().find("***@127.0.0.1"), std::string::npos) << creds.error().message();
  // A query would be sent with the cases' query glued to it; a space breaks the request line.
  EXPECT_FALSE(parse_url("http://127.0.0.1:8080/prefix?x=1").has_value());
  EXPECT_FALSE(parse_url("http://127.0.0.1:8080/a#frag").has_value());
  EXPECT_FALSE(parse_url("http://127.0.0.1:8080/a b").has_value());
  EXPECT_FALSE(parse_url("http://:80").has_value());
  EXPECT_FALSE(parse_url("http://h:99999").has_value());
  EXPECT_FALSE(parse_url("http://h:8x").has_value());
}

TEST(Url, PercentEncodingIsRfc3986) {
  EXPECT_EQ(percent_encode("a b*~/+é"), "a%20b%2A~%2F%2B%C3%A9");
  EXPECT_EQ(percent_decode("a%20b+c%zz", true), "a b c%zz");
  EXPECT_EQ(percent_decode("%4", false), "%4");
}

// percent_encode skips unreserved runs sixteen bytes at a time: every byte value,
// at every offset of a long run (block edges included), is kept or escaped as RFC
// 3986 says.
TEST(Url, PercentEncodingOfEveryByteAtEveryOffset) {
  auto unreserved = [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
  };
  const std::string run = "Az09-_.~azAZ90~._-Az09-_.~azAZ90~._-";
  for (int c = 0; c < 256; ++c) {
    const char byte = static_cast<char>(c);
    char escaped[4];
    std::snprintf(escaped, sizeof escaped, "%%%02X", c);
    const std::string want_byte = unreserved(static_cast<unsigned char>(c)) ? std::string(1, byte) : escaped;
    for (std::size_t at = 0; at <= run.size(); ++at) {
      const std::string text = run.substr(0, at) + byte + run.substr(at);
      ASSERT_EQ(percent_encode(text), run.substr(0, at) + want_byte + run.substr(at)) << "byte " << c << " at " << at;
    }
  }
}

TEST(Url, PairsRoundTripInOrderWithDuplicates) {
  Pairs p{{"B", "1"}, {"A", "x=y&z"}, {"B", "2"}, {"Empty", ""}};
  EXPECT_EQ(encode_pairs(p), "B=1&A=x%3Dy%26z&B=2&Empty=");
  EXPECT_EQ(decode_pairs(encode_pairs(p)), p);
}

}  // namespace
}  // namespace conform::transport
