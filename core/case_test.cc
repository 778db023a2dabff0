#include "core/case.h"

#include <sstream>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

namespace conform {
namespace {

using nlohmann::json;

TEST(Case, ReadsTheDesignExample) {
  json j = json::parse(R"({"id": "optional", "op": "ecs.CreateInstance", "method": "GET", "path": "/",
    "query": {"Action": "CreateInstance", "RegionId": "cn-hangzhou"},
    "headers": {}, "body": null, "note": "ignored",
    "expect": {"status": 400, "code": "MissingParameter"}})");
  auto c = case_from_json(j, "t");
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->id, "optional");
  EXPECT_EQ(c->query.size(), 2u);
  EXPECT_EQ(*c->query_value("RegionId"), "cn-hangzhou");
  EXPECT_FALSE(c->body);
  ASSERT_TRUE(c->expect);
  EXPECT_EQ(c->expect->status, 400);
  EXPECT_EQ(c->expect->codes, std::vector<std::string>{"MissingParameter"});
}

TEST(Case, DuplicatesSurviveARoundTripInOrder) {
  Case c;
  c.op = "ecs.CreateInstance";
  c.query = {{"B", "1"}, {"A", "2"}, {"B", "3"}};
  c.set_body(json{{"x", 1}});
  c.raw_body = "a=b";
  c.target = TargetRule{"B.length", Side::violating};
  json j;
  to_json(j, c);
  auto back = case_from_json(j, "t");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->query, c.query);
  EXPECT_EQ(*back->body, *c.body);
  EXPECT_EQ(back->raw_body, c.raw_body);
  ASSERT_TRUE(back->target);
  EXPECT_EQ(back->target->side, Side::violating);
}

TEST(Case, NumbersOnTheQueryAreSentAsText) {
  auto c = case_from_json(json::parse(R"({"op": "x", "query": [["Size", 40], {"name": "B", "value": true}]})"), "t");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->query, (Pairs{{"Size", "40"}, {"B", "true"}}));
}

TEST(Case, JsonlBadLinesAreNamedAndTheRestGoOn) {
  std::istringstream in(
      "{\"op\": \"a\"}\n"
      "not json\n"
      "\n"
      "[1, 2]\n"
      "{\"id\": \"s\", \"steps\": [{\"op\": \"a\"}, {\"op\": \"b\"}]}\n"
      "{\"steps\": [{\"op\": [3]}]}\n");
  auto lines = read_cases(in, "cases.jsonl");
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_TRUE(lines[0].scenario);
  ASSERT_FALSE(lines[1].scenario);
  EXPECT_EQ(lines[1].scenario.error().where, "cases.jsonl:2");
  EXPECT_FALSE(lines[2].scenario);
  EXPECT_EQ(lines[2].line, 4);
  ASSERT_TRUE(lines[3].scenario);
  EXPECT_TRUE(lines[3].scenario->stateful);
  EXPECT_EQ(lines[3].scenario->steps.size(), 2u);
  ASSERT_FALSE(lines[4].scenario);
  EXPECT_EQ(lines[4].scenario.error().where, "cases.jsonl:6/steps/0/op");
}

// Reading never throws, whatever the JSON; what it accepts survives a round trip.
RC_GTEST_PROP(Case, ReadingIsTotalAndRoundTrips, (const std::string& name, const std::string& value, int status)) {
  json j = {{"op", "x"}, {"query", json::array({json::array({name, value}), json::array({name, value})})},
            {"expect", {{"status", status}}}, {"raw_body", value}};
  auto c = case_from_json(j, "t");
  if (status < 100 || status > 599) {
    RC_ASSERT(!c);
    return;
  }
  RC_ASSERT(bool(c));
  json again;
  to_json(again, *c);
  auto c2 = case_from_json(again, "t");
  RC_ASSERT(bool(c2));
  RC_ASSERT(c2->query == c->query);
  RC_ASSERT(c2->raw_body == c->raw_body);
}

// to_json_line writes the line itself; it is the json tree's compact dump.
std::string tree_line(const Scenario& s) {
  json j;
  to_json(j, s);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(Case, JsonLineIsTheTreesDump) {
  Case c;
  c.op = "ecs.CreateInstance";
  c.query = {{"B", "1"}, {"A", "\x01\"\\\t\u00e9"}, {"", ""}};
  c.headers = {{"X", "1"}, {"X", "2\xff\xc3"}};
  c.set_body(json{{"x", 1}, {"y", {1.5, "z\xe2\x82"}}});
  c.raw_body = "a=b\x7f";
  c.expect = CaseExpect{400, {"A"}};
  c.target = TargetRule{"B.length", Side::violating};
  Scenario one{"", {c}, false};
  EXPECT_EQ(to_json_line(one), tree_line(one));
  Case d;
  d.id = "d";
  d.op = "x";
  d.expect = CaseExpect{200, {}};
  Case e = d;
  e.expect = CaseExpect{404, {"A", "B"}};
  e.id.clear();
  Scenario several{"s\n", {c, d, e}, true};
  EXPECT_EQ(to_json_line(several), tree_line(several));
  EXPECT_EQ(to_json_line(Scenario{"", {d}, false}), tree_line(Scenario{"", {d}, false}));
}

RC_GTEST_PROP(Case, JsonLineIsTheTreesDumpForAnyText,
              (const std::string& a, const std::string& b, const std::string& id, int status, bool dup)) {
  Case c;
  c.id = id;
  c.op = a;
  c.method = b;
  c.query = {{a, b}, {dup ? a : b, id}};
  c.headers = {{b, a}};
  c.set_body(json{{a, b}});
  if (status % 2 == 0) c.raw_body = id;
  c.expect = CaseExpect{status, {a, b}};
  if (status % 3 == 0) c.expect->codes.pop_back();
  if (status % 5 == 0) c.target = TargetRule{b, Side::valid};
  const Scenario one{"", {c}, false};
  RC_ASSERT(to_json_line(one) == tree_line(one));
  const Scenario two{id, {c, c}, true};
  RC_ASSERT(to_json_line(two) == tree_line(two));
}

}  // namespace
}  // namespace conform
