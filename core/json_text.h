// JSON text written directly, for the writers that produce nlohmann's exact dump
// without building a json tree (the case format, the spec dump, the NDJSON log).
#pragma once

#include <string>
#include <string_view>

namespace conform {

// Appends `s` as a JSON string exactly as nlohmann's dump(-1, ' ', false,
// error_handler_t::replace) writes it: UTF-8 left unescaped, control bytes as
// \b \f \n \r \t or \u00XX, invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view s);

}  // namespace conform
