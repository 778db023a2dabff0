// The dialects' wire shape: building requests, and reading status, code, message
// and request id from JSON and XML bodies, including malformed ones.
#include "transport/dialect.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace conform::transport {
namespace {

using nlohmann::json;

spec::Spec rpc_spec() {
  spec::Spec s;
  s.op = "ecs.CreateInstance";
  s.name = "CreateInstance";
  s.version = "2014-05-26";
  s.dialect = "aliyun-rpc";
  s.path = "/";
  return s;
}

Endpoint local() { return *parse_url("http://127.0.0.1:8080"); }

HttpResponse response(int status, std::string body, std::string content_type = "application/json") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  if (!content_type.empty()) r.headers.emplace_back("Content-Type", content_type);
  return r;
}

TEST(Dialect, ParsesNames) {
  EXPECT_EQ(*parse_dialect("aliyun-rpc"), Dialect::aliyun_rpc);
  EXPECT_EQ(*parse_dialect("huawei-rest"), Dialect::huawei_rest);
  EXPECT_FALSE(parse_dialect("soap").has_value());
}

TEST(DialectRequest, RpcAddsCommonParametersOnce) {
  Case c;
  c.query = {{"RegionId", "cn-hangzhou"}, {"Version", "2099-01-01"}};
  Case full = with_common_params(c, rpc_spec(), Dialect::aliyun_rpc);
  EXPECT_EQ(*full.query_value("Action"), "CreateInstance");
  EXPECT_EQ(*full.query_value("Version"), "2099-01-01") << "the case's own value stays";
  EXPECT_EQ(*full.query_value("Format"), "JSON");
  Case again = with_common_params(full, rpc_spec(), Dialect::aliyun_rpc);
  EXPECT_EQ(again.query.size(), full.query.size());
}

TEST(DialectRequest, RpcCaseTargetingActionKeepsItAbsent) {
  Case c;
  c.target = TargetRule{"Action.required", Side::violating};
  Case full = with_common_params(c, rpc_spec(), Dialect::aliyun_rpc);
  EXPECT_EQ(full.query_value("Action"), nullptr);
  EXPECT_NE(full.query_value("Version"), nullptr);
}

TEST(DialectRequest, RpcGetCarriesQuery) {
  Case c;
  c.query = {{"Action", "CreateInstance"}, {"Description", "a b&c"}};
  HttpRequest r = build_request(c, Dialect::aliyun_rpc, local());
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/?Action=CreateInstance&Description=a%20b%26c");
  EXPECT_TRUE(r.body.empty());
}

TEST(DialectRequest, RpcPostCarriesForm) {
  Case c;
  c.method = "post";
  c.query = {{"Action", "CreateInstance"}, {"Password", "p@ss"}};
  HttpRequest r = build_request(c, Dialect::aliyun_rpc, local());
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/");
  EXPECT_EQ(r.body, "Action=CreateInstance&Password=p%40ss");
  EXPECT_EQ(*r.header("content-type"), "application/x-www-form-urlencoded");
}

TEST(DialectRequest, JsonDialectsCarryBodyAndPath) {
  Case c;
  c.method = "POST";
  c.path = "/v1.0/proj 1/instances";
  c.set_body(json{{"name", "x"}});
  HttpRequest r = build_request(c, Dialect::huawei_rest, *parse_url("http://h:1/base"));
  EXPECT_EQ(r.target, "/base/v1.0/proj%201/instances");
  EXPECT_EQ(r.body, R"({"name":"x"})");
  EXPECT_EQ(*r.header("Content-Type"), "application/json");
}

TEST(DialectRequest, RawBodyIsVerbatimAndCaseHeadersWin) {
  Case c;
  c.method = "POST";
  c.path = "/clusters";
  c.raw_body = "{not json";
  c.headers = {{"Content-Type", "text/plain"}};
  HttpRequest r = build_request(c, Dialect::aliyun_roa, local());
  EXPECT_EQ(r.body, "{not json");
  EXPECT_EQ(*r.header("Content-Type"), "text/plain");
  EXPECT_EQ(r.headers.size(), 1u);
}

