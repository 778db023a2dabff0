// State rules against the default fixtures: references and their attributes,
// created resources, idempotency, DryRun, the resource cap and faults.
#include <gtest/gtest.h>

#include "core/test_paths.h"
#include "emulator/faults.h"
#include "emulator/test_util.h"

namespace conform::emulator {
namespace {

using namespace testing;

const char* kWindows = "win2008r2_64_ent_sp1_en-us_40G_alibase_20170915.vhd";

TEST(State, ReferencesMustExistInTheRequestRegion) {
  auto emu = make_emulator();
  EXPECT_EQ(code_of(get(*emu, instance({{"ImageId", "nope"}}))), "InvalidImageId.NotFound");
  EXPECT_EQ(get(*emu, instance({{"ImageId", "nope"}})).status, 404);
  EXPECT_EQ(code_of(get(*emu, instance({{"VSwitchId", "vsw-nope"}}))), "InvalidVSwitchId.NotFound");
  auto other_region = instance({{"RegionId", "cn-beijing"}});
  EXPECT_EQ(code_of(get(*emu, other_region)), "InvalidImageId.NotFound");
}

TEST(State, ReferenceAttributes) {
  auto emu = make_emulator();
  EXPECT_EQ(code_of(get(*emu, instance({{"ImageId", "conform-disabled-image"}}))), "OperationDenied");
  EXPECT_EQ(code_of(get(*emu, instance({{"DataDisk.1.SnapshotId", "conform-snapshot-2013"}}))),
            "InvalidSnapshotId.BasedSnapshotTooOld");
  EXPECT_EQ(code_of(get(*emu, instance({{"DataDisk.1.SnapshotId", "conform-snapshot-progressing"}}))),
            "InvalidSnapshotId.NotReady");
  EXPECT_EQ(code_of(get(*emu, instance({{"DataDisk.1.SnapshotId", "s-bp17441ohwka0yuhx3h0"}, {"DataDisk.1.Size", "39"}}))),
            "InvalidDiskSize.TooSmall");
  EXPECT_EQ(get(*emu, instance({{"DataDisk.1.SnapshotId", "s-bp17441ohwka0yuhx3h0"}, {"DataDisk.1.Size", "40"}})).status, 200);
  auto small = get(*emu, instance({{"ImageId", kWindows}, {"SystemDisk.Size", "39"}}));
  EXPECT_EQ(small.status, 404);
  EXPECT_EQ(code_of(small), "InvalidSystemDiskSize.LessThanImageSize");
  EXPECT_EQ(code_of(get(*emu, instance({{"ImageId", kWindows}, {"KeyPairName", "Instancetest"}}))),
            "DependencyViolation.WindowsInstance");
  EXPECT_EQ(get(*emu, instance({{"KeyPairName", "Instancetest"}})).status, 200);
}

TEST(State, ConditionsOnTheImageOs) {
  auto emu = make_emulator();
  const std::string sixteen(16, 'a');
  EXPECT_EQ(code_of(get(*emu, instance({{"ImageId", kWindows}, {"HostName", sixteen}}))), "InvalidHostName.Malformed");
  EXPECT_EQ(get(*emu, instance({{"HostName", sixteen}})).status, 200);
  EXPECT_EQ(code_of(get(*emu, instance({{"ImageId", kWindows}, {"HostName", "a.b"}}))), "InvalidHostName.Malformed");
  EXPECT_EQ(get(*emu, instance({{"HostName", "a.b"}})).status, 200);
  EXPECT_EQ(code_of(get(*emu, instance({{"ImageId", kWindows}, {"HostName", "1234"}}))), "InvalidHostName.Malformed");
}

TEST(State, RefMatch) {
  auto emu = make_emulator();
  const Query vpc{{"VSwitchId", "vsw-bp1s5fnvk4gn2tws03ziX"}, {"SecurityGroupId", "sg-bp15ed6xe1yxeycg7ov3"}};
  auto q = vpc;
  EXPECT_EQ(get(*emu, instance(q)).status, 200);
  q.emplace_back("PrivateIpAddress", "172.16.236.14");
  EXPECT_EQ(get(*emu, instance(q)).status, 200);
  q.back().second = "172.16.237.14";
  EXPECT_EQ(code_of(get(*emu, instance(q))), "InvalidPrivateIpAddress");
  EXPECT_EQ(code_of(get(*emu, instance({{"VSwitchId", "vsw-bp1s5fnvk4gn2tws03ziX"}, {"SecurityGroupId", "sg-c0003e8b9"}}))),
            "InvalidParameter.Mismatch");
  q = vpc;
  q.emplace_back("ZoneId", "cn-hangzhou-g");
  EXPECT_EQ(code_of(get(*emu, instance(q))), "InvalidParameter.Mismatch");
  q.back().second = "cn-hangzhou-b";
  EXPECT_EQ(get(*emu, instance(q)).status, 200);
}

TEST(State, CreatedDeploymentSetIsUsableAndResetForgetsIt) {
  auto emu = make_emulator();
  auto ds = get(*emu, ecs("CreateDeploymentSet", {}));
  const std::string id = body_of(ds)["DeploymentSetId"];
  EXPECT_EQ(get(*emu, instance({{"DeploymentSetId", id}})).status, 200);
  EXPECT_EQ(get(*emu, instance({{"DeploymentSetId", "ds-bp1brhwhoqinyjd6tn3x"}})).status, 200);
  emu->state().reset();
  EXPECT_EQ(code_of(get(*emu, instance({{"DeploymentSetId", id}}))), code_for("ecs.CreateInstance", "DeploymentSetId.reference"));
}

TEST(State, ClientTokenReplaysTheSameInstance) {
  auto emu = make_emulator();
  auto a = get(*emu, instance({{"ClientToken", "ct"}}));
  auto b = get(*emu, instance({{"ClientToken", "ct"}, {"Timestamp", "2026-01-01T00:00:00Z"}}));
  EXPECT_EQ(body_of(a)["InstanceId"], body_of(b)["InstanceId"]);
  EXPECT_NE(body_of(a)["RequestId"], body_of(b)["RequestId"]);
  // Any Signature* parameter is a common one (decisions.md, "Emulator state"), as the oracle reads it.
  auto signed_again = get(*emu, instance({{"ClientToken", "ct"}, {"SignatureNoDescription", "x"}}));
  EXPECT_EQ(body_of(signed_again)["InstanceId"], body_of(a)["InstanceId"]);
  auto c = get(*emu, instance({{"ClientToken", "ct"}, {"InstanceName", "other"}}));
  EXPECT_EQ(c.status, 400);
  EXPECT_EQ(code_of(c), "IdempotentParameterMismatch");
}

TEST(State, TheCapAnswersAQuotaErrorUntilReset) {
  auto emu = make_emulator({}, 3);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(get(*emu, ecs("CreateDeploymentSet", {})).status, 200);
  auto r = get(*emu, ecs("CreateDeploymentSet", {}));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(code_of(r), "QuotaExceeded.EmulatorCap");
  emu->state().reset();
  EXPECT_EQ(get(*emu, ecs("CreateDeploymentSet", {})).status, 200);
}

TEST(State, ControlEndpointsOnlyOnLoopback) {
  auto emu = make_emulator();
  HttpRequest h;
  h.method = "GET";
  h.target = "/_conform/health";
  EXPECT_EQ(emu->handle(h).status, 200);
  h.from_loopback = false;
  EXPECT_EQ(emu->handle(h).status, 404);
  HttpRequest reset;
  reset.method = "POST";
  reset.target = "/_conform/reset";
  get(*emu, ecs("CreateDeploymentSet", {}));
  EXPECT_EQ(emu->handle(reset).status, 200);
  EXPECT_EQ(emu->state().count("ecs", "DeploymentSet"), 1u);  // the fixture one
}

TEST(Faults, NamesAreUniqueAndUnknownOnesFail) {
  std::set<std::string_view> names;
  for (const auto& f : all_faults()) EXPECT_TRUE(names.insert(f.name).second) << f.name;
  EXPECT_GE(names.size(), 20u);
  EXPECT_FALSE(FaultSet::from_names({"no-such-fault"}));
}

TEST(Faults, SpecRulesTheyNameExist) {
  auto specs = spec::load_specs(std::string(CONFORM_SOURCE_DIR) + "/specs");
  ASSERT_TRUE(specs);
  for (const auto& f : all_faults()) {
    if (f.rule.empty()) continue;
    bool found = false;
    for (const auto& s : *specs)
      if (s.op == f.op && s.find_rule(f.rule)) found = true;
    EXPECT_TRUE(found) << f.name << " names " << f.op << " rule " << f.rule;
  }
}

}  // namespace
}  // namespace conform::emulator
