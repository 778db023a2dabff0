#include "core/text.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace conform::text {
namespace {

TEST(Text, TrimAndSquash) {
  EXPECT_EQ(trim("  a b \n"), "a b");
  EXPECT_EQ(squash_spaces(" a \n\n b\t c "), "a b c");
}

TEST(Text, SplitLinesKeepsEmptyLinesAndDropsCr) {
  auto lines = split_lines("a\r\n\nb");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "a");
  EXPECT_EQ(lines[1], "");
  EXPECT_EQ(lines[2], "b");
}

TEST(Text, Utf8) {
  EXPECT_TRUE(valid_utf8("abc"));
  EXPECT_TRUE(valid_utf8("\xe4\xb8\xad\xe6\x96\x87"));
  EXPECT_EQ(utf8_length("\xe4\xb8\xad\xe6\x96\x87"), 2u);
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(valid_utf8("\xe4\xb8"));          // truncated
  EXPECT_EQ(utf8_length("\xff\xfe"), 2u);
}

TEST(Text, ParseIntegerWithSeparators) {
  EXPECT_EQ(parse_integer("2,000"), 2000);
  EXPECT_EQ(parse_integer("32,768"), 32768);
  EXPECT_EQ(parse_integer("-5"), -5);
  EXPECT_FALSE(parse_integer("1.5"));
  EXPECT_FALSE(parse_integer(""));
  EXPECT_FALSE(parse_integer("99999999999999999999"));
}

RC_GTEST_PROP(TextProp, Utf8LengthNeverExceedsBytes, (const std::string& s)) {
  RC_ASSERT(utf8_length(s) <= s.size());
}

// The eight-bytes-a-step ASCII start counts as the byte-wise scan does, wherever
// the first non-ASCII byte falls (in or after a word, a lone or a broken sequence).
RC_GTEST_PROP(TextProp, Utf8LengthAfterAnAsciiStartCountsEachByte, (const std::string& rest)) {
  const auto n = *rc::gen::inRange<std::size_t>(0, 40);
  const std::string ascii = *rc::gen::container<std::string>(n, rc::gen::inRange<char>(0, 127));
  RC_ASSERT(utf8_length(ascii + rest) == ascii.size() + utf8_length(rest));
  RC_ASSERT(utf8_length(rest + ascii) == utf8_length(rest) + ascii.size());
}

RC_GTEST_PROP(TextProp, IntegersRoundTrip, (int v)) {
  RC_ASSERT(parse_integer(std::to_string(v)) == static_cast<long long>(v));
}

}  // namespace
}  // namespace conform::text
