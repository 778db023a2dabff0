// Alibaba Cloud RPC signature, SignatureVersion 1.0 (docs/decisions.md, "Signing"):
//   StringToSign = METHOD & percentEncode("/") & percentEncode(canonical query)
//   Signature    = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))
#include <iterator>
#include <vector>

#include "core/text.h"
#include "transport/signing_canon.h"
#include "transport/signing_crypto.h"
#include "transport/signing_detail.h"
#include "transport/url.h"

namespace conform::transport::detail {
namespace {

bool is_form(const HttpRequest& r) {
  const std::string* type = r.header("Content-Type");
  return r.method == "POST" && type != nullptr && text::starts_with_ci(*type, "application/x-www-form-urlencoded");
}

// Whether an encoded name decodes to "Signature", decoding (into a new string)
// only a name that can: one of 9 bytes or more with an escape in it.
bool is_signature(std::string_view encoded, bool plus_is_space) {
  constexpr std::string_view kName = "Signature";
  if (encoded.size() < kName.size()) return false;  // decoding never lengthens
  const bool escaped = encoded.find('%') != std::string_view::npos ||
                       (plus_is_space && encoded.find('+') != std::string_view::npos);
  return escaped ? percent_decode(encoded, plus_is_space) == kName : encoded == kName;
}

// Drops every `Signature` parameter from an encoded query or form, keeping the
// other pieces byte for byte as the case wrote them.
std::string without_signature(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size() + 64);  // and room for what signing appends
  while (!s.empty()) {
    std::size_t amp = s.find('&');
    std::string_view piece = s.substr(0, amp);
    s = amp == std::string_view::npos ? std::string_view() : s.substr(amp + 1);
    if (is_signature(piece.substr(0, piece.find('=')), plus_is_space)) continue;
    if (!out.empty()) out += '&';
    out += piece;
  }
  return out;
}

void append(std::string& encoded, const std::string& name, const std::string& value) {
  if (!encoded.empty()) encoded += '&';
  percent_encode_to(encoded, name);
  encoded += '=';
  percent_encode_to(encoded, value);
}

}  // namespace

Result<void> sign_aliyun_rpc(const Credentials& creds, const SigningContext& ctx, HttpRequest& r) {
  // Alibaba's servers read query and form the servlet way: '+' is a space.
  const bool form = is_form(r);
  canon::Target target = canon::split_target(r.target);
  const std::size_t path_size = target.path.size();
  std::string query = without_signature(target.query, true);
  if (form) r.body = without_signature(r.body, true);

  canon::Params params = canon::parse_params(query, true);
  if (form) {
    canon::Params more = canon::parse_params(r.body, true);
    params.reserve(params.size() + more.size() + 6);
    params.insert(params.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  auto has = [&](std::string_view name) {
    for (const canon::Param& p : params) {
      if (p.name == name) return true;
    }
    return false;
  };
  std::string& carrier = form ? r.body : query;
  auto add = [&](const std::string& name, const std::string& value) {
    if (has(name)) return;  // a case that sets it (a bad Timestamp, say) keeps its value
    params.push_back({name, value, true});
    append(carrier, name, value);
  };
  add("AccessKeyId", creds.access_key_id);
  add("SignatureMethod", "HMAC-SHA1");
  add("SignatureVersion", "1.0");
  add("Timestamp", iso8601(ctx.time));
  add("SignatureNonce", ctx.nonce);
  if (!creds.security_token.empty()) add("SecurityToken", creds.security_token);

  std::string to_sign = canon::rpc_string_to_sign(r.method, params);
  std::string signature = crypto::base64(crypto::hmac_sha1(creds.access_key_secret + "&", to_sign));
  append(carrier, "Signature", signature);

  r.target.resize(path_size);  // the path stays; the query is rebuilt
  if (!query.empty()) (r.target += '?') += query;
  return {};
}

}  // namespace conform::transport::detail
