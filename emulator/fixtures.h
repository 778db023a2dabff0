// The resources that already exist (DESIGN.md, "Fixtures"): loaded from a file, or
// the project's default set (fixtures/default.json, built into the binary), and
// checked against the resource types and attributes the design documents.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace conform::emulator {

// An attribute value: its text as written ("linux", "20", "2019-06-24", "true"),
// and its number when it has one (numbers, booleans as 0/1, ISO dates as YYYYMMDD,
// so that a ref_attr min of 20130716 compares with a date).
struct AttrValue {
  std::string text;
  std::optional<double> number;
};

struct Resource {
  std::string service;  // "ecs"
  std::string region;   // may be empty: every region
  std::string type;     // "Image"
  std::string id;
  std::map<std::string, AttrValue> attrs;
};

struct Fixtures {
  std::vector<Resource> resources;
  std::map<std::string, std::map<std::string, double>> quotas;  // service -> name -> value
};

// Parses a fixtures document; `name` (a path) prefixes every error with its JSON pointer.
Result<Fixtures> parse_fixtures(std::string_view text, const std::string& name);
Result<Fixtures> load_fixtures(const std::string& path);
// The project's default set: fixtures/default.json as it was at build time.
std::string_view default_fixtures_text();
Result<Fixtures> default_fixtures();

}  // namespace conform::emulator
