#include "core/fixtures.h"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/json_text.h"

namespace conform {
namespace {

using nlohmann::json;

// DESIGN.md, "Fixtures": the types the five operations use and their attributes.
const std::map<std::string, std::set<std::string>, std::less<>>& known_types() {
  static const std::map<std::string, std::set<std::string>, std::less<>> types = {
      {"Zone", {}},
      {"Image", {"os", "os_version", "arch", "size_gib", "status"}},
      {"InstanceType", {"memory_mib", "family", "phased_out"}},
      {"VSwitch", {"vpc_id", "zone_id", "cidr"}},
      {"SecurityGroup", {"vpc_id", "network_type"}},
      {"KeyPair", {}},
      {"DedicatedHost", {}},
      {"Cluster", {}},
      {"HpcCluster", {}},
      {"Snapshot", {"size_gib", "created", "status"}},
      {"DeploymentSet", {}},
      {"Region", {}},  // ros: the account's regions (RegionIds elements in valid cases)
  };
  return types;
}

std::string attr_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<std::string> required_string(const json& o, const char* key, const std::string& ptr) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string() || it->get<std::string>().empty()) {
    return fail(ptr + "/" + key, "expected a non-empty string");
  }
  return it->get<std::string>();
}

Result<Resource> parse_resource(const json& r, const std::string& ptr) {
  if (!r.is_object()) return fail(ptr, "expected an object");
  Resource res;
  CONFORM_TRY(service, required_string(r, "service", ptr));
  CONFORM_TRY(type, required_string(r, "type", ptr));
  CONFORM_TRY(id, required_string(r, "id", ptr));
  res.service = std::move(service);
  res.type = std::move(type);
  res.id = std::move(id);
  if (auto it = r.find("region"); it != r.end() && !it->is_null()) {
    if (!it->is_string()) return fail(ptr + "/region", "expected a string");
    res.region = it->get<std::string>();
  }
  auto known = known_types().find(res.type);
  if (known == known_types().end()) return fail(ptr + "/type", "unknown resource type \"" + res.type + "\"");
  if (auto it = r.find("attrs"); it != r.end() && !it->is_null()) {
    if (!it->is_object()) return fail(ptr + "/attrs", "expected an object");
    for (const auto& [k, v] : it->items()) {
      if (!known->second.count(k)) {
        return fail(ptr + "/attrs/" + k, "unknown attribute of " + res.type);
      }
      if (v.is_object() || v.is_array()) return fail(ptr + "/attrs/" + k, "expected a string, number or boolean");
      res.attrs[k] = attr_text(v);
    }
  }
  return res;
}

Result<Quota> parse_quota(const json& q, const std::string& ptr) {
  if (!q.is_object()) return fail(ptr, "expected an object");
  Quota quota;
  CONFORM_TRY(service, required_string(q, "service", ptr));
  CONFORM_TRY(name, required_string(q, "name", ptr));
  quota.service = std::move(service);
  quota.name = std::move(name);
  auto v = q.find("value");
  if (v == q.end() || !v->is_number_integer() || v->get<long long>() < 0) {
    return fail(ptr + "/value", "expected a non-negative integer");
  }
  quota.value = v->get<long long>();
  return quota;
}

}  // namespace

const std::string* Resource::attr(std::string_view name) const {
  auto it = attrs.find(std::string(name));
  return it == attrs.end() ? nullptr : &it->second;
}

const Resource* Fixtures::find(std::string_view service, std::string_view region, std::string_view type,
                               std::string_view id) const {
  for (const Resource& r : resources) {
    if (r.id != id || r.type != type || r.service != service) continue;
    if (!region.empty() && !r.region.empty() && r.region != region) continue;
    return &r;
  }
  return nullptr;
}

std::optional<long long> Fixtures::quota(std::string_view service, std::string_view name) const {
  for (const Quota& q : quotas) {
    if (q.service == service && q.name == name) return q.value;
  }
  return std::nullopt;
}

Result<Fixtures> parse_fixtures(std::string_view text, std::string_view file) {
  const std::string where(file);
  if (json_nesting(text, kMaxJsonNesting) > kMaxJsonNesting) {
    return fail(where, "JSON nested deeper than " + std::to_string(kMaxJsonNesting) + " levels");
  }
  if (std::size_t at = nul_at(text); at != std::string_view::npos) {
    return fail(where, "not valid JSON: a NUL byte at offset " + std::to_string(at));
  }
  json j = parse_json_bounded(text);
  if (j.is_discarded()) return fail(where, "not valid JSON");
  if (!j.is_object()) return fail(where + "#", "expected an object with \"resources\" and \"quotas\"");
  Fixtures f;
  if (auto it = j.find("resources"); it != j.end()) {
    if (!it->is_array()) return fail(where + "#/resources", "expected an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      CONFORM_TRY(r, parse_resource((*it)[i], where + "#/resources/" + std::to_string(i)));
      f.resources.push_back(std::move(r));
    }
  }
  if (auto it = j.find("quotas"); it != j.end()) {
    if (!it->is_array()) return fail(where + "#/quotas", "expected an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      CONFORM_TRY(q, parse_quota((*it)[i], where + "#/quotas/" + std::to_string(i)));
      f.quotas.push_back(std::move(q));
    }
  }
  return f;
}

Result<Fixtures> load_fixtures(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path, "cannot read the fixtures file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_fixtures(text.str(), path);
}

}  // namespace conform
