#include "transport/request_wire.h"

#include <charconv>

#include "core/text.h"

namespace conform::transport {
namespace {

// Names whose fields Beast's build_request sets, replaces or rewrites itself.
bool special_name(std::string_view n) {
  switch (n.size()) {
    case 4: return text::equals_ci(n, "host");
    case 10: return text::equals_ci(n, "user-agent") || text::equals_ci(n, "connection");
    case 14: return text::equals_ci(n, "content-length");
    case 17: return text::equals_ci(n, "transfer-encoding");
    default: return false;
  }
}

// Beast's fields trim spaces and tabs around a value (http::detail::trim).
std::string_view trim_ows(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// Beast throws for a field name or value over its 16-bit offsets.
constexpr std::size_t kMaxField = 60000;

}  // namespace

bool request_head(const HttpRequest& r, std::string_view target, std::string_view host, std::string& out) {
  const std::string& m = r.method;
  if (m == "TRACE") return false;  // prepare_payload throws for it
  std::size_t size = m.size() + target.size() + host.size() + 64;
  for (const auto& [name, value] : r.headers) {
    if (value.empty() || special_name(name) || name.size() > kMaxField || value.size() > kMaxField) return false;
    size += name.size() + value.size() + 4;
  }
  out.reserve(out.size() + size);
  out.append(m).append(" ", 1).append(target).append(" HTTP/1.1\r\nHost: ", 17).append(host);
  out.append("\r\nUser-Agent: conform\r\n", 23);
  for (const auto& [name, value] : r.headers) {
    out.append(name).append(": ", 2).append(trim_ows(value)).append("\r\n", 2);
  }
  // prepare_payload: a body, or a method other than GET and HEAD, sets the length
  // when it is not zero or the method is one that expects a body (Beast's verbs
  // are case-sensitive: "post" is an unknown verb); otherwise no length.
  bool payload = !r.body.empty() || (m != "GET" && m != "HEAD");
  if (payload && (!r.body.empty() || m == "POST" || m == "PUT" || m == "OPTIONS")) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, r.body.size()).ptr;
    out.append("Content-Length: ", 16).append(digits, end).append("\r\n", 2);
  }
  out.append("\r\n", 2);
  return true;
}

}  // namespace conform::transport
