// Properties every extractor's RawDoc must have, whatever the input: the import
// report cites a doc line for every row, cell line and example, so each must be a
// line of the doc; a row always has a name (the analyzer keys parameters by it).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "spec/import/raw_doc.h"

namespace conform::fuzz {

FUZZ_CHECK_NO_COVERAGE inline int count_lines(std::string_view content) {
  int lines = 1;  // from '\n' to '\n' with memchr, not a byte loop under the fuzzer's tracing
  for (std::size_t i = content.find('\n'); i != std::string_view::npos; i = content.find('\n', i + 1)) ++lines;
  return lines;
}

// `what` and `name` make the message only when the check fails: a passing check
// builds no string (under ASan each allocation records a stack).
FUZZ_CHECK_NO_COVERAGE inline void check_line(int line, int lines, std::string_view what, std::string_view name = {}) {
  FUZZ_CHECK(line >= 1 && line <= lines, std::string(what) + std::string(name) + " line " +
                                             std::to_string(line) + " of " + std::to_string(lines));
}

FUZZ_CHECK_NO_COVERAGE inline void check_raw_doc(const import::RawDoc& doc, std::string_view file, std::string_view format,
                          std::string_view content) {
  FUZZ_CHECK(doc.file == file);
  FUZZ_CHECK(doc.format == format, doc.format);
  const int lines = count_lines(content);
  for (const auto* rows : {&doc.request, &doc.response}) {
    for (const auto& p : *rows) {
      check_line(p.line, lines, "param ", p.name);
      FUZZ_CHECK(!p.name.empty());
      for (const auto& d : p.description) check_line(d.line, lines, "description of ", p.name);
    }
  }
  for (const auto& e : doc.errors) check_line(e.line, lines, "error ", e.code);
  for (const auto& x : doc.examples) {
    check_line(x.line, lines, "example");
    FUZZ_CHECK(x.kind == "request" || x.kind == "response", x.kind);
  }
  for (const auto& t : doc.prose) check_line(t.line, lines, "prose");
}

}  // namespace conform::fuzz
