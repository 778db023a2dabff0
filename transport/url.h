// Target URLs and the percent-encoding the dialects put on the wire.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/case.h"
#include "core/error.h"

namespace conform::transport {

// "http://127.0.0.1:8080/base": where requests go. HTTPS parses (issue 8 adds
// the TLS stream) but the client refuses it until then.
struct Endpoint {
  std::string scheme = "http";
  std::string host;
  std::uint16_t port = 80;
  std::string base_path;  // "" or "/base" (no trailing slash); prefixed to every target

  // "http://host:port" with the port only when not the scheme's default.
  std::string origin() const;
  bool loopback() const;  // 127.0.0.0/8, ::1 or localhost
};

Result<Endpoint> parse_url(std::string_view url);

// RFC 3986: every byte outside A-Z a-z 0-9 - _ . ~ as %XX (upper case). This is
// what Alibaba Cloud's signature canonicalisation (issue 8) also needs.
std::string percent_encode(std::string_view s);
// The same, appended to `out`.
void percent_encode_to(std::string& out, std::string_view s);
// Decodes %XX (and '+' as space when `plus_is_space`); a bad escape stays as is.
std::string percent_decode(std::string_view s, bool plus_is_space);
// The same, appended to `out` (a caller's buffer, reused across calls).
void percent_decode_to(std::string& out, std::string_view s, bool plus_is_space);

// name=value&name=value, each side percent-encoded, in the given order.
std::string encode_pairs(const Pairs& pairs);
// The reverse, for logs and tests; an empty string gives no pairs.
Pairs decode_pairs(std::string_view s);

}  // namespace conform::transport
