#include "core/json_read.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

#include "core/json_text.h"

namespace conform {
namespace {

using nlohmann::json;

// Equal values of equal types, all the way down (json's == takes 1 and 1u, or
// 1 and 1.0, as equal; the verdicts' type checks do not).
bool same(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
      if (i.key() != j.key() || !same(*i, *j)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

// What parse_json_bounded promises: nlohmann's answer, but for a NUL byte or a
// text nested past the limit.
json reference(std::string_view text, std::size_t max_nesting = kMaxJsonNesting) {
  if (text.find('\0') != std::string_view::npos || json_nesting(text, max_nesting) > max_nesting) {
    return json(json::value_t::discarded);
  }
  return json::parse(text.begin(), text.end(), nullptr, false);
}

// parse_json_bounded gives the reference's answer, and the fast reader never
// calls a text not JSON that nlohmann would read, nor reads one differently.
void expect_as_nlohmann(std::string_view text, std::size_t max_nesting = kMaxJsonNesting) {
  const json want = reference(text, max_nesting);
  const json got = parse_json_bounded(text, max_nesting);
  EXPECT_EQ(got.is_discarded(), want.is_discarded()) << text;
  if (!want.is_discarded()) {
    EXPECT_TRUE(same(got, want)) << text << "\n" << got.dump() << "\n" << want.dump();
  }
  json fast;
  switch (read_json_fast(text, std::min<std::size_t>(max_nesting, 64), fast)) {
    case FastJson::value: EXPECT_TRUE(!want.is_discarded() && same(fast, want)) << text; break;
    case FastJson::not_json: EXPECT_TRUE(want.is_discarded()) << text; break;
    case FastJson::unsupported: break;
  }
}

// The same, for a property.
void check_as_nlohmann(std::string_view text) {
  const json want = reference(text);
  const json got = parse_json_bounded(text);
  RC_ASSERT(got.is_discarded() == want.is_discarded());
  if (!want.is_discarded()) RC_ASSERT(same(got, want));
  json fast;
  const FastJson verdict = read_json_fast(text, 64, fast);
  if (verdict == FastJson::not_json) RC_ASSERT(want.is_discarded());
  if (verdict == FastJson::value) RC_ASSERT(!want.is_discarded() && same(fast, want));
}

TEST(JsonRead, SameAsNlohmann) {
  const char* texts[] = {
      R"({"Code":"MissingName","Message":"Name is mandatory for this action.","RequestId":"D8DC0B86","HostId":"x"})",
      R"({"Id":"usr-cluster-53prtya0vie72fk3fejt"})",
      R"( { "a" : [ 1 , -2 , 0 , -0 , true , false , null , "" , { } , [ ] ] } )",
      R"({"a":1,"a":2,"b":{"a":[{"c":"d"}]}})",
      R"({"e":"q\"b\\s\/b\bf\fn\nr\rt\t"})",
      R"({"u":"caf\u00e9 \ud83d\ude00"})",
      "{\"u\":\"caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac\"}",
      "{\"bad\":\"\xc0\xaf\"}", "{\"bad\":\"\xed\xa0\x80\"}", "{\"bad\":\"\xf4\x90\x80\x80\"}", "{\"cut\":\"\xe2\x82\"}",
      "{\"ctl\":\"a\x01\"}", "\xef\xbb\xbf{\"bom\":1}",
      "123", "-7", "\"s\"", "true", "null", "1.5", "1e3", "-0.0", "01", "-", "1 2", "[1,]", "{\"a\":1,}", "{,}",
      "", "   ", "{", "[", "{\"a\"}", "{\"a\":}", "{'a':1}", "tru", "nul", "[true false]", "{\"a\":1}x",
      "123456789012345678", "1234567890123456789", "-123456789012345678", "18446744073709551615",
      "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
  };
  for (const char* t : texts) expect_as_nlohmann(t);
  std::string deep(70, '[');
  deep += std::string(70, ']');
  expect_as_nlohmann(deep);
  std::string deep_bad(70, '[');
  expect_as_nlohmann(deep_bad);
  expect_as_nlohmann("[[[1]]]", 2);
  expect_as_nlohmann("[[1]]", 2);
  expect_as_nlohmann(std::string("{}\0x", 4));
  expect_as_nlohmann(std::string("{\"a\":\"\0\"}", 9));
}

// Which texts the fast reader settles: the usual shapes and the usual mistakes,
// and the rest is nlohmann's.
TEST(JsonRead, TellsNotJsonFromUnsupported) {
  auto verdict = [](std::string_view text) {
    json out;
    return read_json_fast(text, 64, out);
  };
  for (const char* t : {R"({"Code":"X","n":[1,-2,true,null,"\n"]})", "\"caf\xc3\xa9\"", "0", "-0"}) {
    EXPECT_EQ(verdict(t), FastJson::value) << t;
  }
  for (const char* t : {"", "{", "{\"a\":1,}", "[1 2]", "tru", "{\"a\":1}x", "\"\xc0\xaf\"", "\"a\x01\"", "\"\\x\"",
                        "-", "-x", "{'a':1}", "\"open"}) {
    EXPECT_EQ(verdict(t), FastJson::not_json) << t;
  }
  for (const char* t : {"1.5", "1e3", "01", "1234567890123456789", "\"\\u0041\"", "\xef\xbb\xbf{}"}) {
    EXPECT_EQ(verdict(t), FastJson::unsupported) << t;
  }
  EXPECT_EQ(verdict(std::string(65, '[') + std::string(65, ']')), FastJson::unsupported);
}

// Any text, and any text made of JSON's own pieces, reads as nlohmann reads it.
RC_GTEST_PROP(JsonReadProp, AnyText, (const std::string& text)) { check_as_nlohmann(text); }

RC_GTEST_PROP(JsonReadProp, JsonPieces, ()) {
  static const std::vector<std::string> pieces = {
      "{", "}", "[", "]", ",", ":", " ", "\"", "\"a\"", "\"Code\"", "1", "-", "0", "12", ".5", "e", "true", "null",
      "false", "\\", "\\n", "\\u0041", "\xc3\xa9", "\xff", "x", std::string(1, '\0'), "\x01", "\xef\xbb\xbf", "01",
      "\\x"};
  const auto parts = *rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(pieces));
  std::string text;
  for (const std::string& p : parts) text += p;
  check_as_nlohmann(text);
}

// Any value nlohmann writes reads back as nlohmann reads it.
RC_GTEST_PROP(JsonReadProp, DumpsReadBack, (const std::map<std::string, std::vector<std::string>>& m, int n,
                                           bool b)) {
  json j = json::object();
  for (const auto& [k, v] : m) j[k] = {{"list", v}, {"n", n}, {"b", b}, {"none", nullptr}};
  check_as_nlohmann(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace
}  // namespace conform
