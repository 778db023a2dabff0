// Alibaba Cloud ROA signature (BatchCompute; docs/decisions.md, "Signing"):
//   StringToSign  = VERB\nAccept\nContent-MD5\nContent-Type\nDate\n
//                   + CanonicalizedHeaders (x-acs-*) + CanonicalizedResource
//   Authorization = "acs " + AccessKeyId + ":" + base64(HMAC-SHA1(secret, StringToSign))
#include "transport/signing_canon.h"
#include "transport/signing_crypto.h"
#include "transport/signing_detail.h"

namespace conform::transport::detail {

Result<void> sign_aliyun_roa(const Credentials& creds, const SigningContext& ctx, HttpRequest& r) {
  add_header_if_absent(r, "Accept", "application/json");
  add_header_if_absent(r, "Date", rfc1123(ctx.time));
  if (!r.body.empty()) add_header_if_absent(r, "Content-MD5", crypto::base64(crypto::md5(r.body)));
  add_header_if_absent(r, "x-acs-signature-method", "HMAC-SHA1");
  add_header_if_absent(r, "x-acs-signature-version", "1.0");
  add_header_if_absent(r, "x-acs-signature-nonce", ctx.nonce);
  if (!ctx.api_version.empty()) add_header_if_absent(r, "x-acs-version", ctx.api_version);
  if (!creds.security_token.empty()) add_header_if_absent(r, "x-acs-security-token", creds.security_token);
  remove_header(r, "Authorization");
  std::string signature = crypto::base64(crypto::hmac_sha1(creds.access_key_secret, canon::roa_string_to_sign(r)));
  r.headers.emplace_back("Authorization", "acs " + creds.access_key_id + ":" + signature);
  return {};
}

}  // namespace conform::transport::detail
