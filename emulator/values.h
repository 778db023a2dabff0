// Internal: the single-value checks of the emulator's reading of docs/spec-format.md
// and docs/decisions.md §2 (what parses as an Integer on a query, what a Boolean is,
// the formats). Pure functions of a value, so they are unit-tested one by one.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "emulator/params.h"
#include "spec/model.h"

namespace conform::emulator {

// Query text: optional '-', decimal digits, within 32 (Integer) or 64 (Long) bits.
std::optional<long long> parse_query_integer(std::string_view s, bool wide);
// Query text: a decimal number ("0.98", "-1", "1e3"); no spaces, no commas.
std::optional<double> parse_query_float(std::string_view s);
// "true"/"false", case-insensitive.
std::optional<bool> parse_query_bool(std::string_view s);

// Whether `v` parses as `type` (`item` is the element type of an Array, when known;
// `list` marks a Json parameter that carries a list, which must hold strings).
bool type_ok(const Value& v, spec::ParamType type, std::optional<spec::ParamType> item, bool list,
             bool has_members);
// The numeric value of a scalar, nullopt when it has none.
std::optional<double> number_of(const Value& v);
// The elements of a list value: a JSON array, or a Json-in-query text's array.
const nlohmann::json* array_of(const Value& v);
// Element count of an array or object value (Json texts included); nullopt otherwise.
std::optional<std::size_t> item_count(const Value& v);

std::size_t length_of(std::string_view s, spec::LengthUnit unit);
// ipv4, cidr, base64, HH:mm:ss, HH:mm-HH:mm; an unknown format holds for every value.
bool format_ok(std::string_view format, std::string_view s);
// 10.0.0.1 inside 10.0.0.0/8.
bool ip_in_cidr(std::string_view ip, std::string_view cidr);

}  // namespace conform::emulator
