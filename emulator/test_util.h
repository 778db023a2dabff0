// Test helpers: an Emulator over the committed specs and default fixtures, and
// requests built the way each dialect sends them.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/test_paths.h"
#include "emulator/handler.h"
#include "spec/loader.h"

namespace conform::emulator::testing {

using Query = std::vector<std::pair<std::string, std::string>>;

inline std::unique_ptr<Emulator> make_emulator(std::vector<std::string> faults = {},
                                               std::size_t max_entries = EmulatorState::kDefaultMaxEntries) {
  auto specs = spec::load_specs(std::string(CONFORM_SOURCE_DIR) + "/specs");
  EXPECT_TRUE(specs) << specs.error().message();
  auto fixtures = default_fixtures();
  EXPECT_TRUE(fixtures) << fixtures.error().message();
  EmulatorOptions o;
  o.faults = std::move(faults);
  o.max_entries = max_entries;
  auto emu = Emulator::create(std::move(*specs), std::move(*fixtures), o);
  EXPECT_TRUE(emu) << emu.error().message();
  return std::move(*emu);
}

inline std::string encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

inline std::string query_string(const Query& q) {
  std::string s;
  for (const auto& [k, v] : q) s += (s.empty() ? "" : "&") + encode(k) + "=" + encode(v);
  return s;
}

// `rest` in order, then each of `defaults` whose name `rest` does not give.
inline Query with_defaults(Query defaults, const Query& rest) {
  Query q = rest;
  for (auto& d : defaults) {
    bool given = false;
    for (const auto& r : rest) given = given || r.first == d.first;
    if (!given) q.push_back(std::move(d));
  }
  return q;
}

inline Query ecs(const std::string& action, const Query& rest) {
  return with_defaults({{"Action", action}, {"Version", "2014-05-26"}, {"RegionId", "cn-hangzhou"}}, rest);
}

inline Query ros(const Query& rest) {
  return with_defaults({{"Action", "CreateStackInstances"}, {"Version", "2019-09-10"}, {"RegionId", "cn-hangzhou"},
                        {"StackGroupName", "MyStackGroup"}, {"AccountIds", R"(["123456"])"},
                        {"RegionIds", R"(["cn-hangzhou"])"}},
                       rest);
}

// A CreateInstance that succeeds with the default fixtures, with `rest` on top.
inline Query instance(const Query& rest) {
  return ecs("CreateInstance", with_defaults({{"ImageId", "ubuntu_18_04_64_20G_alibase_20190624.vhd"},
                                              {"InstanceType", "ecs.g5.large"}}, rest));
}

// The code the committed spec gives rule `rule` of `op` (tests follow the spec, which
// the importer and the overlay may refine).
inline std::string code_for(const std::string& op, const std::string& rule) {
  static const auto specs = spec::load_specs(std::string(CONFORM_SOURCE_DIR) + "/specs");
  if (!specs) return "no specs";
  for (const auto& s : *specs)
    if (s.op == op)
      if (const auto* r = s.find_rule(rule)) return r->expect.codes.empty() ? "" : r->expect.codes[0];
  return "no rule " + rule;
}

inline HttpResponse get(Emulator& e, const Query& q) {
  HttpRequest r;
  r.method = "GET";
  r.target = "/?" + query_string(q);
  return e.handle(r);
}

inline HttpResponse post(Emulator& e, const std::string& target, const std::string& body,
                         const std::string& content_type = "application/json") {
  HttpRequest r;
  r.method = "POST";
  r.target = target;
  r.headers.emplace_back("Content-Type", content_type);
  r.body = body;
  return e.handle(r);
}

inline nlohmann::json body_of(const HttpResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.body;
  return j;
}

// The code of an error body in any dialect.
inline std::string code_of(const HttpResponse& r) {
  auto j = body_of(r);
  if (j.contains("Code")) return j["Code"].get<std::string>();
  if (j.contains("error_code")) return j["error_code"].get<std::string>();
  return "";
}

inline nlohmann::json cluster() {
  return nlohmann::json::parse(R"({"Name": "test-ubuntu", "ImageId": "m-2309yqb5n", "InstanceType": "bcs.a2.large",
    "Groups": {"group1": {"DesiredVMCount": 3, "ResourceType": "OnDemand"}}})");
}

inline nlohmann::json dcs() {
  return nlohmann::json::parse(R"({"name": "dcs-a11e", "engine": "Redis", "engine_version": "3.0", "capacity": 2,
    "password": "Abcdef12!", "vpc_id": "27d99e17-42f2-4751-818f-5c8c6c03ff15",
    "security_group_id": "1477393a-29c9-4de5-843f-18ef51257c7e", "subnet_id": "ec2f34b9-20eb-4872-85bd-bea9fc943128",
    "available_zones": ["ae04cf9d61544df3806a3feeb401b204"], "product_id": "OTC_DCS_SINGLE"})");
}

}  // namespace conform::emulator::testing
