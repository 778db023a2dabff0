// Character classes and value lists as the docs write them in prose (charsets.h).
#include "spec/import/charsets.h"

#include <re2/re2.h>

#include "core/text.h"

namespace conform::import {

// Values of a list written in prose: "Week and Month", "{“1”, “2”}", "22:00:00, 02:00:00, or 18:00:00".
std::vector<std::string> list_values(std::string s) {
  for (const char* junk : {"\xe2\x80\x9c", "\xe2\x80\x9d", "\"", "{", "}", "\\"}) {
    for (auto p = s.find(junk); p != std::string::npos; p = s.find(junk)) s.erase(p, std::string(junk).size());
  }
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string v(text::trim(cur));
    if (v.starts_with("and ")) v = v.substr(4);
    if (v.starts_with("or ")) v = v.substr(3);
    while (!v.empty() && (v.back() == '.' || v.back() == ',')) v.pop_back();
    v = std::string(text::trim(v));
    if (!v.empty()) out.push_back(v);
    cur.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ',') { flush(); continue; }
    if (s.compare(i, 5, " and ") == 0 || s.compare(i, 4, " or ") == 0) {
      flush();
      i += s.compare(i, 5, " and ") == 0 ? 3 : 2;
      continue;
    }
    cur.push_back(s[i]);
  }
  flush();
  return out;
}

// Characters in parentheses: "colons (:), underscores (_)" -> ":_".
std::string paren_chars(const std::string& s) {
  std::string out;
  re2::StringPiece in(s);
  std::string c;
  static const RE2 re(R"(\((\S{1,3})\))");
  while (RE2::FindAndConsume(&in, re, &c)) {
    if (c == "()") c = "()";
    out += c;
  }
  return out;
}

std::string escape_class(const std::string& chars) {
  std::string out;
  for (char c : chars) {
    if (c == '\\' || c == ']' || c == '[' || c == '^' || c == '-') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string canonical_charset(const std::string& cls) {
  RE2 re("[" + cls + "]");
  if (!re.ok()) return cls;
  std::string out;
  auto emit = [&](int a, int b) {
    auto one = [&](int c) {
      const char ch = static_cast<char>(c);
      if (ch == '\\' || ch == ']' || ch == '[' || ch == '^' || ch == '-') out.push_back('\\');
      if (c < 0x20 || c == 0x7f) {
        static const char* hex = "0123456789ABCDEF";
        out += "\\x";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
        return;
      }
      out.push_back(ch);
    };
    one(a);
    if (b > a + 1) out.push_back('-');
    if (b > a) one(b);
  };
  int start = -1;
  for (int c = 0; c <= 128; ++c) {
    const bool in = c < 128 && RE2::FullMatch(std::string(1, static_cast<char>(c)), re);
    if (in && start < 0) start = c;
    if (!in && start >= 0) {
      emit(start, c - 1);
      start = -1;
    }
  }
  // What lies beyond ASCII (\p{Han}, U+2032) is kept as written.
  for (std::size_t i = 0; i < cls.size(); ++i) {
    if (cls.compare(i, 2, "\\p") == 0) {
      const auto close = cls.find('}', i);
      if (close != std::string::npos) {
        out += cls.substr(i, close - i + 1);
        i = close;
      }
    } else if (static_cast<unsigned char>(cls[i]) >= 0x80) {
      out.push_back(cls[i]);
    }
  }
  return out;
}

std::string charset_from_list(const std::string& list) {
  const std::string l = text::to_lower(list);
  std::string out;
  const bool upper = l.find("uppercase") != std::string::npos;
  const bool lower = l.find("lowercase") != std::string::npos;
  if (l.find("letters") != std::string::npos) {
    if (upper && !lower) out += "A-Z";
    else if (lower && !upper) out += "a-z";
    else out += "A-Za-z";
  }
  if (l.find("digits") != std::string::npos || l.find("numbers") != std::string::npos) out += "0-9";
  if (l.find("chinese characters") != std::string::npos) out += "\\p{Han}";
  if (l.find("ascii characters") != std::string::npos) out += "\\x00-\\x7F";
  // Punctuation named without its character in parentheses.
  const std::pair<const char*, const char*> named[] = {{"underscores", "_"}, {"hyphens", "\\-"},
                                                       {"periods", "."}, {"colons", ":"}};
  for (const auto& [word, ch] : named) {
    const auto at = l.find(word);
    if (at != std::string::npos && (at + std::string(word).size() >= l.size() || l[at + std::string(word).size()] != ' ' ||
                                    l.compare(at + std::string(word).size(), 2, " (") != 0))
      out += ch;
  }
  out += escape_class(paren_chars(list));
  return out.empty() ? out : canonical_charset(out);
}

}  // namespace conform::import
