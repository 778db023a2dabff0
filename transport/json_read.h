// JSON text -> nlohmann::json for what the runner reads on every exchange (reply
// bodies, and the bodies the redactor looks into): the same value as
// nlohmann::json::parse(text, nullptr, false), a discarded value for text that
// is not JSON, at a fraction of the instructions for the usual shape.
#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace conform::transport {

// Objects, arrays, ASCII strings with the short escapes (\" \\ \/ \b \f \n \r \t),
// integers of up to 18 digits, true, false and null are read here; anything else
// (non-ASCII bytes, \u escapes, fractions and exponents, deeper than 64 levels, a
// syntax error) hands the whole text to nlohmann's parser, which decides.
nlohmann::json parse_json(std::string_view text);

}  // namespace conform::transport
