// libFuzzer target: the two fixtures loaders on arbitrary text. The oracle reads a
// fixtures file with core/fixtures.h and the emulator with emulator/fixtures.h: two
// independent readings of one format (DESIGN.md, "Fixtures"), as the oracle and the
// emulator are of the specs. Besides not crashing: an error names the file; an
// accepted document has service, type and id on every resource; and when both
// accept it, both see the same resources (service, region, type, id, attribute
// texts, in order) and the same quotas, or the two sides would predict and answer
// from different worlds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/fixtures.h"
#include "emulator/fixtures.h"
#include "fuzz/fuzz_check.h"

namespace {

constexpr std::string_view kFile = "fuzz-fixtures.json";

std::string describe(const conform::Fixtures& f) {
  std::string out;
  for (const auto& r : f.resources) {
    out += r.service + "|" + r.region + "|" + r.type + "|" + r.id + "{";
    for (const auto& [k, v] : r.attrs) out += k + "=" + v + ";";
    out += "}\n";
  }
  return out;
}

std::string describe(const conform::emulator::Fixtures& f) {
  std::string out;
  for (const auto& r : f.resources) {
    out += r.service + "|" + r.region + "|" + r.type + "|" + r.id + "{";
    for (const auto& [k, v] : r.attrs) out += k + "=" + v.text + ";";
    out += "}\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto core = conform::parse_fixtures(text, kFile);
  auto emu = conform::emulator::parse_fixtures(text, std::string(kFile));
  if (!core) FUZZ_CHECK(core.error().where.starts_with(kFile), core.error().message());
  if (!emu) FUZZ_CHECK(emu.error().message().find(kFile) != std::string::npos, emu.error().message());
  if (core) {
    for (const auto& r : core->resources)
      FUZZ_CHECK(!r.service.empty() && !r.type.empty() && !r.id.empty(), describe(*core));
  }
  if (!core || !emu) return 0;
  FUZZ_CHECK(describe(*core) == describe(*emu), describe(*core), describe(*emu));
  for (const auto& [service, names] : emu->quotas) {
    for (const auto& [name, value] : names) {
      const auto q = core->quota(service, name);
      FUZZ_CHECK(q && static_cast<double>(*q) == value, service + "/" + name);
    }
  }
  for (const auto& q : core->quotas) {
    auto s = emu->quotas.find(q.service);
    FUZZ_CHECK(s != emu->quotas.end() && s->second.count(q.name), q.service + "/" + q.name);
  }
  return 0;
}
