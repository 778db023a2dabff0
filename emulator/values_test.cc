#include "emulator/values.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "emulator/test_util.h"
#include "emulator/wire.h"

namespace conform::emulator {
namespace {

TEST(QueryValues, IntegersAreDecimalDigitsWithinTheirWidth) {
  EXPECT_EQ(parse_query_integer("42", false), 42);
  EXPECT_EQ(parse_query_integer("-7", false), -7);
  EXPECT_EQ(parse_query_integer("2147483647", false), 2147483647);
  EXPECT_FALSE(parse_query_integer("2147483648", false));
  EXPECT_EQ(parse_query_integer("2147483648", true), 2147483648LL);
  for (const char* bad : {"2,000", "1.0", " 5", "5 ", "+5", "", "-", "0x10"})
    EXPECT_FALSE(parse_query_integer(bad, true)) << bad;
}

TEST(QueryValues, BooleansAreTrueOrFalseInAnyCase) {
  EXPECT_EQ(parse_query_bool("TRUE"), true);
  EXPECT_EQ(parse_query_bool("False"), false);
  EXPECT_FALSE(parse_query_bool("1"));
  EXPECT_FALSE(parse_query_bool("yes"));
}

TEST(QueryValues, Floats) {
  EXPECT_EQ(parse_query_float("0.98"), 0.98);
  for (const char* bad : {"", "1,5", "inf", "nan", " 1", "+1", "9.", ".5", "1e", "1e+", "-", "1.5.2"})
    EXPECT_FALSE(parse_query_float(bad)) << bad;
  EXPECT_EQ(parse_query_float("-2.5e3"), -2500.0);
  EXPECT_EQ(parse_query_float("7"), 7.0);
}

TEST(Formats, EachFormat) {
  EXPECT_TRUE(format_ok("ipv4", "172.16.236.14"));
  for (const char* bad : {"172.16.236.14X", "XX.XXX.XX.XXX", "256.1.1.1", "1.2.3", "01.2.3.4"})
    EXPECT_FALSE(format_ok("ipv4", bad)) << bad;
  EXPECT_TRUE(format_ok("cidr", "10.0.0.0/8"));
  EXPECT_FALSE(format_ok("cidr", "10.0.0.0/33"));
  EXPECT_FALSE(format_ok("cidr", "10.0.0.0"));
  EXPECT_TRUE(format_ok("base64", "ZWNobyBoZWxsbyBlY3Mh"));
  EXPECT_FALSE(format_ok("base64", "ZWNobyBoZWxsbyBlY3Mh="));
  EXPECT_FALSE(format_ok("base64", "a=bc"));
  EXPECT_TRUE(format_ok("HH:mm:ss", "23:59:59"));
  EXPECT_FALSE(format_ok("HH:mm:ss", "24:00:00"));
  EXPECT_FALSE(format_ok("HH:mm:ss", "18:00: 00"));
  EXPECT_TRUE(format_ok("HH:mm-HH:mm", "00:00-01:00"));
  EXPECT_FALSE(format_ok("HH:mm-HH:mm", "00:00-1:00"));
}

TEST(Formats, IpInCidr) {
  EXPECT_TRUE(ip_in_cidr("172.16.236.10", "172.16.236.0/24"));
  EXPECT_FALSE(ip_in_cidr("172.16.237.10", "172.16.236.0/24"));
  EXPECT_TRUE(ip_in_cidr("8.8.8.8", "0.0.0.0/0"));
}

TEST(Lengths, CharsCountCodePointsBytesCountBytes) {
  EXPECT_EQ(length_of("héllo", spec::LengthUnit::chars), 5u);
  EXPECT_EQ(length_of("héllo", spec::LengthUnit::bytes), 6u);
}

TEST(Wire, QueryPiecesDecodeAndKeepOrder) {
  auto q = parse_query("a=1&b=&c&&d=x%20y+z&bad=%zz");
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q[1], (std::pair<std::string, std::string>{"b", ""}));
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>{"c", ""}));
  EXPECT_EQ(q[3].second, "x y z");
  EXPECT_EQ(q[4].second, "%zz");
}

TEST(Wire, PathTemplates) {
  auto m = match_path("/v1.0/{project_id}/instances", "/v1.0/p1/instances");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->at("project_id"), "p1");
  EXPECT_TRUE(match_path("/v1.0/{project_id}/instances", "/v1.0//instances"));
  EXPECT_FALSE(match_path("/v1.0/{project_id}/instances", "/v1.0/p1/instances/x"));
  EXPECT_FALSE(match_path("/clusters", "/cluster"));
}

RC_GTEST_PROP(Wire, EncodedQueryDecodesToItself, (const std::string& key, const std::string& value)) {
  RC_PRE(!key.empty());
  auto q = parse_query(testing::query_string({{key, value}}));
  RC_ASSERT(q.size() == 1u);
  RC_ASSERT(q[0].first == key);
  RC_ASSERT(q[0].second == value);
}

RC_GTEST_PROP(QueryValues, EveryIntDecimalParses, (int v)) {
  RC_ASSERT(parse_query_integer(std::to_string(v), false) == static_cast<long long>(v));
}

}  // namespace
}  // namespace conform::emulator