// A raw body takes the body, so an aliyun-rpc POST's parameters go in the URL
// instead of being dropped (fuzz_differential: the oracle read the query's Action,
// the emulator never got it).
TEST(DialectRequest, RpcRawBodyKeepsTheParametersInTheUrl) {
  Case c;
  c.method = "POST";
  c.query = {{"Action", "CreateInstance"}, {"Version", "2014-05-26"}};
  c.raw_body = "{\"Groups\": 1}";
  HttpRequest r = build_request(c, Dialect::aliyun_rpc, local());
  EXPECT_EQ(r.target, "/?Action=CreateInstance&Version=2014-05-26");
  EXPECT_EQ(r.body, "{\"Groups\": 1}");
  EXPECT_EQ(*r.header("Content-Type"), "application/x-www-form-urlencoded");
}

// A JSON string as an aliyun-rpc case's body is its form text, sent as a raw body
// is (the oracle reads it so); an object body has no RPC wire form and is not sent.
TEST(DialectRequest, RpcStringBodyIsSentVerbatim) {
  Case c;
  c.method = "POST";
  c.query = {{"Action", "CreateDeploymentSet"}};
  c.set_body(nlohmann::json("RegionId=cn-hangzhou"));
  HttpRequest r = build_request(c, Dialect::aliyun_rpc, local());
  EXPECT_EQ(r.target, "/?Action=CreateDeploymentSet");
  EXPECT_EQ(r.body, "RegionId=cn-hangzhou");
  EXPECT_EQ(*r.header("content-type"), "application/x-www-form-urlencoded");
  c.set_body(nlohmann::json{{"RegionId", "cn-hangzhou"}});
  r = build_request(c, Dialect::aliyun_rpc, local());
  EXPECT_EQ(r.target, "/");
  EXPECT_EQ(r.body, "Action=CreateDeploymentSet");
}

