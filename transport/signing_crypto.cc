#include "transport/signing_crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace conform::transport::crypto {
namespace {

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// A failure here is OpenSSL out of memory or a missing algorithm: a broken
// installation, not bad input, so it is a programmer error (STYLE.md).
[[noreturn]] void openssl_failed() { std::abort(); }

// OpenSSL 3 looks an algorithm up by name on every EVP_sha256()-style call
// (EVP_Digest's and HMAC()'s implicit fetch): more work than hashing a request.
// The algorithms are fetched once per process and the digest contexts made once
// per thread; a signature costs only the hashing.
const EVP_MD* fetched_md(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) openssl_failed();
  return md;  // kept for the life of the process
}

const EVP_MD* md_sha1() {
  static const EVP_MD* md = fetched_md("SHA1");
  return md;
}
const EVP_MD* md_sha256() {
  static const EVP_MD* md = fetched_md("SHA256");
  return md;
}
const EVP_MD* md_md5() {
  static const EVP_MD* md = fetched_md("MD5");
  return md;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// A digest context per thread and algorithm, started afresh for each message
// (EVP_Digest made and freed a context, and the provider's, on every call; one
// context shared by two algorithms would remake the provider's on every switch).
struct Hasher {
  const EVP_MD* md;
  MdCtx ctx;
};
Hasher make_hasher(const EVP_MD* md) {
  MdCtx c(EVP_MD_CTX_new());
  if (!c) openssl_failed();
  return {md, std::move(c)};
}
Hasher& sha1_hasher() {
  thread_local Hasher h = make_hasher(md_sha1());
  return h;
}
Hasher& sha256_hasher() {
  thread_local Hasher h = make_hasher(md_sha256());
  return h;
}
Hasher& md5_hasher() {
  thread_local Hasher h = make_hasher(md_md5());
  return h;
}

void start(Hasher& h) {
  if (EVP_DigestInit_ex2(h.ctx.get(), h.md, nullptr) != 1) openssl_failed();
}
void update(Hasher& h, const void* data, std::size_t size) {
  if (EVP_DigestUpdate(h.ctx.get(), data, size) != 1) openssl_failed();
}
unsigned finish(Hasher& h, unsigned char* out) {
  unsigned len = 0;
  if (EVP_DigestFinal_ex(h.ctx.get(), out, &len) != 1) openssl_failed();
  return len;
}

std::string digest(Hasher& h, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  start(h);
  update(h, data.data(), data.size());
  const unsigned len = finish(h, out);
  return std::string(reinterpret_cast<const char*>(out), len);
}

// HMAC (RFC 2104) over the thread's digest context: H((K ^ opad) || H((K ^ ipad) ||
// data)), K the key padded to the block (or hashed first when longer). OpenSSL 3's
// EVP_MAC allocated five times per message (the key, two digest contexts and two
// copies of them), which under ASan cost more than the hashing.
std::string hmac(Hasher& h, std::string_view key, std::string_view data) {
  constexpr std::size_t kBlock = 64;  // SHA-1's and SHA-256's block size
  static_assert(EVP_MAX_MD_SIZE <= kBlock);
  unsigned char k[kBlock] = {};
  if (key.size() > kBlock) {
    start(h);
    update(h, key.data(), key.size());
    finish(h, k);
  } else if (!key.empty()) {
    std::memcpy(k, key.data(), key.size());
  }
  unsigned char pad[kBlock];
  unsigned char inner[EVP_MAX_MD_SIZE];
  for (std::size_t i = 0; i < kBlock; ++i) pad[i] = static_cast<unsigned char>(k[i] ^ 0x36);
  start(h);
  update(h, pad, kBlock);
  update(h, data.data(), data.size());
  const unsigned inner_len = finish(h, inner);
  for (std::size_t i = 0; i < kBlock; ++i) pad[i] = static_cast<unsigned char>(k[i] ^ 0x5c);
  unsigned char out[EVP_MAX_MD_SIZE];
  start(h);
  update(h, pad, kBlock);
  update(h, inner, inner_len);
  const unsigned len = finish(h, out);
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(pad, sizeof pad);
  return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace

std::string hmac_sha1(std::string_view key, std::string_view data) { return hmac(sha1_hasher(), key, data); }
std::string hmac_sha256(std::string_view key, std::string_view data) { return hmac(sha256_hasher(), key, data); }
std::string sha256(std::string_view data) { return digest(sha256_hasher(), data); }
std::string md5(std::string_view data) { return digest(md5_hasher(), data); }

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
