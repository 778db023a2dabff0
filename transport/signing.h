// Request signing per dialect (issue 8, DESIGN.md "Dialects", docs/decisions.md
// "Signing"): the dialect's common parameters and its signature, added to a
// request that build_request() produced. OpenSSL stays in the .cc files.
//
//   aliyun-rpc   Alibaba Cloud RPC signature, HMAC-SHA1, SignatureVersion 1.0
//   aliyun-roa   Alibaba Cloud ROA signature, `Authorization: acs <AccessKeyId>:<sig>`
//   huawei-rest  Huawei Cloud APIG `SDK-HMAC-SHA256`, or an IAM token in X-Auth-Token
//
// Typical use, from ClientOptions::prepare (called on every attempt, so each
// retry gets a fresh nonce and timestamp):
//
//   CONFORM_TRY(prepare, make_signer(dialect, creds, endpoint, spec.version));
//   options.prepare = std::move(prepare);
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/error.h"
#include "transport/dialect.h"
#include "transport/http.h"
#include "transport/url.h"

namespace conform::transport {

// Secrets: never log or report these (issue 8, item 6).
struct Credentials {
  std::string access_key_id;
  std::string access_key_secret;
  std::string security_token;  // STS token, optional: SecurityToken / x-acs-security-token / X-Security-Token
  std::string auth_token;      // huawei-rest only, optional: when set, X-Auth-Token instead of AK/SK
};

// Everything a signature depends on besides the request and the credentials, so
// that tests can fix it and the runner can fill it from the clock.
struct SigningContext {
  std::chrono::sys_seconds time{};  // UTC; formatted per dialect (ISO 8601, RFC 1123, X-Sdk-Date)
  std::string nonce;                // SignatureNonce / x-acs-signature-nonce; unique per send
  // The Host header the client sends: Endpoint::origin() without the scheme
  // ("ecs.aliyuncs.com", "127.0.0.1:8080"). Huawei signs it.
  std::string host;
  // The API version (the spec's): aliyun-roa's `x-acs-version` when the request
  // has none; empty: not added. aliyun-rpc does not use it: with_common_params
  // (dialect.h) adds Version and Format, and leaves them out on purpose for a case
  // that targets them (`Version.required`), which signing must not undo.
  std::string api_version;

  // The current time, a fresh random nonce (UUID-shaped, from std::random_device),
  // and the endpoint's Host header.
  static SigningContext now(const Endpoint& endpoint, std::string api_version);
};

// Adds the dialect's common parameters and the signature to `request` (as made by
// build_request, target already encoded):
// - aliyun-rpc: AccessKeyId, SignatureMethod=HMAC-SHA1, Timestamp (ISO 8601
//   UTC), SignatureVersion=1.0, SignatureNonce, SecurityToken (STS), then
//   Signature (Action, Version and Format come from with_common_params). For a
//   form POST they go in the body, otherwise in the query; the string to sign
//   covers every query and form parameter.
// - aliyun-roa: Accept: application/json, Date (RFC 1123), Content-MD5 (base64
//   MD5 of a non-empty body), x-acs-signature-method, -version, -nonce,
//   x-acs-version, x-acs-security-token (STS), Authorization.
// - huawei-rest: X-Sdk-Date, X-Security-Token (STS), Authorization; or, with an
//   auth_token, X-Auth-Token and no signature.
// A parameter or header the request already has is kept as the case wrote it
// (a case that tests a bad Version or Timestamp), except the signature itself
// (Signature / Authorization), which is always replaced.
// Fails, naming the missing field, on empty credentials (an empty AccessKeyId or
// secret, unless huawei-rest has an auth_token), on a CR, LF or NUL in a value
// that goes into a header, and on an empty nonce (aliyun); the request is then
// unchanged. Error messages name the field, never its value.
Result<void> sign(Dialect d, const Credentials& creds, const SigningContext& ctx, HttpRequest& request);

// Checks the credentials once (the same errors as sign) and returns a hook for
// ClientOptions::prepare that signs each attempt with SigningContext::now.
Result<std::function<void(HttpRequest&)>> make_signer(Dialect d, Credentials creds, const Endpoint& endpoint,
                                                     std::string api_version);

}  // namespace conform::transport
