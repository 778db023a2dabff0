// Private to html.cc: a cheap pre-scan that refuses HTML nested absurdly deep.
// Gumbo's tree construction walks the stack of open elements on many start tags
// (scope checks), so "<div><ul><li>" repeated 20,000 times takes seconds: parse
// time grows with depth times tag count. Real API docs nest a dozen levels; a
// cap keeps the import linear in the doc's size on hostile input.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "spec/import/text_checks.h"

namespace conform::import::html_detail {

constexpr int kMaxHtmlDepth = 512;

// A tag name of up to eight bytes as a number (byte k in bits 8k..8k+7), so
// that a name is looked up with one switch.
constexpr std::uint64_t tag_key(std::string_view lower_name) {
  std::uint64_t key = 0;
  for (std::size_t k = 0; k < lower_name.size() && k < 8; ++k)
    key |= std::uint64_t{static_cast<unsigned char>(lower_name[k])} << (8 * k);
  return key;
}

// Elements that never get an end tag (void) or whose end tag is optional and
// usually left out (<p>, <li>, <td>...): counting them would only misjudge
// sloppy but harmless HTML, and gumbo closes them without deep scope walks.
// `key` is tag_key of a lower-case name of at most eight bytes.
constexpr bool uncounted_tag(std::uint64_t key) {
  switch (key) {
    case tag_key("area"): case tag_key("base"): case tag_key("br"): case tag_key("col"):
    case tag_key("embed"): case tag_key("hr"): case tag_key("img"): case tag_key("input"):
    case tag_key("link"): case tag_key("meta"): case tag_key("param"): case tag_key("source"):
    case tag_key("track"): case tag_key("wbr"): case tag_key("keygen"): case tag_key("p"):
    case tag_key("li"): case tag_key("dt"): case tag_key("dd"): case tag_key("tr"):
    case tag_key("td"): case tag_key("th"): case tag_key("thead"): case tag_key("tbody"):
    case tag_key("tfoot"): case tag_key("option"): case tag_key("optgroup"): case tag_key("colgroup"):
    case tag_key("caption"): case tag_key("rb"): case tag_key("rt"): case tag_key("rp"):
    case tag_key("html"): case tag_key("head"): case tag_key("body"):
      return true;
    default:
      return false;
  }
}

// An error naming the line where the open-tag depth first passes the cap.
inline Result<void> check_nesting(std::string_view file, std::string_view s) {
  int depth = 0;
  // From one '<' to the next (memchr): the line is counted only for the error.
  for (std::size_t i = s.find('<'); i != std::string_view::npos; i = s.find('<', i + 1)) {
    const bool end = i + 1 < s.size() && s[i + 1] == '/';
    const std::size_t from = i + 1 + (end ? 1 : 0);
    std::size_t j = from;
    std::uint64_t key = 0;  // tag_key of the lower-cased name
    for (; j < s.size() && j - from < 16; ++j) {
      if (!detail::is_ascii_alpha(s[j]) && !detail::is_ascii_digit(s[j])) break;
      // ASCII lower case; digits are unchanged
      if (j - from < 8) key |= std::uint64_t{static_cast<unsigned char>(s[j] | 0x20)} << (8 * (j - from));
    }
    if (j == from || !detail::is_ascii_alpha(s[from]) || (j - from <= 8 && uncounted_tag(key))) continue;
    if (end) {
      depth = depth > 0 ? depth - 1 : 0;
      continue;
    }
    // <x/> opens nothing. The look-ahead is bounded so that a flood of '<'
    // without '>' stays linear; a tag's attributes are far shorter.
    const std::size_t close = s.substr(0, std::min(s.size(), j + 4096)).find('>', j);
    if (close != std::string_view::npos && s[close - 1] == '/') continue;
    if (++depth > kMaxHtmlDepth) {
      const int line = 1 + static_cast<int>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(i), '\n'));
      return fail(detail::where(file, line), "HTML elements nested more than " +
                                                 std::to_string(kMaxHtmlDepth) + " deep: not an API doc");
    }
  }
  return {};
}

}  // namespace conform::import::html_detail
