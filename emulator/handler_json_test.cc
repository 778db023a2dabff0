// The JSON dialects: aliyun-roa (BatchCompute) and huawei-rest (DCS).
#include <gtest/gtest.h>

#include "emulator/test_util.h"

namespace conform::emulator {
namespace {

using namespace testing;
using nlohmann::json;

class Roa : public ::testing::Test {
 protected:
  HttpResponse create(const json& body, const std::string& token = "") {
    return post(*emu, "/clusters" + (token.empty() ? "" : "?IdempotentToken=" + token), body.dump());
  }
  std::unique_ptr<Emulator> emu = make_emulator();
};

TEST_F(Roa, SuccessIs201WithIdAndRequestIdHeader) {
  auto r = create(cluster());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(body_of(r)["Id"].get<std::string>().starts_with("usr-cluster-"));
  EXPECT_FALSE(r.header("x-acs-request-id").empty());
}

TEST_F(Roa, ErrorBodyAndTransportErrors) {
  auto bad = post(*emu, "/clusters", "{not json");
  EXPECT_EQ(bad.status, 400);
  auto j = body_of(bad);
  for (const char* k : {"Code", "Message", "RequestId", "HostId"}) EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["Code"], "InvalidJsonFormat");
  EXPECT_EQ(code_of(post(*emu, "/clusters", "[1]")), "InvalidHttpBody");
  EXPECT_EQ(code_of(post(*emu, "/clusters", "")), "InvalidJsonFormat");
  HttpRequest g;
  g.method = "GET";
  g.target = "/clusters";
  EXPECT_EQ(emu->handle(g).status, 405);
  g.target = "/nowhere";
  EXPECT_EQ(emu->handle(g).status, 404);
}

// decisions.md §3: BatchCompute's body types are application/json (the default when
// the header is absent) and application/json-rpc; any other is not a JSON body.
TEST_F(Roa, ContentTypeOtherThanJsonIsInvalidJsonFormat) {
  const std::string body = cluster().dump();
  EXPECT_EQ(post(*emu, "/clusters", body, "application/json; charset=UTF-8").status, 201);
  EXPECT_EQ(post(*emu, "/clusters", body, "Application/JSON-RPC").status, 201);
  EXPECT_EQ(post(*emu, "/clusters", body, "").status, 201);
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/jsonx"}) {
    auto r = post(*emu, "/clusters", body, type);
    EXPECT_EQ(r.status, 400) << type;
    EXPECT_EQ(code_of(r), "InvalidJsonFormat") << type;
  }
  // A wrong path or method answers first; an empty body is the body's own answer.
  EXPECT_EQ(post(*emu, "/nowhere", body, "text/plain").status, 404);
  EXPECT_EQ(code_of(post(*emu, "/clusters", "[1]", "application/json-rpc")), "InvalidHttpBody");
}

TEST_F(Roa, MembersAndMapKeys) {
  auto c = cluster();
  c["Groups"]["group1"].erase("DesiredVMCount");
  EXPECT_EQ(code_of(create(c)), "MissingDesiredVMCount");
  c = cluster();
  c["Groups"]["group1"]["DesiredVMCount"] = 1.5;
  EXPECT_EQ(code_of(create(c)), "InvalidDesiredVMCount");
  c = cluster();
  c["Groups"]["group1"]["DesiredVMCount"] = 0;
  EXPECT_EQ(code_of(create(c)), "InvalidDesiredVMCount");
  c = cluster();
  c["Groups"][std::string(65, 'g')] = c["Groups"]["group1"];
  auto r = create(c);
  // A "{key}" code carries the offending key (docs/decisions.md section 2).
  EXPECT_EQ(code_of(r), "InvalidGroups." + std::string(65, 'g'));
  c = cluster();
  c["Groups"]["group1"] = "not an object";
  EXPECT_EQ(code_of(create(c)), "InvalidGroups.group1");
  c = cluster();
  c["UserData"] = {{"", "v"}};
  EXPECT_EQ(code_of(create(c)), "InvalidUserData.");
  c = cluster();
  c["UserData"] = {{"k1", 5}};
  EXPECT_EQ(code_of(create(c)), "InvalidUserData.k1.value");
  c = cluster();
  const std::string odd = std::string(129, '"') + "\n\\";
  c["UserData"] = {{odd, "v"}};  // the key lands in the code and the message, escaped
  EXPECT_EQ(code_of(create(c)), "InvalidUserData." + odd);
  c = cluster();
  c["Name"] = 7;
  EXPECT_EQ(code_of(create(c)), "InvalidName");
  c = cluster();
  c["Name"] = nullptr;  // null is absent
  EXPECT_EQ(code_of(create(c)), "MissingName");
  c = cluster();
  c["Configs"] = {{"Networks", {{"VPC", {{"CidrBlock", "10.0.0.0/40"}}}}}};
  EXPECT_EQ(code_of(create(c)), "InvalidCidrBlock");
}

