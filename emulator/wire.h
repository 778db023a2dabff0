// Internal: the bytes of a request as the dialects read them: percent-decoding,
// query strings and form bodies, path templates.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace conform::emulator {

// Percent-decoding; '+' is a space in queries and forms. A '%' not followed by two
// hex digits stays as it is (docs/decisions.md, "Emulator wire").
std::string url_decode(std::string_view s);
// "a=1&b=&c" -> {a:1}, {b:""}, {c:""}, in order; empty pieces are skipped.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view s);
// A request's query or form parameters by name; looked up by string_view without a copy.
using QueryMap = std::map<std::string, std::string, std::less<>>;
// Adds pairs to a first-occurrence map (decisions.md §2: the first occurrence counts);
// a name already there costs no copy, and pairs passed by value are moved in.
void add_first(QueryMap& out, const std::vector<std::pair<std::string, std::string>>& pairs);
void add_first(QueryMap& out, std::vector<std::pair<std::string, std::string>>&& pairs);
// "/v1.0/{project_id}/instances" against "/v1.0/abc/instances" -> {project_id: abc};
// a placeholder matches one segment, empty included.
std::optional<std::map<std::string, std::string>> match_path(std::string_view tmpl, std::string_view path);
// The media type of a Content-Type value, lower-case, without parameters.
std::string media_type(std::string_view content_type);
std::string xml_escape(std::string_view s);

}  // namespace conform::emulator
