// libFuzzer target: the whole importer path for one doc, extract + analyze
// (spec/import/raw_doc.h, spec/import/analyze.h), as `conform import` runs it.
// The first input byte picks the operation (and so the doc name, dialect and
// version) from apidocs/operations.json's five; the rest is the doc. Besides not
// crashing: a spec the importer produces and the validator accepts survives
// dump_spec -> parse -> spec_from_json -> dump_spec unchanged, since committed
// specs are read back by every other part of conform.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "spec/import/analyze.h"
#include "spec/import/raw_doc.h"
#include "spec/loader.h"
#include "spec/model_json.h"

namespace {

using conform::import::OperationInfo;

// apidocs/operations.json, inlined: targets read no files.
const OperationInfo kOps[] = {
    {"aliyun-ecs-CreateDeploymentSet.md", "ecs.CreateDeploymentSet", "aliyun-rpc", "2014-05-26"},
    {"aliyun-ecs-CreateInstance.md", "ecs.CreateInstance", "aliyun-rpc", "2014-05-26"},
    {"aliyun-ros-CreateStackInstances.md", "ros.CreateStackInstances", "aliyun-rpc", "2019-09-10"},
    {"aliyun-batchcompute-CreateCluster.txt", "batchcompute.CreateCluster", "aliyun-roa", "2015-11-11"},
    {"huawei-dcs-CreateInstance.md", "dcs.CreateInstance", "huawei-rest", "v1.0"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const OperationInfo& info = kOps[data[0] % std::size(kOps)];
  const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string file = "apidocs/" + info.file;
  auto raw = conform::import::extract(file, content);
  if (!raw) return 0;
  auto analysis = conform::import::analyze(*raw, info);
  if (!analysis) {
    FUZZ_CHECK(!analysis.error().what.empty());
    return 0;
  }
  const auto& spec = analysis->spec;
  FUZZ_CHECK(spec.op == info.op, spec.op);
  if (!conform::spec::validate(spec, "specs/fuzz.json")) return 0;
  // Read back as load_spec reads a spec file (spec_from_text): the target uses no
  // nlohmann itself (see fuzz/fuzz_import_analyze.ignorelist).
  const std::string first = conform::spec::dump_spec(spec);
  auto again = conform::spec::spec_from_text(first, "specs/fuzz.json");
  FUZZ_CHECK(again.has_value(), again ? std::string() : again.error().message() + "\n" + first);
  const std::string second = conform::spec::dump_spec(*again);
  FUZZ_CHECK(first == second, first, second);
  return 0;
}
