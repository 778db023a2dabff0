// The canonical forms the three signatures are computed over (docs/decisions.md,
// "Signing"). Pure functions of the request (Huawei's hashes the body and the
// canonical request with SHA-256); the signers, their tests and
// fuzz/fuzz_signing.cc use them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "transport/http.h"

namespace conform::transport::canon {

// One parameter of a query or form, decoded. `has_value` is false for a bare
// "name" without '=' (ROA signs it as "name", not "name=").
struct Param {
  std::string name;
  std::string value;
  bool has_value = true;
};
using Params = std::vector<Param>;

// "a=1&b&c=%20x" (no leading '?'): decoded parameters in order; empty pieces
// ("a=1&&b") are skipped. '+' is a space when `plus_is_space` (form rules).
Params parse_params(std::string_view s, bool plus_is_space);

// Splits an origin-form target at the first '?'.
struct Target {
  std::string_view path;
  std::string_view query;  // without the '?'; empty when there is none
};
Target split_target(std::string_view target);

// Sorts by name, then value, byte-wise (std::string's operator<).
void sort_params(Params& params);

// Alibaba Cloud RPC: the sorted parameters as name=value, each side
// percent-encoded (RFC 3986, url.h's percent_encode), joined with '&'.
std::string rpc_canonical_query(const Params& params);
// METHOD & percentEncode("/") & percentEncode(canonical query).
std::string rpc_string_to_sign(std::string_view method, const Params& params);

// Alibaba Cloud ROA: x-acs-* headers, names lower-cased, sorted, "name:value\n"
// each (a repeated name keeps its last value).
std::string roa_canonical_headers(const Pairs& headers);
// The decoded path, then '?' and the sorted parameters as decoded name=value
// (a bare name stays bare), joined with '&'.
std::string roa_canonical_resource(std::string_view target);
// VERB\nAccept\nContent-MD5\nContent-Type\nDate\n + headers + resource.
std::string roa_string_to_sign(const HttpRequest& request);

// Huawei Cloud APIG SDK-HMAC-SHA256.
// Each path segment decoded and re-encoded (RFC 3986), ending with '/'.
std::string huawei_canonical_uri(std::string_view path);
// Sorted by name then value, each side percent-encoded; a bare name gets "=".
std::string huawei_canonical_query(std::string_view query);
struct HuaweiCanonical {
  std::string request;         // the canonical request
  std::string signed_headers;  // "host;x-sdk-date"
};
// Signs every header except Content-Type and names with '_' (which proxies
// drop), plus `host` when the request has no Host header and host is not empty.
// The payload hash is X-Sdk-Content-Sha256 when the request has one.
HuaweiCanonical huawei_canonical_request(const HttpRequest& request, std::string_view host);
std::string huawei_string_to_sign(std::string_view sdk_date, std::string_view canonical_request);

}  // namespace conform::transport::canon
