// The spellings of a secret value that redaction looks for (redact_spellings.h).
#include "reports/redact_spellings.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "transport/url.h"

namespace conform::report {

using nlohmann::json;

namespace {

std::string replaced_chars(std::string_view s, std::string_view chars, const char* const* with) {
  std::string out;
  for (char c : s) {
    std::size_t k = chars.find(c);
    if (k == std::string_view::npos) {
      out += c;
    } else {
      out += with[k];
    }
  }
  return out;
}

}  // namespace

// What a secret value looks like in the texts a service may echo it in: as it is;
// percent-encoded (upper- or lower-case hex, a space as + too); inside a JSON
// string as nlohmann writes it, with "/" as "\/" (PHP), with < > & as \u003c
// \u003e \u0026 (Go), or every character a \u escape; XML-escaped; and in
// lower or upper case. Replaced
// in that order, value by value.
std::vector<std::string> spellings(const std::set<std::string>& values, const std::set<std::string>& extra) {
  std::vector<std::string> out;
  auto add = [&](std::string s, const std::string& v) {
    if (s != v && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  };
  static const char* const kGo[] = {"\\u003c", "\\u003e", "\\u0026"};
  static const char* const kSlash[] = {"\\/"};
  static const char* const kXml[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
  static const char* const kXml39[] = {"&#39;"};
  for (const std::set<std::string>* set : {&values, &extra}) {
    for (const std::string& v : *set) {
      out.push_back(v);
      const std::string encoded = transport::percent_encode(v);
      add(encoded, v);
      std::string lower = encoded;
      for (std::size_t i = 0; i + 2 < lower.size(); ++i) {
        if (lower[i] == '%') {
          lower[i + 1] = static_cast<char>(std::tolower(static_cast<unsigned char>(lower[i + 1])));
          lower[i + 2] = static_cast<char>(std::tolower(static_cast<unsigned char>(lower[i + 2])));
        }
      }
      add(lower, v);
      for (const std::string* e : {&encoded, static_cast<const std::string*>(&lower)}) {
        std::string plus;  // built, not replace()d in place (gcc 12's -Wrestrict misfires on that)
        for (std::size_t i = 0; i < e->size(); ++i) {
          if (e->compare(i, 3, "%20") == 0) {
            plus += '+';
            i += 2;
          } else {
            plus += (*e)[i];
          }
        }
        add(std::move(plus), v);
      }
      std::string escaped = json(v).dump();
      escaped = escaped.substr(1, escaped.size() - 2);
      add(escaped, v);
      add(replaced_chars(escaped, "/", kSlash), v);
      add(replaced_chars(escaped, "<>&", kGo), v);
      add(replaced_chars(replaced_chars(escaped, "<>&", kGo), "/", kSlash), v);
      const bool ascii = std::all_of(v.begin(), v.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      if (ascii) {
        for (const char* hex : {"0123456789abcdef", "0123456789ABCDEF"}) {
          std::string u;
          for (char c : v) {
            const auto b = static_cast<unsigned char>(c);
            u += "\\u00";
            u += hex[b >> 4];
            u += hex[b & 15];
          }
          add(std::move(u), v);
        }
      }
      add(text::to_lower(v), v);  // a service that folds the case of what it echoes
      add(text::to_lower(encoded), v);
      std::string upper = v;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      add(std::move(upper), v);
      add(replaced_chars(v, "&<>\"'", kXml), v);
      add(replaced_chars(replaced_chars(v, "&<>\"", kXml), "'", kXml39), v);
    }
  }
  return out;
}

}  // namespace conform::report
