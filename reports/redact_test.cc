#include "reports/redact.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "transport/url.h"

namespace conform::report {
namespace {

TEST(Redact, NamesFromSpecsAndBuiltins) {
  spec::Spec s;
  spec::Param p;
  p.name = "password";
  p.secret = true;
  spec::Param o;
  o.name = "instance";
  o.members.push_back(p);
  o.members[0].name = "admin_pass";
  s.params = {p, o};
  Redactor r = Redactor::for_specs({s});
  EXPECT_TRUE(r.is_secret_name("password"));
  EXPECT_TRUE(r.is_secret_name("admin_pass"));
  EXPECT_TRUE(r.is_secret_name("Password"));
  EXPECT_TRUE(r.is_secret_name("SystemDisk.Password")) << "last dotted segment";
  EXPECT_TRUE(r.is_secret_name("Signature"));
  EXPECT_TRUE(r.is_secret_name("X-Auth-Token"));
  EXPECT_FALSE(r.is_secret_name("ClientToken"));
  EXPECT_FALSE(r.is_secret_name("InstanceName"));
}

TEST(Redact, FormBodyJsonBodyAndEchoes) {
  Redactor r;
  ExchangeDone e;
  e.request.method = "POST";
  e.request.target = "/?Signature=abcdEFGH&Name=x";
  e.request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  e.request.body = "Password=hunter22&Name=y";
  transport::HttpResponse res;
  res.body = "echo hunter22 and abcdEFGH";
  e.response = res;
  e.findings.push_back({"code", Outcome::fail, "saw hunter22", 0, {}, 0, "", false});
  ExchangeDone out = r.redact(e);
  EXPECT_EQ(out.request.target, "/?Signature=%2A%2A%2A&Name=x");
  EXPECT_EQ(transport::decode_pairs(out.request.body)[0].second, "***");
  EXPECT_EQ(out.response->body, "echo *** and ***");
  EXPECT_EQ(out.findings[0].message, "saw ***");

  ExchangeDone j;
  j.request.headers = {{"Content-Type", "application/json"}};
  j.request.body = R"({"password":"Zz9!long","nested":{"Password":"Qq8?long"},"list":[["Password","Pp7#long"]]})";
  ExchangeDone jo = r.redact(j);
  EXPECT_EQ(jo.request.body.find("Zz9!long"), std::string::npos);
  EXPECT_EQ(jo.request.body.find("Qq8?long"), std::string::npos);
  EXPECT_EQ(jo.request.body.find("Pp7#long"), std::string::npos);
}

// The values the engine already holds (ExchangeDone::request_json and
// response_json) redact exactly as the texts they were written from or read from.
TEST(Redact, ParsedBodiesRedactAsTheirTexts) {
  using nlohmann::json;
  Redactor r({"admin_pass"});
  const json bodies[] = {
      json::parse(R"({"password":"Zz9!long","nested":{"Password":"Qq8?long","n":[1,-2,3.5,true,null]},)"
                  R"("list":[["Password","Pp7#long"],["x","y"]],"Name":"caf\u00e9"})"),
      json::parse(R"({"instance":{"admin_pass":12345,"password":{"not":"a scalar"}},"sk":"ab"})"),
      json::parse(R"({"password":"***","Name":"n"})"),
      json::parse(R"({"Name":"no secret","PasswordInherit":true})"),
      json::parse(R"([["Signature","abcdefgh"],{"token":"t0k3n-value"}])"),
      json{{"password", "bad \xff utf-8"}, {"Name", "x\xfey"}},
      json{{"Name", "x\xfey"}, {"secret", 7}},
      json{{"f", 0.1}, {"i", -7}, {"u", 7u}, {"password", "p\"q\\r\n long"}},
  };
  for (const json& body : bodies) {
    ExchangeDone e;
    e.request.headers = {{"Content-Type", "application/json"}};
    e.request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    transport::HttpResponse res;
    res.body = e.request.body + " ";  // the layout stays when nothing is redacted
    e.response = res;
    e.findings.push_back({"code", Outcome::fail, "message " + e.request.body, 0, {}, 0, "", false});
    ExchangeDone with = e;
    with.request_json = std::make_shared<const json>(body);
    with.response_json = std::make_shared<const json>(json::parse(res.body));
    ExchangeDone a = r.redact(e);
    ExchangeDone b = r.redact(with);
    EXPECT_EQ(a.request.body, b.request.body) << body.dump();
    EXPECT_EQ(a.response->body, b.response->body) << body.dump();
    EXPECT_EQ(a.findings[0].message, b.findings[0].message) << body.dump();
  }
}

TEST(Redact, RegisteredValuesEverywhere) {
  Redactor r;
  r.add_secret_value("AKSECRETVALUE");
  r.add_secret_value("ab");  // too short to redact meaningfully
  EXPECT_EQ(r.redact_text("x AKSECRETVALUE y ab"), "x *** y ab");
}

// A service may echo a secret in its own spelling: lower-case percent-encoding,
// "+" for a space, PHP's "\/", Go's \u003c, all-\u JSON, XML entities.
TEST(Redact, EchoedSpellingsOfASecret) {
  Redactor r;
  r.add_secret_value("Sk/Test+Secret=V <1>&'x");
  const std::string echoes[] = {
      "Sk%2fTest%2bSecret%3dV%20%3c1%3e%26%27x",
      "Sk%2FTest%2BSecret%3DV+%3C1%3E%26%27x",
      R"(Sk\/Test+Secret=V <1>&'x)",
      R"(Sk/Test+Secret=V \u003c1\u003e\u0026'x)",
      R"(\u0053\u006b\u002f\u0054\u0065\u0073\u0074\u002b\u0053\u0065\u0063\u0072\u0065\u0074\u003d\u0056\u0020\u003c\u0031\u003e\u0026\u0027\u0078)",
      "Sk/Test+Secret=V &lt;1&gt;&amp;&apos;x",
      "Sk/Test+Secret=V &lt;1&gt;&amp;&#39;x",
  };
  for (const std::string& e : echoes) EXPECT_EQ(r.redact_text("[" + e + "]"), "[***]") << e;
}

TEST(Redact, PrefilterFindsAWholeLastSegmentInAnyCase) {
  Redactor r({"Config.AdminPass"});
  EXPECT_TRUE(r.may_name_secret(R"({"Password":"x"})"));
  EXPECT_TRUE(r.may_name_secret(R"({"a":{"SystemDisk.PASSWORD":1}})")) << "after a dot";
  EXPECT_TRUE(r.may_name_secret(R"(["adminpass","v"])")) << "a name from the specs";
  EXPECT_TRUE(r.may_name_secret(R"({"k":"\u0070assword"})")) << "an escape could spell one";
  EXPECT_FALSE(r.may_name_secret(R"({"Disk":"sk-1","SystemDisk.Size":40})")) << "'sk' inside a segment";
  EXPECT_FALSE(r.may_name_secret(R"({"PasswordInherit":true,"ClientToken":"t"})"));
  EXPECT_FALSE(r.may_name_secret(R"({"x":"password)")) << "no closing quote";
  EXPECT_TRUE(Redactor({""}).may_name_secret(R"({"":1})")) << "an empty name, as before";
  EXPECT_TRUE(Redactor({"a\"b"}).may_name_secret("{}")) << "a quoted name cannot be scanned for";
}

}  // namespace
}  // namespace conform::report
