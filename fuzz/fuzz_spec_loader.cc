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

#include "fuzz/fuzz_check.h"
#include "spec/loader.h"
#include "spec/model_json.h"

namespace {

using conform::spec::Spec;

const std::string kSpecFile = "specs/fuzz/Op.json";
const std::string kOverlayFile = "specs/fuzz/Op.overlay.json";
constexpr std::string_view kSeparator = "\n---overlay---\n";

// The text is read back as load_spec reads a file's (spec/loader.h): the target
// touches no nlohmann itself, so that its ignorelist (fuzz/fuzz_spec_loader.ignorelist)
// takes no counters from the parser the loader runs.
void check_round_trip(const Spec& spec) {
  const std::string first = conform::spec::dump_spec(spec);
  auto again = conform::spec::spec_from_text(first, kSpecFile);
  FUZZ_CHECK(again.has_value(), again ? std::string() : again.error().message() + "\n" + first);
  FUZZ_CHECK(conform::spec::validate(*again, kSpecFile).has_value());
  const std::string second = conform::spec::dump_spec(*again);
  FUZZ_CHECK(first == second, first, second);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t sep = input.find(kSeparator);
  auto spec = conform::spec::spec_from_text(input.substr(0, sep), kSpecFile);
  if (!spec) {
    FUZZ_CHECK(!spec.error().where.empty() && !spec.error().what.empty(), spec.error().message());
    return 0;
  }
  if (conform::spec::validate(*spec, kSpecFile)) check_round_trip(*spec);
  if (sep == std::string_view::npos) return 0;

  // The overlay merges into the spec in place (the spec alone is done with).
  Spec& merged = *spec;
  if (!conform::spec::apply_overlay_text(merged, input.substr(sep + kSeparator.size()), kOverlayFile)) return 0;
  if (conform::spec::validate(merged, kSpecFile)) check_round_trip(merged);
  return 0;
}
