// Fixtures: the resources and quotas that already exist (DESIGN.md, "Fixtures").
// One format for both sides: the emulator seeds its state with them, the
// generators draw valid resource IDs from them and the oracle checks references
// against them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace conform {

struct Resource {
  std::string service;  // "ecs"
  std::string region;   // "cn-hangzhou"; empty when the service has no regions
  std::string type;     // "Image", "VSwitch", ...
  std::string id;
  // Attribute values as text: strings as they are, numbers in their JSON
  // spelling, booleans as "true"/"false".
  std::map<std::string, std::string> attrs;

  const std::string* attr(std::string_view name) const;
};

struct Quota {
  std::string service;
  std::string name;  // "MaxClusterCount"
  long long value = 0;
};

struct Fixtures {
  std::vector<Resource> resources;
  std::vector<Quota> quotas;

  // The resource of `type` with `id` in `service` (and `region` when both name one).
  const Resource* find(std::string_view service, std::string_view region, std::string_view type,
                       std::string_view id) const;
  std::optional<long long> quota(std::string_view service, std::string_view name) const;
};

// Parses a fixtures document; errors name `file` and the JSON pointer. An unknown
// type or attribute is an error (DESIGN.md lists them).
Result<Fixtures> parse_fixtures(std::string_view text, std::string_view file);
Result<Fixtures> load_fixtures(const std::string& path);

}  // namespace conform
