#include "transport/signing_canon.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "transport/signing_crypto.h"
#include "transport/url.h"

namespace conform::transport::canon {
namespace {

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

// sort_params's order (name, then value, then position: stable), sorting pointers
// rather than moving the parameters, with std::sort rather than stable_sort (whose
// temporary buffer is one more allocation per request), into the thread's buffer
// (its capacity kept from call to call). Valid until the thread's next call.
const std::vector<const Param*>& sorted(const Params& params) {
  thread_local std::vector<const Param*> out;
  out.clear();
  for (const Param& p : params) out.push_back(&p);
  std::sort(out.begin(), out.end(), [](const Param* a, const Param* b) {
    if (int c = a->name.compare(b->name); c != 0) return c < 0;
    if (int c = a->value.compare(b->value); c != 0) return c < 0;
    return a < b;
  });
  return out;
}

// Header names lower-cased into one buffer, reserved up front for all of them, so
// that the views it hands out stay valid: one allocation rather than one per name
// longer than std::string's inline buffer.
class LowerNames {
 public:
  explicit LowerNames(const Pairs& headers) {
    std::size_t size = 0;
    for (const auto& h : headers) size += h.first.size();
    buf_.reserve(size);
  }
  std::string_view add(std::string_view name) {
    const std::size_t at = buf_.size();
    buf_.append(name);
    for (std::size_t i = at; i < buf_.size(); ++i) {
      buf_[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(buf_[i])));
    }
    return std::string_view(buf_).substr(at);
  }

 private:
  std::string buf_;
};

void append_roa_canonical_headers(std::string& out, const Pairs& headers) {
  // Lower-cased x-acs-* names and their values, sorted by name; of a repeated
  // name the last value counts (the request's order breaks ties).
  struct Acs {
    std::string_view name;
    const std::string* value;
    std::size_t at;
  };
  LowerNames lower(headers);
  std::vector<Acs> acs;
  for (const auto& [name, value] : headers) {
    // An empty header is not sent (transport/http.h), so it is not signed either.
    if (!value.empty() && text::starts_with_ci(name, "x-acs-")) acs.push_back({lower.add(name), &value, acs.size()});
  }
  std::sort(acs.begin(), acs.end(), [](const Acs& a, const Acs& b) {
    if (int c = a.name.compare(b.name); c != 0) return c < 0;
    return a.at < b.at;
  });
  for (std::size_t i = 0; i < acs.size(); ++i) {
    if (i + 1 < acs.size() && acs[i + 1].name == acs[i].name) continue;
    out.append(acs[i].name) += ':';
    out.append(*acs[i].value) += '\n';
  }
}

void append_roa_canonical_resource(std::string& out, std::string_view target) {
  Target t = split_target(target);
  percent_decode_to(out, t.path, false);
  const Params params = parse_params(t.query, false);
  char sep = '?';
  for (const Param* p : sorted(params)) {
    out += sep;
    sep = '&';
    out += p->name;
    if (p->has_value) (out += '=') += p->value;
  }
}

void append_huawei_canonical_uri(std::string& out, std::string_view path) {
  const std::size_t start = out.size();
  std::string segment;
  while (true) {
    std::size_t slash = path.find('/');
    segment.clear();
    percent_decode_to(segment, path.substr(0, slash), false);
    percent_encode_to(out, segment);
    if (slash == std::string_view::npos) break;
    out += '/';
    path.remove_prefix(slash + 1);
  }
  if (out.size() == start || out.back() != '/') out += '/';
}

}  // namespace

