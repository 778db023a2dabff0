#include "transport/signing_crypto.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdlib>
#include <memory>

namespace conform::transport::crypto {
namespace {

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// A failure here is OpenSSL out of memory or a missing algorithm: a broken
// installation, not bad input, so it is a programmer error (STYLE.md).
[[noreturn]] void openssl_failed() { std::abort(); }

// OpenSSL 3 looks an algorithm up by name on every EVP_sha256()-style call
// (EVP_Digest's and HMAC()'s implicit fetch): more work than hashing a request.
// The algorithms are fetched once per process and the HMAC contexts made once per
// thread; a signature costs only the hashing.
const EVP_MD* fetched_md(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) openssl_failed();
  return md;  // kept for the life of the process
}

const EVP_MD* md_sha256() {
  static const EVP_MD* md = fetched_md("SHA256");
  return md;
}
const EVP_MD* md_md5() {
  static const EVP_MD* md = fetched_md("MD5");
  return md;
}

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

// An HMAC context bound to one digest; EVP_MAC_init with a key starts it afresh.
MacCtx hmac_context(const char* digest) {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) openssl_failed();
  MacCtx ctx(EVP_MAC_CTX_new(mac));
  if (!ctx) openssl_failed();
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_CTX_set_params(ctx.get(), params) != 1) openssl_failed();
  return ctx;
}

std::string hmac(EVP_MAC_CTX* ctx, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t len = 0;
  // An empty key is a valid HMAC key; OpenSSL wants a non-null pointer for it.
  static const unsigned char kNoKey = 0;
  if (EVP_MAC_init(ctx, key.empty() ? &kNoKey : bytes(key), key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, bytes(data), data.size()) != 1 || EVP_MAC_final(ctx, out, &len, sizeof out) != 1) {
    openssl_failed();
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// One digest context per thread, started afresh for each message (EVP_Digest made
// and freed a context, and the provider's, on every call).
std::string digest(const EVP_MD* md, std::string_view data) {
  thread_local const MdCtx ctx = [] {
    MdCtx c(EVP_MD_CTX_new());
    if (!c) openssl_failed();
    return c;
  }();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 || EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) {
    openssl_failed();
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace

std::string hmac_sha1(std::string_view key, std::string_view data) {
  thread_local const MacCtx ctx = hmac_context("SHA1");
  return hmac(ctx.get(), key, data);
}
std::string hmac_sha256(std::string_view key, std::string_view data) {
  thread_local const MacCtx ctx = hmac_context("SHA256");
  return hmac(ctx.get(), key, data);
}
std::string sha256(std::string_view data) { return digest(md_sha256(), data); }
std::string md5(std::string_view data) { return digest(md_md5(), data); }

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes(in), static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string hex(std::string_view in) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(in.size() * 2);
  for (unsigned char c : in) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace conform::transport::crypto