TEST_F(Roa, InstanceTypeMustExist) {
  auto c = cluster();
  c["InstanceType"] = "bcs.z9.huge";
  EXPECT_EQ(code_of(create(c)), "InvalidInstanceType");
}

// A group's InstanceType names an instance type too, or is "" (the cluster's applies:
// the reference rule's `values`).
TEST_F(Roa, AGroupsInstanceTypeMustExistOrBeEmpty) {
  auto c = cluster();
  c["Groups"] = {{"g", {{"DesiredVMCount", 1}, {"ResourceType", "OnDemand"}, {"InstanceType", "bcs.z9.huge"}}}};
  EXPECT_EQ(code_of(create(c)), "InvalidInstanceType");
  c["Groups"]["g"]["InstanceType"] = "";
  EXPECT_EQ(create(c).status, 201);
  c["Groups"]["g"]["InstanceType"] = c["InstanceType"];
  EXPECT_EQ(create(c).status, 201);
}

TEST_F(Roa, IdempotentTokenReplaysOrMismatches) {
  auto first = create(cluster(), "tok1");
  ASSERT_EQ(first.status, 201);
  auto again = create(cluster(), "tok1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(body_of(again)["Id"], body_of(first)["Id"]);
  auto other = cluster();
  other["Name"] = "other";
  auto mismatch = create(other, "tok1");
  EXPECT_EQ(mismatch.status, 400);
  EXPECT_EQ(code_of(mismatch), "IdempotentTokenMismatch");
  EXPECT_NE(body_of(create(cluster(), "tok2"))["Id"], body_of(first)["Id"]);
}

TEST_F(Roa, Quotas) {
  auto c = cluster();
  c["Groups"]["group1"]["DesiredVMCount"] = 1001;
  auto vm = create(c);
  EXPECT_EQ(vm.status, 403);
  EXPECT_EQ(code_of(vm), "QuotaExhausted.MaxClusterGroupDesiredVMCount");
  c = cluster();
  for (int i = 0; i < 11; ++i) c["Groups"]["g" + std::to_string(i)] = c["Groups"]["group1"];
  EXPECT_EQ(code_of(create(c)), "QuotaExhausted.MaxClusterGroupCount");
  for (int i = 0; i < 50; ++i) ASSERT_EQ(create(cluster()).status, 201) << i;
  auto over = create(cluster());
  EXPECT_EQ(over.status, 403);
  EXPECT_EQ(code_of(over), "QuotaExhausted.MaxClusterCount");
  emu->state().reset();
  EXPECT_EQ(create(cluster()).status, 201);
}

class Huawei : public ::testing::Test {
 protected:
  HttpResponse create(const json& body) { return post(*emu, "/v1.0/p1/instances", body.dump()); }
  std::unique_ptr<Emulator> emu = make_emulator();
};

TEST_F(Huawei, SuccessEchoesTheName) {
  auto r = create(dcs());
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body_of(r);
  EXPECT_EQ(j["instances"][0]["instance_name"], "dcs-a11e");
  EXPECT_EQ(j["instances"][0]["instance_id"], j["instance_id"]);
  EXPECT_FALSE(r.header("X-Request-Id").empty());
}

TEST_F(Huawei, EveryValidationErrorIsDcs4000) {
  auto d = dcs();
  d["capacity"] = 128;  // a cluster size for a single-node product
  auto r = create(d);
  EXPECT_EQ(r.status, 400);
  auto j = body_of(r);
  EXPECT_EQ(j["error_code"], "DCS.4000");
  EXPECT_TRUE(j["error_msg"].is_string());
  d = dcs();
  d["product_id"] = "OTC_DCS_CL";
  d["capacity"] = 128;
  auto cl = create(d);
  EXPECT_EQ(cl.status, 200) << cl.body;
  EXPECT_EQ(code_of(post(*emu, "/v1.0/p1/instances", "nope")), "DCS.4000");
  EXPECT_EQ(post(*emu, "/v1.0//instances", dcs().dump()).status, 400);  // empty project_id
  auto nf = post(*emu, "/v1.0/p1/volumes", "{}");
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(code_of(nf), "APIGW.0101");
}

// decisions.md §3: a POST that came without Content-Length or chunked framing (the
// server clears `framed`) is 411 and closes; a GET and the control endpoints are not.
TEST_F(Roa, UnframedPostIs411) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/clusters";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = cluster().dump();
  r.framed = false;
  auto res = emu->handle(r);
  EXPECT_EQ(res.status, 411);
  EXPECT_TRUE(res.close);
  EXPECT_EQ(code_of(res), "LengthRequired");  // the dialect's error body (decisions.md §3)
  r.target = "/_conform/reset";
  EXPECT_EQ(emu->handle(r).status, 200);
  r.method = "GET";
  r.target = "/clusters";
  EXPECT_EQ(emu->handle(r).status, 405);
  r.method = "POST";
  r.framed = true;
  EXPECT_EQ(emu->handle(r).status, 201);
}

