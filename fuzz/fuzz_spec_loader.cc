// libFuzzer target: the spec + overlay loader (spec/loader.h, spec/model_json.h)
// on arbitrary JSON text. The input is a spec file, optionally followed by a line
// "---overlay---" and an overlay file, the two files load_spec reads from disk.
// Besides not crashing: a spec that loads and validates (with its overlay merged
// or not) survives dump_spec -> parse -> spec_from_json -> dump_spec unchanged,
// which is what makes a committed spec the same spec after a reload.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_check.h"
#include "spec/loader.h"
#include "spec/model_json.h"

namespace {

using conform::spec::Spec;

constexpr std::string_view kSpecFile = "specs/fuzz/Op.json";
constexpr std::string_view kOverlayFile = "specs/fuzz/Op.overlay.json";
constexpr std::string_view kSeparator = "\n---overlay---\n";

void check_round_trip(const Spec& spec) {
  const std::string first = conform::spec::dump_spec(spec);
  const nlohmann::json j = nlohmann::json::parse(first, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!j.is_discarded(), first);
  auto again = conform::spec::spec_from_json(j, kSpecFile);
  FUZZ_CHECK(again.has_value(), again ? std::string() : again.error().message() + "\n" + first);
  FUZZ_CHECK(conform::spec::validate(*again, kSpecFile).has_value());
  const std::string second = conform::spec::dump_spec(*again);
  FUZZ_CHECK(first == second, first, second);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t sep = input.find(kSeparator);
  const std::string_view spec_text = input.substr(0, sep);
  const nlohmann::json j = nlohmann::json::parse(spec_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  auto spec = conform::spec::spec_from_json(j, kSpecFile);
  if (!spec) {
    FUZZ_CHECK(!spec.error().where.empty() && !spec.error().what.empty(), spec.error().message());
    return 0;
  }
  if (conform::spec::validate(*spec, kSpecFile)) check_round_trip(*spec);
  if (sep == std::string_view::npos) return 0;

  const nlohmann::json overlay =
      nlohmann::json::parse(input.substr(sep + kSeparator.size()), nullptr, /*allow_exceptions=*/false);
  if (overlay.is_discarded()) return 0;
  Spec merged = *spec;
  if (!conform::spec::apply_overlay(merged, overlay, kOverlayFile)) return 0;
  if (conform::spec::validate(merged, kSpecFile)) check_round_trip(merged);
  return 0;
}
