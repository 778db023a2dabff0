#include "transport/url.h"

#include <array>
#include <charconv>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/text.h"

namespace conform::transport {
namespace {

// RFC 3986 unreserved characters, as a table (1 or 0): percent_encode_to looks up
// every byte of every parameter of every request.
constexpr std::array<unsigned char, 256> kUnreserved = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
  }
  return t;
}();

unsigned unreserved(const char* p) { return kUnreserved[static_cast<unsigned char>(*p)]; }

// Where the unreserved run from p ends: sixteen bytes at a time where SSE2 is there
// (all x86-64; one branch per block, parameters are mostly plain text), then by
// byte. Under ASan and coverage tracing, the eight table look-ups per block this
// was before were checked and traced one by one.
const char* unreserved_run(const char* p, const char* end) {
#if defined(__SSE2__)
  // Signed compares: bytes of 0x80 and over are negative, outside every range.
  auto in_range = [](__m128i v, char lo, char hi) {
    return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                         _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
  };
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i marks = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')),
                                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
                                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('~'))));
    const __m128i ok = _mm_or_si128(_mm_or_si128(in_range(v, 'A', 'Z'), in_range(v, 'a', 'z')),
                                    _mm_or_si128(in_range(v, '0', '9'), marks));
    const unsigned other = ~static_cast<unsigned>(_mm_movemask_epi8(ok)) & 0xFFFFu;
    if (other != 0) return p + __builtin_ctz(other);
    p += 16;
  }
#endif
  while (p != end && unreserved(p)) ++p;
  return p;
}

// The first of `c` in [p, end), or end (memchr: no loop of our own per byte).
const char* find_byte(const char* p, const char* end, char c) {
  const void* at = std::memchr(p, c, static_cast<std::size_t>(end - p));
  return at ? static_cast<const char*>(at) : end;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string Endpoint::origin() const {
  bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  // Appended piece by piece: GCC 12 at -O3 warns -Wrestrict (a false positive) on
  // the chain of operator+ this was.
  std::string out = scheme;
  out += "://";
  const bool v6 = host.find(':') != std::string::npos;
  if (v6) out += '[';
  out += host;
  if (v6) out += ']';
  if (!default_port) {
    out += ':';
    out += std::to_string(port);
  }
  return out;
}

bool Endpoint::loopback() const {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

namespace {

// The URL as an error may show it: a user:password@ part is replaced, so that no
// password reaches a console or a CI log.
std::string shown_url(std::string_view url) {
  std::size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  std::size_t end = url.find_first_of("/?#", start);
  std::size_t at = url.substr(0, end).rfind('@');
  if (at == std::string_view::npos || at < start) return std::string(url);
  return std::string(url.substr(0, start)) + "***@" + std::string(url.substr(at + 1));
}

}  // namespace

Result<Endpoint> parse_url(std::string_view raw) {
  Endpoint e;
  const std::string url = shown_url(raw);  // every error below shows this one
  if (url != raw) {
    return fail(url, "credentials in a target URL (user:password@) are not supported: give them in a targets file "
                     "(--targets, README \"Testing a real service\"), whose secrets come from the environment");
  }
  for (char c : raw) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
      return fail(url, "a space or control character in the URL: percent-encode it");
    }
  }
  if (raw.find_first_of("?#") != std::string_view::npos) {
    return fail(url, "a target URL takes no query or fragment (the cases' own query is appended to its path)");
  }
  std::size_t colon = url.find("://");
  if (colon == std::string_view::npos) return fail(std::string(url), "expected http://host[:port][/path]");
  e.scheme = text::to_lower(std::string_view(url).substr(0, colon));
  if (e.scheme != "http" && e.scheme != "https") {
    return fail(std::string(url), "expected an http:// or https:// URL, got scheme '" + e.scheme + "'");
  }
  e.port = e.scheme == "https" ? 443 : 80;
  std::string_view rest = std::string_view(url).substr(colon + 3);
  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    e.base_path = std::string(path);
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {  // [::1]:8080
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail(std::string(url), "unclosed '[' in the host");
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
  } else if (std::size_t c = authority.rfind(':'); c != std::string_view::npos) {
    host = authority.substr(0, c);
    port = authority.substr(c + 1);
  }
  if (host.empty()) return fail(std::string(url), "expected a host name");
  e.host = std::string(host);
  if (!port.empty()) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return fail(std::string(url), "expected a port 1-65535, got '" + std::string(port) + "'");
    }
    e.port = static_cast<std::uint16_t>(value);
  }
  return e;
}

// Runs of bytes that stay as they are are appended whole, not byte by byte: signing
// encodes every parameter twice, and the per-byte appends were most of it. The
// runs are found by blocks and memchr rather than a branch per byte (under the
// fuzzer each compare is also a call that records its operands).
std::string percent_encode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  percent_encode_to(out, s);
  return out;
}

void percent_encode_to(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const char* p = s.data();
  const char* const end = p + s.size();
  while (p != end) {
    const char* run = p;
    p = unreserved_run(p, end);
    out.append(run, static_cast<std::size_t>(p - run));
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p++);
    const char escaped[3] = {'%', kHex[c >> 4], kHex[c & 15]};
    out.append(escaped, 3);
  }
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  percent_decode_to(out, s, plus_is_space);
  return out;
}

void percent_decode_to(std::string& out, std::string_view s, bool plus_is_space) {
  const char* p = s.data();
  const char* const end = p + s.size();
  const char* percent = find_byte(p, end, '%');  // the next '%', found again once passed
  while (p != end) {
    if (percent < p) percent = find_byte(p, end, '%');
    const char* run = p;
    p = plus_is_space ? find_byte(p, percent, '+') : percent;
    out.append(run, static_cast<std::size_t>(p - run));
    if (p == end) break;
    if (*p++ == '+') {
      out += ' ';
      continue;
    }
    if (end - p >= 2) {
      const int hi = hex_value(p[0]);
      const int lo = hex_value(p[1]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        p += 2;
        continue;
      }
    }
    out += '%';  // a stray '%' stays
  }
}

std::string encode_pairs(const Pairs& pairs) {
  std::size_t size = 0;
  for (const auto& [name, value] : pairs) size += name.size() + value.size() + 2;
  std::string out;
  out.reserve(size + size / 4);  // room for a few escapes: one allocation, not a doubling per growth
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += '&';
    percent_encode_to(out, name);
    out += '=';
    percent_encode_to(out, value);
  }
  return out;
}

Pairs decode_pairs(std::string_view s) {
  Pairs out;
  while (!s.empty()) {
    std::size_t amp = s.find('&');
    std::string_view item = s.substr(0, amp);
    std::size_t eq = item.find('=');
    std::string_view name = item.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    if (!item.empty()) out.emplace_back(percent_decode(name, true), percent_decode(value, true));
    if (amp == std::string_view::npos) break;
    s.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace conform::transport
