#include "emulator/faults.h"

namespace conform::emulator {

const std::vector<Fault>& all_faults() {
  using K = FaultKind;
  static const std::vector<Fault> faults = {
      {"ecs-ds-description-max-off-by-one", "ecs.CreateDeploymentSet", "Description.length", K::shift_max, 1, "", 0,
       "", "", "CreateDeploymentSet accepts a Description of 257 characters (limit checked as > 257)"},
      {"ecs-ds-missing-request-id", "ecs.CreateDeploymentSet", "", K::drop_field, 0, "RequestId", 0, "", "",
       "CreateDeploymentSet success body has no RequestId"},
      {"ecs-ds-region-missing-404", "ecs.CreateDeploymentSet", "RegionId.required", K::wrong_status, 0, "", 404, "",
       "", "CreateDeploymentSet without RegionId answers MissingParameter with 404 instead of 400"},
      {"ecs-ds-not-stored", "ecs.CreateDeploymentSet", "", K::not_stored, 0, "", 0, "", "",
       "CreateDeploymentSet forgets the set it created: CreateInstance with its id gets InvalidDeploymentSetId.NotFound"},
      {"rpc-xml-ignored", "", "", K::xml_ignored, 0, "", 0, "", "",
       "aliyun-rpc operations answer JSON even with Format=XML"},
      {"rpc-error-missing-request-id", "", "", K::error_request_id, 0, "", 0, "", "",
       "aliyun-rpc error bodies have no RequestId"},
      {"ecs-ci-system-disk-max-off-by-one", "ecs.CreateInstance", "SystemDisk.Size.range", K::shift_max, -1, "", 0,
       "", "", "CreateInstance rejects SystemDisk.Size=500 (limit checked as >= 500)"},
      {"ecs-ci-image-not-found-400", "ecs.CreateInstance", "ImageId.reference", K::wrong_status, 0, "", 400, "", "",
       "CreateInstance answers InvalidImageId.NotFound with 400 instead of 404"},
      {"ecs-ci-category-code-misspelt", "ecs.CreateInstance", "DataDisk.N.Category.enum", K::wrong_code, 0,
       "InvalidDataDiskCategory.ValueNotSuported", 0, "", "",
       "CreateInstance misspells InvalidDataDiskCategory.ValueNotSupported as ...ValueNotSuported"},
      {"ecs-ci-category-code-swapped", "ecs.CreateInstance", "SystemDisk.Category.enum", K::wrong_code, 0,
       "InvalidDataDiskCategory.ValueNotSupported", 0, "", "",
       "CreateInstance answers a bad SystemDisk.Category with the data disk's code"},
      {"ecs-ci-vswitch-reference-skipped", "ecs.CreateInstance", "VSwitchId.reference", K::skip_rule, 0, "", 0, "",
       "", "CreateInstance accepts a VSwitchId that does not exist"},
      {"ecs-ci-essd-dropped", "ecs.CreateInstance", "DataDisk.N.Category.enum", K::enum_drop, 0, "cloud_essd", 0,
       "", "", "CreateInstance rejects DataDisk.N.Category=cloud_essd"},
      {"ecs-ci-period-unit-case-slip", "ecs.CreateInstance", "PeriodUnit.enum", K::case_insensitive, 0, "", 0, "",
       "", "CreateInstance accepts PeriodUnit=month (enum compared case-insensitively)"},
      {"ecs-ci-dry-run-creates", "ecs.CreateInstance", "", K::dry_run_ignored, 0, "", 0, "", "",
       "CreateInstance with DryRun=true creates the instance (200) instead of answering DryRunOperation"},
      {"ecs-ci-windows-hostname-length", "ecs.CreateInstance", "HostName.length", K::skip_rule, 0, "", 0, "", "",
       "CreateInstance accepts a 16-character HostName for a Windows image"},
      {"ecs-ci-crash-on-16th-disk", "ecs.CreateInstance", "", K::crash, 0, "", 0, "DataDisk.16.", "",
       "CreateInstance answers 500 InternalError when DataDisk.16 is given (off-by-one array)"},
      {"ecs-ci-client-token-ignored", "ecs.CreateInstance", "ClientToken.idempotency", K::skip_rule, 0, "", 0, "",
       "", "CreateInstance ignores ClientToken: a retry creates a second instance"},
      {"ros-unique-ignored", "ros.CreateStackInstances", "StackGroupName.unique", K::skip_rule, 0, "", 0, "", "",
       "CreateStackInstances creates a second stack instance in the same account and region"},
      {"ros-json-space-rejected", "ros.CreateStackInstances", "", K::json_whitespace, 0, "", 0, "", "",
       "CreateStackInstances rejects Json-in-query text with a space, like the doc's RegionIds example"},
      {"ros-missing-operation-id", "ros.CreateStackInstances", "", K::drop_field, 0, "OperationId", 0, "", "",
       "CreateStackInstances success body has no OperationId"},
      {"batchcompute-cluster-quota-off-by-one", "batchcompute.CreateCluster", "quota.MaxClusterCount", K::shift_max,
       1, "", 0, "", "", "CreateCluster lets one cluster more than MaxClusterCount be created"},
      {"batchcompute-idempotent-token-ignored", "batchcompute.CreateCluster", "IdempotentToken.idempotency",
       K::skip_rule, 0, "", 0, "", "",
       "CreateCluster ignores IdempotentToken: other parameters with a used token create a cluster"},
      {"batchcompute-created-200", "batchcompute.CreateCluster", "", K::success_status, 0, "", 200, "", "",
       "CreateCluster answers 200 instead of 201"},
      {"batchcompute-zero-vm-count", "batchcompute.CreateCluster", "Groups.{key}.DesiredVMCount.range", K::shift_min,
       -1, "", 0, "", "", "CreateCluster accepts DesiredVMCount=0"},
      {"batchcompute-bad-json-500", "batchcompute.CreateCluster", "", K::json_crash, 0, "", 0, "", "",
       "CreateCluster answers a body that is not JSON with 500 instead of 400 InvalidJsonFormat"},
      {"batchcompute-missing-request-id-header", "batchcompute.CreateCluster", "", K::drop_header, 0,
       "x-acs-request-id", 0, "", "", "CreateCluster success has no x-acs-request-id header"},
      {"dcs-cluster-512-dropped", "dcs.CreateInstance", "capacity.enum_if.2", K::enum_drop, 0, "512", 0, "", "",
       "DCS CreateInstance rejects capacity 512 for OTC_DCS_CL"},
      {"dcs-slow-cluster", "dcs.CreateInstance", "", K::slow, 30000, "", 0, "product_id", "OTC_DCS_CL",
       "DCS CreateInstance of an OTC_DCS_CL instance answers after 30 s"},
      {"dcs-crash-auto-backup", "dcs.CreateInstance", "", K::crash, 0, "", 0, "instance_backup_policy.backup_type",
       "auto", "DCS CreateInstance with backup_type auto answers 500"},
      {"dcs-missing-instance-id", "dcs.CreateInstance", "", K::drop_field, 0, "instance_id", 0, "", "",
       "DCS CreateInstance success body has no top-level instance_id"},
  };
  return faults;
}

Result<FaultSet> FaultSet::from_names(const std::vector<std::string>& names) {
  FaultSet set;
  for (const auto& name : names) {
    const Fault* found = nullptr;
    for (const auto& f : all_faults())
      if (f.name == name) found = &f;
    if (!found) return fail("--fault " + name, "unknown fault (conform emulate --list-faults lists them)");
    set.active_.push_back(found);
  }
  return set;
}

const Fault* FaultSet::for_rule(std::string_view op, std::string_view rule, FaultKind kind) const {
  for (const Fault* f : active_)
    if (f->kind == kind && f->rule == rule && f->op == op) return f;
  return nullptr;
}

const Fault* FaultSet::for_op(std::string_view op, FaultKind kind) const {
  for (const Fault* f : active_)
    if (f->kind == kind && (f->op.empty() || f->op == op)) return f;
  return nullptr;
}

bool FaultSet::any(FaultKind kind) const {
  for (const Fault* f : active_)
    if (f->kind == kind) return true;
  return false;
}

}  // namespace conform::emulator
