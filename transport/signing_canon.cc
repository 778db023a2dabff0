#include "transport/signing_canon.h"

#include <algorithm>
#include <map>

#include "core/text.h"
#include "transport/signing_crypto.h"
#include "transport/url.h"

namespace conform::transport::canon {
namespace {

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const std::string& header_or_empty(const HttpRequest& r, std::string_view name) {
  static const std::string kEmpty;
  const std::string* v = r.header(name);
  return v ? *v : kEmpty;
}

}  // namespace

Params parse_params(std::string_view s, bool plus_is_space) {
  Params out;
  while (!s.empty()) {
    std::size_t amp = s.find('&');
    std::string_view piece = s.substr(0, amp);
    s = amp == std::string_view::npos ? std::string_view() : s.substr(amp + 1);
    if (piece.empty()) continue;
    std::size_t eq = piece.find('=');
    Param p;
    p.name = percent_decode(piece.substr(0, eq), plus_is_space);
    if (eq == std::string_view::npos) {
      p.has_value = false;
    } else {
      p.value = percent_decode(piece.substr(eq + 1), plus_is_space);
    }
    out.push_back(std::move(p));
  }
  return out;
}

Target split_target(std::string_view target) {
  std::size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

void sort_params(Params& params) {
  std::stable_sort(params.begin(), params.end(), [](const Param& a, const Param& b) {
    return a.name != b.name ? a.name < b.name : a.value < b.value;
  });
}

// sort_params's order, sorting pointers rather than copying the parameters.
std::string rpc_canonical_query(const Params& params) {
  std::vector<const Param*> sorted;
  sorted.reserve(params.size());
  for (const Param& p : params) sorted.push_back(&p);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Param* a, const Param* b) {
    return a->name != b->name ? a->name < b->name : a->value < b->value;
  });
  std::string out;
  for (const Param* p : sorted) {
    if (!out.empty()) out += '&';
    percent_encode_to(out, p->name);
    out += '=';
    percent_encode_to(out, p->value);
  }
  return out;
}

std::string rpc_string_to_sign(std::string_view method, const Params& params) {
  const std::string query = rpc_canonical_query(params);
  std::string out;
  out.reserve(method.size() + 6 + query.size() * 5 / 4);
  out.append(method).append("&%2F&");  // percent_encode("/")
  percent_encode_to(out, query);
  return out;
}

std::string roa_canonical_headers(const Pairs& headers) {
  std::map<std::string, std::string> acs;
  for (const auto& [name, value] : headers) {
    std::string lower = text::to_lower(name);
    // An empty header is not sent (transport/http.h), so it is not signed either.
    if (lower.rfind("x-acs-", 0) == 0 && !value.empty()) acs[lower] = value;
  }
  std::string out;
  for (const auto& [name, value] : acs) out.append(name).append(":").append(value) += '\n';
  return out;
}

std::string roa_canonical_resource(std::string_view target) {
  Target t = split_target(target);
  std::string out = percent_decode(t.path, false);
  Params params = parse_params(t.query, false);
  sort_params(params);
  for (std::size_t i = 0; i < params.size(); ++i) {
    out += i == 0 ? "?" : "&";
    out += params[i].name;
    if (params[i].has_value) out += "=" + params[i].value;
  }
  return out;
}

std::string roa_string_to_sign(const HttpRequest& r) {
  std::string out = r.method + "\n";
  for (std::string_view h : {"Accept", "Content-MD5", "Content-Type", "Date"}) out.append(header_or_empty(r, h)) += '\n';
  out += roa_canonical_headers(r.headers);
  out += roa_canonical_resource(r.target);
  return out;
}

std::string huawei_canonical_uri(std::string_view path) {
  std::string out;
  while (true) {
    std::size_t slash = path.find('/');
    percent_encode_to(out, percent_decode(path.substr(0, slash), false));
    if (slash == std::string_view::npos) break;
    out += '/';
    path.remove_prefix(slash + 1);
  }
  if (out.empty() || out.back() != '/') out += '/';
  return out;
}

std::string huawei_canonical_query(std::string_view query) {
  // The same form as RPC's canonical query: RFC 3986 both sides, sorted, a bare
  // name as "name=".
  return rpc_canonical_query(parse_params(query, false));
}

HuaweiCanonical huawei_canonical_request(const HttpRequest& r, std::string_view host) {
  std::map<std::string, std::vector<std::string>> signed_values;
  bool has_host = false;
  for (const auto& [name, value] : r.headers) {
    std::string lower = text::to_lower(name);
    if (lower == "host") has_host = true;
    if (lower == "content-type" || lower.find('_') != std::string::npos || value.empty()) continue;  // empty: not sent
    signed_values[lower].emplace_back(trim(value));
  }
  if (!has_host && !host.empty()) signed_values["host"].emplace_back(host);

  std::string headers;
  std::vector<std::string> names;
  for (auto& [name, values] : signed_values) {
    std::sort(values.begin(), values.end());
    for (const std::string& v : values) headers.append(name).append(":").append(v) += '\n';
    names.push_back(name);
  }
  std::string payload_hash;
  if (const std::string* given = r.header("X-Sdk-Content-Sha256")) {
    payload_hash = *given;
  } else {
    payload_hash = crypto::hex(crypto::sha256(r.body));
  }
  Target t = split_target(r.target);
  HuaweiCanonical out;
  out.signed_headers = join(names, ";");
  out.request = r.method + "\n" + huawei_canonical_uri(t.path) + "\n" + huawei_canonical_query(t.query) + "\n" +
                headers + "\n" + out.signed_headers + "\n" + payload_hash;
  return out;
}

std::string huawei_string_to_sign(std::string_view sdk_date, std::string_view canonical_request) {
  return "SDK-HMAC-SHA256\n" + std::string(sdk_date) + "\n" + crypto::hex(crypto::sha256(canonical_request));
}

}  // namespace conform::transport::canon