// decisions.md §3: Huawei's Content-Type is mandatory and application/json; a body
// declared otherwise, or not declared, is 415.
TEST_F(Huawei, BodyWithoutJsonContentTypeIs415) {
  const std::string body = dcs().dump();
  EXPECT_EQ(post(*emu, "/v1.0/p1/instances", body, "application/json;charset=utf-8").status, 200);
  for (const char* type : {"", "text/plain", "application/json-rpc"}) {
    auto r = post(*emu, "/v1.0/p1/instances", body, type);
    EXPECT_EQ(r.status, 415) << type;
    EXPECT_EQ(code_of(r), "DCS.4150") << type;
  }
  EXPECT_EQ(post(*emu, "/v1.0/p1/instances", "", "text/plain").status, 400);  // no body: malformed
}

TEST_F(Huawei, NestedRulesOnlyUnderTheirParent) {
  auto d = dcs();
  d["instance_backup_policy"] = {{"backup_type", "auto"},
                                 {"periodical_backup_plan", {{"begin_at", "00:00-01:00"}, {"period_type", "weekly"}, {"backup_at", {1, 7}}}}};
  EXPECT_EQ(create(d).status, 200);
  d["instance_backup_policy"]["backup_type"] = "manual";
  EXPECT_EQ(create(d).status, 400);  // save_days is required for manual
  d["instance_backup_policy"]["save_days"] = 3;
  EXPECT_EQ(create(d).status, 200);
  d["instance_backup_policy"]["periodical_backup_plan"]["backup_at"] = {0};
  EXPECT_EQ(create(d).status, 400);
  d = dcs();
  d["maintain_begin"] = "22:00:00";
  EXPECT_EQ(create(d).status, 400);  // without maintain_end
  d["maintain_end"] = "02:00:00";
  auto m = create(d);
  EXPECT_EQ(m.status, 200) << m.body;
  d["maintain_end"] = "03:00:00";
  EXPECT_EQ(create(d).status, 400);
}

}  // namespace
}  // namespace conform::emulator

namespace conform::emulator {
namespace {

// decisions.md §3, "HTTP level": the HTTP layer's refusals (411, 413, 414, 431)
// answer in the error body of the dialect the path routes to, and close.
TEST_F(Roa, RefusalsAnswerInTheDialectOfThePath) {
  auto r = emu->refuse(413, "/clusters?IdempotentToken=x");
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(r.close);
  EXPECT_EQ(code_of(r), "PayloadTooLarge");
  EXPECT_FALSE(r.header("x-acs-request-id").empty());
  r = emu->refuse(414, "/?Action=CreateInstance&Format=XML&Pad=aaaa");
  EXPECT_EQ(r.status, 414);
  EXPECT_NE(r.body.find("<Code>URITooLong</Code>"), std::string::npos) << r.body;
  r = emu->refuse(431, "/");
  EXPECT_EQ(body_of(r).value("Code", ""), "RequestHeaderFieldsTooLarge");
  EXPECT_FALSE(body_of(r).value("RequestId", "").empty());
  for (const char* huawei : {"/v1.0/p1/instances", "/v1.0/p1/volumes"}) {
    r = emu->refuse(413, huawei);
    EXPECT_EQ(code_of(r), "APIGW.0201") << huawei;
    EXPECT_FALSE(r.header("X-Request-Id").empty());
  }
  EXPECT_EQ(code_of(emu->refuse(414, "")), "URITooLong");  // nothing of the target known: the rpc gateway
  EXPECT_EQ(code_of(emu->refuse(413, "/nowhere")), "PayloadTooLarge");
}

}  // namespace
}  // namespace conform::emulator
