#include <string_view>

#include "spec/import/raw_doc.h"

namespace conform::import {

Result<RawDoc> extract(std::string_view file, std::string_view content) {
  if (content.empty()) return fail(std::string(file) + ":1", "empty document");
  if (content.find('\0') != std::string_view::npos) {
    const auto pos = content.find('\0');
    int line = 1;
    for (std::size_t i = 0; i < pos; ++i) line += content[i] == '\n';
    return fail(std::string(file) + ":" + std::to_string(line),
                "NUL byte: this is not a text document");
  }
  if (file.ends_with(".txt")) return extract_text(file, content);
  if (content.find("<table") != std::string_view::npos) return extract_html(file, content);
  return extract_markdown(file, content);
}

}  // namespace conform::import
