// libFuzzer target: request signing (transport/signing.h, signing_canon.h) on
// arbitrary request bytes. Input: one selector byte (modulo 3: '0' aliyun-rpc, '1'
// aliyun-roa, '2' huawei-rest; divided by 3, odd: '+' decodes as a space in the
// canonical-query checks; divided by 6, odd: those checks read the body instead
// of the query), then "METHOD TARGET\nName: value\n...\n\nbody", the
// way an HTTP request reads (a CR is left in the values on purpose). One dialect
// per input keeps an execution cheap enough for 10,000 a second. Besides not
// crashing:
//  - percent_decode(percent_encode(x)) == x for every parameter name and value;
//  - the RPC and Huawei canonical queries are sorted (name, then value), keep
//    every parameter, and hold nothing but unreserved characters and %XX;
//  - the Huawei canonical URI ends with '/';
//  - sign() succeeds with valid credentials, adds exactly one signature, and that
//    signature verifies when recomputed from the signed request alone (what the
//    service does; with a fixed context it also shows sign() is deterministic).
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "core/text.h"
#include "fuzz/fuzz_check.h"
#include "transport/signing.h"
#include "transport/signing_canon.h"
#include "transport/signing_crypto.h"
#include "transport/url.h"

namespace {

using namespace conform;
using namespace conform::transport;

HttpRequest parse_request(std::string_view in) {
  HttpRequest r;
  std::size_t eol = in.find('\n');
  std::string_view line = in.substr(0, eol);
  in = eol == std::string_view::npos ? std::string_view() : in.substr(eol + 1);
  std::size_t sp = line.find(' ');
  r.method = std::string(line.substr(0, sp));
  r.target = sp == std::string_view::npos ? "/" : std::string(line.substr(sp + 1));
  // Room for every line as a header and for the up to 8 the signers add: one
  // allocation for the vector, not one per doubling.
  std::size_t lines = 0;
  for (std::size_t at = in.find('\n'); at != std::string_view::npos; at = in.find('\n', at + 1)) ++lines;
  r.headers.reserve(lines + 9);
  while (!in.empty()) {
    eol = in.find('\n');
    line = in.substr(0, eol);
    in = eol == std::string_view::npos ? std::string_view() : in.substr(eol + 1);
    if (line.empty()) break;
    std::size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  r.body = std::string(in);
  return r;
}

bool canonical_piece(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) continue;
    if (c != '%' || i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      return false;
    }
    i += 2;
  }
  return true;
}

