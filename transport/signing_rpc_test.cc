// Alibaba Cloud RPC signature (HMAC-SHA1, SignatureVersion 1.0) against published
// vectors, and the rules of transport/signing.h for aliyun-rpc.
#include <gtest/gtest.h>

#include "transport/signing.h"
#include "transport/signing_canon.h"
#include "transport/signing_crypto.h"
#include "transport/url.h"

namespace conform::transport {
namespace {

using namespace std::chrono;

canon::Params params_of(std::initializer_list<std::pair<const char*, const char*>> list) {
  canon::Params out;
  for (const auto& [k, v] : list) out.push_back({k, v, true});
  return out;
}

std::string rpc_signature(const canon::Params& params, std::string_view method, const std::string& secret) {
  return crypto::base64(crypto::hmac_sha1(secret + "&", canon::rpc_string_to_sign(method, params)));
}

// 2016-02-23T12:46:24Z, the time of Alibaba's DescribeRegions example.
SigningContext doc_context() {
  SigningContext ctx;
  ctx.time = sys_days{year{2016} / 2 / 23} + hours{12} + minutes{46} + seconds{24};
  ctx.nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";
  ctx.host = "ecs.aliyuncs.com";
  return ctx;
}

Credentials doc_credentials() { return Credentials{"testid", "testsecret", "", ""}; }

// Every parameter of the signed request (query and form), decoded.
canon::Params sent_params(const HttpRequest& r) {
  canon::Params p = canon::parse_params(canon::split_target(r.target).query, true);
  if (r.method == "POST") {
    canon::Params body = canon::parse_params(r.body, true);
    p.insert(p.end(), body.begin(), body.end());
  }
  return p;
}

std::vector<std::string> values_of(const canon::Params& params, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& p : params) {
    if (p.name == name) out.push_back(p.value);
  }
  return out;
}

// Recomputes the signature of a signed request from what it carries.
void expect_verifies(const HttpRequest& r, const std::string& secret) {
  canon::Params all = sent_params(r);
  std::vector<std::string> sig = values_of(all, "Signature");
  ASSERT_EQ(sig.size(), 1u);
  canon::Params rest;
  for (const auto& p : all) {
    if (p.name != "Signature") rest.push_back(p);
  }
  EXPECT_EQ(sig[0], rpc_signature(rest, r.method, secret));
}

// The doc's DescribeRegions parameters, in the doc's order; the two versions of
// the doc spell the time parameter differently.
canon::Params doc_params(const char* timestamp_name) {
  return params_of({{timestamp_name, "2016-02-23T12:46:24Z"},
                    {"Format", "XML"},
                    {"AccessKeyId", "testid"},
                    {"Action", "DescribeRegions"},
                    {"SignatureMethod", "HMAC-SHA1"},
                    {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
                    {"Version", "2014-05-26"},
                    {"SignatureVersion", "1.0"}});
}

// Published vector: Alibaba Cloud, "Request syntax and signature method V2 for RPC
// APIs", https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism
// (also help.aliyun.com/document_detail/315526.html): DescribeRegions with
// AccessKeyId testid, AccessKeySecret testsecret; the doc gives this string to
// sign and the signature OLeaidS1JvxuMvnyHOwuJ+uX5qY=.
TEST(RpcSignature, DocDescribeRegionsVector) {
  canon::Params p = doc_params("Timestamp");
  EXPECT_EQ(canon::rpc_string_to_sign("GET", p),
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
            "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
            "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
  EXPECT_EQ(rpc_signature(p, "GET", "testsecret"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

// Published vector: the older ECS "签名机制" example of the same request, with the
// parameter spelled TimeStamp (https://developer.aliyun.com/ask/210168, and the
// Signature=CT9X0VtwR86fNWSnsc6v8YGOjuE%3D in the URL of the current doc's
// overview): the spelling moves it after SignatureVersion and changes the value.
TEST(RpcSignature, DocOldEcsTimeStampVector) {
  EXPECT_EQ(rpc_signature(doc_params("TimeStamp"), "GET", "testsecret"), "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
}

// Published vector: Alibaba Cloud SMS, "HTTP协议及签名"
// (https://help.aliyun.com/document_detail/101343.html): SendSms with a Chinese
// SignName (UTF-8 percent-encoding) and JSON in TemplateParam, AccessKeyId testId,
// secret testSecret, signature zJDF+Lrzhj/ThnlvIToysFRq6t4=.
TEST(RpcSignature, DocSendSmsUtf8Vector) {
  canon::Params p = params_of({{"AccessKeyId", "testId"},
                               {"Action", "SendSms"},
                               {"Format", "XML"},
                               {"OutId", "123"},
                               {"PhoneNumbers", "15300000001"},
                               {"RegionId", "cn-hangzhou"},
                               {"SignName", "\xE9\x98\xBF\xE9\x87\x8C\xE4\xBA\x91\xE7\x9F\xAD\xE4\xBF\xA1\xE6\xB5\x8B"
                                            "\xE8\xAF\x95\xE4\xB8\x93\xE7\x94\xA8"},  // 阿里云短信测试专用
                               {"SignatureMethod", "HMAC-SHA1"},
                               {"SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"},
                               {"SignatureVersion", "1.0"},
                               {"TemplateCode", "SMS_71390007"},
                               {"TemplateParam", "{\"customer\":\"test\"}"},
                               {"Timestamp", "2017-07-12T02:42:19Z"},
                               {"Version", "2017-05-25"}});
  EXPECT_EQ(rpc_signature(p, "GET", "testSecret"), "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
}

// The whole of sign() on the doc's request: only Action, Format and Version come
// from the case; sign adds the rest from the context and must land on the doc's
// signature.
TEST(RpcSignature, SignAddsCommonParametersAndReachesDocSignature) {
  HttpRequest r;
  r.target = "/?Action=DescribeRegions&Format=XML&Version=2014-05-26";
  ASSERT_TRUE(sign(Dialect::aliyun_rpc, doc_credentials(), doc_context(), r));
  canon::Params p = sent_params(r);
  EXPECT_EQ(values_of(p, "AccessKeyId"), std::vector<std::string>{"testid"});
  EXPECT_EQ(values_of(p, "SignatureMethod"), std::vector<std::string>{"HMAC-SHA1"});
  EXPECT_EQ(values_of(p, "SignatureVersion"), std::vector<std::string>{"1.0"});
  EXPECT_EQ(values_of(p, "Timestamp"), std::vector<std::string>{"2016-02-23T12:46:24Z"});
  EXPECT_EQ(values_of(p, "SignatureNonce"), std::vector<std::string>{"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"});
  EXPECT_TRUE(values_of(p, "SecurityToken").empty());
  EXPECT_NE(r.target.find("&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"), std::string::npos) << r.target;
  EXPECT_EQ(r.target.rfind("/?Action=DescribeRegions&Format=XML&Version=2014-05-26&", 0), 0u) << r.target;
  EXPECT_TRUE(r.body.empty());
}

// No published POST vector exists; expected value computed independently at
// authoring time with Python's urllib.parse.quote(s, safe='-_.~') and hmac:
//   POST&%2F&AccessKeyId%3Dtestid%26Action%3DCreateDeploymentSet
//   %26Description%3Da%2520b%252Ac~%26Format%3DJSON%26RegionId%3Dcn-hangzhou
//   %26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf
//   %26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26
// key "testsecret&" -> Hx/z17ikYZR4uay2TKOJdkAmvMc=
TEST(RpcSignature, FormPostSignsAndCarriesBodyParameters) {
  HttpRequest r;
  r.method = "POST";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = "Action=CreateDeploymentSet&Version=2014-05-26&Format=JSON&RegionId=cn-hangzhou&Description=a%20b%2Ac~";
  ASSERT_TRUE(sign(Dialect::aliyun_rpc, doc_credentials(), doc_context(), r));
  EXPECT_EQ(r.target, "/");
  EXPECT_NE(r.body.find("&Signature=Hx%2Fz17ikYZR4uay2TKOJdkAmvMc%3D"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("&Timestamp=2016-02-23T12%3A46%3A24Z"), std::string::npos) << r.body;
  expect_verifies(r, "testsecret");
}

TEST(RpcSignature, QueryParametersOfAFormPostAreSignedToo) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/?RegionId=cn-hangzhou";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  r.body = "Action=CreateInstance";
  ASSERT_TRUE(sign(Dialect::aliyun_rpc, doc_credentials(), doc_context(), r));
  EXPECT_EQ(r.target, "/?RegionId=cn-hangzhou");
  expect_verifies(r, "testsecret");
  // Dropping the query parameter breaks the signature: it took part.
  HttpRequest cut = r;
  cut.target = "/";
  canon::Params all = sent_params(cut);
  canon::Params rest;
  for (const auto& p : all) {
    if (p.name != "Signature") rest.push_back(p);
  }
  EXPECT_NE(values_of(all, "Signature")[0], rpc_signature(rest, "POST", "testsecret"));
}

// A case that sets a common parameter on purpose keeps its value; only Signature
// is replaced (and never doubled).
TEST(RpcSignature, NeverOverwritesCaseGivenParameters) {
  HttpRequest r;
  r.target =
      "/?Action=DescribeRegions&Timestamp=not-a-time&SignatureNonce=fixed&SignatureMethod=HMAC-MD5"
      "&AccessKeyId=someone-else&SignatureVersion=9.9&Signature=stale";
  ASSERT_TRUE(sign(Dialect::aliyun_rpc, doc_credentials(), doc_context(), r));
  canon::Params p = sent_params(r);
  EXPECT_EQ(values_of(p, "Timestamp"), std::vector<std::string>{"not-a-time"});
  EXPECT_EQ(values_of(p, "SignatureNonce"), std::vector<std::string>{"fixed"});
  EXPECT_EQ(values_of(p, "SignatureMethod"), std::vector<std::string>{"HMAC-MD5"});
  EXPECT_EQ(values_of(p, "AccessKeyId"), std::vector<std::string>{"someone-else"});
  EXPECT_EQ(values_of(p, "SignatureVersion"), std::vector<std::string>{"9.9"});
  ASSERT_EQ(values_of(p, "Signature").size(), 1u);
  EXPECT_NE(values_of(p, "Signature")[0], "stale");
  expect_verifies(r, "testsecret");
}

// Version and Format are with_common_params' business: a case that goes without
// them (Version.required) must reach the service without them.
TEST(RpcSignature, DoesNotAddVersionOrFormat) {
  HttpRequest r;
  r.target = "/?Action=DescribeRegions";
  SigningContext ctx = doc_context();
  ctx.api_version = "2014-05-26";
  ASSERT_TRUE(sign(Dialect::aliyun_rpc, doc_credentials(), ctx, r));
  EXPECT_TRUE(values_of(sent_params(r), "Version").empty());
  EXPECT_TRUE(values_of(sent_params(r), "Format").empty());
}

TEST(RpcSignature, StsTokenIsASignedParameter) {
  HttpRequest r;
  r.target = "/?Action=DescribeRegions";
  Credentials c = doc_credentials();
  c.security_token = "CAIS+token/with=specials";
  ASSERT_TRUE(sign(Dialect::aliyun_rpc, c, doc_context(), r));
  EXPECT_NE(r.target.find("&SecurityToken=CAIS%2Btoken%2Fwith%3Dspecials&"), std::string::npos) << r.target;
  expect_verifies(r, "testsecret");
  // The same request without the token signs differently: it took part.
  HttpRequest plain;
  plain.target = "/?Action=DescribeRegions";
  ASSERT_TRUE(sign(Dialect::aliyun_rpc, doc_credentials(), doc_context(), plain));
  EXPECT_NE(values_of(sent_params(plain), "Signature"), values_of(sent_params(r), "Signature"));
}

TEST(RpcSignature, CaseGivenSecurityTokenIsKept) {
  HttpRequest r;
  r.target = "/?Action=DescribeRegions&SecurityToken=expired";
  Credentials c = doc_credentials();
  c.security_token = "fresh";
  ASSERT_TRUE(sign(Dialect::aliyun_rpc, c, doc_context(), r));
  EXPECT_EQ(values_of(sent_params(r), "SecurityToken"), std::vector<std::string>{"expired"});
}

// A value with the characters RFC 3986 and form encoding disagree on: the
// signature covers the decoded value, whichever way the case encoded it.
TEST(RpcSignature, EncodingOfTheCaseDoesNotChangeTheSignature) {
  HttpRequest a, b;
  a.target = "/?Action=X&Name=a%20b%2A~";
  b.target = "/?Action=X&Name=a+b*%7E";
  ASSERT_TRUE(sign(Dialect::aliyun_rpc, doc_credentials(), doc_context(), a));
  ASSERT_TRUE(sign(Dialect::aliyun_rpc, doc_credentials(), doc_context(), b));
  EXPECT_EQ(values_of(sent_params(a), "Signature"), values_of(sent_params(b), "Signature"));
}

}  // namespace
}  // namespace conform::transport
