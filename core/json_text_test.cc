#include "core/json_text.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

namespace conform {
namespace {

using nlohmann::json;

std::string nlohmann_dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string written(const json& j) {
  std::string out = "x";  // appends, keeps what was there
  append_json(out, j);
  return out.substr(1);
}

TEST(JsonText, AppendJsonIsNlohmannsDump) {
  const json values[] = {
      json::parse(R"({"a":[1,-2,3.5,true,false,null,"s",{},[]],"b":{"c":"caf\u00e9 \ud83d\ude00"},"":0})"),
      json{{"ctl", std::string("a\x01\x1f\n\t\"\\", 8)}, {"bad", "x\xff\xfey\xc3"}, {"k\xe2\x82", 1}},
      json(std::numeric_limits<std::int64_t>::min()), json(std::numeric_limits<std::uint64_t>::max()), json(-0.0),
      json(1e300), json(std::nan("")), json(0.1), json(7.0), json::array(), json::object(), json(nullptr),
      json::binary({1, 2, 3}),
  };
  for (const json& j : values) EXPECT_EQ(written(j), nlohmann_dump(j));
}

RC_GTEST_PROP(JsonTextProp, AppendJsonIsNlohmannsDump,
              (const std::map<std::string, std::vector<std::string>>& m, std::int64_t i, double d, bool b)) {
  json j = json::object();
  for (const auto& [k, v] : m) j[k] = {{"list", v}, {"i", i}, {"u", static_cast<std::uint64_t>(i)}, {"d", d}, {"b", b}};
  RC_ASSERT(written(j) == nlohmann_dump(j));
}

// Well-formed UTF-8 at the edges of its ranges beside escapes, and at most one
// ill-formed sequence (overlong, surrogate, past U+10FFFF, cut short, a stray
// byte): well-formed ones are copied, an ill-formed one replaced, as nlohmann does.
RC_GTEST_PROP(JsonTextProp, AppendJsonStringIsNlohmannsDumpOnUtf8Edges, ()) {
  static const char* const kGood[] = {"a", "\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc2\x80", "\xdf\xbf",
                                      "\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf",
                                      "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xe2\x82\xac"};
  static const char* const kBad[] = {"\xc0\x80", "\xc1\xbf", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xf0\x8f\xbf\xbf",
                                     "\xf4\x90\x80\x80", "\xf5", "\xff", "\x80", "\xe2\x82", "\xf0\x9f\x98"};
  auto good = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, std::size(kGood)));
  std::string s;
  for (std::size_t g : good) s += kGood[g];
  if (*rc::gen::arbitrary<bool>()) {
    std::size_t at = *rc::gen::inRange<std::size_t>(0, good.size() + 1);
    std::string before;
    for (std::size_t k = 0; k < at; ++k) before += kGood[good[k]];
    s.insert(before.size(), kBad[*rc::gen::inRange<std::size_t>(0, std::size(kBad))]);
  }
  std::string out = "x";
  append_json_string(out, s);
  RC_ASSERT(out.substr(1) == nlohmann_dump(json(s)));
}

std::size_t tree_depth(const json& j) {
  if (!j.is_structured()) return 0;
  std::size_t deepest = 0;
  for (const json& e : j) deepest = std::max(deepest, tree_depth(e));
  return deepest + 1;
}

TEST(JsonText, NestingSkipsStringsAndStopsPastTheLimit) {
  EXPECT_EQ(json_nesting("1", 10), 0u);
  EXPECT_EQ(json_nesting("[]", 10), 1u);
  EXPECT_EQ(json_nesting(R"({"a":[[1],{"b":"]]]"}],"c":"[[[\"[[["})", 10), 3u);
  EXPECT_EQ(json_nesting(R"(["\\", [[]]])", 10), 3u) << "an escaped backslash ends before the quote";
  EXPECT_EQ(json_nesting("[\"unterminated [[[[", 10), 1u);
  EXPECT_EQ(json_nesting("]]]]}}", 10), 0u) << "stray closers do not go below zero";
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  std::size_t at = 0;
  EXPECT_EQ(json_nesting(deep, 128, &at), 129u);
  EXPECT_EQ(at, 128u) << "the offset of the bracket that passed the limit";
  EXPECT_TRUE(parse_json_bounded(deep).is_discarded());
  EXPECT_EQ(parse_json_bounded(std::string(128, '[') + std::string(128, ']')).is_discarded(), false);
  EXPECT_TRUE(parse_json_bounded("{").is_discarded());
}

