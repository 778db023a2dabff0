#include "oracles/predict.h"

#include <algorithm>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

#include "core/test_paths.h"
#include "spec/loader.h"

namespace conform::oracle {
namespace {

using nlohmann::json;

const Model& model() {
  static const Model m = [] {
    auto specs = spec::load_specs(CONFORM_SOURCE_DIR + "/specs");
    auto fixtures = load_fixtures(CONFORM_SOURCE_DIR + "/fixtures/default.json");
    if (!specs || !fixtures) std::abort();
    return Model(std::move(*specs), std::move(*fixtures));
  }();
  return m;
}

Case rpc(const std::string& op, Pairs query) {
  Case c;
  c.op = op;
  c.query = std::move(query);
  return c;
}

Case instance(Pairs extra) {
  Pairs q = {{"Action", "CreateInstance"}, {"Version", "2014-05-26"}, {"RegionId", "cn-hangzhou"},
             {"ImageId", "ubuntu_18_04_64_20G_alibase_20190624.vhd"}, {"InstanceType", "ecs.g5.large"}};
  for (auto& p : extra) q.push_back(p);
  return rpc("ecs.CreateInstance", q);
}

TEST(Predict, MinimalCreateInstanceSucceeds) {
  Expectation e = predict(instance({}), model());
  EXPECT_TRUE(e.success()) << e.rule;
  EXPECT_EQ(e.status, 200);
}

TEST(Predict, MissingBeforeMalformed) {
  Case c = instance({{"InstanceName", "1bad"}});
  c.query.erase(c.query.begin() + 3);  // ImageId
  Expectation e = predict(c, model());
  EXPECT_EQ(e.rule, "ImageId.required");
  EXPECT_EQ(e.status, 400);
  // The order is ours, not the docs': InstanceName's answer is acceptable too.
  EXPECT_EQ(e.also, std::vector<std::string>{"InstanceName.first_char"});
  for (const char* code : {"MissingParameter", "InvalidInstanceName.Malformed"})
    EXPECT_NE(std::find(e.codes.begin(), e.codes.end(), code), e.codes.end()) << code;
}

// A case goes out as its labelled operation's dialect sends it, wherever its path
// takes it (decisions.md section 3, "Routing"; transport build_request).
TEST(Predict, ARoutedCaseIsReadAsItsLabelSendsIt) {
  const json dcs_body = {{"name", "dcs-a1"},       {"engine", "Redis"},          {"engine_version", "3.0"},
                         {"capacity", 2},          {"password", "Abcdef12!"},    {"vpc_id", "v"},
                         {"security_group_id", "s"}, {"subnet_id", "n"},         {"available_zones", {"z"}},
                         {"product_id", "OTC_DCS_SINGLE"}};
  Case c;
  c.method = "POST";
  c.path = "/v1.0/p1/instances";
  c.set_body(dcs_body);
  c.op = "dcs.CreateInstance";
  EXPECT_EQ(predict(c, model()).status, 200);
  // Labelled aliyun-rpc: the JSON object is not sent; the form body is the query.
  c.op = "ecs.CreateInstance";
  EXPECT_EQ(predict(c, model()).status, 400);  // no query: an empty body, no JSON
  c.query = {{"Action", "CreateInstance"}};
  EXPECT_EQ(predict(c, model()).status, 415);  // a form body where DCS takes JSON
  // Its body text, sent verbatim with the form media type unless the case sets one.
  c.query.clear();
  c.set_body(json(dcs_body.dump()));
  EXPECT_EQ(predict(c, model()).status, 415);
  c.headers = {{"Content-Type", "application/json"}};
  EXPECT_EQ(predict(c, model()).status, 200);
  // Labelled with a JSON dialect on "/": a body goes as JSON, so it is no form.
  Case r = rpc("dcs.CreateInstance", {});
  r.method = "POST";
  r.set_body(json("Action=CreateDeploymentSet&Version=2014-05-26&RegionId=cn-hangzhou"));
  EXPECT_EQ(predict(r, model()).status, 400);  // no Action: the body was no form
  r.op = "ecs.CreateDeploymentSet";
  EXPECT_EQ(predict(r, model()).status, 200);  // an aliyun-rpc string body is its form
}

TEST(Predict, RivalsWidenTheCodesOrTheConfidence) {
  // One fault: nothing else to take (IoOptimized=none: an absent one counts as
  // optimized, line 249, and the enum_if of line 54 would be a second fault).
  Expectation one = predict(instance({{"IoOptimized", "none"}, {"SystemDisk.Category", "CLOUD"}}), model());
  EXPECT_EQ(one.rule, "SystemDisk.Category.enum");
  EXPECT_TRUE(one.also.empty());
  EXPECT_EQ(one.confidence, spec::Confidence::documented);
  // CLOUD also breaks the optimized-instance enum_ifs (line 54; its ESSD half, .2),
  // whose status is 403: one prediction cannot hold both statuses, so it is inferred.
  Expectation two = predict(instance({{"IoOptimized", "optimized"}, {"SystemDisk.Category", "CLOUD"}}), model());
  EXPECT_EQ(two.rule, "SystemDisk.Category.enum");
  EXPECT_EQ(two.status, 400);
  EXPECT_EQ(two.also, (std::vector<std::string>{"SystemDisk.Category.enum_if", "SystemDisk.Category.enum_if.2"}));
  EXPECT_EQ(two.confidence, spec::Confidence::inferred);
  EXPECT_EQ(two.codes, std::vector<std::string>{"InvalidSystemDiskCategory.ValueNotSupported"});
  // A missing VSwitch is no rival to the security group's VPC match: that match
  // cannot be read first.
  Expectation ref = predict(instance({{"VSwitchId", "vsw-nope"}, {"SecurityGroupId", "sg-bp15ed6xe1yxeycg7ov3"}}), model());
  EXPECT_EQ(ref.rule, "VSwitchId.reference");
  EXPECT_TRUE(ref.also.empty());
  EXPECT_EQ(ref.confidence, spec::Confidence::documented);
  // Two missing resources of one status: either code.
  Expectation both = predict(instance({{"VSwitchId", "vsw-nope"}, {"SecurityGroupId", "sg-nope"}}), model());
  EXPECT_EQ(both.status, 404);
  EXPECT_EQ(both.codes.size(), 2u);
  EXPECT_EQ(both.confidence, spec::Confidence::documented);
  EXPECT_EQ(both.also.size(), 1u);
}

TEST(Predict, FirstDuplicateCountsAndEmptyIsMissing) {
  EXPECT_EQ(predict(instance({{"InstanceName", "ok-name"}, {"InstanceName", "1bad"}}), model()).rule, "");
  EXPECT_EQ(predict(instance({{"InstanceName", "1bad"}, {"InstanceName", "ok-name"}}), model()).rule,
            "InstanceName.first_char");
  Case c = instance({});
  c.query[3].second = "";
  EXPECT_EQ(predict(c, model()).rule, "ImageId.required");
}

TEST(Predict, IndexedParameters) {
  EXPECT_TRUE(predict(instance({{"DataDisk.16.Size", "40"}}), model()).success());
  EXPECT_EQ(predict(instance({{"DataDisk.17.Size", "40"}}), model()).rule, "DataDisk.N.index_max");
  // Index 0 exceeds no number of disks: its own, inferred rule (decisions.md, line 139).
  EXPECT_EQ(predict(instance({{"DataDisk.0.Size", "40"}}), model()).rule, "DataDisk.N.index_max.2");
  EXPECT_TRUE(predict(instance({{"DataDisk.01.Size", "4"}}), model()).success());  // unknown: ignored
  // cloud (the default category) takes 5-2000; cloud_ssd 20-32768.
  EXPECT_EQ(predict(instance({{"DataDisk.2.Size", "4"}}), model()).rule, "DataDisk.N.Size.range_if");
  EXPECT_TRUE(predict(instance({{"DataDisk.2.Size", "4000"}, {"DataDisk.2.Category", "cloud_ssd"}}), model()).success());
  EXPECT_EQ(predict(instance({{"DataDisk.2.Size", "4000"}, {"DataDisk.3.Category", "cloud_ssd"}}), model()).rule,
            "DataDisk.N.Size.range_if");
  EXPECT_EQ(predict(instance({{"DataDisk.2.Size", "2,000"}}), model()).rule, "DataDisk.N.Size.type");
}

TEST(Predict, DialectPhaseAnswersFirst) {
  Case c = instance({});
  c.query[0].second = "createinstance";
  EXPECT_EQ(predict(c, model()).status, 404);
  c = instance({});
  c.query[1].second = "2099-01-01";
  EXPECT_EQ(predict(c, model()).codes, std::vector<std::string>{"InvalidVersion"});
  c = instance({});
  c.method = "PUT";
  EXPECT_EQ(predict(c, model()).status, 405);
}

TEST(Predict, FormPostAndDryRun) {
  Case c;
  c.op = "ecs.CreateInstance";
  c.method = "POST";
  c.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  c.raw_body =
      "Action=CreateInstance&Version=2014-05-26&RegionId=cn-hangzhou&ImageId=ubuntu_18_04_64_20G_alibase_20190624.vhd"
      "&InstanceType=ecs.g5.large&DryRun=TRUE";
  Expectation e = predict(c, model());
  EXPECT_EQ(e.codes, std::vector<std::string>{"DryRunOperation"});
}

TEST(Predict, ADocThatReadsTwoWaysIsAmbiguous) {
  // Line 54 refuses an ESSD system disk on an optimized instance; lines 166 and 328
  // offer one: predicted refused, ambiguous. A basic disk there is plainly refused.
  Expectation essd = predict(instance({{"SystemDisk.Category", "cloud_essd"}}), model());
  EXPECT_EQ(essd.rule, "SystemDisk.Category.enum_if.2");
  EXPECT_EQ(essd.status, 403);
  EXPECT_EQ(essd.confidence, spec::Confidence::ambiguous);
  Expectation cloud = predict(instance({{"SystemDisk.Category", "cloud"}}), model());
  EXPECT_EQ(cloud.rule, "SystemDisk.Category.enum_if");
  EXPECT_EQ(cloud.confidence, spec::Confidence::documented);
  // Row 492's message against its Meaning; a second billing mode the doc does not name.
  EXPECT_EQ(predict(instance({{"KeyPairName", "Instancetest"}, {"IoOptimized", "none"}}), model()).confidence,
            spec::Confidence::ambiguous);
  EXPECT_EQ(predict(instance({{"InternetChargeType", "PayByBandwidth"}}), model()).confidence,
            spec::Confidence::ambiguous);
  // Row 476 is one answer to an index past 16, not the answer.
  Expectation past = predict(instance({{"DataDisk.17.Size", "40"}}), model());
  EXPECT_EQ(past.rule, "DataDisk.N.index_max");
  EXPECT_EQ(past.confidence, spec::Confidence::inferred);
  EXPECT_EQ(past.codes.size(), 5u);
}

TEST(Predict, ASnapshotTurnsTheSizeRangeOff) {
  // Line 150: "When DataDisk.N.SnapshotId is specified, the value of DataDisk.N.Size is ignored."
  EXPECT_EQ(predict(instance({{"DataDisk.1.SnapshotId", "s-bp17441ohwka0yuhx3h0"}, {"DataDisk.1.Size", "3000"}}), model()).status, 200);
  EXPECT_EQ(predict(instance({{"DataDisk.2.SnapshotId", "s-bp17441ohwka0yuhx3h0"}, {"DataDisk.1.Size", "3000"}}), model()).rule,
            "DataDisk.N.Size.range_if");
}

// Line 55: local SSDs at most 1,024 GiB in all (a sum rule over DataDisk.N.Size
// where DataDisk.N.Category is ephemeral_ssd), which a local SSD system disk on a
// non-optimized instance allows at all (lines 54-55).
TEST(Predict, LocalSsdsAddUpToAtMostOneTebibyte) {
  auto plus = [](Pairs q, const Pairs& more) {
    q.insert(q.end(), more.begin(), more.end());
    return q;
  };
  auto local = [&](const Pairs& disks) {
    return predict(instance(plus({{"SystemDisk.Category", "ephemeral_ssd"}, {"IoOptimized", "none"}}, disks)), model());
  };
  const Pairs two = {{"DataDisk.1.Category", "ephemeral_ssd"}, {"DataDisk.1.Size", "800"},
                     {"DataDisk.3.Category", "ephemeral_ssd"}};
  EXPECT_EQ(local(plus(two, {{"DataDisk.3.Size", "224"}})).status, 200);
  Expectation over = local(plus(two, {{"DataDisk.3.Size", "225"}}));
  EXPECT_EQ(over.status, 400);
  EXPECT_EQ(over.rule, "DataDisk.N.Size.sum");
  EXPECT_EQ(over.confidence, spec::Confidence::inferred);
  EXPECT_EQ(over.codes, (std::vector<std::string>{"InstanceDiskCategoryLimitExceed", "InvalidDataDiskSize.ValueNotSupported"}));
  // Another category adds nothing; nor does an index whose category is another.
  EXPECT_EQ(local({{"DataDisk.1.Category", "ephemeral_ssd"}, {"DataDisk.1.Size", "800"}, {"DataDisk.3.Category", "cloud"},
                   {"DataDisk.3.Size", "1999"}}).status,
            200);
  EXPECT_EQ(local(plus(two, {{"DataDisk.3.Size", "200"}, {"DataDisk.2.Size", "500"}})).status, 200);
  // A disk made from a snapshot has the snapshot's size (40 GiB), given a size or not (line 150).
  const Pairs snap = {{"DataDisk.1.Category", "ephemeral_ssd"}, {"DataDisk.1.Size", "800"},
                      {"DataDisk.2.Category", "ephemeral_ssd"}, {"DataDisk.2.SnapshotId", "s-bp17441ohwka0yuhx3h0"},
                      {"DataDisk.3.Category", "ephemeral_ssd"}};
  EXPECT_EQ(local(plus(snap, {{"DataDisk.3.Size", "184"}})).status, 200);
  EXPECT_EQ(local(plus(snap, {{"DataDisk.3.Size", "185"}})).rule, "DataDisk.N.Size.sum");
  EXPECT_EQ(local(plus(snap, {{"DataDisk.3.Size", "184"}, {"DataDisk.2.Size", "700"}})).status, 200);
  // A size that is no number is its type rule's, not the sum's.
  EXPECT_EQ(local(plus(two, {{"DataDisk.3.Size", "2x"}})).rule, "DataDisk.N.Size.type");
}

TEST(Predict, StateRulesReadTheFixtures) {
  EXPECT_EQ(predict(instance({{"KeyPairName", "nope"}}), model()).rule, "KeyPairName.reference");
  EXPECT_EQ(predict(instance({{"SystemDisk.Size", "20"}, {"ImageId", "x"}}), model()).rule, "");  // dup ImageId
  Case win = instance({{"SystemDisk.Size", "20"}});
  win.query[3].second = "win2008r2_64_ent_sp1_en-us_40G_alibase_20170915.vhd";
  EXPECT_EQ(predict(win, model()).rule, "SystemDisk.Size.at_least_ref");
  EXPECT_EQ(predict(instance({{"VSwitchId", "vsw-bp1s5fnvk4gn2tws03ziX"}, {"PrivateIpAddress", "172.16.237.1"}}),
                    model()).rule,
            "PrivateIpAddress.ref_match");
  EXPECT_TRUE(predict(instance({{"VSwitchId", "vsw-bp1s5fnvk4gn2tws03ziX"}, {"PrivateIpAddress", "172.16.236.1"}}),
                      model()).success());
}

// Lines 27-28: a security group in a VPC (its fixture records a vpc_id) makes a
// VPC-type instance, which needs a VSwitch; a classic group (no vpc_id) does not. The
// doc also allows the default VPC (rows 527, 533): ambiguous (decisions.md).
TEST(Predict, SecurityGroupInAVpcRequiresAVSwitch) {
  Expectation vpc = predict(instance({{"SecurityGroupId", "sg-bp15ed6xe1yxeycg7ov3"}}), model());
  EXPECT_EQ(vpc.rule, "SecurityGroupId.requires");
  EXPECT_EQ(vpc.status, 400);
  EXPECT_EQ(vpc.confidence, spec::Confidence::ambiguous);
  for (const char* code : {"MissingParameter", "InvalidVSwitchId.Necessary", "InvalidSecurityGroup.NotInDefaultVpc"})
    EXPECT_NE(std::find(vpc.codes.begin(), vpc.codes.end(), code), vpc.codes.end()) << code;
  EXPECT_TRUE(predict(instance({{"SecurityGroupId", "sg-bp15ed6xe1yxeycg7ov3"}, {"VSwitchId", "vsw-bp1s5fnvk4gn2tws03ziX"}}),
                      model())
                  .success());
  EXPECT_TRUE(predict(instance({{"SecurityGroupId", "sg-c0003e8b9"}}), model()).success());
  // A group that does not exist records nothing: the reference rule answers.
  EXPECT_EQ(predict(instance({{"SecurityGroupId", "sg-nope"}}), model()).rule, "SecurityGroupId.reference");
}

TEST(Predict, BodiesOfRoaAndHuawei) {
  Case c;
  c.op = "batchcompute.CreateCluster";
  c.method = "POST";
  c.path = "/clusters";
  c.raw_body = "{not json";
  EXPECT_EQ(predict(c, model()).codes, std::vector<std::string>{"InvalidJsonFormat"});
  c.raw_body = "[]";
  EXPECT_EQ(predict(c, model()).codes, std::vector<std::string>{"InvalidHttpBody"});
  c.raw_body.reset();
  c.set_body(json::parse(R"({"Name": "c1", "ImageId": "m-2309yqb5n", "InstanceType": "bcs.a2.large",
      "Groups": {"g1": {"DesiredVMCount": 1, "ResourceType": "OnDemand", "InstanceType": "bcs.a2.large"}},
      "UserData": {"": "v"}})"));
  Expectation e = predict(c, model());
  EXPECT_EQ(e.rule, "UserData.{key}.length");
  // The service fills in the offending key (decisions.md section 2): only that spelling.
  EXPECT_EQ(e.codes, std::vector<std::string>{"InvalidUserData."});
  c.set_body(json::parse(R"({"Name": "c1", "ImageId": "m-2309yqb5n", "InstanceType": "bcs.a2.large",
      "Groups": {"g1": "not an object"}})"));
  EXPECT_EQ(predict(c, model()).codes, std::vector<std::string>{"InvalidGroups.g1"});
  c.set_body(json::parse(R"({"Name": "c1", "ImageId": "m-2309yqb5n", "InstanceType": "bcs.a2.large",
      "Groups": {"g1": {"DesiredVMCount": 1, "ResourceType": "OnDemand"}}, "UserData": {"k1": 5}})"));
  EXPECT_EQ(predict(c, model()).codes, std::vector<std::string>{"InvalidUserData.k1.value"});
  // A group's InstanceType: an instance type BatchCompute offers, or "" (the
  // cluster's applies: a `values` entry of the reference rule names nothing).
  for (const char* type : {"", "bcs.a2.large", "bcs.z9.huge"}) {
    json body = json::parse(R"({"Name": "c1", "ImageId": "m-2309yqb5n", "InstanceType": "bcs.a2.large",
        "Groups": {"g1": {"DesiredVMCount": 1, "ResourceType": "OnDemand"}}})");
    body["Groups"]["g1"]["InstanceType"] = type;
    c.set_body(body);
    e = predict(c, model());
    if (std::string(type) == "bcs.z9.huge") {
      EXPECT_EQ(e.rule, "Groups.{key}.InstanceType.reference");
      EXPECT_EQ(e.codes, std::vector<std::string>{"InvalidInstanceType"});
    } else {
      EXPECT_TRUE(e.success()) << type << ": " << e.rule;
    }
  }
}

// decisions.md section 3: the body's declared media type in the JSON dialects, and
// a POST sent without Content-Length (a header the case sets to "").
TEST(Predict, ContentTypeAndLengthRequired) {
  Case c;
  c.op = "batchcompute.CreateCluster";
  c.method = "POST";
  c.path = "/clusters";
  c.set_body(json::parse(R"({"Name": "c1", "ImageId": "m-2309yqb5n", "InstanceType": "bcs.a2.large",
      "Groups": {"g1": {"DesiredVMCount": 1, "ResourceType": "OnDemand"}}})"));
  EXPECT_TRUE(predict(c, model()).success());
  for (const char* ok : {"", "application/json; charset=UTF-8", "application/JSON-rpc"}) {
    c.headers = {{"Content-Type", ok}};
    EXPECT_TRUE(predict(c, model()).success()) << ok;
  }
  c.headers = {{"Content-Type", "text/plain"}};
  Expectation e = predict(c, model());
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.codes, std::vector<std::string>{"InvalidJsonFormat"});
  c.headers = {{"Content-Length", ""}};
  EXPECT_EQ(predict(c, model()).status, 411);
  c.headers = {{"Content-Length", ""}, {"Transfer-Encoding", "chunked"}};
  EXPECT_TRUE(predict(c, model()).success());

