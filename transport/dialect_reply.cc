// HTTP response -> Reply, per dialect: where the code, message and request id sit.
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/text.h"
#include "transport/dialect.h"

namespace conform::transport {
namespace {

using nlohmann::json;

Reply::Format sniff(std::string_view content_type, std::string_view body) {
  std::string_view t = text::trim(body);
  if (t.empty()) return Reply::Format::empty;
  // An HTML page (a web server's or proxy's own error page) starts with '<' but
  // is no XML: read as XML it would be reported as broken XML.
  if (contains_ci(content_type, "text/html")) return Reply::Format::other;
  if (contains_ci(content_type, "xml")) return Reply::Format::xml;
  if (contains_ci(content_type, "json")) return Reply::Format::json;
  // No or a generic content type: go by the first character.
  if (t.front() == '<') return Reply::Format::xml;
  if (t.front() == '{' || t.front() == '[') return Reply::Format::json;
  return Reply::Format::other;
}

// A member as text: codes are strings, but a sloppy service may send a number.
std::string member_text(const json& body, const char* key) {
  if (!body.is_object()) return "";
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_primitive()) return it->dump();
  return "";
}

struct Layout {
  const char* code;
  const char* message;
  const char* request_id;  // in the body; nullptr: none
  const char* request_id_header;
};

Layout layout_of(Dialect d) {
  switch (d) {
    case Dialect::aliyun_rpc: return {"Code", "Message", "RequestId", nullptr};
    case Dialect::aliyun_roa: return {"Code", "Message", "RequestId", "x-acs-request-id"};
    case Dialect::huawei_rest: return {"error_code", "error_msg", nullptr, "X-Request-Id"};
  }
  return {"Code", "Message", "RequestId", nullptr};
}

void parse_body(Reply& r, std::string_view body) {
  if (r.format == Reply::Format::json) {
    json j = parse_json_bounded(body);
    if (j.is_discarded()) {
      r.parse_error = json_nesting(body, kMaxJsonNesting) > kMaxJsonNesting
                          ? "the body is JSON nested deeper than " + std::to_string(kMaxJsonNesting) + " levels"
                          : "the body is not valid JSON: " + text::printable(body, 80);
      return;
    }
    r.body = std::make_shared<const json>(std::move(j));
  } else if (r.format == Reply::Format::xml) {
    auto j = xml_to_json(body, &r.xml_root);
    if (!j) {
      r.parse_error = "the body is not well-formed XML: " + j.error().message();
      return;
    }
    r.body = std::make_shared<const json>(std::move(*j));
  }
}

}  // namespace

std::string_view to_string(Reply::Format f) {
  switch (f) {
    case Reply::Format::empty: return "empty";
    case Reply::Format::json: return "json";
    case Reply::Format::xml: return "xml";
    case Reply::Format::other: return "other";
  }
  return "other";
}

bool code_is(const Reply& r, std::string_view expected) {
  if (r.code_size <= kMaxCodeBytes) return r.code == expected;
  return expected.size() == r.code_size && expected.compare(0, kMaxCodeBytes, r.code, 0, kMaxCodeBytes) == 0;
}

Reply read_reply(Dialect d, const HttpResponse& response) {
  Reply r;
  r.status = response.status;
  if (const std::string* ct = response.header("Content-Type")) r.content_type = *ct;
  r.format = sniff(r.content_type, response.body);
  parse_body(r, response.body);
  Layout l = layout_of(d);
  if (r.body) {
    r.code = member_text(*r.body, l.code);
    r.code_size = r.code.size();
    if (r.code.size() > kMaxCodeBytes) {
      r.code.resize(kMaxCodeBytes);
      r.code += "... (a code of " + std::to_string(r.code_size) + " bytes, cut)";
    }
    r.message = member_text(*r.body, l.message);
    if (l.request_id) r.request_id = member_text(*r.body, l.request_id);
  }
  if (r.request_id.empty() && l.request_id_header) {
    if (const std::string* id = response.header(l.request_id_header)) r.request_id = *id;
  }
  return r;
}

}  // namespace conform::transport
