#include "core/json_read.h"

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace conform {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDigits = 18;  // fits int64 and uint64 alike

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads the subset json_read.h names, building the value nlohmann's DOM parser
// builds. False: not JSON, or (unsupported()) not in the subset.
class Reader {
 public:
  Reader(std::string_view text, std::size_t max_depth)
      : p_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth) {}

  bool unsupported() const { return unsupported_; }

  bool document(json& out) {
    // nlohmann skips a UTF-8 byte order mark before the value.
    if (end_ - p_ >= 3 && std::string_view(p_, 3) == "\xEF\xBB\xBF") return give_up();
    ws();
    if (!value(out, 0)) return false;
    ws();
    return p_ == end_;
  }

 private:
  // Not in the subset: nlohmann decides.
  bool give_up() {
    unsupported_ = true;
    return false;
  }

  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool value(json& out, std::size_t depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return depth < max_depth_ ? object(out, depth + 1) : give_up();
      case '[': return depth < max_depth_ ? array(out, depth + 1) : give_up();
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

  bool object(json& out, std::size_t depth) {
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

  bool array(json& out, std::size_t depth) {
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
          case 'u': return give_up();  // \u (surrogate pairs and all) is nlohmann's
          default: return false;
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
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E' || is_digit(*p_))) return give_up();
    if (static_cast<std::size_t>(p_ - digits) > kMaxDigits) return give_up();
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
  std::size_t max_depth_;
  bool unsupported_ = false;
};

}  // namespace

FastJson read_json_fast(std::string_view text, std::size_t max_depth, json& out) {
  Reader reader(text, max_depth);
  if (reader.document(out)) return FastJson::value;
  return reader.unsupported() ? FastJson::unsupported : FastJson::not_json;
}

}  // namespace conform