// nlohmann takes a NUL byte as the end of its input; no JSON text holds one
// (found by fuzz_rpc_query: the emulator read {"FailureToleranceCount": 1}\0... as
// that object, the oracle as no JSON).
TEST(JsonText, ANulByteIsNoJson) {
  const std::string text("{\"a\": 1}\0garbage", 17);
  EXPECT_FALSE(nlohmann::json::parse(text, nullptr, false).is_discarded()) << "nlohmann's quirk, which the check is for";
  EXPECT_EQ(nul_at(text), 8u);
  EXPECT_TRUE(parse_json_bounded(text).is_discarded());
  EXPECT_TRUE(parse_json_bounded(std::string("\"a\0b\"", 5)).is_discarded());
  EXPECT_EQ(nul_at(R"({"a": "\u0000"})"), std::string_view::npos) << "an escaped NUL is JSON";
  EXPECT_FALSE(parse_json_bounded(R"({"a": "\u0000"})").is_discarded());
}

// For any JSON value, the scan of its text gives the depth of its tree, however
// its strings are made (brackets, quotes and backslashes inside them).
RC_GTEST_PROP(JsonTextProp, NestingOfATextIsTheDepthOfItsTree, ()) {
  static const char* const kPieces[] = {"[", "]", "{", "}", "\"", "\\", "a", "\\\"", "\\\\"};
  auto leaf = [] {
    std::string s;
    for (std::size_t k : *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, 9))) {
      s += kPieces[k];
    }
    return json(s);
  };
  json root = leaf();
  const std::size_t steps = *rc::gen::inRange<std::size_t>(0, 40);
  for (std::size_t k = 0; k < steps; ++k) {
    switch (*rc::gen::inRange(0, 3)) {
      case 0: root = json::array({root, leaf()}); break;
      case 1: root = json{{leaf().get<std::string>(), root}, {"x", leaf()}}; break;
      default: root = json::array({leaf(), json::array({leaf()}), root}); break;
    }
  }
  const std::string text = root.dump();
  RC_ASSERT(json_nesting(text, 1000) == tree_depth(root));
  const std::size_t limit = *rc::gen::inRange<std::size_t>(0, 50);
  RC_ASSERT(parse_json_bounded(text, limit).is_discarded() == (tree_depth(root) > limit));
}

// json_nesting's scan skips sixteen bytes at a time: over any text (invalid JSON,
// unterminated strings, a backslash last, pieces that straddle a block), it gives
// what a byte-by-byte scan gives, and stops at the same bracket.
std::size_t nesting_by_byte(std::string_view s, std::size_t limit, std::size_t* at) {
  std::size_t depth = 0, deepest = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\') ++i;
      }
    } else if (s[i] == '[' || s[i] == '{') {
      if (++depth > deepest && (deepest = depth) > limit) {
        *at = i;
        return deepest;
      }
    } else if ((s[i] == ']' || s[i] == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

RC_GTEST_PROP(JsonTextProp, NestingScanIsTheByteByByteScan, ()) {
  static const char* const kPieces[] = {"[", "]", "{", "}", "\"", "\\", "abcdefg", "\\\"", " ", "\\\\"};
  std::string text;
  for (std::size_t k : *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, 10))) {
    text += kPieces[k];
  }
  const std::size_t limit = *rc::gen::inRange<std::size_t>(0, 20);
  std::size_t at = 0, expected_at = 0;
  RC_ASSERT(json_nesting(text, limit, &at) == nesting_by_byte(text, limit, &expected_at));
  RC_ASSERT(at == expected_at);
}

}  // namespace
}  // namespace conform
