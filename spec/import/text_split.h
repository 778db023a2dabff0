// Private to text.cc (and its test): splitting rows of tables whose cells were
// flattened with no separator, "NameStringYesCluster name.", back into cells.
// The rules are general (a type vocabulary, identifier-shaped names and codes,
// a 3-digit status between sentences), never per-row special cases.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "spec/import/raw_doc.h"
#include "spec/import/text_checks.h"

namespace conform::import::text_detail {

using detail::is_ascii_alpha;
using detail::is_ascii_digit;
using detail::is_ascii_lower;
using detail::is_ascii_upper;

// Names and codes are short; the bound keeps the split linear on hostile rows.
constexpr std::size_t kMaxIdentifier = 256;

// The types the flattened docs write, in the case they write them.
inline constexpr std::string_view kTypes[] = {
    "String", "string", "Integer", "integer", "Long", "long", "Boolean", "boolean",
    "Float",  "float",  "Double",  "double",  "Object", "object", "Array", "array",
    "Json",   "JSON",   "json",    "Map",     "map",    "List",   "list",  "Number", "number"};

// A parameter name as docs write them: "Name", "DataDisk.N.Size", "UserData.{key}".
inline bool plausible_name(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdentifier) return false;
  if (!is_ascii_alpha(s[0]) && s[0] != '_' && s[0] != '{') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return is_ascii_alpha(c) || is_ascii_digit(c) || c == '_' || c == '.' || c == '{' || c == '}' ||
           c == '-';
  });
}

// How much `d` looks like the start of a description: a lowercase start is
// unlikely (0); a CamelCase first word ("ValueLongThe") means the split point is
// probably inside a name (1); a plain word, a number or nothing is best (2).
inline int description_score(std::string_view d) {
  if (d.empty()) return 2;
  if (is_ascii_lower(d[0]) || d[0] == ' ') return 0;
  const std::size_t n = std::min<std::size_t>(d.size(), 64);
  for (std::size_t i = 1; i < n && is_ascii_alpha(d[i]); ++i)
    if (is_ascii_upper(d[i]) && is_ascii_lower(d[i - 1])) return 1;
  return 2;
}

// Splits a flattened parameter row: name, then a type word, then "Yes"/"No" when
// the table has a Required column, then the description. Of the possible split
// points the one whose description reads best wins, the earliest on a tie
// (names are short, descriptions long).
inline std::optional<RawParam> split_param_row(std::string_view row, bool has_required, int line) {
  std::optional<RawParam> best;
  int best_score = -1;
  const std::size_t limit = std::min({row.size(), row.find(' '), kMaxIdentifier + 1});
  for (std::size_t i = 1; i < limit; ++i) {
    for (std::string_view type : kTypes) {
      if (row[i] != type[0] || row.substr(i, type.size()) != type) continue;  // first byte: cheap
      std::string_view rest = row.substr(i + type.size());
      std::string_view required;
      if (has_required) {
        if (rest.starts_with("Yes")) required = "Yes";
        else if (rest.starts_with("No")) required = "No";
        else continue;
        rest.remove_prefix(required.size());
      }
      const std::string_view name = row.substr(0, i);
      if (!plausible_name(name)) continue;
      const int score = description_score(rest);
      if (score <= best_score) continue;
      best_score = score;
      std::vector<TextLine> description;
      if (!text::trim(rest).empty()) description.push_back({std::string(text::trim(rest)), line});
      best = RawParam{std::string(name), {}, std::string(type), std::string(required), "",
                      std::move(description), line};
    }
  }
  return best;
}

// An error code: "InvalidName", "QuotaExhausted.MaxClusterCount", "Invalid{Parameter}".
inline bool plausible_code(std::string_view s) { return plausible_name(s); }

// Splits "<code><message>" where nothing separates the two:
//  1. "MissingNameName is mandatory": the message starts with the code's tail.
//  2. the message starts at "Specified parameter", "Specified " or "The ".
//  3. otherwise at the last CamelCase hump of the first word ("ForbiddenUser ...").
inline std::optional<std::pair<std::string, std::string>> split_code_message(std::string_view left) {
  const std::size_t space = left.find(' ');
  const std::string_view tok = left.substr(0, space);
  const auto result = [&](std::size_t k) -> std::optional<std::pair<std::string, std::string>> {
    if (!plausible_code(left.substr(0, k)) || text::trim(left.substr(k)).empty()) return std::nullopt;
    return std::pair{std::string(left.substr(0, k)), std::string(text::trim(left.substr(k)))};
  };
  if (space != std::string_view::npos && tok.size() <= kMaxIdentifier) {
    for (std::size_t len = tok.size() / 2; len >= 2; --len) {
      const std::size_t k = tok.size() - len;
      if (k > len && is_ascii_upper(tok[k]) && tok.substr(k - len, len) == tok.substr(k))
        if (auto r = result(k)) return r;
    }
  }
  for (std::string_view marker : {"Specified parameter", "Specified ", "The "}) {
    const std::size_t p = left.find(marker);
    if (p != std::string_view::npos && p > 0)
      if (auto r = result(p)) return r;
  }
  for (std::size_t k = std::min(tok.size(), kMaxIdentifier); k-- > 1;) {
    if (is_ascii_upper(tok[k]) && (is_ascii_lower(tok[k - 1]) || is_ascii_digit(tok[k - 1])))
      return result(k);
  }
  return std::nullopt;
}

// True when row[p, p+3) is an HTTP status sitting between a message that ends in
// '.' or ')' and a description that starts with a capital or a '{'.
inline bool status_at(std::string_view row, std::size_t p) {
  if (p == 0 || p + 3 >= row.size()) return false;
  if (row[p] < '1' || row[p] > '5' || !is_ascii_digit(row[p + 1]) || !is_ascii_digit(row[p + 2]))
    return false;
  const char before = row[p - 1];
  const char after = row[p + 3];
  return (before == '.' || before == ')') && (is_ascii_upper(after) || after == '{');
}

// Splits a flattened error row "<code><message><status><description>". The first
// status position whose left side splits into code and message wins; only a few
// are tried, which keeps hostile rows linear.
inline std::optional<RawError> split_error_row(std::string_view row, int line) {
  int tries = 0;
  for (std::size_t p = 1; p + 3 < row.size() && tries < 8; ++p) {
    if (!status_at(row, p)) continue;
    ++tries;
    auto split = split_code_message(row.substr(0, p));
    if (!split) continue;
    return RawError{std::string(row.substr(p, 3)), std::move(split->first),
                    std::move(split->second), std::string(text::trim(row.substr(p + 3))), line};
  }
  return std::nullopt;
}

}  // namespace conform::import::text_detail
