// JSON text written directly, for the writers that produce nlohmann's exact dump
// without building a json tree (the case format, the spec dump, the NDJSON log);
// and how deep a JSON text nests, checked before it is parsed.
#pragma once

#include <cstddef>
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

// How deep arrays and objects nest in the text `s` ("[]" is 1, a scalar 0),
// strings skipped; `s` need not be valid JSON. The scan stops at the first level
// past `limit` and returns it. nlohmann parses any depth, but printing, comparing
// or walking the tree it builds recurses once per level, so a hostile text (a
// target's answer, a case line, a fixture file) 100,000 levels deep would exhaust
// the stack: every reader of outside JSON checks this first, with no recursion.
// `at`, when given and the limit is passed, gets the offset of the bracket that
// passed it (for an error message's line and column).
std::size_t json_nesting(std::string_view s, std::size_t limit, std::size_t* at = nullptr);

// The nesting a JSON text from outside may have: far more than any document
// this tool reads needs (the emulator and the oracle allow 64 levels in a
// request's JSON values, decisions.md section 2), far less than a stack holds.
inline constexpr std::size_t kMaxJsonNesting = 128;

// Where `text` holds a NUL byte, or npos. No JSON text has one (RFC 8259: a control
// character only escaped in a string, and NUL is no whitespace), but nlohmann's
// parser takes a NUL as the end of its input and accepts "{}\0garbage": every parse
// of JSON from outside asks first (docs/decisions.md section 2).
inline std::size_t nul_at(std::string_view text) { return text.find('\0'); }

// json::parse(text, nullptr, false) for JSON from outside: a discarded value also
// when the text nests deeper than `max_nesting` (found before any tree is built) or
// holds a NUL byte. The usual shape is read by core/json_read.h's reader, at a
// fraction of nlohmann's cost, and a text it finds is not JSON never reaches
// nlohmann (whose errors build their messages even when nobody asks).
nlohmann::json parse_json_bounded(std::string_view text, std::size_t max_nesting = kMaxJsonNesting);

}  // namespace conform
