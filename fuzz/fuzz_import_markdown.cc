// libFuzzer target: the markdown table extractor (spec/import/raw_doc.h,
// extract_markdown) on arbitrary bytes. Besides not crashing, not leaking and not
// hanging, a doc it accepts has every cited line inside the doc (raw_doc_checks.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/raw_doc_checks.h"
#include "spec/import/raw_doc.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kFile = "fuzz.md";
  auto doc = conform::import::extract_markdown(kFile, content);
  if (doc) {
    conform::fuzz::check_raw_doc(*doc, kFile, "markdown", content);
  } else {
    FUZZ_CHECK(!doc.error().what.empty());
  }
  return 0;
}