TEST(DialectReply, RpcJsonError) {
  Reply r = read_reply(Dialect::aliyun_rpc,
                       response(400, R"({"RequestId":"R1","HostId":"ecs","Code":"MissingParameter","Message":"m","Recommend":"x"})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.format, Reply::Format::json);
  EXPECT_EQ(r.code, "MissingParameter");
  EXPECT_EQ(r.message, "m");
  EXPECT_EQ(r.request_id, "R1");
  EXPECT_TRUE(r.parse_error.empty());
}

// A hostile megabyte code is cut where it is read: every finding and report line
// about the exchange copies it (a 7 MiB one made a 147 MB JUnit file).
TEST(DialectReply, AHugeCodeIsCut) {
  Reply r = read_reply(Dialect::aliyun_rpc, response(400, R"({"RequestId":"R1","Code":")" + std::string(1 << 20, 'C') + R"("})"));
  EXPECT_LT(r.code.size(), 1200u);
  EXPECT_NE(r.code.find("a code of 1048576 bytes, cut"), std::string::npos) << r.code.substr(1000);
  // A long code still matches the code it is (a code made of a long request value:
  // InvalidGroups.<a 1,751-byte key>, found by fuzz_differential), and no other.
  EXPECT_TRUE(code_is(r, std::string(1 << 20, 'C')));
  EXPECT_FALSE(code_is(r, std::string((1 << 20) - 1, 'C')));
  EXPECT_FALSE(code_is(r, std::string(1 << 20, 'C') + "D"));
  EXPECT_FALSE(code_is(r, r.code));
  Reply small = read_reply(Dialect::aliyun_rpc, response(400, R"({"RequestId":"R1","Code":"Bad.Value"})"));
  EXPECT_TRUE(code_is(small, "Bad.Value"));
  EXPECT_FALSE(code_is(small, "Bad"));
}

TEST(DialectReply, RpcXmlErrorAndSuccess) {
  Reply e = read_reply(Dialect::aliyun_rpc,
                       response(403, "<?xml version=\"1.0\"?><Error><RequestId>R2</RequestId><Code>Forbidden.RAM</Code>"
                                     "<Message>no</Message></Error>",
                                "text/xml"));
  EXPECT_EQ(e.format, Reply::Format::xml);
  EXPECT_EQ(e.xml_root, "Error");
  EXPECT_EQ(e.code, "Forbidden.RAM");
  EXPECT_EQ(e.request_id, "R2");
  Reply s = read_reply(Dialect::aliyun_rpc,
                       response(200, "<CreateInstanceResponse><RequestId>R3</RequestId><InstanceId>i-1</InstanceId>"
                                     "<Ids><Id>a</Id><Id>b</Id></Ids></CreateInstanceResponse>", ""));
  EXPECT_EQ(s.format, Reply::Format::xml) << "sniffed without a content type";
  EXPECT_EQ(s.code, "");
  EXPECT_EQ((*s.body)["InstanceId"], "i-1");
  EXPECT_EQ((*s.body)["Ids"]["Id"], json::array({"a", "b"}));
}

TEST(DialectReply, MalformedBodiesGiveParseErrorsNotCrashes) {
  Reply j = read_reply(Dialect::aliyun_rpc, response(400, R"({"Code": "Inva)"));
  EXPECT_EQ(j.format, Reply::Format::json);
  EXPECT_FALSE(j.parse_error.empty());
  EXPECT_EQ(j.body, nullptr);
  Reply x = read_reply(Dialect::aliyun_rpc, response(400, "<Error><Code>X</Error>", "application/xml"));
  EXPECT_FALSE(x.parse_error.empty());
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "<a>";
  for (int i = 0; i < 200; ++i) deep += "</a>";
  Reply d = read_reply(Dialect::aliyun_rpc, response(200, deep, "text/xml"));
  EXPECT_NE(d.parse_error.find("deeper"), std::string::npos);
  Reply o = read_reply(Dialect::aliyun_rpc, response(502, "Bad Gateway", "text/plain"));
  EXPECT_EQ(o.format, Reply::Format::other);
  // A web server's own HTML error page starts with '<' and is still no XML.
  Reply h = read_reply(Dialect::aliyun_rpc, response(414, "<!DOCTYPE HTML>\n<html><body><p>Error code: 414</p></body></html>",
                                                     "text/html;charset=utf-8"));
  EXPECT_EQ(h.format, Reply::Format::other);
  EXPECT_TRUE(h.parse_error.empty());
  EXPECT_TRUE(o.code.empty());
}

TEST(DialectReply, RoaTakesRequestIdFromHeaderWhenBodyHasNone) {
  HttpResponse res = response(201, R"({"Id":"cls-1"})");
  res.headers.emplace_back("x-acs-request-id", "H1");
  Reply r = read_reply(Dialect::aliyun_roa, res);
  EXPECT_EQ(r.request_id, "H1");
  EXPECT_TRUE(r.code.empty());
  Reply e = read_reply(Dialect::aliyun_roa, response(400, R"({"Code":"InvalidJsonFormat","Message":"m","RequestId":"B1"})"));
  EXPECT_EQ(e.code, "InvalidJsonFormat");
  EXPECT_EQ(e.request_id, "B1");
}

TEST(DialectReply, HuaweiCodeIsErrorCode) {
  Reply r = read_reply(Dialect::huawei_rest, response(400, R"({"error_code":"DCS.4000","error_msg":"bad"})"));
  EXPECT_EQ(r.code, "DCS.4000");
  EXPECT_EQ(r.message, "bad");
  EXPECT_FALSE(has_request_id(Dialect::huawei_rest));
  Reply n = read_reply(Dialect::huawei_rest, response(400, R"({"error_code":4000})"));
  EXPECT_EQ(n.code, "4000") << "a numeric code is read as text";
}

TEST(DialectReply, EmptyBody) {
  Reply r = read_reply(Dialect::aliyun_roa, response(204, "", ""));
  EXPECT_EQ(r.format, Reply::Format::empty);
  EXPECT_TRUE(r.parse_error.empty());
}

TEST(DialectReply, MediaTypeInAnyCase) {
  EXPECT_TRUE(contains_ci("application/JSON;charset=utf-8", "json"));
  EXPECT_TRUE(contains_ci("text/Xml", "xml"));
  EXPECT_TRUE(contains_ci("json", "json"));
  EXPECT_FALSE(contains_ci("application/jso", "json"));
  EXPECT_FALSE(contains_ci("", "json"));
  EXPECT_TRUE(contains_ci("anything", ""));
  HttpResponse r{200, "OK", {{"Content-Type", "Application/Problem+JSON"}}, R"({"Code":"X"})"};
  EXPECT_EQ(read_reply(Dialect::aliyun_roa, r).format, Reply::Format::json);
}

}  // namespace
}  // namespace conform::transport
