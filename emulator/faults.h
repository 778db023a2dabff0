// Named realistic bugs the emulator can switch on (`conform emulate --fault NAME`),
// so that the harness can show it catches each. A fault is a row of data: which
// operation or rule it touches and how; the handler asks the FaultSet at the few
// places where a real service would go wrong.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace conform::emulator {

enum class FaultKind {
  shift_max,         // rule's upper bound moved by `amount`
  shift_min,         // rule's lower bound moved by `amount`
  wrong_status,      // rule answers `status` (its code unchanged)
  wrong_code,        // rule answers `value` as its code
  skip_rule,         // rule never fires
  enum_drop,         // rule no longer accepts `value`
  case_insensitive,  // rule compares case-insensitively
  drop_field,        // op's success body lacks field `value`
  drop_header,       // op's success lacks header `value`
  success_status,    // op's success answers `status`
  xml_ignored,       // Format=XML answered in JSON (every aliyun-rpc op)
  error_request_id,  // error bodies lack RequestId (every aliyun-rpc op)
  not_stored,        // op's created resource is forgotten
  crash,             // op answers 500 when `trigger` holds
  slow,              // op answers after `delay` when `trigger` holds
  dry_run_ignored,   // DryRun=true creates the resource
  json_whitespace,   // a Json-in-query text with a space is a type error
  json_crash,        // a body that is not JSON answers 500
};

struct Fault {
  std::string_view name;
  std::string_view op;    // operation id; empty: every operation of `dialect`
  std::string_view rule;  // rule id, for rule faults
  FaultKind kind;
  double amount = 0;
  std::string_view value;  // code, enum value, field, header
  int status = 0;
  // crash/slow: the request has parameter `trigger` (a query name prefix or a dotted
  // JSON path), equal to `trigger_value` unless that is empty.
  std::string_view trigger;
  std::string_view trigger_value;
  std::string_view summary;  // one line: what changes, for --list-faults
};

// Every fault the emulator knows, in --list-faults order.
const std::vector<Fault>& all_faults();

class FaultSet {
 public:
  FaultSet() = default;
  // Unknown names are an error naming the first one.
  static Result<FaultSet> from_names(const std::vector<std::string>& names);

  const Fault* for_rule(std::string_view op, std::string_view rule, FaultKind kind) const;
  const Fault* for_op(std::string_view op, FaultKind kind) const;
  bool any(FaultKind kind) const;
  const std::vector<const Fault*>& active() const { return active_; }

 private:
  std::vector<const Fault*> active_;
};

}  // namespace conform::emulator
