// Headings and table headers of a markdown reference doc (markdown_heads.h).
#include "spec/import/markdown_heads.h"

#include "core/text.h"

namespace conform::import::md {

using text::trim;

std::string_view trim_text(std::string_view s) {
  // A no-break space (U+00A0) pads many exported cells.
  for (;;) {
    s = trim(s);
    if (s.starts_with("\xC2\xA0")) s.remove_prefix(2);
    else if (s.ends_with("\xC2\xA0")) s.remove_suffix(2);
    else return s;
  }
}

// "CreateInstance {#doc_api_1161576 .reference}" -> "CreateInstance".
std::string strip_attributes(std::string s) {
  const std::size_t open = s.rfind('{');
  if (open != std::string::npos && !s.empty() && s.back() == '}' && open + 1 < s.size() &&
      (s[open + 1] == '#' || s[open + 1] == '.')) {
    s.erase(open);
  }
  return std::string(trim_text(s));
}

bool has(std::string_view s, std::string_view w) { return s.find(w) != std::string_view::npos; }

Section classify_heading(std::string_view h) {
  if (has(h, "error") || has(h, "status code")) return Section::kErrors;
  if (has(h, "example") || has(h, "sample")) return Section::kExamples;
  if (has(h, "response") || has(h, "return")) return Section::kResponse;
  if (has(h, "request") || has(h, "parameter") || has(h, "uri")) return Section::kRequest;
  if (has(h, "description") || has(h, "function")) return Section::kDescription;
  return Section::kOther;
}

// Tree marks of nested rows ("└Key", "» Name"): each one is a level.
std::pair<std::string, std::size_t> clean_name(std::string_view s) {
  static constexpr std::string_view kMarks[] = {"\xE2\x94\x94", "\xE2\x94\x9C", "\xC2\xBB"};
  static constexpr std::string_view kPadding[] = {"\xE2\x94\x80", "\xE2\x94\x82", "\xC2\xA0",
                                                  "\xE3\x80\x80", " ", "\t"};
  std::size_t depth = 0;
  auto strip = [&s](std::string_view prefix) {
    if (!s.starts_with(prefix)) return false;
    s.remove_prefix(prefix.size());
    return true;
  };
  for (bool more = true; more;) {
    more = false;
    for (std::string_view m : kMarks) {
      if (!strip(m)) continue;
      ++depth;
      more = true;
    }
    for (std::string_view p : kPadding) more = strip(p) || more;
  }
  return {std::string(trim_text(s)), depth};
}

Col param_column(std::string_view h) {
  if (has(h, "type")) return Col::kType;
  if (has(h, "required") || has(h, "mandatory")) return Col::kRequired;
  if (has(h, "example") || has(h, "sample")) return Col::kExample;
  if (has(h, "description") || has(h, "meaning") || has(h, "remark")) return Col::kDescription;
  if (has(h, "name") || has(h, "parameter") || has(h, "field")) return Col::kName;
  return Col::kNone;
}

Col error_column(std::string_view h) {
  if (has(h, "status") || has(h, "http")) return Col::kStatus;
  if (has(h, "message")) return Col::kMessage;
  if (has(h, "code")) return Col::kCode;
  if (has(h, "description") || has(h, "meaning")) return Col::kDescription;
  return Col::kNone;
}

std::string first_digits(std::string_view s) {
  const std::size_t b = s.find_first_of("0123456789");
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_first_not_of("0123456789", b) - b));
}

}  // namespace conform::import::md
