// Which texts a format, a pattern or a number's syntax accepts: the checks the
// generators' rule_ok() runs on every value of every draft, written out where
// RE2 would cost thousands of instructions a call (values.cc).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace conform::gen {

// `pattern` compiled once per thread (dot matches newline; errors not logged).
const re2::RE2& regex(const std::string& pattern);
// Whether `text` has the spec format `f` (ipv4, cidr, base64, HH:mm:ss,
// HH:mm-HH:mm written out; any other through its regular expression).
bool format_ok(const std::string& f, const std::string& text);
// -?[0-9]{1,max_digits} (max_digits 0: no limit).
bool integer_text(std::string_view s, std::size_t max_digits = 0);
// -?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool decimal_text(std::string_view s);
// std::stod of a number's text, short integers read in place.
double text_number(const std::string& s);

}  // namespace conform::gen
