// Internal to oracles/: whether one value satisfies one single-parameter rule
// (docs/spec-format.md, "Rules"), and the value parsing of docs/decisions.md
// section 2. Pure functions of (rule, value).
#pragma once

#include <optional>
#include <string_view>

#include "oracles/compiled.h"
#include "oracles/request.h"

namespace conform::oracle {

// Does the value parse as the parameter's declared type? `list`: a Json
// parameter that carries a list (PathRef::top_list / leaf_list).
bool type_ok(const spec::Param& p, bool list, const Value& v);
// The single-parameter value rules (phase 3 but `type`): true when satisfied.
// A value of the wrong kind (text where a number is due) does not satisfy them.
bool value_ok(const CompiledRule& cr, const spec::Param* leaf, const Value& v);
// Range of a number against [min, max] (absent bounds are open).
bool in_range(double x, const spec::Rule& r);
// The number a value holds for a parameter of type `t`, if it holds one.
std::optional<double> number_of(const Value& v, spec::ParamType t);
std::optional<double> parse_number(std::string_view s, bool integer_only);
bool valid_ipv4(std::string_view s);
bool ip_in_cidr(std::string_view ip, std::string_view cidr);
// "2013-07-15..." -> 20130715; plain numbers as they are.
std::optional<double> attr_number(std::string_view s);

}  // namespace conform::oracle
