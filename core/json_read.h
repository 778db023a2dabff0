// JSON text -> nlohmann::json for JSON from outside (case lines, reply bodies,
// doc examples, baselines): parse_json_bounded's reader. It reads the usual shape
// itself, at a fraction of nlohmann's instructions and allocations, and tells a
// text that is certainly not JSON from one it leaves to nlohmann.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace conform {

enum class FastJson {
  value,        // `out` holds the value nlohmann::json::parse would build
  not_json,     // nlohmann would refuse the text too (or it holds a NUL byte)
  unsupported,  // outside the subset below: ask nlohmann
};

// Objects, arrays, strings (any well-formed UTF-8; the escapes \" \\ \/ \b \f
// \n \r \t), integers of up to 18 digits, true, false and null, nested at most
// `max_depth` levels, are read here; a syntax error among them (a missing comma
// or colon, a bad literal, an unterminated string, a control byte or ill-formed
// UTF-8 in a string, an unknown escape, trailing text) is not_json. A \u escape,
// a fraction, an exponent, a longer integer, a leading zero, a byte order mark or
// deeper nesting is unsupported. The values are nlohmann's DOM parser's: an
// integer with '-' is number_integer, without it number_unsigned; the last of
// repeated members wins.
FastJson read_json_fast(std::string_view text, std::size_t max_depth, nlohmann::json& out);

}  // namespace conform
