// Reading the headings and table headers of a markdown reference doc: which
// section a heading opens, which column a header names, tree marks of nested rows.
// Internal to the markdown extractor (markdown.cc).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace conform::import::md {

// Trims ASCII space and the no-break spaces (U+00A0) that pad many exported cells.
std::string_view trim_text(std::string_view s);

// "CreateInstance {#doc_api_1161576 .reference}" -> "CreateInstance".
std::string strip_attributes(std::string s);

bool has(std::string_view s, std::string_view w);

enum class Section { kOther, kDescription, kRequest, kResponse, kErrors, kExamples };
// The section a (lower-cased) heading opens.
Section classify_heading(std::string_view h);

// Tree marks of nested rows ("└Key", "» Name"): each one is a level.
// -> the name without them, and the depth.
std::pair<std::string, std::size_t> clean_name(std::string_view s);

enum class Col { kNone, kName, kType, kRequired, kExample, kDescription, kStatus, kCode, kMessage };
// What a (lower-cased) header names, in a parameter table and in an error table.
Col param_column(std::string_view h);
Col error_column(std::string_view h);

// The first run of digits ("HTTP 400" -> "400"), "" when none.
std::string first_digits(std::string_view s);

}  // namespace conform::import::md
