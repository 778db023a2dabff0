// Each fault of `conform emulate --list-faults` changes the answer it claims to
// change: the same probe gets a different answer with the fault on than without.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <sstream>

#include "emulator/faults.h"
#include "tests/e2e/emulator_client.h"

namespace conform::e2e {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// What a verdict would look at: status, code, RequestId in body or header, format,
// the body's fields; "timeout" when no answer came within the client's deadline.
std::string signature(const Reply& r) {
  if (r.timed_out) return "timeout";
  if (!r.answered) return "closed";
  std::ostringstream s;
  s << r.status << " hdr-rid=" << (r.headers.contains("x-acs-request-id") || r.headers.contains("x-request-id"));
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_discarded()) return s.str() + " xml";
  for (const auto& [k, v] : j.items()) s << " " << k << (k == "Code" || k == "error_code" ? "=" + v.dump() : "");
  return s.str();
}

const std::string kEcs = "/?Version=2014-05-26&RegionId=cn-hangzhou&Action=";
const std::string kDs = kEcs + "CreateDeploymentSet";
const std::string kCi = kEcs + "CreateInstance&ImageId=ubuntu_18_04_64_20G_alibase_20190624.vhd&InstanceType=ecs.g5.large";
const std::string kWin = kEcs + "CreateInstance&ImageId=win2008r2_64_ent_sp1_en-us_40G_alibase_20170915.vhd&InstanceType=ecs.g5.large";
const std::string kRos = "/?Version=2019-09-10&Action=CreateStackInstances&RegionId=cn-hangzhou&StackGroupName=G&"
                         "AccountIds=%5B%221%22%5D&RegionIds=%5B%22cn-hangzhou%22%5D";
const std::string kRosSpace = "/?Version=2019-09-10&Action=CreateStackInstances&RegionId=cn-hangzhou&StackGroupName=G&"
                              "AccountIds=%5B%221%22%5D&RegionIds=%5B%22cn-hangzhou%22%2C%20%22cn-beijing%22%5D";

json cluster() {
  return json::parse(R"({"Name":"c","ImageId":"m-2309yqb5n","InstanceType":"bcs.a2.large",
    "Groups":{"g":{"DesiredVMCount":1,"ResourceType":"OnDemand"}}})");
}
json dcs() {
  return json::parse(R"({"name":"dcs-a11e","engine":"Redis","engine_version":"3.0","capacity":2,"password":"Abcdef12!",
    "vpc_id":"v","security_group_id":"s","subnet_id":"n","available_zones":["z"],"product_id":"OTC_DCS_SINGLE"})");
}

Reply get(int port, const std::string& target) { return request(port, "GET", target); }
Reply post_cluster(int port, const json& body, const std::string& query = "") {
  return request(port, "POST", "/clusters" + query, body.dump(), "application/json");
}
Reply post_dcs(int port, const json& body) {
  return request(port, "POST", "/v1.0/p1/instances", body.dump(), "application/json", 3s);
}

using Probe = std::function<std::string(int port)>;

std::string ids_equal(const Reply& a, const Reply& b, const char* field) {
  return json::parse(a.body)[field] == json::parse(b.body)[field] ? "same id" : "new id";
}

