// Private to html.cc: the markdown lines around the HTML tables (headings,
// captions, fenced examples, prose). They are plain enough to scan a line at a
// time; gumbo is only trusted with the tables.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"
#include "spec/import/raw_doc.h"
#include "spec/import/text_checks.h"

namespace conform::import::html_detail {

// Which part of the operation the text under a heading or caption describes.
enum class Section { none, request, response, status };

// s.find(what, from), looking no further than `window` bytes: markup is short,
// and an unbounded look-ahead per '<' or '[' would make hostile lines quadratic.
inline std::size_t find_near(std::string_view s, std::string_view what, std::size_t from,
                             std::size_t window = 512) {
  return s.substr(0, std::min(s.size(), from + window)).find(what, from);
}

// One markdown line as plain text: tags dropped, [text](url) kept as text, bold
// marks and backslash escapes removed, the common entities decoded, spaces squashed.
// One pass, so hostile lines cost linear time.
inline std::string clean_markdown(std::string_view s) {
  // No markup at all (five memchr calls): only the spaces to squash.
  if (std::all_of(std::begin("<[*\\&"), std::end("<[*\\&") - 1,
                  [&](char c) { return s.find(c) == std::string_view::npos; }))
    return text::squash_spaces(s);
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&nbsp;", ' '}, {"&amp;", '&'}};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == '<' && (detail::is_ascii_alpha(next) || next == '/' || next == '!')) {
      const std::size_t close = find_near(s, ">", i);
      if (close != std::string_view::npos) { i = close; continue; }
    }
    if (c == '[') {  // a link [text](url) keeps its text; "[1, 64]" stays as written
      const std::size_t close = find_near(s, "](", i);
      const std::size_t end = close == std::string_view::npos ? close : find_near(s, ")", close);
      const std::string_view label = end == std::string_view::npos ? "[" : s.substr(i + 1, close - i - 1);
      if (label.find('[') == std::string_view::npos) {  // so the recursion is one level deep
        out += clean_markdown(label);
        i = end;
        continue;
      }
    }
    if (c == '*' && next == '*') { ++i; continue; }
    if (c == '\\' && next != '\0' && std::ispunct(static_cast<unsigned char>(next))) {
      out += next;
      ++i;
      continue;
    }
    if (c == '&') {
      const auto* e = std::find_if(std::begin(kEntities), std::end(kEntities),
                                   [&](const auto& ent) { return s.substr(i).starts_with(ent.first); });
      if (e != std::end(kEntities)) { out += e->second; i += e->first.size() - 1; continue; }
    }
    out += c;
  }
  return text::squash_spaces(out);
}

inline bool is_heading(std::string_view trimmed) { return trimmed.starts_with('#'); }

// Position of `word` in `low` as a whole word, or npos ("uri" must not match "security").
inline std::size_t find_word(std::string_view low, std::string_view word) {
  for (std::size_t p = low.find(word); p != std::string_view::npos; p = low.find(word, p + 1)) {
    const bool left = p == 0 || !detail::is_ascii_alpha(low[p - 1]);
    const std::size_t end = p + word.size();
    const bool right = end >= low.size() || !detail::is_ascii_alpha(low[end]);
    if (left && right) return p;
  }
  return std::string_view::npos;
}

// The section a heading ("## Response"), a bold caption ("**Request parameters**")
// or an "Example response" line opens. Other lines open none. A heading naming
// no known section returns Section::none too, but `*opens` tells the caller it
// still ends the section before it (a "## Function" heading does).
inline Section section_of(std::string_view line, bool* opens) {
  const std::string_view t = text::trim(line);
  const bool heading = is_heading(t);
  *opens = heading;
  if (!heading && !t.starts_with("**") && !text::starts_with_ci(t, "example")) return Section::none;
  const std::string low = text::to_lower(clean_markdown(t));
  static constexpr std::pair<std::string_view, Section> kWords[] = {
      {"uri", Section::request},       {"request", Section::request},
      {"response", Section::response}, {"status code", Section::status},
      {"error code", Section::status}, {"status codes", Section::status},
      {"error codes", Section::status}};
  std::size_t best = std::string_view::npos;
  Section found = Section::none;
  for (const auto& [word, section] : kWords) {
    const std::size_t p = find_word(low, word);
    if (p < best) { best = p; found = section; }
  }
  if (found != Section::none) *opens = true;
  return found;
}

// The doc's title: its first "# " heading without the anchor tail.
inline std::string title_of(const std::vector<std::string_view>& lines) {
  for (std::string_view l : lines) {
    const std::string_view t = text::trim(l);
    if (t.starts_with("# ")) return clean_markdown(t.substr(2));
  }
  return "";
}

// A ``` or ~~~ fence opener or closer; `fence` is its three characters.
inline bool is_fence(std::string_view line, std::string_view* fence) {
  const std::string_view t = text::trim(line);
  if (!t.starts_with("```") && !t.starts_with("~~~")) return false;
  *fence = t.substr(0, 3);
  return true;
}

// The body of a fence opened at lines[open] (0-based): lines up to the closing
// fence or the end, dedented by the opener's indent (fences in list items are
// indented). Sets *close to the index of the closing line (or lines.size()).
inline std::string fence_body(const std::vector<std::string_view>& lines, std::size_t open,
                              std::string_view fence, std::size_t* close) {
  const std::size_t indent = lines[open].find_first_not_of(' ');
  std::string body;
  std::size_t i = open + 1;
  for (; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    if (text::trim(l).starts_with(fence)) break;
    std::size_t cut = 0;
    while (cut < indent && cut < l.size() && l[cut] == ' ') ++cut;
    if (i > open + 1) body += '\n';
    body += l.substr(cut);
  }
  *close = i;
  return body;
}

}  // namespace conform::import::html_detail
