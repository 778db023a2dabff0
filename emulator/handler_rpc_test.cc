// The aliyun-rpc dialect: dispatch, wire conventions (decisions.md §2), precedence
// (§1) and the bodies (§3), against the committed ECS and ROS specs.
#include <gtest/gtest.h>

#include "emulator/test_util.h"

namespace conform::emulator {
namespace {

using namespace testing;

class Rpc : public ::testing::Test {
 protected:
  std::unique_ptr<Emulator> emu = make_emulator();
};

TEST_F(Rpc, DocExampleCreateDeploymentSetSucceedsWithRequestId) {
  auto r = get(*emu, ecs("CreateDeploymentSet", {{"DeploymentStrategy", "Availability"}, {"DeploymentSetName", "AvailMySet"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body_of(r);
  EXPECT_TRUE(j["RequestId"].is_string());
  EXPECT_TRUE(j["DeploymentSetId"].get<std::string>().starts_with("ds-"));
  EXPECT_EQ(r.header("Content-Type"), "application/json;charset=utf-8");
}

TEST_F(Rpc, DocExampleCreateInstanceSucceeds) {
  auto r = get(*emu, ecs("CreateInstance", {{"ImageId", "_32_23c472_20120822172155_aliguest.vhd"},
                                            {"SecurityGroupId", "sg-c0003e8b9"}, {"HostName", "Bctest01"},
                                            {"InstanceType", "ecs.t1.small"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(body_of(r)["InstanceId"].get<std::string>().starts_with("i-"));
}

TEST_F(Rpc, FormatXmlAnswersXmlForSuccessAndError) {
  auto ok = get(*emu, ecs("CreateDeploymentSet", {{"Format", "XML"}}));
  ASSERT_EQ(ok.status, 200);
  EXPECT_TRUE(ok.body.starts_with("<?xml")) << ok.body;
  EXPECT_NE(ok.body.find("<CreateDeploymentSetResponse><RequestId>"), std::string::npos) << ok.body;
  EXPECT_NE(ok.body.find("<DeploymentSetId>ds-"), std::string::npos);
  auto bad = get(*emu, ecs("CreateDeploymentSet", {{"Format", "XML"}, {"Description", "x"}}));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("<Error><RequestId>"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("<Code>InvalidDescription.Malformed</Code>"), std::string::npos);
  EXPECT_NE(bad.body.find("<Recommend>"), std::string::npos);
  // Only exactly XML asks for XML.
  EXPECT_EQ(get(*emu, ecs("CreateDeploymentSet", {{"Format", "xml"}})).body.front(), '{');
}

TEST_F(Rpc, ErrorBodyHasTheDialectFields) {
  auto r = get(*emu, {{"Action", "CreateDeploymentSet"}, {"Version", "2014-05-26"}});
  EXPECT_EQ(r.status, 400);
  auto j = body_of(r);
  for (const char* k : {"RequestId", "HostId", "Code", "Message", "Recommend"}) EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["Code"], "MissingParameter");
  EXPECT_EQ(j["HostId"], "ecs.aliyuncs.com");
  EXPECT_NE(j["Message"].get<std::string>().find("RegionId"), std::string::npos);
}

TEST_F(Rpc, DispatchErrors) {
  auto missing = get(*emu, {{"Version", "2014-05-26"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(code_of(missing), "MissingParameter");
  auto unknown = get(*emu, {{"Action", "DeleteEverything"}, {"Version", "2014-05-26"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(code_of(unknown), "InvalidAction.NotFound");
  auto version = get(*emu, {{"Action", "CreateDeploymentSet"}, {"Version", "2019-09-10"}, {"RegionId", "cn-hangzhou"}});
  EXPECT_EQ(version.status, 400);
  EXPECT_EQ(code_of(version), "InvalidVersion");
  HttpRequest put;
  put.method = "PUT";
  put.target = "/?" + query_string(ecs("CreateDeploymentSet", {}));
  EXPECT_EQ(emu->handle(put).status, 405);
}

TEST_F(Rpc, PostFormIsReadAndOtherBodiesAreNot) {
  EXPECT_EQ(post(*emu, "/", query_string(ecs("CreateDeploymentSet", {})), "application/x-www-form-urlencoded; charset=utf-8").status, 200);
  auto r = post(*emu, "/", query_string(ecs("CreateDeploymentSet", {})), "text/plain");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code_of(r), "MissingParameter");
  // Query and form together: the query's occurrence comes first.
  EXPECT_EQ(post(*emu, "/?Action=CreateDeploymentSet&Version=2014-05-26", "RegionId=cn-hangzhou",
                 "application/x-www-form-urlencoded").status, 200);
}

TEST_F(Rpc, FirstOccurrenceCounts) {
  EXPECT_EQ(get(*emu, ecs("CreateDeploymentSet", {{"Description", "fine"}, {"Description", "x"}})).status, 200);
  EXPECT_EQ(get(*emu, ecs("CreateDeploymentSet", {{"Description", "x"}, {"Description", "fine"}})).status, 400);
}

TEST_F(Rpc, EmptyValueIsMissingForRequiredOnlyAndPresentOtherwise) {
  auto r = get(*emu, {{"Action", "CreateDeploymentSet"}, {"Version", "2014-05-26"}, {"RegionId", ""}});
  EXPECT_EQ(code_of(r), "MissingParameter");
  auto d = get(*emu, ecs("CreateDeploymentSet", {{"Description", ""}}));
  EXPECT_EQ(code_of(d), "InvalidDescription.Malformed");
}

TEST_F(Rpc, MissingBeforeMalformedAcrossParameters) {
  auto r = get(*emu, {{"Action", "CreateInstance"}, {"Version", "2014-05-26"}, {"RegionId", "cn-hangzhou"},
                      {"SystemDisk.Size", "abc"}, {"InstanceType", "ecs.g5.large"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code_of(r), "MissingParameter");
}

TEST_F(Rpc, TypeBeforeValueRules) {
  // DataDisk.1.Category comes first in the spec, but a type error answers first.
  auto r = get(*emu, instance({{"DataDisk.1.Category", "bogus"}, {"DataDisk.1.Size", "2,000"}}));
  EXPECT_EQ(code_of(r), code_for("ecs.CreateInstance", "DataDisk.N.Size.type"));
}

TEST_F(Rpc, ASnapshotTurnsTheSizeRangeOff) {
  // Line 150: with DataDisk.N.SnapshotId the size is ignored (when.unless), at that index only.
  EXPECT_EQ(get(*emu, instance({{"DataDisk.1.SnapshotId", "s-bp17441ohwka0yuhx3h0"}, {"DataDisk.1.Size", "3000"}})).status, 200);
  EXPECT_EQ(code_of(get(*emu, instance({{"DataDisk.2.SnapshotId", "s-bp17441ohwka0yuhx3h0"}, {"DataDisk.1.Size", "3000"}}))),
            code_for("ecs.CreateInstance", "DataDisk.N.Size.range_if"));
}

TEST_F(Rpc, LocalSsdsAddUpToAtMostOneTebibyte) {
  // Line 55: 1,024 GiB of local SSD data disks in all (DataDisk.N.Size.sum).
  auto local = [&](const std::string& second) {
    return get(*emu, instance({{"SystemDisk.Category", "ephemeral_ssd"}, {"IoOptimized", "none"},
                               {"DataDisk.1.Category", "ephemeral_ssd"}, {"DataDisk.1.Size", "800"},
                               {"DataDisk.2.Category", "ephemeral_ssd"}, {"DataDisk.2.Size", second},
                               {"DataDisk.3.Category", "cloud"}, {"DataDisk.3.Size", "2000"}}));
  };
  EXPECT_EQ(local("224").status, 200);
  auto over = local("225");
  EXPECT_EQ(over.status, 400);
  EXPECT_EQ(code_of(over), code_for("ecs.CreateInstance", "DataDisk.N.Size.sum"));
  // A disk from a snapshot has the snapshot's size (40 GiB), with no size of its own too (line 150).
  auto snap = [&](const std::string& third) {
    return get(*emu, instance({{"SystemDisk.Category", "ephemeral_ssd"}, {"IoOptimized", "none"},
                               {"DataDisk.1.Category", "ephemeral_ssd"}, {"DataDisk.1.Size", "800"},
                               {"DataDisk.2.Category", "ephemeral_ssd"}, {"DataDisk.2.SnapshotId", "s-bp17441ohwka0yuhx3h0"},
                               {"DataDisk.3.Category", "ephemeral_ssd"}, {"DataDisk.3.Size", third}}));
  };
  EXPECT_EQ(snap("184").status, 200);
  EXPECT_EQ(code_of(snap("185")), code_for("ecs.CreateInstance", "DataDisk.N.Size.sum"));
}

TEST_F(Rpc, IndexedParameters) {
  EXPECT_EQ(get(*emu, instance({{"DataDisk.3.Size", "40"}})).status, 200);
  auto zero = get(*emu, instance({{"DataDisk.0.Size", "40"}}));
  EXPECT_EQ(zero.status, 400);
  EXPECT_EQ(code_of(zero), code_for("ecs.CreateInstance", "DataDisk.N.index_max"));
  EXPECT_EQ(get(*emu, instance({{"DataDisk.17.Size", "40"}})).status, 400);
  EXPECT_EQ(get(*emu, instance({{"DataDisk.16.Size", "40"}})).status, 200);
  // Not an index spelling: an unknown parameter, ignored.
  EXPECT_EQ(get(*emu, instance({{"DataDisk.01.Size", "abc"}, {"DataDisk.x.Size", "abc"}})).status, 200);
  // Rules apply per index, and conditions bind the same index (default Category cloud: 5..2000).
  EXPECT_EQ(code_of(get(*emu, instance({{"DataDisk.2.Size", "2001"}}))), code_for("ecs.CreateInstance", "DataDisk.N.Size.range_if"));
  EXPECT_EQ(get(*emu, instance({{"DataDisk.2.Size", "2001"}, {"DataDisk.2.Category", "cloud_ssd"}})).status, 200);
}

TEST_F(Rpc, QueryTypes) {
  EXPECT_EQ(get(*emu, instance({{"DryRun", "FALSE"}})).status, 200);
  EXPECT_EQ(code_of(get(*emu, instance({{"DryRun", "yes"}}))), "InvalidDryRun.Malformed");
  EXPECT_EQ(code_of(get(*emu, instance({{"SystemDisk.Size", "40.0"}}))), "InvalidSystemDiskSize.ValueNotSupported");
}

TEST_F(Rpc, ConditionsSeeDefaults) {
  // PeriodUnit defaults to Month, so Period must be one of the month values.
  auto r = get(*emu, instance({{"InstanceChargeType", "PrePaid"}, {"Period", "10"}}));
  EXPECT_EQ(code_of(r), "InvalidPeriod");
  EXPECT_EQ(get(*emu, instance({{"InstanceChargeType", "PrePaid"}, {"Period", "10"}, {"PeriodUnit", "Week"}})).status, 200);
  EXPECT_EQ(get(*emu, instance({{"InstanceChargeType", "PrePaid"}})).status, 400);
}

TEST_F(Rpc, ConflictsAfterMalformed) {
  auto r = get(*emu, instance({{"PasswordInherit", "true"}, {"Password", "EcsV587!"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code_of(r), code_for("ecs.CreateInstance", "Password.forbidden_with"));
}

TEST_F(Rpc, DryRunAnswersDryRunOperationAndCreatesNothing) {
  auto r = get(*emu, instance({{"DryRun", "true"}, {"ClientToken", "t1"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code_of(r), "DryRunOperation");
  EXPECT_EQ(emu->state().count("ecs", "Instance"), 0u);
  // A DryRun with a broken rule gets that rule's error.
  EXPECT_EQ(code_of(get(*emu, instance({{"DryRun", "true"}, {"ImageId", "nope"}}))), "InvalidImageId.NotFound");
}

TEST_F(Rpc, JsonInQueryParameters) {
  EXPECT_EQ(get(*emu, ros({{"StackGroupName", "G1"}, {"RegionIds", R"(["cn-hangzhou", "cn-beijing"])"}})).status, 200);
  EXPECT_EQ(code_of(get(*emu, ros({{"AccountIds", "123456"}}))), "InvalidAccountIds.Malformed");
  EXPECT_EQ(code_of(get(*emu, ros({{"AccountIds", "[123456]"}}))), "InvalidAccountIds.Malformed");
  EXPECT_EQ(code_of(get(*emu, ros({{"AccountIds", "[]"}}))), "InvalidAccountIds.Malformed");
  // A NUL byte ends no JSON text (nlohmann's parser would stop there and take ["1"]).
  EXPECT_EQ(code_of(get(*emu, ros({{"AccountIds", std::string("[\"1\"]\0[", 7)}}))), "InvalidAccountIds.Malformed");
  auto both = get(*emu, ros({{"OperationPreferences", R"({"FailureToleranceCount": 1, "FailureTolerancePercentage": 5})"}}));
  EXPECT_EQ(code_of(both), "InvalidParameter");
  auto range = get(*emu, ros({{"OperationPreferences", R"({"MaxConcurrentCount": 21})"}}));
  EXPECT_EQ(code_of(range), "InvalidOperationPreferencesMaxConcurrentCount.Malformed");
}

TEST_F(Rpc, PairsPerIndex) {
  EXPECT_EQ(get(*emu, ros({{"StackGroupName", "G2"}, {"ParameterOverrides.1.ParameterKey", "A"},
                           {"ParameterOverrides.1.ParameterValue", "1"}})).status, 200);
  EXPECT_EQ(code_of(get(*emu, ros({{"ParameterOverrides.2.ParameterKey", "A"}}))), "InvalidParameter");
}

TEST_F(Rpc, StackInstancesAreUniquePerAccountAndRegion) {
  auto q = ros({{"StackGroupName", "G3"}, {"AccountIds", R"(["1","2"])"}});
  ASSERT_EQ(get(*emu, q).status, 200);
  auto again = get(*emu, ros({{"StackGroupName", "G3"}, {"AccountIds", R"(["2"])"}}));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(code_of(again), "StackInstanceExists");
  EXPECT_EQ(get(*emu, ros({{"StackGroupName", "G3"}, {"AccountIds", R"(["3"])"}})).status, 200);
  // A stack group is named within its region (line 33): G3 in cn-beijing is another group.
  EXPECT_EQ(get(*emu, ros({{"StackGroupName", "G3"}, {"RegionId", "cn-beijing"}, {"AccountIds", R"(["1"])"}})).status, 200);
}

}  // namespace
}  // namespace conform::emulator