const std::map<std::string, Probe>& probes() {
  static const std::map<std::string, Probe> p = {
      {"ecs-ds-description-max-off-by-one", [](int port) { return signature(get(port, kDs + "&Description=" + std::string(257, 'a'))); }},
      {"ecs-ds-missing-request-id", [](int port) { return signature(get(port, kDs)); }},
      {"ecs-ds-region-missing-404", [](int port) { return signature(get(port, "/?Version=2014-05-26&Action=CreateDeploymentSet")); }},
      {"ecs-ds-not-stored", [](int port) {
         std::string id = json::parse(get(port, kDs).body)["DeploymentSetId"];
         return signature(get(port, kCi + "&DeploymentSetId=" + id));
       }},
      {"rpc-xml-ignored", [](int port) { return signature(get(port, kDs + "&Format=XML")); }},
      {"rpc-error-missing-request-id", [](int port) { return signature(get(port, kDs + "&Description=x")); }},
      {"ecs-ci-system-disk-max-off-by-one", [](int port) { return signature(get(port, kCi + "&SystemDisk.Size=500")); }},
      {"ecs-ci-image-not-found-400", [](int port) { return signature(get(port, kEcs + "CreateInstance&ImageId=nope&InstanceType=ecs.g5.large")); }},
      {"ecs-ci-category-code-misspelt", [](int port) { return signature(get(port, kCi + "&DataDisk.1.Category=bogus")); }},
      {"ecs-ci-category-code-swapped", [](int port) { return signature(get(port, kCi + "&SystemDisk.Category=bogus")); }},
      {"ecs-ci-vswitch-reference-skipped", [](int port) { return signature(get(port, kCi + "&VSwitchId=vsw-nope")); }},
      {"ecs-ci-essd-dropped", [](int port) { return signature(get(port, kCi + "&DataDisk.1.Category=cloud_essd&DataDisk.1.Size=40")); }},
      {"ecs-ci-period-unit-case-slip", [](int port) { return signature(get(port, kCi + "&PeriodUnit=month")); }},
      {"ecs-ci-dry-run-creates", [](int port) { return signature(get(port, kCi + "&DryRun=true")); }},
      {"ecs-ci-windows-hostname-length", [](int port) { return signature(get(port, kWin + "&HostName=" + std::string(16, 'a'))); }},
      {"ecs-ci-crash-on-16th-disk", [](int port) { return signature(get(port, kCi + "&DataDisk.16.Size=40")); }},
      {"ecs-ci-client-token-ignored", [](int port) {
         return ids_equal(get(port, kCi + "&ClientToken=t"), get(port, kCi + "&ClientToken=t"), "InstanceId");
       }},
      {"ros-unique-ignored", [](int port) {
         get(port, kRos);
         return signature(get(port, kRos));
       }},
      {"ros-json-space-rejected", [](int port) { return signature(get(port, kRosSpace)); }},
      {"ros-missing-operation-id", [](int port) { return signature(get(port, kRos)); }},
      {"batchcompute-cluster-quota-off-by-one", [](int port) {
         for (int i = 0; i < 50; ++i) post_cluster(port, cluster());
         return signature(post_cluster(port, cluster()));
       }},
      {"batchcompute-idempotent-token-ignored", [](int port) {
         post_cluster(port, cluster(), "?IdempotentToken=t1");
         json other = cluster();
         other["Name"] = "other";
         return signature(post_cluster(port, other, "?IdempotentToken=t1"));
       }},
      {"batchcompute-created-200", [](int port) { return signature(post_cluster(port, cluster())); }},
      {"batchcompute-zero-vm-count", [](int port) {
         json c = cluster();
         c["Groups"]["g"]["DesiredVMCount"] = 0;
         return signature(post_cluster(port, c));
       }},
      {"batchcompute-bad-json-500", [](int port) { return signature(request(port, "POST", "/clusters", "{", "application/json")); }},
      {"batchcompute-missing-request-id-header", [](int port) { return signature(post_cluster(port, cluster())); }},
      {"dcs-cluster-512-dropped", [](int port) {
         json d = dcs();
         d["product_id"] = "OTC_DCS_CL";
         d["capacity"] = 512;
         return signature(post_dcs(port, d));
       }},
      {"dcs-slow-cluster", [](int port) {
         json d = dcs();
         d["product_id"] = "OTC_DCS_CL";
         d["capacity"] = 64;
         return signature(post_dcs(port, d));
       }},
      {"dcs-crash-auto-backup", [](int port) {
         json d = dcs();
         d["instance_backup_policy"] = json::parse(R"({"backup_type":"auto","periodical_backup_plan":
           {"begin_at":"00:00-01:00","period_type":"weekly","backup_at":[1]}})");
         return signature(post_dcs(port, d));
       }},
      {"dcs-missing-instance-id", [](int port) { return signature(post_dcs(port, dcs())); }},
  };
  return p;
}

TEST(EmulatorFaults, EveryListedFaultHasAProbe) {
  for (const auto& f : emulator::all_faults()) EXPECT_TRUE(probes().contains(std::string(f.name))) << f.name;
  EXPECT_GE(emulator::all_faults().size(), 20u);
}

TEST(EmulatorFaults, EachFaultChangesItsAnswer) {
  for (const auto& [name, probe] : probes()) {
    std::string clean, faulty;
    {
      EmulatorProcess emu({});
      ASSERT_GT(emu.port(), 0);
      clean = probe(emu.port());
    }
    {
      EmulatorProcess emu({"--fault", name});
      ASSERT_GT(emu.port(), 0);
      faulty = probe(emu.port());
    }
    EXPECT_NE(clean, faulty) << name << ": the fault did not change the answer (" << clean << ")";
    std::cout << name << ": " << clean << "  ->  " << faulty << "\n";
  }
}

}  // namespace
}  // namespace conform::e2e
