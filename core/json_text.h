// JSON text written directly, for the writers that produce nlohmann's exact dump
// without building a json tree (the case format, the spec dump, the NDJSON log).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace conform {

// Appends `s` as a JSON string exactly as nlohmann's dump(-1, ' ', false,
// error_handler_t::replace) writes it: UTF-8 left unescaped, control bytes as
// \b \f \n \r \t or \u00XX, invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view s);

// Appends `d` exactly as nlohmann's dump writes a number_float: the shortest
// text that reads back as `d` ("7.0", "1e-05"), "null" when not finite.
void append_json_double(std::string& out, double d);

// Appends `j` exactly as j.dump(-1, ' ', false, error_handler_t::replace) writes
// it, with strings through append_json_string (a request body on every exchange).
void append_json(std::string& out, const nlohmann::json& j);

}  // namespace conform