Params parse_params(std::string_view s, bool plus_is_space) {
  Params out;
  if (s.empty()) return out;
  // Room for every piece at once, not a reallocation per doubling.
  std::size_t pieces = 1;
  for (std::size_t amp = s.find('&'); amp != std::string_view::npos; amp = s.find('&', amp + 1)) ++pieces;
  out.reserve(pieces);
  while (!s.empty()) {
    std::size_t amp = s.find('&');
    std::string_view piece = s.substr(0, amp);
    s = amp == std::string_view::npos ? std::string_view() : s.substr(amp + 1);
    if (piece.empty()) continue;
    std::size_t eq = piece.find('=');
    Param& p = out.emplace_back();
    const std::string_view name = piece.substr(0, eq);
    p.name.reserve(name.size());
    percent_decode_to(p.name, name, plus_is_space);
    if (eq == std::string_view::npos) {
      p.has_value = false;
    } else {
      const std::string_view value = piece.substr(eq + 1);
      p.value.reserve(value.size());
      percent_decode_to(p.value, value, plus_is_space);
    }
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

std::string rpc_canonical_query(const Params& params) {
  std::size_t size = 0;
  for (const Param& p : params) size += p.name.size() + p.value.size() + 2;
  std::string out;
  out.reserve(size + size / 4);  // room for a few escapes: one allocation, as a rule
  for (const Param* p : sorted(params)) {
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
  std::string out;
  append_roa_canonical_headers(out, headers);
  return out;
}

std::string roa_canonical_resource(std::string_view target) {
  std::string out;
  append_roa_canonical_resource(out, target);
  return out;
}

// Appended into one string (reserved for the request's headers and target) rather
// than joined from the pieces' own strings.
std::string roa_string_to_sign(const HttpRequest& r) {
  std::size_t size = r.method.size() + r.target.size() + 8;
  for (const auto& [name, value] : r.headers) size += name.size() + value.size() + 2;
  std::string out;
  out.reserve(size);
  out.append(r.method) += '\n';
  for (std::string_view h : {"Accept", "Content-MD5", "Content-Type", "Date"}) out.append(header_or_empty(r, h)) += '\n';
  append_roa_canonical_headers(out, r.headers);
  append_roa_canonical_resource(out, r.target);
  return out;
}

std::string huawei_canonical_uri(std::string_view path) {
  std::string out;
  append_huawei_canonical_uri(out, path);
  return out;
}

std::string huawei_canonical_query(std::string_view query) {
  // The same form as RPC's canonical query: RFC 3986 both sides, sorted, a bare
  // name as "name=".
  return rpc_canonical_query(parse_params(query, false));
}

// The signed headers as (lower-cased name, trimmed value) sorted by name, then
// value: each name's values sorted, the names in order.
HuaweiCanonical huawei_canonical_request(const HttpRequest& r, std::string_view host) {
  std::vector<std::pair<std::string_view, std::string_view>> signed_values;
  signed_values.reserve(r.headers.size() + 1);
  LowerNames names(r.headers);
  bool has_host = false;
  std::size_t size = r.method.size() + r.target.size() * 2 + r.body.size() / 8 + 80;
  for (const auto& [name, value] : r.headers) {
    const std::string_view lower = names.add(name);
    if (lower == "host") has_host = true;
    if (lower == "content-type" || lower.find('_') != std::string_view::npos || value.empty()) continue;  // empty: not sent
    size += 2 * name.size() + value.size() + 3;
    signed_values.emplace_back(lower, trim(value));
  }
  if (!has_host && !host.empty()) {
    signed_values.emplace_back("host", host);
    size += host.size() + 10;
  }
  std::sort(signed_values.begin(), signed_values.end());

  HuaweiCanonical out;
  std::string& request = out.request;
  request.reserve(size);
  const Target t = split_target(r.target);
  request.append(r.method) += '\n';
  append_huawei_canonical_uri(request, t.path);
  request += '\n';
  request.append(huawei_canonical_query(t.query)) += '\n';
  for (const auto& [name, value] : signed_values) request.append(name).append(":").append(value) += '\n';
  request += '\n';
  for (std::size_t i = 0; i < signed_values.size(); ++i) {
    if (i > 0 && signed_values[i].first == signed_values[i - 1].first) continue;
    if (i > 0) out.signed_headers += ';';  // (an empty name too is joined)
    out.signed_headers += signed_values[i].first;
  }
  request.append(out.signed_headers) += '\n';
  if (const std::string* given = r.header("X-Sdk-Content-Sha256")) {
    request += *given;
  } else {
    request += crypto::hex(crypto::sha256(r.body));
  }
  return out;
}

std::string huawei_string_to_sign(std::string_view sdk_date, std::string_view canonical_request) {
  std::string out;
  out.reserve(18 + sdk_date.size() + 64);
  out.append("SDK-HMAC-SHA256\n").append(sdk_date) += '\n';
  out += crypto::hex(crypto::sha256(canonical_request));
  return out;
}

}  // namespace conform::transport::canon
