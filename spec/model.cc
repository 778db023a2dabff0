#include "spec/model.h"

#include <array>
#include <utility>

#include "core/text.h"

namespace conform::spec {

namespace {

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [e, n] : table)
    if (e == v) return n;
  return "?";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view s) {
  for (const auto& [e, n] : table)
    if (n == s) return e;
  return std::nullopt;
}

constexpr std::array<std::pair<Confidence, std::string_view>, 4> kConfidence{{
    {Confidence::documented, "documented"},
    {Confidence::inferred, "inferred"},
    {Confidence::unknown, "unknown"},
    {Confidence::ambiguous, "ambiguous"},
}};

constexpr std::array<std::pair<ParamType, std::string_view>, 9> kTypes{{
    {ParamType::String, "String"},
    {ParamType::Integer, "Integer"},
    {ParamType::Long, "Long"},
    {ParamType::Float, "Float"},
    {ParamType::Double, "Double"},
    {ParamType::Boolean, "Boolean"},
    {ParamType::Json, "Json"},
    {ParamType::Array, "Array"},
    {ParamType::Object, "Object"},
}};

constexpr std::array<std::pair<Location, std::string_view>, 4> kLocations{{
    {Location::query, "query"},
    {Location::path, "path"},
    {Location::body, "body"},
    {Location::header, "header"},
}};

constexpr std::array<std::pair<RuleKind, std::string_view>, 30> kKinds{{
    {RuleKind::required, "required"},
    {RuleKind::type, "type"},
    {RuleKind::length, "length"},
    {RuleKind::range, "range"},
    {RuleKind::enumeration, "enum"},
    {RuleKind::charset, "charset"},
    {RuleKind::first_char, "first_char"},
    {RuleKind::forbidden_prefix, "forbidden_prefix"},
    {RuleKind::forbidden_suffix, "forbidden_suffix"},
    {RuleKind::forbidden_substring, "forbidden_substring"},
    {RuleKind::char_classes, "char_classes"},
    {RuleKind::pattern, "pattern"},
    {RuleKind::format, "format"},
    {RuleKind::index_max, "index_max"},
    {RuleKind::items, "items"},
    {RuleKind::requires_param, "requires"},
    {RuleKind::pair, "pair"},
    {RuleKind::exclusive, "exclusive"},
    {RuleKind::required_if, "required_if"},
    {RuleKind::range_if, "range_if"},
    {RuleKind::enum_if, "enum_if"},
    {RuleKind::forbidden_with, "forbidden_with"},
    {RuleKind::idempotency, "idempotency"},
    {RuleKind::unique, "unique"},
    {RuleKind::reference, "reference"},
    {RuleKind::ref_attr, "ref_attr"},
    {RuleKind::at_least_ref, "at_least_ref"},
    {RuleKind::ref_match, "ref_match"},
    {RuleKind::quota, "quota"},
    {RuleKind::sum, "sum"},
}};

constexpr std::array<std::pair<LengthUnit, std::string_view>, 2> kUnits{{
    {LengthUnit::chars, "chars"},
    {LengthUnit::bytes, "bytes"},
}};

const Param* find_in(const std::vector<Param>& params, std::string_view name) {
  for (const auto& p : params)
    if (p.name == name) return &p;
  // A dotted path into members: "instance_backup_policy.save_days".
  for (const auto& p : params) {
    if (p.members.empty() || name.size() <= p.name.size() + 1) continue;
    if (name.substr(0, p.name.size()) == p.name && name[p.name.size()] == '.') {
      if (const Param* m = find_in(p.members, name.substr(p.name.size() + 1))) return m;
    }
  }
  return nullptr;
}

}  // namespace

const Param* Spec::find_param(std::string_view name) const { return find_in(params, name); }

bool carries_list(const Spec& spec, const Param* p) {
  if (!p || p->type != ParamType::Json) return false;
  if (p->item_type) return true;
  for (const Rule& r : spec.rules) {
    if (r.kind == RuleKind::items && !r.params.empty() && spec.find_param(r.params[0]) == p) return true;
  }
  return false;
}

const Rule* Spec::find_rule(std::string_view id) const {
  for (const auto& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

std::string_view to_string(Confidence c) { return name_of(kConfidence, c); }
std::string_view to_string(ParamType t) { return name_of(kTypes, t); }
std::string_view to_string(Location l) { return name_of(kLocations, l); }
std::string_view to_string(RuleKind k) { return name_of(kKinds, k); }
std::string_view to_string(LengthUnit u) { return name_of(kUnits, u); }

std::optional<Confidence> parse_confidence(std::string_view s) { return value_of(kConfidence, s); }
std::optional<Location> parse_location(std::string_view s) { return value_of(kLocations, s); }
std::optional<RuleKind> parse_rule_kind(std::string_view s) { return value_of(kKinds, s); }
std::optional<LengthUnit> parse_length_unit(std::string_view s) { return value_of(kUnits, s); }

std::optional<ParamType> parse_param_type(std::string_view s) {
  s = text::trim(s);
  if (auto exact = value_of(kTypes, s)) return exact;
  const std::string lower = text::to_lower(s);
  if (lower == "string") return ParamType::String;
  if (lower == "integer" || lower == "int") return ParamType::Integer;
  if (lower == "long") return ParamType::Long;
  if (lower == "float") return ParamType::Float;
  if (lower == "double" || lower == "number") return ParamType::Double;
  if (lower == "boolean" || lower == "bool") return ParamType::Boolean;
  if (lower == "json") return ParamType::Json;
  if (lower == "array" || lower == "list") return ParamType::Array;
  if (lower == "object" || lower == "map") return ParamType::Object;
  return std::nullopt;
}

}  // namespace conform::spec
