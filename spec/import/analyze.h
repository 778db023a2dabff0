// RawDoc -> Spec: turns table rows and prose into parameters, rules and linked
// error rows. Internal to the importer; the pieces live in analyze.cc (params,
// dialect, examples), sentences.cc (sentence patterns) and link_errors.cc.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "spec/import/raw_doc.h"
#include "spec/model.h"

namespace conform::import {

// What the manifest (apidocs/operations.json) says of a doc.
struct OperationInfo {
  std::string file;     // "aliyun-ecs-CreateInstance.md"
  std::string op;       // "ecs.CreateInstance"
  std::string dialect;  // "aliyun-rpc"
  std::string version;  // "2014-05-26"
};

// One constraint-bearing sentence and what became of it, for the import report.
struct SentenceRecord {
  int line = 0;
  std::string param;  // "" for prose outside the parameter table
  std::string text;
  std::vector<std::string> rules;  // ids of the rules it became
  std::string outcome;             // why no rule, or what else it set (default, deprecated)
};

struct Analysis {
  spec::Spec spec;
  std::vector<SentenceRecord> sentences;
};

Result<Analysis> analyze(const RawDoc& doc, const OperationInfo& info);

}  // namespace conform::import