// A canonical query back into parameters: each piece is name=value, encoded, and
// decodes to a (name, value) not less than the piece before it. The decoded pairs
// go into two buffers kept across runs (under ASan each allocation records a stack).
void check_canonical_query(const std::string& canonical, std::size_t expected_count) {
  static std::string prev_name, prev_value, name, value;
  std::size_t count = 0;
  std::string_view rest = canonical;
  while (!canonical.empty()) {
    std::size_t amp = rest.find('&');
    std::string_view piece = rest.substr(0, amp);
    std::size_t eq = piece.find('=');
    FUZZ_CHECK(eq != std::string_view::npos, canonical);
    FUZZ_CHECK(canonical_piece(piece.substr(0, eq)) && canonical_piece(piece.substr(eq + 1)), canonical);
    name.clear();
    value.clear();
    percent_decode_to(name, piece.substr(0, eq), false);
    percent_decode_to(value, piece.substr(eq + 1), false);
    FUZZ_CHECK(count == 0 || prev_name < name || (prev_name == name && prev_value <= value), canonical);
    ++count;
    prev_name.swap(name);
    prev_value.swap(value);
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  FUZZ_CHECK(count == expected_count, canonical);
}

// percent_decode(percent_encode(s)) == s, through two buffers kept across runs.
void check_round_trip(const std::string& s) {
  static std::string encoded, decoded;
  encoded.clear();
  decoded.clear();
  percent_encode_to(encoded, s);
  percent_decode_to(decoded, encoded, false);
  FUZZ_CHECK(decoded == s, s);
}

const Credentials kCreds{"fuzz-id", "fuzz-secret", "sts-token", ""};

// Made once: each field would be an allocation per run.
const SigningContext& context() {
  static const SigningContext ctx = [] {
    SigningContext c;
    c.time = std::chrono::sys_seconds(std::chrono::seconds(1700000000));
    c.nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";
    c.host = "fuzz.example.com:8443";
    c.api_version = "2015-11-11";
    return c;
  }();
  return ctx;
}

// Removes and returns the last header named `name`; there must be exactly one.
std::string take_only_header(HttpRequest& r, std::string_view name) {
  std::string value;
  int count = 0;
  for (std::size_t i = r.headers.size(); i-- > 0;) {
    if (text::equals_ci(r.headers[i].first, name)) {
      if (count++ == 0) value = r.headers[i].second;
      r.headers.erase(r.headers.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  FUZZ_CHECK(count == 1, std::string(name));
  return value;
}

void check_rpc(const HttpRequest& signed_request) {
  const HttpRequest& r = signed_request;
  const std::string* type = r.header("Content-Type");
  bool form = r.method == "POST" && type && text::starts_with_ci(*type, "application/x-www-form-urlencoded");
  canon::Params rest = canon::parse_params(canon::split_target(r.target).query, true);
  if (form) {
    canon::Params body = canon::parse_params(r.body, true);
    rest.insert(rest.end(), std::make_move_iterator(body.begin()), std::make_move_iterator(body.end()));
  }
  // The signature out, the other parameters in their order.
  std::string signature;
  int signatures = 0;
  rest.erase(std::remove_if(rest.begin(), rest.end(),
                            [&](canon::Param& p) {
                              if (p.name != "Signature") return false;
                              signature = std::move(p.value);
                              ++signatures;
                              return true;
                            }),
             rest.end());
  FUZZ_CHECK(signatures == 1, r.target, r.body);
  std::string expected =
      crypto::base64(crypto::hmac_sha1(kCreds.access_key_secret + "&", canon::rpc_string_to_sign(r.method, rest)));
  FUZZ_CHECK(signature == expected, signature, expected);
}

void check_roa(HttpRequest r) {
  std::string auth = take_only_header(r, "Authorization");
  std::string expected =
      "acs " + kCreds.access_key_id + ":" +
      crypto::base64(crypto::hmac_sha1(kCreds.access_key_secret, canon::roa_string_to_sign(r)));
  FUZZ_CHECK(auth == expected, auth, expected);
}

void check_huawei(HttpRequest r) {
  std::string auth = take_only_header(r, "Authorization");
  canon::HuaweiCanonical c = canon::huawei_canonical_request(r, context().host);
  std::string sig = crypto::hex(crypto::hmac_sha256(
      kCreds.access_key_secret, canon::huawei_string_to_sign(*r.header("X-Sdk-Date"), c.request)));
  std::string expected =
      "SDK-HMAC-SHA256 Access=" + kCreds.access_key_id + ", SignedHeaders=" + c.signed_headers + ", Signature=" + sig;
  FUZZ_CHECK(auth == expected, auth, expected);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  constexpr Dialect kDialects[] = {Dialect::aliyun_rpc, Dialect::aliyun_roa, Dialect::huawei_rest};
  const Dialect dialect = kDialects[data[0] % 3];
  const bool plus = (data[0] / 3) % 2 == 1;
  HttpRequest request = parse_request(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  const canon::Target target = canon::split_target(request.target);

  {
    const std::string_view source = (data[0] / 6) % 2 == 1 ? std::string_view(request.body) : target.query;
    canon::Params params = canon::parse_params(source, plus);
    for (const auto& p : params) {
      check_round_trip(p.name);
      check_round_trip(p.value);
    }
    check_canonical_query(canon::rpc_canonical_query(params), params.size());
  }
  if (dialect == Dialect::huawei_rest) {
    check_canonical_query(canon::huawei_canonical_query(target.query),
                          canon::parse_params(target.query, false).size());
    const std::string uri = canon::huawei_canonical_uri(target.path);
    FUZZ_CHECK(!uri.empty() && uri.back() == '/', uri);
  }

  // The request itself is signed: nothing reads it (or `target`, its views) after.
  HttpRequest a = std::move(request);
  auto signed_a = sign(dialect, kCreds, context(), a);
  FUZZ_CHECK(signed_a.has_value(), signed_a ? std::string() : signed_a.error().message());
  switch (dialect) {
    case Dialect::aliyun_rpc: check_rpc(a); break;
    case Dialect::aliyun_roa: check_roa(std::move(a)); break;
    case Dialect::huawei_rest: check_huawei(std::move(a)); break;
  }
  return 0;
}
