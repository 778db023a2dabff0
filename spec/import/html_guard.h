// Private to html.cc: a cheap pre-scan that refuses HTML nested absurdly deep.
// Gumbo's tree construction walks the stack of open elements on many start tags
// (scope checks), so "<div><ul><li>" repeated 20,000 times takes seconds: parse
// time grows with depth times tag count. Real API docs nest a dozen levels; a
// cap keeps the import linear in the doc's size on hostile input.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "core/error.h"
#include "spec/import/text_checks.h"

namespace conform::import::html_detail {

constexpr int kMaxHtmlDepth = 512;

// Elements that never get an end tag (void) or whose end tag is optional and
// usually left out (<p>, <li>, <td>...): counting them would only misjudge
// sloppy but harmless HTML, and gumbo closes them without deep scope walks.
inline bool uncounted_tag(std::string_view lower_name) {
  static constexpr std::string_view kNames[] = {
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
      "track", "wbr", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot",
      "option", "optgroup", "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body"};
  for (std::string_view n : kNames)
    if (n == lower_name) return true;
  return false;
}

// An error naming the line where the open-tag depth first passes the cap.
inline Result<void> check_nesting(std::string_view file, std::string_view s) {
  int depth = 0;
  int line = 1;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') ++line;
    if (s[i] != '<') continue;
    const bool end = i + 1 < s.size() && s[i + 1] == '/';
    std::size_t j = i + 1 + (end ? 1 : 0);
    std::string name;
    for (; j < s.size() && name.size() < 16; ++j) {
      if (!detail::is_ascii_alpha(s[j]) && !detail::is_ascii_digit(s[j])) break;
      name += static_cast<char>(s[j] | 0x20);  // ASCII lower case; digits are unchanged
    }
    if (name.empty() || !detail::is_ascii_alpha(name[0]) || uncounted_tag(name)) continue;
    if (end) {
      depth = depth > 0 ? depth - 1 : 0;
      continue;
    }
    // <x/> opens nothing. The look-ahead is bounded so that a flood of '<'
    // without '>' stays linear; a tag's attributes are far shorter.
    const std::size_t close = s.substr(0, std::min(s.size(), j + 4096)).find('>', j);
    if (close != std::string_view::npos && s[close - 1] == '/') continue;
    if (++depth > kMaxHtmlDepth)
      return fail(detail::where(file, line), "HTML elements nested more than " +
                                                 std::to_string(kMaxHtmlDepth) + " deep: not an API doc");
  }
  return {};
}

}  // namespace conform::import::html_detail
