#include "transport/json_read.h"

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/utf8.h"

namespace conform::transport {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxDigits = 18;  // fits int64 and uint64 alike

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads the subset json_read.h names, building the value nlohmann's DOM parser
// builds (the same types: an integer with '-' is number_integer, without it
// number_unsigned; the last of repeated members wins). False: not in the subset
// or not JSON; the caller then asks nlohmann.
class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool document(json& out) {
    ws();
    if (!value(out, 0)) return false;
    ws();
    return p_ == end_;
  }

 private:
  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool value(json& out, int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return depth < kMaxDepth && object(out, depth + 1);
      case '[': return depth < kMaxDepth && array(out, depth + 1);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't': return literal("true", out, json(true));
      case 'f': return literal("false", out, json(false));
      case 'n': return literal("null", out, json(nullptr));
      default: return number(out);
    }
  }

  bool literal(std::string_view word, json& out, json v) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    out = std::move(v);
    return true;
  }

  bool object(json& out, int depth) {
    ++p_;  // '{'
    out = json::object();
    json::object_t& members = out.get_ref<json::object_t&>();
    ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    std::string key;
    while (true) {
      if (p_ == end_ || *p_ != '"') return false;
      key.clear();
      if (!string(key)) return false;
      ws();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      ws();
      if (!value(members[key], depth)) return false;
      ws();
      if (p_ == end_) return false;
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      ws();
    }
  }

  bool array(json& out, int depth) {
    ++p_;  // '['
    out = json::array();
    json::array_t& items = out.get_ref<json::array_t&>();
    ws();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    while (true) {
      items.emplace_back();
      if (!value(items.back(), depth)) return false;
      ws();
      if (p_ == end_) return false;
      if (*p_ == ']') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      ws();
    }
  }

  bool string(std::string& out) {
    ++p_;  // '"'
    const char* run = p_;
    while (p_ < end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out.append(run, p_);
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        std::size_t n = text::utf8_sequence(std::string_view(p_, static_cast<std::size_t>(end_ - p_)), 0);
        if (n == 0) return false;
        p_ += n;
        continue;
      }
      if (c == '\\') {
        out.append(run, p_);
        if (++p_ == end_) return false;
        switch (*p_) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          default: return false;  // \u (surrogate pairs and all) is nlohmann's
        }
        run = ++p_;
        continue;
      }
      ++p_;
    }
    return false;
  }

  bool number(json& out) {
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    const char* digits = p_;
    if (p_ == end_ || !is_digit(*p_)) return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ < end_ && is_digit(*p_)) ++p_;
    }
    // A fraction or an exponent (nlohmann's strtod), a leading zero (an error),
    // or a number that may overflow (nlohmann's float fallback): not here.
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E' || is_digit(*p_))) return false;
    if (static_cast<std::size_t>(p_ - digits) > kMaxDigits) return false;
    std::uint64_t v = 0;
    for (const char* d = digits; d < p_; ++d) v = v * 10 + static_cast<std::uint64_t>(*d - '0');
    if (negative) {
      out = static_cast<json::number_integer_t>(-static_cast<std::int64_t>(v));
    } else {
      out = static_cast<json::number_unsigned_t>(v);
    }
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

json parse_json(std::string_view text) {
  json out;
  if (Reader(text).document(out)) return out;
  return parse_json_bounded(text);
}

}  // namespace conform::transport
