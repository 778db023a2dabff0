#include "core/json_text.h"

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

}  // namespace
}  // namespace conform
