// Verdicts (DESIGN.md "Verdicts"): a table of small pure checks, each from one
// exchange (what was sent, what the oracle predicted, what came back, read in the
// operation's dialect) to a Finding, or nothing when it does not apply. Adding a
// check is adding a row; the runner only calls judge().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/case.h"
#include "reports/event.h"
#include "spec/model.h"
#include "transport/dialect.h"

namespace conform::verdict {

struct Input {
  const Case& sent;
  const spec::Spec& spec;
  transport::Dialect dialect;
  const report::Prediction& expected;
  const transport::Reply& reply;
  bool strict = false;
  // The resource id an earlier request with the same idempotency token and the
  // same parameters got; the replay must return it again.
  const std::string* replay_id = nullptr;
};

using CheckFn = std::optional<report::Finding> (*)(const Input&);

struct Check {
  const char* name;
  CheckFn fn;
};

// status, code, request_id, body_format, response_fields, idempotent_replay.
const std::vector<Check>& checks();

// Every applicable check's finding, passes included, in table order.
std::vector<report::Finding> judge(const Input& in);

// The finding for an exchange that got no usable response.
report::Finding transport_finding(const transport::TransportError& e, const report::Prediction& expected);

// The worst outcome among findings that are not baselined.
report::Outcome outcome_of(const std::vector<report::Finding>& findings);

// The id of the resource a successful answer created: the first documented
// response field named like an id (InstanceId, Id, instance_id), not RequestId.
std::string created_id(const spec::Spec& spec, const transport::Reply& reply);

}  // namespace conform::verdict
