#include "emulator/fixtures.h"

#include <array>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/json_text.h"
#include "spec/json_reader.h"

namespace conform::emulator {
namespace {

using spec::JsonReader;

// What an attribute may hold: free text, a number, a boolean, an ISO date, or one
// of a list of words.
struct AttrKind {
  std::string_view name;
  enum { text, number, boolean, date, word } kind;
  std::vector<std::string_view> words = {};
};

struct TypeInfo {
  std::string_view type;
  std::vector<AttrKind> attrs;
};

// DESIGN.md, "Fixtures": the types and attributes the five operations use.
const std::vector<TypeInfo>& known_types() {
  static const std::vector<TypeInfo> types = {
      {"Zone", {}},
      {"Image",
       {{"os", AttrKind::word, {"linux", "windows"}},
        {"os_version", AttrKind::text},
        {"arch", AttrKind::word, {"x86_64", "i386"}},
        {"size_gib", AttrKind::number},
        {"status", AttrKind::word, {"Available", "Disabled"}}}},
      {"InstanceType",
       {{"memory_mib", AttrKind::number}, {"family", AttrKind::text}, {"phased_out", AttrKind::boolean}}},
      {"VSwitch", {{"vpc_id", AttrKind::text}, {"zone_id", AttrKind::text}, {"cidr", AttrKind::text}}},
      {"SecurityGroup", {{"vpc_id", AttrKind::text}, {"network_type", AttrKind::text}}},
      {"KeyPair", {}},
      {"DedicatedHost", {}},
      {"Cluster", {}},
      {"HpcCluster", {}},
      {"Snapshot",
       {{"size_gib", AttrKind::number},
        {"created", AttrKind::date},
        {"status", AttrKind::word, {"accomplished", "progressing"}}}},
      {"DeploymentSet", {}},
      {"Region", {}},  // ros: the account's regions
  };
  return types;
}

const TypeInfo* find_type(std::string_view t) {
  for (const auto& ti : known_types())
    if (ti.type == t) return &ti;
  return nullptr;
}

// "2019-06-24" -> 20190624; nullopt when not an ISO date.
std::optional<double> iso_date_number(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  double v = 0;
  for (std::size_t i : std::array<std::size_t, 8>{0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

Result<AttrValue> attr_value(const JsonReader& attrs, const std::string& key, const AttrKind& kind) {
  const nlohmann::json& j = attrs.json()[key];
  AttrValue v;
  switch (kind.kind) {
    case AttrKind::number:
      if (!j.is_number()) return attrs.error(key, "expected a number");
      v.number = j.get<double>();
      v.text = j.dump();
      return v;
    case AttrKind::boolean:
      if (!j.is_boolean()) return attrs.error(key, "expected true or false");
      v.number = j.get<bool>() ? 1 : 0;
      v.text = j.get<bool>() ? "true" : "false";
      return v;
    default:
      break;
  }
  if (!j.is_string()) return attrs.error(key, "expected a string");
  v.text = j.get<std::string>();
  if (kind.kind == AttrKind::date) {
    v.number = iso_date_number(v.text);
    if (!v.number) return attrs.error(key, "expected an ISO date (YYYY-MM-DD)");
  }
  if (kind.kind == AttrKind::word) {
    bool ok = false;
    std::string list;
    for (auto w : kind.words) {
      ok = ok || w == v.text;
      list += (list.empty() ? "" : ", ") + std::string(w);
    }
    if (!ok) return attrs.error(key, "\"" + v.text + "\" is not one of " + list);
  }
  return v;
}

Result<Resource> resource_from(const JsonReader& r) {
  CONFORM_CHECK(r.expect_object());
  CONFORM_CHECK(r.only_keys({"service", "region", "type", "id", "attrs"}));
  Resource res;
  CONFORM_TRY(service, r.str("service"));
  CONFORM_TRY(region, r.str_or("region", ""));
  CONFORM_TRY(type, r.str("type"));
  CONFORM_TRY(id, r.str("id"));
  const TypeInfo* info = find_type(type);
  if (!info) return r.error("type", "unknown resource type \"" + type + "\" (DESIGN.md, \"Fixtures\")");
  res.service = std::move(service);
  res.region = std::move(region);
  res.type = std::move(type);
  res.id = std::move(id);
  if (!r.has("attrs")) return res;
  CONFORM_TRY(attrs, r.child("attrs"));
  CONFORM_CHECK(attrs.expect_object());
  for (const auto& [key, value] : attrs.json().items()) {
    (void)value;
    const AttrKind* kind = nullptr;
    for (const auto& a : info->attrs)
      if (a.name == key) kind = &a;
    if (!kind) return attrs.error(key, "unknown attribute \"" + key + "\" of type " + res.type);
    CONFORM_TRY(v, attr_value(attrs, key, *kind));
    res.attrs[key] = std::move(v);
  }
  return res;
}

Result<void> quotas_from(const JsonReader& r, Fixtures& f) {
  if (!r.has("quotas")) return {};
  CONFORM_TRY(items, r.array_of("quotas"));
  for (const auto& q : items) {
    CONFORM_CHECK(q.expect_object());
    CONFORM_CHECK(q.only_keys({"service", "name", "value"}));
    CONFORM_TRY(service, q.str("service"));
    CONFORM_TRY(name, q.str("name"));
    CONFORM_TRY(value, q.opt_number("value"));
    if (!value || *value < 0 || std::floor(*value) != *value)
      return q.error("value", "expected a whole number >= 0");
    // The first of a quota given twice counts, as in core/fixtures.h (decisions.md).
    f.quotas[service].emplace(name, *value);
  }
  return {};
}

}  // namespace

Result<Fixtures> parse_fixtures(std::string_view text, const std::string& name) {
  if (json_nesting(text, kMaxJsonNesting) > kMaxJsonNesting) {
    return fail(name, "JSON nested deeper than " + std::to_string(kMaxJsonNesting) + " levels");
  }
  if (std::size_t at = nul_at(text); at != std::string_view::npos) {
    return fail(name, "invalid JSON: a NUL byte at offset " + std::to_string(at));
  }
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail(name, "invalid JSON");
  JsonReader r(j, name, "");
  CONFORM_CHECK(r.expect_object());
  CONFORM_CHECK(r.only_keys({"resources", "quotas", "notes"}));
  Fixtures f;
  if (r.has("resources")) {
    CONFORM_TRY(items, r.array_of("resources"));
    for (const auto& item : items) {
      CONFORM_TRY(res, resource_from(item));
      f.resources.push_back(std::move(res));
    }
  }
  CONFORM_CHECK(quotas_from(r, f));
  return f;
}

Result<Fixtures> load_fixtures(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path, "cannot open fixtures file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_fixtures(ss.str(), path);
}

Result<Fixtures> default_fixtures() { return parse_fixtures(default_fixtures_text(), "fixtures/default.json"); }

}  // namespace conform::emulator
