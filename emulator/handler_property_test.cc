// Properties of the whole request path over generated requests: no exception, no
// 5xx, an answer in the dialect's shape; and "a replay with the same token answers
// the same id".
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "emulator/test_util.h"

namespace conform::emulator {
namespace {

using namespace testing;

Emulator& shared() {
  static auto emu = make_emulator();
  return *emu;
}

// Names the specs use (valid and near-miss spellings) and values of every shape.
rc::Gen<std::string> name() {
  return rc::gen::element<std::string>("Action", "Version", "RegionId", "ImageId", "InstanceType", "DataDisk.1.Size",
                                       "DataDisk.0.Category", "DataDisk.17.SnapshotId", "Tag.3.Key", "HostName",
                                       "ClientToken", "DryRun", "Format", "AccountIds", "RegionIds",
                                       "OperationPreferences", "ParameterOverrides.2.ParameterKey", "StackGroupName",
                                       "SystemDisk.Size", "Password", "PasswordInherit", "VSwitchId", "ZoneId");
}

rc::Gen<std::string> value() {
  return rc::gen::oneOf(rc::gen::arbitrary<std::string>(),
                        rc::gen::element<std::string>("CreateInstance", "CreateDeploymentSet", "CreateStackInstances",
                                                      "2014-05-26", "2019-09-10", "cn-hangzhou", "XML", "true", "40",
                                                      "-1", "2,000", R"(["1","2"])", R"({"MaxConcurrentCount": 0})",
                                                      "[", "ubuntu_18_04_64_20G_alibase_20190624.vhd", ""));
}

RC_GTEST_PROP(HandlerProperty, RpcAnswersAreWellFormedAndNever5xx, ()) {
  const auto pairs = *rc::gen::container<Query>(rc::gen::pair(name(), value()));
  auto r = get(shared(), pairs);
  RC_ASSERT(r.status < 500);
  RC_ASSERT(r.status >= 200);
  if (r.body.starts_with("<?xml")) {
    RC_ASSERT(r.body.find("RequestId") != std::string::npos);
  } else {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    RC_ASSERT(!j.is_discarded());
    RC_ASSERT(j.contains("RequestId"));
  }
}

RC_GTEST_PROP(HandlerProperty, JsonBodiesNever5xx, (const std::string& raw)) {
  const std::string target = *rc::gen::element<std::string>("/clusters", "/v1.0/p/instances", "/v1.0//instances");
  auto body = *rc::gen::oneOf(rc::gen::just(raw), rc::gen::just(cluster().dump()), rc::gen::just(dcs().dump()));
  auto r = post(shared(), target, body);
  RC_ASSERT(r.status < 500);
  RC_ASSERT(!nlohmann::json::parse(r.body, nullptr, false).is_discarded());
}

RC_GTEST_PROP(HandlerProperty, SameTokenSameParametersSameId, (unsigned token)) {
  const Query q = instance({{"ClientToken", "t" + std::to_string(token)}});
  auto a = get(shared(), q);
  auto b = get(shared(), q);
  RC_ASSERT(a.status == 200);
  RC_ASSERT(body_of(a)["InstanceId"] == body_of(b)["InstanceId"]);
}

}  // namespace
}  // namespace conform::emulator
