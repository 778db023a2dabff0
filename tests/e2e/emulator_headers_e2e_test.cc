// End-to-end, the real `conform emulate` on loopback: the answers that depend on
// headers (docs/decisions.md section 3), a body's declared media type in the JSON
// dialects and a POST without Content-Length, are the ones the oracle predicts for
// the same case.
#include <gtest/gtest.h>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/test_paths.h"
#include "oracles/predict.h"
#include "spec/loader.h"
#include "tests/e2e/case_wire.h"
#include "tests/e2e/emulator_client.h"

namespace conform::e2e {
namespace {

using nlohmann::json;

Case cluster(Pairs headers) {
  Case c;
  c.id = "cluster";
  c.op = "batchcompute.CreateCluster";
  c.method = "POST";
  c.path = "/clusters";
  c.headers = std::move(headers);
  c.set_body(json::parse(R"({"Name": "c1", "ImageId": "m-2309yqb5n", "InstanceType": "bcs.a2.large",
      "Groups": {"g1": {"DesiredVMCount": 1, "ResourceType": "OnDemand"}}})"));
  return c;
}

Case dcs(Pairs headers) {
  Case c;
  c.id = "dcs";
  c.op = "dcs.CreateInstance";
  c.method = "POST";
  c.path = "/v1.0/p1/instances";
  c.headers = std::move(headers);
  c.set_body(json::parse(R"({"name": "dcs-a11e", "engine": "Redis", "engine_version": "3.0", "capacity": 2,
      "password": "Abcdef12!", "vpc_id": "v", "security_group_id": "s", "subnet_id": "n",
      "available_zones": ["z"], "product_id": "OTC_DCS_SINGLE"})"));
  return c;
}

Case deployment_set(Pairs headers) {
  Case c;
  c.id = "ds";
  c.op = "ecs.CreateDeploymentSet";
  c.method = "POST";
  c.query = {{"RegionId", "cn-hangzhou"}};
  c.headers = std::move(headers);
  return c;
}

struct Probe {
  Case c;
  int status;  // what decisions.md section 3 says, which both must give
};

TEST(EmulatorHeaders, OracleAndEmulatorAgreeOnContentTypeAndLength) {
  auto specs = spec::load_specs(std::string(CONFORM_SOURCE_DIR) + "/specs");
  ASSERT_TRUE(specs) << specs.error().message();
  auto fixtures = load_fixtures(std::string(CONFORM_SOURCE_DIR) + "/fixtures/default.json");
  ASSERT_TRUE(fixtures) << fixtures.error().message();
  oracle::Model model(*specs, *fixtures);
  EmulatorProcess emu({});
  ASSERT_GT(emu.port(), 0);
  const std::vector<Probe> probes = {
      {cluster({}), 201},
      {cluster({{"Content-Type", "application/json; charset=UTF-8"}}), 201},
      {cluster({{"Content-Type", "application/json-rpc"}}), 201},
      {cluster({{"Content-Type", ""}}), 201},  // absent: BatchCompute's default is JSON
      {cluster({{"Content-Type", "text/plain"}}), 400},
      {cluster({{"Content-Type", "application/x-www-form-urlencoded"}}), 400},
      {cluster({{"Content-Length", ""}}), 411},
      {dcs({}), 200},
      {dcs({{"Content-Type", "application/json;charset=utf-8"}}), 200},
      {dcs({{"Content-Type", ""}}), 415},
      {dcs({{"Content-Type", "text/json"}}), 415},
      {dcs({{"Content-Length", ""}}), 411},
      {deployment_set({}), 200},
      {deployment_set({{"Content-Length", ""}}), 411},
  };
  for (const auto& p : probes) {
    const std::string what = p.c.op + " with headers " + json(p.c.headers).dump();
    ASSERT_EQ(request(emu.port(), "POST", "/_conform/reset").status, 200);
    Exchanged got = exchange(emu.port(), *find_spec(*specs, p.c.op), p.c);
    ASSERT_TRUE(got.answered) << what;
    oracle::Expectation want = oracle::predict(got.sent, model);
    EXPECT_EQ(want.status, p.status) << what << ": the oracle predicts " << want.status << " (" << want.rule << ")";
    EXPECT_EQ(got.reply.status, p.status) << what << ": the emulator answers " << got.reply.status << " "
                                          << got.reply.code;
    if (!want.codes.empty()) {
      EXPECT_NE(std::find(want.codes.begin(), want.codes.end(), got.reply.code), want.codes.end())
          << what << ": the emulator answers " << got.reply.code;
    }
  }
  // A POST without Content-Length has its body read as the next request: the
  // emulator answers 411 and closes, and keeps serving others.
  Connection c(emu.port());
  c.send_raw("POST /clusters HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n{\"Name\":\"c\"}");
  EXPECT_EQ(c.read().status, 411);
  EXPECT_TRUE(c.closed_within(std::chrono::seconds(5)));
  // Chunked framing needs no Content-Length.
  Connection chunked(emu.port());
  chunked.send_raw("POST /clusters HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                   "Content-Type: application/json\r\n\r\n2\r\n[]\r\n0\r\n\r\n");
  Reply r = chunked.read();
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("InvalidHttpBody"), std::string::npos) << r.body;
  // The control endpoints take no body: `curl -X POST .../_conform/reset` sends none.
  Connection reset(emu.port());
  reset.send_raw("POST /_conform/reset HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(reset.read().status, 200);
}

}  // namespace
}  // namespace conform::e2e
