// Sends conform cases to the emulator under test the way the runner puts them on
// the wire (transport::with_common_params, transport::build_request) over the
// raw-socket client, and reads each answer the dialect's way
// (transport::read_reply). For the end-to-end tests only.
#pragma once

#include <string>
#include <vector>

#include "core/case.h"
#include "spec/model.h"
#include "transport/dialect.h"

namespace conform::e2e {

struct Exchanged {
  Case sent;  // the step as sent: placeholders filled, common parameters added
  transport::Reply reply;
  bool answered = false;
};

// The spec of `op`, or nullptr.
const spec::Spec* find_spec(const std::vector<spec::Spec>& specs, const std::string& op);

// One request on a fresh connection. A header whose value is empty is left off
// the request (curl's `-H 'Name:'`): that is how a case asks for a POST without
// Content-Length.
Exchanged exchange(int port, const spec::Spec& spec, const Case& c);

// The steps of `s` in order on one connection each; "${N.Field}" in a query value
// or a JSON body string stands for Field of step N's answer.
std::vector<Exchanged> run_scenario(int port, const std::vector<spec::Spec>& specs, const Scenario& s);

// `conform gen` of the binary under test, parsed; an unreadable line fails with
// its number in `error`.
std::vector<Scenario> generated_cases(const std::string& args, std::string& error);

}  // namespace conform::e2e
