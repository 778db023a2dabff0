// Huawei Cloud APIG AK/SK signature SDK-HMAC-SHA256, or IAM token authentication
// (docs/decisions.md, "Signing"):
//   StringToSign  = "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex(sha256(CanonicalRequest))
//   Authorization = "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex HMAC-SHA256(SK)>"
#include "transport/signing_canon.h"
#include "transport/signing_crypto.h"
#include "transport/signing_detail.h"

namespace conform::transport::detail {

Result<void> sign_huawei(const Credentials& creds, const SigningContext& ctx, HttpRequest& r) {
  if (!creds.auth_token.empty()) {  // token mode: the token is the authentication
    add_header_if_absent(r, "X-Auth-Token", creds.auth_token);
    return {};
  }
  add_header_if_absent(r, "X-Sdk-Date", sdk_date(ctx.time));
  if (!creds.security_token.empty()) add_header_if_absent(r, "X-Security-Token", creds.security_token);
  remove_header(r, "Authorization");
  canon::HuaweiCanonical c = canon::huawei_canonical_request(r, ctx.host);
  std::string to_sign = canon::huawei_string_to_sign(*r.header("X-Sdk-Date"), c.request);
  std::string signature = crypto::hex(crypto::hmac_sha256(creds.access_key_secret, to_sign));
  r.headers.emplace_back("Authorization", "SDK-HMAC-SHA256 Access=" + creds.access_key_id +
                                              ", SignedHeaders=" + c.signed_headers + ", Signature=" + signature);
  return {};
}

}  // namespace conform::transport::detail
