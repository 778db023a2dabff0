#include "fuzz/embedded.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "spec/loader.h"
#include "spec/model_json.h"

namespace conform::fuzz {
namespace {

[[noreturn]] void broken(const std::string& message) {
  std::fprintf(stderr, "fuzz: an embedded spec does not load: %s\n", message.c_str());
  std::abort();
}

std::vector<spec::Spec> load_embedded() {
  std::vector<spec::Spec> specs;
  const auto& files = embedded_spec_files();
  for (const EmbeddedFile& f : files) {
    if (f.path.ends_with(".overlay.json")) continue;
    const std::string path(f.path);
    const nlohmann::json j = nlohmann::json::parse(f.text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) broken(path + ": not JSON");
    auto s = spec::spec_from_json(j, path);
    if (!s) broken(s.error().message());
    const std::string overlay_path = path.substr(0, path.size() - 5) + ".overlay.json";
    for (const EmbeddedFile& o : files) {
      if (o.path != overlay_path) continue;
      const nlohmann::json oj = nlohmann::json::parse(o.text, nullptr, /*allow_exceptions=*/false);
      if (oj.is_discarded()) broken(overlay_path + ": not JSON");
      if (auto r = spec::apply_overlay(*s, oj, overlay_path); !r) broken(r.error().message());
    }
    if (auto r = spec::validate(*s, path); !r) broken(r.error().message());
    specs.push_back(std::move(*s));
  }
  std::sort(specs.begin(), specs.end(), [](const spec::Spec& a, const spec::Spec& b) { return a.op < b.op; });
  if (specs.empty()) broken("no specs were embedded");
  return specs;
}

}  // namespace

const std::vector<spec::Spec>& project_specs() {
  static const std::vector<spec::Spec> specs = load_embedded();
  return specs;
}

}  // namespace conform::fuzz
