// The error table: each row linked to the rules that report it; then every rule's
// expected status and codes, documented from its rows or inferred from the
// dialect's naming convention.
#pragma once

#include "spec/import/sentences.h"

namespace conform::import {

// Converts doc.errors into spec.errors, linking each row (and adding the rules its
// message states, as the BatchCompute table does).
void link_errors(RuleSink& sink, const RawDoc& doc);
// Resolves parameter names in rules to dotted paths in the spec ("backup_type" ->
// "instance_backup_policy.backup_type"); drops rules naming no parameter, with why.
void resolve_names(RuleSink& sink);
// Fills Rule::expect for every rule.
void predict_expectations(RuleSink& sink);

// "DataDisk.N.Size" -> "DataDiskSize", "Groups.{key}.DesiredVMCount" -> "GroupsDesiredVMCount".
std::string compact_name(const std::string& path);

}  // namespace conform::import
