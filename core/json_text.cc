#include "core/json_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdio>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <nlohmann/json.hpp>

#include "core/json_read.h"
#include "core/utf8.h"

namespace conform {
namespace {

// The first byte at or after `i` that a JSON string cannot hold as it is (a
// control byte, '"', '\\') or that is not ASCII; s.size() when none. Sixteen
// bytes at a time where SSE2 is there (all x86-64).
std::size_t special(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  for (; i + 16 <= s.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // Signed: bytes of 0x80 and over are negative, so under 0x20 too.
    __m128i hit = _mm_or_si128(_mm_cmplt_epi8(v, space),
                               _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return i;
  }
  return s.size();
}

// The first byte at or after `i` that is one of Cs; s.size() when none (or when
// `i` is past the end). Sixteen bytes at a time where SSE2 is there: the bytes
// json_nesting looks for are rare in JSON text (under ASan and coverage tracing, a
// byte loop was a fifth of parsing a spec). A search like memchr, and like libc's
// it carries no coverage counters in a fuzzing build: its branches say where in
// a block the byte was, not what the text was (counted, they gave fuzz_case_loader
// ~30 more edges and 5% more features, and it ran 8% slower a run); json_nesting's
// own branches stay counted. ASan and UBSan still check it.
#if defined(__clang__)
// Not inlined: a caller counts the blocks of what it inlines.
#define CONFORM_NO_COVERAGE __attribute__((no_sanitize("coverage"), noinline))
#else
#define CONFORM_NO_COVERAGE
#endif
template <char... Cs>
CONFORM_NO_COVERAGE std::size_t first_of(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    __m128i hit = _mm_setzero_si128();
    ((hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(Cs)))), ...);
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < s.size(); ++i) {
    if (((s[i] == Cs) || ...)) return i;
  }
  return s.size();
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  const std::size_t start = out.size();
  out.reserve(start + s.size() + 2);
  out += '"';
  // Runs of bytes that need no escape (well-formed UTF-8 included) are appended whole.
  std::size_t run = 0;
  std::size_t i = special(s, 0);
  while (i < s.size()) {
    const char ch = s[i];
    if (static_cast<unsigned char>(ch) >= 0x80) {
      const std::size_t n = text::utf8_sequence(s, i);
      if (n == 0) {  // nlohmann's replacement of ill-formed UTF-8
        out.resize(start);
        out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
      }
      i = special(s, i + n);
      continue;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (ch) {
      case '"': out.append("\\\"", 2); break;
      case '\\': out.append("\\\\", 2); break;
      case '\b': out.append("\\b", 2); break;
      case '\f': out.append("\\f", 2); break;
      case '\n': out.append("\\n", 2); break;
      case '\r': out.append("\\r", 2); break;
      case '\t': out.append("\\t", 2); break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(ch)));
        out.append(buf, 6);
      }
    }
    i = special(s, i + 1);
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void append_json_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out.append("null", 4);
    return;
  }
  // The function nlohmann's serializer writes a double with (dump_float).
  char digits[64];
  char* end = nlohmann::detail::to_chars(digits, digits + sizeof digits, d);
  out.append(digits, end);
}

void append_json(std::string& out, const nlohmann::json& j) {
  using nlohmann::json;
  switch (j.type()) {
    case json::value_t::null: out.append("null", 4); return;
    case json::value_t::boolean: j.get<bool>() ? out.append("true", 4) : out.append("false", 5); return;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: {
      char digits[24];
      auto end = j.is_number_unsigned()
                     ? std::to_chars(digits, digits + sizeof digits, j.get<json::number_unsigned_t>()).ptr
                     : std::to_chars(digits, digits + sizeof digits, j.get<json::number_integer_t>()).ptr;
      out.append(digits, end);
      return;
    }
    case json::value_t::string: append_json_string(out, j.get_ref<const std::string&>()); return;
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const json& e : j) {
        if (!first) out += ',';
        first = false;
        append_json(out, e);
      }
      out += ']';
      return;
    }
    case json::value_t::object: {
      out += '{';
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it != j.begin()) out += ',';
        append_json_string(out, it.key());
        out += ':';
        append_json(out, *it);
      }
      out += '}';
      return;
    }
    case json::value_t::number_float: append_json_double(out, j.get<double>()); return;
    default:  // binary, discarded
      out += j.dump(-1, ' ', false, json::error_handler_t::replace);
      return;
  }
}

std::size_t json_nesting(std::string_view s, std::size_t limit, std::size_t* at) {
  std::size_t depth = 0, deepest = 0;
  const std::size_t n = s.size();
  auto next_bracket_or_quote = [s](std::size_t i) { return first_of<'"', '[', ']', '{', '}'>(s, i); };
  auto next_quote_or_escape = [s](std::size_t i) { return first_of<'"', '\\'>(s, i); };
  for (std::size_t i = next_bracket_or_quote(0); i < n; i = next_bracket_or_quote(i + 1)) {
    switch (s[i]) {
      case '"':  // on to the closing quote; a backslash escapes the byte after it
        for (i = next_quote_or_escape(i + 1); i < n && s[i] != '"'; i = next_quote_or_escape(i + 2)) {
        }
        break;
      case '[':
      case '{':
        if (++depth > deepest && (deepest = depth) > limit) {
          if (at) *at = i;
          return deepest;
        }
        break;
      default:  // ']' or '}'
        if (depth > 0) --depth;
        break;
    }
  }
  return deepest;
}

nlohmann::json parse_json_bounded(std::string_view text, std::size_t max_nesting) {
  // Most texts are settled by the fast reader, within its depth (64 levels, and
  // never deeper than max_nesting); the rest go to nlohmann behind the scans.
  nlohmann::json out;
  switch (read_json_fast(text, std::min<std::size_t>(max_nesting, 64), out)) {
    case FastJson::value: return out;
    case FastJson::not_json: return nlohmann::json(nlohmann::json::value_t::discarded);
    case FastJson::unsupported: break;
  }
  if (nul_at(text) != std::string_view::npos || json_nesting(text, max_nesting) > max_nesting) {
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
  return nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace conform
