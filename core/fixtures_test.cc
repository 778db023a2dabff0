#include "core/fixtures.h"

#include <gtest/gtest.h>

namespace conform {
namespace {

TEST(Fixtures, ParsesResourcesAndQuotas) {
  auto f = parse_fixtures(R"({"resources": [
    {"service": "ecs", "region": "cn-hangzhou", "type": "Image", "id": "img1",
     "attrs": {"os": "linux", "size_gib": 20}}],
    "quotas": [{"service": "batchcompute", "name": "MaxClusterCount", "value": 50}]})", "f.json");
  ASSERT_TRUE(f) << f.error().message();
  const Resource* r = f->find("ecs", "cn-hangzhou", "Image", "img1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(*r->attr("size_gib"), "20");
  EXPECT_EQ(f->find("ecs", "cn-beijing", "Image", "img1"), nullptr);
  EXPECT_EQ(f->quota("batchcompute", "MaxClusterCount"), 50);
}

TEST(Fixtures, UnknownTypeOrAttributeIsNamedByPointer) {
  auto f = parse_fixtures(R"({"resources": [{"service": "ecs", "type": "Disk", "id": "d"}]})", "f.json");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().where, "f.json#/resources/0/type");
  f = parse_fixtures(R"({"resources": [{"service": "ecs", "type": "Image", "id": "i", "attrs": {"colour": 1}}]})",
                     "f.json");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().where, "f.json#/resources/0/attrs/colour");
  EXPECT_FALSE(parse_fixtures("{", "f.json"));
}

}  // namespace
}  // namespace conform