  Case d;
  d.op = "dcs.CreateInstance";
  d.method = "POST";
  d.path = "/v1.0/p1/instances";
  d.set_body(json::parse(R"({"name": "dcs-a11e", "engine": "Redis", "engine_version": "3.0", "capacity": 2,
      "password": "Abcdef12!", "vpc_id": "v", "security_group_id": "s", "subnet_id": "n",
      "available_zones": ["z"], "product_id": "OTC_DCS_SINGLE"})"));
  EXPECT_TRUE(predict(d, model()).success());
  for (const char* bad : {"", "text/plain", "application/json-rpc"}) {
    d.headers = {{"Content-Type", bad}};
    EXPECT_EQ(predict(d, model()).status, 415) << bad;
  }
  d.headers = {{"Content-Type", "text/plain"}};
  d.body.reset();
  EXPECT_EQ(predict(d, model()).status, 400);  // no body: the malformed-body answer
}

TEST(Predict, IdempotencyAndQuotaAcrossSteps) {
  Model m = model();
  Case a = rpc("ecs.CreateDeploymentSet", {{"Action", "CreateDeploymentSet"}, {"Version", "2014-05-26"},
                                           {"RegionId", "cn-hangzhou"}, {"ClientToken", "t1"}});
  EXPECT_TRUE(step(a, m).success());
  EXPECT_TRUE(step(a, m).success());
  Case b = a;
  b.query.push_back({"Description", "other"});
  EXPECT_EQ(step(b, m).rule, "ClientToken.idempotency");
  Case ref = instance({{"DeploymentSetId", "${0.DeploymentSetId}"}});
  EXPECT_TRUE(step(ref, m).success());
  Case missing = instance({{"DeploymentSetId", "${2.DeploymentSetId}"}});
  EXPECT_EQ(step(missing, m).rule, "DeploymentSetId.reference");
}

