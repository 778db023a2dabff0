// Shared by the fuzz targets that need the project's specs: they are compiled in
// (fuzz/CMakeLists.txt embeds specs/*/*.json at configure time), because a fuzz
// target reads no file relative to the working directory (DESIGN.md, "Fuzzing")
// and ClusterFuzz runs it from anywhere. The default fixtures are built into the
// emulator already (emulator::default_fixtures_text()).
#pragma once

#include <string_view>
#include <vector>

#include "spec/model.h"

namespace conform::fuzz {

struct EmbeddedFile {
  std::string_view path;  // "specs/ecs/CreateInstance.json"
  std::string_view text;
};

// specs/<service>/<Op>.json and <Op>.overlay.json, sorted by path.
const std::vector<EmbeddedFile>& embedded_spec_files();

// The specs as `load_specs("specs")` reads them (overlays merged, validated,
// sorted by op). A spec that does not load aborts: the build embedded a broken spec.
const std::vector<spec::Spec>& project_specs();

}  // namespace conform::fuzz
