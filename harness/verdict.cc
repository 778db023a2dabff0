#include "harness/verdict.h"

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "reports/format.h"

namespace conform::verdict {
namespace {

using nlohmann::json;
using report::Finding;
using report::Outcome;
using spec::Confidence;

bool is_success(int status) { return status >= 200 && status < 300; }

// A finding with expected and observed filled in, as every finding must have.
Finding finding(const Input& in, const char* check, Outcome o, std::string message) {
  Finding f;
  f.check = check;
  f.outcome = o;
  f.message = std::move(message);
  f.expected_status = in.expected.status;
  f.expected_codes = in.expected.codes;
  f.observed_status = in.reply.status;
  f.observed_code = in.reply.code;
  return f;
}

// A mismatch on a documented expectation fails; on an inferred or unknown one it
// warns, unless --strict.
Outcome mismatch(const Input& in) {
  return in.expected.confidence == Confidence::documented || in.strict ? Outcome::fail : Outcome::warning;
}

// The target's code as a message shows it: a hostile one may be megabytes (each
// finding's text would copy it) or hold terminal escapes: cut and escaped.
std::string shown_code(const Input& in) { return text::printable(in.reply.code, 120); }

std::string observed(const Input& in) {
  std::vector<std::string> codes;
  if (!in.reply.code.empty()) codes.push_back(shown_code(in));
  return report::status_and_codes(in.reply.status, codes);
}

// Accepting a request the doc forbids, or refusing one it allows, is a failure
// whatever the confidence: confidence is about which error, not whether one.
// Two different error statuses follow the confidence. The exception is an
// `ambiguous` expectation, where the doc itself reads both ways on whether the
// request is refused: its acceptance warns like any other mismatch.
std::optional<Finding> check_status(const Input& in) {
  if (in.reply.status == in.expected.status) return finding(in, "status", Outcome::pass, "");
  bool class_differs = is_success(in.reply.status) != is_success(in.expected.status) &&
                       in.expected.confidence != Confidence::ambiguous;
  Outcome o = class_differs || in.reply.status >= 500 ? Outcome::fail : mismatch(in);
  return finding(in, "status", o,
                 "expected status " + std::to_string(in.expected.status) + ", got " + observed(in));
}

std::optional<Finding> check_code(const Input& in) {
  if (in.expected.codes.empty() || is_success(in.expected.status) || is_success(in.reply.status)) {
    return std::nullopt;
  }
  for (const std::string& c : in.expected.codes) {
    if (transport::code_is(in.reply, c)) return finding(in, "code", Outcome::pass, "");
  }
  std::string want = report::status_and_codes(in.expected.status, in.expected.codes);
  std::string got = in.reply.code.empty() ? "no error code in the body" : "code " + shown_code(in);
  return finding(in, "code", mismatch(in), "expected " + want + ", got " + got);
}

std::optional<Finding> check_request_id(const Input& in) {
  if (!transport::has_request_id(in.dialect)) return std::nullopt;
  if (!in.reply.request_id.empty()) return finding(in, "request_id", Outcome::pass, "");
  return finding(in, "request_id", Outcome::fail,
                 "no RequestId in the " + std::string(transport::to_string(in.dialect)) + " answer (" +
                     observed(in) + ")");
}

transport::Reply::Format expected_format(const Input& in) {
  const std::string* f = in.sent.query_value("Format");
  if (in.dialect == transport::Dialect::aliyun_rpc && f && text::equals_ci(*f, "XML")) {
    return transport::Reply::Format::xml;
  }
  return transport::Reply::Format::json;
}

std::optional<Finding> check_body_format(const Input& in) {
  const transport::Reply& r = in.reply;
  if (!r.parse_error.empty()) return finding(in, "body_format", Outcome::fail, r.parse_error);
  auto want = expected_format(in);
  if (r.format == transport::Reply::Format::empty) {
    if (is_success(r.status) && in.spec.response.empty()) return std::nullopt;
    return finding(in, "body_format", Outcome::fail, "empty body, expected " + std::string(to_string(want)));
  }
  if (r.format != want) {
    return finding(in, "body_format", Outcome::fail,
                   "expected a " + std::string(to_string(want)) + " body, got " + std::string(to_string(r.format)) +
                       " (Content-Type: " + (r.content_type.empty() ? "none" : r.content_type) + ")");
  }
  if (!transport::contains_ci(r.content_type, to_string(want))) {
    return finding(in, "body_format", Outcome::fail,
                   "the body is " + std::string(to_string(want)) + " but Content-Type is '" + r.content_type + "'");
  }
  return finding(in, "body_format", Outcome::pass, "");
}

// XML carries every leaf as text, so a number or a boolean there is text that
// parses as one.
bool type_ok(spec::ParamType t, const json& v, bool xml) {
  using spec::ParamType;
  switch (t) {
    case ParamType::String: return v.is_string() || (xml && !v.is_structured());
    case ParamType::Integer:
    case ParamType::Long:
      return v.is_number_integer() || (xml && v.is_string() && text::parse_integer(v.get<std::string>()));
    case ParamType::Float:
    case ParamType::Double: return v.is_number() || (xml && v.is_string());
    case ParamType::Boolean:
      return v.is_boolean() || (xml && v.is_string() && (v == "true" || v == "false"));
    case ParamType::Json: return v.is_structured() || v.is_string();
    case ParamType::Array: return v.is_array() || (xml && v.is_object());
    case ParamType::Object: return v.is_object();
  }
  return false;
}

std::optional<Finding> check_response_fields(const Input& in) {
  if (!is_success(in.expected.status) || !is_success(in.reply.status) || in.spec.response.empty()) {
    return std::nullopt;
  }
  if (!in.reply.body || !in.reply.body->is_object()) {
    return finding(in, "response_fields", Outcome::fail, "a success without a JSON object body");
  }
  bool xml = in.reply.format == transport::Reply::Format::xml;
  std::string problems;
  for (const spec::ResponseField& f : in.spec.response) {
    auto it = in.reply.body->find(f.name);
    if (it == in.reply.body->end()) {
      problems += (problems.empty() ? "" : "; ") + f.name + " is missing";
    } else if (!type_ok(f.type, *it, xml)) {
      problems += (problems.empty() ? "" : "; ") + f.name + " is not a " + std::string(spec::to_string(f.type));
    }
  }
  if (problems.empty()) return finding(in, "response_fields", Outcome::pass, "");
  return finding(in, "response_fields", Outcome::fail, "documented response fields: " + problems);
}

std::optional<Finding> check_idempotent_replay(const Input& in) {
  if (!in.replay_id || !is_success(in.reply.status)) return std::nullopt;
  std::string id = created_id(in.spec, in.reply);
  if (id == *in.replay_id) return finding(in, "idempotent_replay", Outcome::pass, "");
  return finding(in, "idempotent_replay", Outcome::fail,
                 "a replay with the same idempotency token and parameters must return the same resource " +
                     *in.replay_id + ", got '" + id + "'");
}

}  // namespace

const std::vector<Check>& checks() {
  static const std::vector<Check> table = {
      {"status", check_status},
      {"code", check_code},
      {"request_id", check_request_id},
      {"body_format", check_body_format},
      {"response_fields", check_response_fields},
      {"idempotent_replay", check_idempotent_replay},
  };
  return table;
}

std::vector<Finding> judge(const Input& in) {
  std::vector<Finding> out;
  out.reserve(checks().size());
  for (const Check& c : checks()) {
    if (auto f = c.fn(in)) out.push_back(std::move(*f));
  }
  return out;
}

Finding transport_finding(const transport::TransportError& e, const report::Prediction& expected) {
  Finding f;
  f.check = "transport";
  f.outcome = Outcome::error;
  f.message = std::string(transport::to_string(e.kind)) + ": " + e.message;
  f.expected_status = expected.status;
  f.expected_codes = expected.codes;
  return f;
}

Outcome outcome_of(const std::vector<Finding>& findings) {
  Outcome o = Outcome::pass;
  for (const Finding& f : findings) {
    if (!f.baselined) o = report::worst(o, f.outcome);
  }
  return o;
}

std::string created_id(const spec::Spec& spec, const transport::Reply& reply) {
  if (!reply.body || !reply.body->is_object()) return "";
  for (const spec::ResponseField& f : spec.response) {
    const std::string& n = f.name;
    bool id_like = n == "Id" || (n.size() > 2 && n.compare(n.size() - 2, 2, "Id") == 0) ||
                   (n.size() > 3 && n.compare(n.size() - 3, 3, "_id") == 0);
    if (!id_like || n == "RequestId") continue;
    auto it = reply.body->find(n);
    if (it != reply.body->end() && it->is_string()) return it->get<std::string>();
  }
  return "";
}

}  // namespace conform::verdict
