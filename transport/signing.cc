// Dispatch, credential checks, the clock and the nonce; the dialects' signers are
// signing_aliyun_rpc.cc, signing_aliyun_roa.cc and signing_huawei.cc.
#include "transport/signing.h"

#include <algorithm>
#include <ctime>
#include <random>

#include "core/text.h"
#include "transport/signing_detail.h"

namespace conform::transport {
namespace detail {
namespace {

std::tm utc(std::chrono::sys_seconds t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}

std::string format(std::chrono::sys_seconds t, const char* fmt) {
  std::tm tm = utc(t);
  char buf[64];
  std::size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
  return std::string(buf, n);
}

}  // namespace

std::string iso8601(std::chrono::sys_seconds t) { return format(t, "%Y-%m-%dT%H:%M:%SZ"); }
std::string sdk_date(std::chrono::sys_seconds t) { return format(t, "%Y%m%dT%H%M%SZ"); }

// Day and month names in English whatever the locale (strftime's %a and %b are not).
std::string rfc1123(std::chrono::sys_seconds t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm = utc(t);
  return std::string(kDays[tm.tm_wday]) + format(t, ", %d ") + kMonths[tm.tm_mon] + format(t, " %Y %H:%M:%S GMT");
}

void add_header_if_absent(HttpRequest& r, std::string_view name, std::string value) {
  if (r.header(name) == nullptr) r.headers.emplace_back(std::string(name), std::move(value));
}

void remove_header(HttpRequest& r, std::string_view name) {
  r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(),
                                 [&](const auto& h) { return text::equals_ci(h.first, name); }),
                  r.headers.end());
}

}  // namespace detail

namespace {

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

Result<void> check(Dialect d, const Credentials& c, const SigningContext& ctx) {
  // Built only for a complaint: check() runs on every signature.
  auto where = [d] { return "credentials (" + std::string(to_string(d)) + " signing)"; };
  // Values that end up in a header: a CR or LF there would split the request.
  struct Field {
    const char* name;
    const std::string& value;
  };
  for (const Field& f : {Field{"access_key_id", c.access_key_id}, Field{"security_token", c.security_token},
                         Field{"auth_token", c.auth_token}}) {
    if (has_control(f.value)) return fail(where(), std::string(f.name) + " contains a CR, LF or NUL character");
  }
  bool token_mode = d == Dialect::huawei_rest && !c.auth_token.empty();
  if (!token_mode) {
    const char* alt = d == Dialect::huawei_rest ? " (or an auth_token for X-Auth-Token)" : "";
    if (c.access_key_id.empty()) return fail(where(), std::string("access_key_id is empty: an AccessKey ID is needed") + alt);
    if (c.access_key_secret.empty()) {
      return fail(where(), std::string("access_key_secret is empty: an AccessKey secret is needed") + alt);
    }
  }
  if (d != Dialect::huawei_rest && ctx.nonce.empty()) return fail("signing context", "nonce is empty");
  if (has_control(ctx.nonce) || has_control(ctx.host) || has_control(ctx.api_version)) {
    return fail("signing context", "nonce, host or api_version contains a CR, LF or NUL character");
  }
  return {};
}

// A UUID-shaped (version 4) nonce. Uniqueness is what matters (the service
// rejects a reused SignatureNonce), so a per-thread generator seeded from
// std::random_device is enough.
std::string random_nonce() {
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  std::uint64_t hi = gen(), lo = gen();
  hi = (hi & ~0xf000ull) | 0x4000ull;                       // version 4
  lo = (lo & ~(0xc000ull << 48)) | (0x8000ull << 48);      // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    std::uint64_t word = i < 16 ? hi : lo;
    int shift = 60 - 4 * (i % 16);
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += kHex[(word >> shift) & 15];
  }
  return out;
}

}  // namespace

SigningContext SigningContext::now(const Endpoint& endpoint, std::string api_version) {
  SigningContext ctx;
  ctx.time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  ctx.nonce = random_nonce();
  std::string origin = endpoint.origin();
  ctx.host = origin.substr(origin.find("://") + 3);
  ctx.api_version = std::move(api_version);
  return ctx;
}

Result<void> sign(Dialect d, const Credentials& creds, const SigningContext& ctx, HttpRequest& request) {
  CONFORM_CHECK(check(d, creds, ctx));
  switch (d) {
    case Dialect::aliyun_rpc: return detail::sign_aliyun_rpc(creds, ctx, request);
    case Dialect::aliyun_roa: return detail::sign_aliyun_roa(creds, ctx, request);
    case Dialect::huawei_rest: return detail::sign_huawei(creds, ctx, request);
  }
  return fail("signing", "unknown dialect");
}

Result<std::function<void(HttpRequest&)>> make_signer(Dialect d, Credentials creds, const Endpoint& endpoint,
                                                     std::string api_version) {
  SigningContext probe = SigningContext::now(endpoint, api_version);
  CONFORM_CHECK(check(d, creds, probe));
  return [d, creds = std::move(creds), endpoint, api_version = std::move(api_version)](HttpRequest& r) {
    // check() passed for these credentials and every context now() makes, so
    // signing cannot fail here; the request goes out unsigned if it ever did,
    // and the service answers that.
    (void)sign(d, creds, SigningContext::now(endpoint, api_version), r);
  };
}

}  // namespace conform::transport
