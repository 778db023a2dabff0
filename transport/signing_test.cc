// What all three signers share: the encoding, the checks on credentials, the
// clock and nonce, and the hook for ClientOptions::prepare.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "transport/signing.h"
#include "transport/signing_canon.h"
#include "transport/signing_crypto.h"
#include "transport/signing_detail.h"
#include "transport/url.h"

namespace conform::transport {
namespace {

using namespace std::chrono;

constexpr Dialect kDialects[] = {Dialect::aliyun_rpc, Dialect::aliyun_roa, Dialect::huawei_rest};

SigningContext fixed_context() {
  SigningContext ctx;
  ctx.time = sys_days{year{2018} / 12 / 4} + hours{3} + minutes{55} + seconds{31};
  ctx.nonce = "n";
  ctx.host = "example.com";
  return ctx;
}

// Alibaba's rule (RFC 3986): only A-Z a-z 0-9 - _ . ~ stay as they are; space is
// %20 (not '+'), '*' is %2A, '~' is kept, hex digits are upper case, UTF-8 bytes
// each encoded.
TEST(SigningEncoding, EdgeCharacters) {
  EXPECT_EQ(percent_encode("a b"), "a%20b");
  EXPECT_EQ(percent_encode("*"), "%2A");
  EXPECT_EQ(percent_encode("~-_."), "~-_.");
  EXPECT_EQ(percent_encode("+/=&?%"), "%2B%2F%3D%26%3F%25");
  EXPECT_EQ(percent_encode("!'()"), "%21%27%28%29");
  EXPECT_EQ(percent_encode("\xE6\xB4\xBE"), "%E6%B4%BE");
  EXPECT_EQ(percent_encode(std::string("\0\xff", 2)), "%00%FF");
  EXPECT_EQ(percent_encode("AZaz09"), "AZaz09");
}

TEST(SigningEncoding, ParseParams) {
  canon::Params p = canon::parse_params("a=1&&b&c=x+y%2B&=v&d=", true);
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].name, "a");
  EXPECT_EQ(p[0].value, "1");
  EXPECT_EQ(p[1].name, "b");
  EXPECT_FALSE(p[1].has_value);
  EXPECT_EQ(p[2].value, "x y+");
  EXPECT_EQ(p[3].name, "");
  EXPECT_EQ(p[3].value, "v");
  EXPECT_TRUE(p[4].has_value);
  EXPECT_EQ(p[4].value, "");
  EXPECT_EQ(canon::parse_params("c=x+y", false)[0].value, "x+y");
}

TEST(SigningEncoding, CanonicalQuerySortsByNameThenValueBytewise) {
  canon::Params p = {{"b", "1", true}, {"a", "2", true}, {"a", "10", true}, {"B", "x", true}, {"a b", "", true}};
  EXPECT_EQ(canon::rpc_canonical_query(p), "B=x&a=10&a=2&a%20b=&b=1");
}

