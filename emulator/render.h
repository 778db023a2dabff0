// Internal: the answers in each dialect's shape (docs/decisions.md §3): aliyun-rpc
// JSON or XML with RequestId in the body, aliyun-roa with the x-acs-request-id
// header, huawei-rest {error_code, error_msg}.
#pragma once

#include <string>

#include "emulator/faults.h"
#include "emulator/http.h"
#include "emulator/state.h"
#include "spec/model.h"

namespace conform::emulator {

struct ErrorAnswer {
  int status = 400;
  std::string code;
  std::string message;
};

struct RenderContext {
  std::string dialect;  // "aliyun-rpc", "aliyun-roa", "huawei-rest"
  std::string op;       // operation id, empty before dispatch
  std::string service;
  std::string action;   // aliyun-rpc: the XML root is <{action}Response>
  bool xml = false;
  const FaultSet* faults = nullptr;
};

// The dialect's code for a rule without one, and for emulator-level answers:
// aliyun "InvalidParameter"; huawei "<SERVICE>.<status>0" ("DCS.4000").
std::string generic_code(const RenderContext& ctx, int status);

HttpResponse error_response(const RenderContext& ctx, const ErrorAnswer& e);
HttpResponse success_response(const RenderContext& ctx, const spec::Spec& spec, const Answer& answer);

}  // namespace conform::emulator
