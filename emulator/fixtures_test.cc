#include "emulator/fixtures.h"

#include <gtest/gtest.h>

namespace conform::emulator {
namespace {

TEST(Fixtures, DefaultSetLoadsAndHoldsTheDocsIds) {
  auto f = default_fixtures();
  ASSERT_TRUE(f) << f.error().message();
  auto has = [&](const std::string& type, const std::string& id) {
    for (const auto& r : f->resources)
      if (r.type == type && r.id == id) return true;
    return false;
  };
  EXPECT_TRUE(has("Image", "ubuntu_18_04_64_20G_alibase_20190624.vhd"));
  EXPECT_TRUE(has("Image", "win2008r2_64_ent_sp1_en-us_40G_alibase_20170915.vhd"));
  EXPECT_TRUE(has("Image", "_32_23c472_20120822172155_aliguest.vhd"));
  EXPECT_TRUE(has("SecurityGroup", "sg-bp15ed6xe1yxeycg7ov3"));
  EXPECT_TRUE(has("SecurityGroup", "sg-c0003e8b9"));
  EXPECT_TRUE(has("VSwitch", "vsw-bp1s5fnvk4gn2tws03ziX"));
  EXPECT_TRUE(has("InstanceType", "ecs.g5.large"));
  EXPECT_TRUE(has("InstanceType", "ecs.t1.small"));
  EXPECT_TRUE(has("InstanceType", "bcs.a2.large"));
  EXPECT_TRUE(has("Snapshot", "s-bp17441ohwka0yuhx3h0"));
  EXPECT_TRUE(has("DeploymentSet", "ds-bp1brhwhoqinyjd6tn3x"));
  EXPECT_TRUE(has("Image", "m-2309yqb5n"));
  EXPECT_EQ(f->quotas.at("batchcompute").at("MaxClusterCount"), 50);
}

TEST(Fixtures, DatesCompareAsNumbers) {
  auto f = parse_fixtures(R"({"resources": [{"service": "ecs", "type": "Snapshot", "id": "s",
    "attrs": {"created": "2013-07-15", "size_gib": 40}}]})", "f.json");
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_EQ(*f->resources[0].attrs.at("created").number, 20130715);
  EXPECT_EQ(*f->resources[0].attrs.at("size_gib").number, 40);
}

void expect_error(const std::string& text, const std::string& where, const std::string& what) {
  auto f = parse_fixtures(text, "f.json");
  ASSERT_FALSE(f) << text;
  EXPECT_EQ(f.error().where, where) << f.error().message();
  EXPECT_NE(f.error().what.find(what), std::string::npos) << f.error().message();
}

TEST(Fixtures, ErrorsNameTheFileAndPointer) {
  expect_error("{", "f.json", "invalid JSON");
  expect_error(R"({"resources": [{"service": "ecs", "type": "Volcano", "id": "v"}]})", "f.json#/resources/0/type",
               "unknown resource type");
  expect_error(R"({"resources": [{"service": "ecs", "type": "Image", "id": "i", "attrs": {"colour": "red"}}]})",
               "f.json#/resources/0/attrs/colour", "unknown attribute");
  expect_error(R"({"resources": [{"service": "ecs", "type": "Image", "id": "i", "attrs": {"os": "beos"}}]})",
               "f.json#/resources/0/attrs/os", "not one of");
  expect_error(R"({"resources": [{"service": "ecs", "type": "Image", "id": "i", "attrs": {"size_gib": "20"}}]})",
               "f.json#/resources/0/attrs/size_gib", "expected a number");
  expect_error(R"({"quotas": [{"service": "b", "name": "q", "value": -1}]})", "f.json#/quotas/0/value", "whole number");
  expect_error(R"({"resources": [], "extra": 1})", "f.json#/extra", "unknown field");
}

}  // namespace
}  // namespace conform::emulator