// RFC 2202 (HMAC-SHA1) and RFC 4231 (HMAC-SHA256) test cases, a key longer than
// the block (hashed first) among them, and the plain digests (FIPS 180, RFC 1321).
TEST(SigningCrypto, KnownVectors) {
  using crypto::hex;
  EXPECT_EQ(hex(crypto::hmac_sha1(std::string(20, '\x0b'), "Hi There")), "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(hex(crypto::hmac_sha1("Jefe", "what do ya want for nothing?")), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(hex(crypto::hmac_sha1(std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
  EXPECT_EQ(hex(crypto::hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(crypto::hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hex(crypto::hmac_sha256("", "")), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  EXPECT_EQ(hex(crypto::sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(crypto::md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(crypto::base64(crypto::md5("")), "1B2M2Y8AsgTpgAmY7PhCfg==");
}

TEST(SigningTime, Formats) {
  sys_seconds t = fixed_context().time;
  EXPECT_EQ(detail::iso8601(t), "2018-12-04T03:55:31Z");
  EXPECT_EQ(detail::sdk_date(t), "20181204T035531Z");
  EXPECT_EQ(detail::rfc1123(t), "Tue, 04 Dec 2018 03:55:31 GMT");
  EXPECT_EQ(detail::rfc1123(sys_days{year{2010} / 1 / 3} + hours{8} + minutes{33} + seconds{47}),
            "Sun, 03 Jan 2010 08:33:47 GMT");
}

TEST(SigningCredentials, EmptyCredentialsFailNamingTheFieldAndLeaveTheRequestAlone) {
  for (Dialect d : kDialects) {
    SCOPED_TRACE(std::string(to_string(d)));
    HttpRequest r;
    r.target = "/?Action=X";
    const HttpRequest before = r;
    auto no_id = sign(d, Credentials{"", "secret-value", "", ""}, fixed_context(), r);
    ASSERT_FALSE(no_id);
    EXPECT_NE(no_id.error().message().find("access_key_id is empty"), std::string::npos) << no_id.error().message();
    EXPECT_NE(no_id.error().where.find(std::string(to_string(d))), std::string::npos);
    EXPECT_EQ(no_id.error().message().find("secret-value"), std::string::npos);  // never the secret

    auto no_secret = sign(d, Credentials{"id", "", "", ""}, fixed_context(), r);
    ASSERT_FALSE(no_secret);
    EXPECT_NE(no_secret.error().message().find("access_key_secret is empty"), std::string::npos);

    EXPECT_EQ(r.target, before.target);
    EXPECT_EQ(r.headers, before.headers);
    EXPECT_EQ(r.body, before.body);
  }
}

TEST(SigningCredentials, HuaweiTokenAloneIsEnoughAliyunNeedsAKeyPair) {
  HttpRequest r;
  EXPECT_TRUE(sign(Dialect::huawei_rest, Credentials{"", "", "", "token"}, fixed_context(), r));
  EXPECT_FALSE(sign(Dialect::aliyun_rpc, Credentials{"", "", "", "token"}, fixed_context(), r));
  EXPECT_FALSE(sign(Dialect::aliyun_roa, Credentials{"", "", "", "token"}, fixed_context(), r));
}

TEST(SigningCredentials, HeaderBreakingCharactersAreRefused) {
  HttpRequest r;
  auto bad_id = sign(Dialect::aliyun_roa, Credentials{"id\r\nX-Evil: 1", "s", "", ""}, fixed_context(), r);
  ASSERT_FALSE(bad_id);
  EXPECT_NE(bad_id.error().what.find("access_key_id contains a CR, LF or NUL"), std::string::npos);
  EXPECT_FALSE(sign(Dialect::huawei_rest, Credentials{"", "", "", "tok\nen"}, fixed_context(), r));
  EXPECT_FALSE(sign(Dialect::aliyun_rpc, Credentials{"id", "s", "sts\r", ""}, fixed_context(), r));
  EXPECT_TRUE(r.headers.empty());
}

TEST(SigningCredentials, AliyunNeedsANonce) {
  SigningContext ctx = fixed_context();
  ctx.nonce.clear();
  HttpRequest r;
  auto result = sign(Dialect::aliyun_rpc, Credentials{"id", "s", "", ""}, ctx, r);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message(), "signing context: nonce is empty");
  EXPECT_TRUE(sign(Dialect::huawei_rest, Credentials{"id", "s", "", ""}, ctx, r));
}

TEST(SigningContextNow, HostNonceAndTime) {
  Endpoint local = *parse_url("http://127.0.0.1:8080/base");
  SigningContext a = SigningContext::now(local, "2014-05-26");
  EXPECT_EQ(a.host, "127.0.0.1:8080");
  EXPECT_EQ(a.api_version, "2014-05-26");
  EXPECT_TRUE(std::regex_match(a.nonce, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << a.nonce;
  auto skew = floor<seconds>(system_clock::now()) - a.time;
  EXPECT_LE(abs(skew.count()), 5);
  EXPECT_EQ(SigningContext::now(*parse_url("https://ecs.aliyuncs.com"), "").host, "ecs.aliyuncs.com");
  std::set<std::string> nonces;
  for (int i = 0; i < 1000; ++i) nonces.insert(SigningContext::now(local, "").nonce);
  EXPECT_EQ(nonces.size(), 1000u);
}

TEST(MakeSigner, RefusesEmptyCredentialsUpFront) {
  Endpoint e = *parse_url("http://127.0.0.1:8080");
  auto signer = make_signer(Dialect::aliyun_rpc, Credentials{"id", "", "", ""}, e, "");
  ASSERT_FALSE(signer);
  EXPECT_NE(signer.error().message().find("access_key_secret is empty"), std::string::npos);
}

// The hook runs on every attempt, on a fresh copy of the request: each attempt
// gets its own nonce and a valid signature.
TEST(MakeSigner, EachAttemptGetsAFreshNonce) {
  Endpoint e = *parse_url("http://127.0.0.1:8080");
  auto signer = make_signer(Dialect::aliyun_rpc, Credentials{"id", "secret", "", ""}, e, "");
  ASSERT_TRUE(signer);
  HttpRequest original;
  original.target = "/?Action=DescribeRegions&Version=2014-05-26";
  HttpRequest first = original, second = original;
  (*signer)(first);
  (*signer)(second);
  auto nonce = [](const HttpRequest& r) {
    for (const auto& p : canon::parse_params(canon::split_target(r.target).query, true)) {
      if (p.name == "SignatureNonce") return p.value;
    }
    return std::string();
  };
  EXPECT_FALSE(nonce(first).empty());
  EXPECT_NE(nonce(first), nonce(second));
  EXPECT_NE(first.target.find("&Signature="), std::string::npos);

  auto huawei = make_signer(Dialect::huawei_rest, Credentials{"AK", "SK", "", ""}, e, "");
  ASSERT_TRUE(huawei);
  HttpRequest h;
  (*huawei)(h);
  ASSERT_NE(h.header("Authorization"), nullptr);
  EXPECT_NE(h.header("Authorization")->find("SignedHeaders=host;x-sdk-date,"), std::string::npos);
}

}  // namespace
}  // namespace conform::transport
