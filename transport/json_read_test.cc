#include "transport/json_read.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

namespace conform::transport {
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

void expect_as_nlohmann(std::string_view text) {
  json want = json::parse(text, nullptr, false);
  json got = parse_json(text);
  EXPECT_EQ(got.is_discarded(), want.is_discarded()) << text;
  if (!want.is_discarded()) {
    EXPECT_TRUE(same(got, want)) << text << "\n" << got.dump() << "\n" << want.dump();
  }
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
}

// Any text, and any text made of JSON's own pieces, reads as nlohmann reads it.
RC_GTEST_PROP(JsonReadProp, AnyText, (const std::string& text)) {
  json want = json::parse(text, nullptr, false);
  json got = parse_json(text);
  RC_ASSERT(got.is_discarded() == want.is_discarded());
  if (!want.is_discarded()) RC_ASSERT(same(got, want));
}

RC_GTEST_PROP(JsonReadProp, JsonPieces, ()) {
  static const std::vector<std::string> pieces = {
      "{", "}", "[", "]", ",", ":", " ", "\"", "\"a\"", "\"Code\"", "1", "-", "0", "12", ".5", "e", "true", "null",
      "false", "\\", "\\n", "\\u0041", "\xc3\xa9", "\xff", "x"};
  const auto parts = *rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(pieces));
  std::string text;
  for (const std::string& p : parts) text += p;
  json want = json::parse(text, nullptr, false);
  json got = parse_json(text);
  RC_ASSERT(got.is_discarded() == want.is_discarded());
  if (!want.is_discarded()) RC_ASSERT(same(got, want));
}

// Any value nlohmann writes reads back as nlohmann reads it.
RC_GTEST_PROP(JsonReadProp, DumpsReadBack, (const std::map<std::string, std::vector<std::string>>& m, int n,
                                           bool b)) {
  json j = json::object();
  for (const auto& [k, v] : m) j[k] = {{"list", v}, {"n", n}, {"b", b}, {"none", nullptr}};
  const std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  json want = json::parse(text, nullptr, false);
  json got = parse_json(text);
  RC_ASSERT(got.is_discarded() == want.is_discarded());
  if (!want.is_discarded()) RC_ASSERT(same(got, want));
}

}  // namespace
}  // namespace conform::transport