// step_after() with predict()'s answer on the same state is step(): the same
// answers and the same state after, successes, refusals and replays alike.
TEST(Predict, StepAfterAPredictionIsStep) {
  Model a = model();
  Model b = model();
  Case token = rpc("ecs.CreateDeploymentSet", {{"Action", "CreateDeploymentSet"}, {"Version", "2014-05-26"},
                                               {"RegionId", "cn-hangzhou"}, {"ClientToken", "t1"}});
  Case other = token;
  other.query.push_back({"Description", "other"});
  std::vector<Case> cases = {token, token, other, instance({{"DeploymentSetId", "${0.DeploymentSetId}"}}),
                             instance({{"DeploymentSetId", "${2.DeploymentSetId}"}}), instance({}),
                             rpc("ecs.CreateInstance", {{"Action", "CreateInstance"}}), rpc("no.Such", {})};
  for (const Case& c : cases) {
    json x, y;
    to_json(x, step(c, a));
    to_json(y, step_after(c, b, predict(c, b)));
    EXPECT_EQ(x, y);
  }
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.created.size(), b.created.size());
  EXPECT_EQ(a.tokens.size(), b.tokens.size());
  EXPECT_EQ(a.unique_keys, b.unique_keys);
  EXPECT_EQ(a.creates, b.creates);
}

// Total: whatever JSON a case file holds, predict answers and does not throw.
RC_GTEST_PROP(Predict, TotalOnAnyQuery, (const std::string& name, const std::string& value, const std::string& body)) {
  for (const char* op : {"ecs.CreateInstance", "ros.CreateStackInstances", "batchcompute.CreateCluster", "dcs.CreateInstance"}) {
    Case c = instance({{name, value}, {"OperationPreferences", value}, {"AccountIds", body}});
    c.op = op;
    c.raw_body = body;
    predict(c, model());
    c.raw_body.reset();
    c.set_body(json::parse(body, nullptr, false).is_discarded() ? json(body) : json::parse(body, nullptr, false));
    predict(c, model());
  }
}

}  // namespace
}  // namespace conform::oracle
