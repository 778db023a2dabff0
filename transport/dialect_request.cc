// Case -> HTTP request, per dialect.
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/text.h"
#include "transport/dialect.h"

namespace conform::transport {
namespace {

bool targets_param(const Case& c, std::string_view param) {
  if (!c.target) return false;
  const std::string& rule = c.target->rule;
  return rule.size() > param.size() && rule.compare(0, param.size(), param) == 0 && rule[param.size()] == '.';
}

void add_if_absent(Case& c, const std::string& name, const std::string& value) {
  if (value.empty() || c.query_value(name) != nullptr || targets_param(c, name)) return;
  c.query.emplace_back(name, value);
}

// Path characters kept as they are: RFC 3986 pchar plus '/'; the rest is encoded,
// so that a generated value cannot split the request line.
std::string encode_path(std::string_view path) {
  std::string out;
  for (unsigned char ch : path) {
    bool keep = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                std::string_view("-._~!$&'()*+,;=:@/%{}").find(static_cast<char>(ch)) != std::string_view::npos;
    if (keep) {
      out += static_cast<char>(ch);
    } else {
      out += percent_encode(std::string_view(reinterpret_cast<const char*>(&ch), 1));
    }
  }
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  return out;
}

bool has_header(const Case& c, std::string_view name) {
  for (const auto& [k, v] : c.headers) {
    if (text::equals_ci(k, name)) return true;
  }
  return false;
}

}  // namespace

Result<Dialect> parse_dialect(std::string_view name) {
  if (name == "aliyun-rpc") return Dialect::aliyun_rpc;
  if (name == "aliyun-roa") return Dialect::aliyun_roa;
  if (name == "huawei-rest") return Dialect::huawei_rest;
  return fail("dialect", "expected aliyun-rpc, aliyun-roa or huawei-rest, got '" + std::string(name) + "'");
}

std::string_view to_string(Dialect d) {
  switch (d) {
    case Dialect::aliyun_rpc: return "aliyun-rpc";
    case Dialect::aliyun_roa: return "aliyun-roa";
    case Dialect::huawei_rest: return "huawei-rest";
  }
  return "aliyun-rpc";
}

bool has_request_id(Dialect d) { return d != Dialect::huawei_rest; }

Case with_common_params(const Case& c, const spec::Spec& spec, Dialect d) {
  Case out = c;
  add_common_params(out, spec, d);
  return out;
}

void add_common_params(Case& c, const spec::Spec& spec, Dialect d) {
  if (c.path.empty()) c.path = spec.path;
  if (d != Dialect::aliyun_rpc) return;
  add_if_absent(c, "Action", spec.name);
  add_if_absent(c, "Version", spec.version);
  add_if_absent(c, "Format", "JSON");
}

HttpRequest build_request(const Case& c, Dialect d, const Endpoint& endpoint) {
  HttpRequest r;
  r.method = c.method.empty() ? "GET" : upper(c.method);
  r.target = endpoint.base_path + encode_path(c.path.empty() ? "/" : c.path);
  std::string params = encode_pairs(c.query);
  std::string content_type;
  // An aliyun-rpc body is text: a case's `raw_body`, or a `body` that is a JSON
  // string, goes out verbatim (the oracle reads that string as the form it is,
  // oracles/dialect.cc); a JSON object or array has no RPC wire form and is not sent.
  const std::string* text = c.raw_body ? &*c.raw_body : nullptr;
  if (!text && d == Dialect::aliyun_rpc && c.body && c.body->is_string()) text = &c.body->get_ref<const std::string&>();
  // aliyun-rpc POST carries its parameters as a form; everything else in the URL,
  // and so do they when the case gives its own body text (which takes the body).
  bool form = d == Dialect::aliyun_rpc && r.method == "POST" && !text;
  if (form) {
    r.body = params;
    content_type = "application/x-www-form-urlencoded";
  } else if (!params.empty()) {
    r.target += (r.target.find('?') == std::string::npos ? "?" : "&") + params;
  }
  if (d != Dialect::aliyun_rpc && c.body) {
    append_json(r.body, *c.body);  // c.body->dump(-1, ' ', false, replace), as the redactor assumes
    content_type = "application/json";
  }
  if (text) {
    r.body = *text;
    if (content_type.empty()) content_type = d == Dialect::aliyun_rpc ? "application/x-www-form-urlencoded" : "application/json";
  }
  if (!content_type.empty() && !has_header(c, "Content-Type")) r.headers.emplace_back("Content-Type", content_type);
  for (const auto& h : c.headers) r.headers.push_back(h);
  return r;
}

}  // namespace conform::transport
