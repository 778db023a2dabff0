#include "spec/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "spec/model_json.h"

namespace conform::spec {

namespace fs = std::filesystem;

namespace {

// Line and column of a byte offset, for JSON syntax errors. It goes from newline to
// newline (memchr) rather than byte by byte: most fuzzed spec texts fail to parse, and
// are compact JSON of a few KB with few newlines.
std::string line_col(std::string_view text, std::size_t offset) {
  const std::string_view before = text.substr(0, std::min(offset, text.size()));
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t at = before.find('\n'); at != std::string_view::npos; at = before.find('\n', at + 1)) {
    ++line;
    line_start = at + 1;
  }
  return std::to_string(line) + ":" + std::to_string(before.size() - line_start + 1);
}

// nlohmann's DOM builder (what json::parse runs) that also keeps where a text failed
// to parse and nlohmann's message for it, without throwing: one parse, where parsing
// again with a SAX reader to learn the place cost a second pass over every malformed
// file (most inputs, under a fuzzer). Exceptions stay off: a number too large for a
// double (out_of_range 406 rather than a parse_error) reaches parse_error too.
struct DomParser {
  using json = nlohmann::json;
  nlohmann::detail::json_sax_dom_parser<json> dom;
  std::size_t byte = 0;
  std::string what;

  explicit DomParser(json& root) : dom(root, /*allow_exceptions=*/false) {}
  bool null() { return dom.null(); }
  bool boolean(bool v) { return dom.boolean(v); }
  bool number_integer(json::number_integer_t v) { return dom.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return dom.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) { return dom.number_float(v, s); }
  bool string(json::string_t& v) { return dom.string(v); }
  bool binary(json::binary_t& v) { return dom.binary(v); }
  bool start_object(std::size_t n) { return dom.start_object(n); }
  bool key(json::string_t& k) { return dom.key(k); }
  bool end_object() { return dom.end_object(); }
  bool start_array(std::size_t n) { return dom.start_array(n); }
  bool end_array() { return dom.end_array(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    byte = position;
    what = ex.what();
    return false;
  }
};

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path, "cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text, const std::string& file) {
  if (text.empty()) return fail(file + ":1:1", "empty file, expected JSON");
  if (std::size_t at = nul_at(text); at != std::string_view::npos) {
    return fail(file + ":" + line_col(text, at), "invalid JSON: a NUL byte");
  }
  if (std::size_t at = 0; json_nesting(text, kMaxJsonNesting, &at) > kMaxJsonNesting) {
    return fail(file + ":" + line_col(text, at), "JSON nested deeper than " + std::to_string(kMaxJsonNesting) + " levels");
  }
  nlohmann::json j;
  DomParser parser(j);
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &parser)) {
    if (parser.what.empty()) return fail(file, "invalid JSON");
    return fail(file + ":" + line_col(text, parser.byte == 0 ? 0 : parser.byte - 1), "invalid JSON: " + parser.what);
  }
  return j;
}

Result<nlohmann::json> read_json_file(const std::string& path) {
  CONFORM_TRY(text, read_file(path));
  return parse_json(text, path);
}

Result<Spec> spec_from_text(std::string_view text, const std::string& file) {
  CONFORM_TRY(j, parse_json(text, file));
  return spec_from_json(j, file);
}

Result<void> apply_overlay_text(Spec& spec, std::string_view text, const std::string& overlay_file) {
  CONFORM_TRY(j, parse_json(text, overlay_file));
  return apply_overlay(spec, j, overlay_file);
}

Result<Spec> load_spec(const std::string& path) {
  CONFORM_TRY(text, read_file(path));
  CONFORM_TRY(spec, spec_from_text(text, path));
  std::string overlay_path = path;
  if (overlay_path.ends_with(".json")) overlay_path.resize(overlay_path.size() - 5);
  overlay_path += ".overlay.json";
  std::error_code ec;
  if (fs::exists(overlay_path, ec)) {
    CONFORM_TRY(overlay, read_file(overlay_path));
    CONFORM_CHECK(apply_overlay_text(spec, overlay, overlay_path));
  }
  CONFORM_CHECK(validate(spec, path));
  return spec;
}

Result<std::vector<Spec>> load_specs(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fail(dir, "not a directory of specs");
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string p = it->path().string();
    if (p.ends_with(".json") && !p.ends_with(".overlay.json")) files.push_back(p);
  }
  if (ec) return fail(dir, "cannot list directory: " + ec.message());
  if (files.empty()) return fail(dir, "no spec files (<service>/<Op>.json) found");
  std::sort(files.begin(), files.end());
  std::vector<Spec> specs;
  for (const auto& f : files) {
    CONFORM_TRY(s, load_spec(f));
    for (const auto& other : specs)
      if (other.op == s.op) return fail(f, "operation " + s.op + " is also defined in another spec file");
    specs.push_back(std::move(s));
  }
  std::sort(specs.begin(), specs.end(), [](const Spec& a, const Spec& b) { return a.op < b.op; });
  return specs;
}

}  // namespace conform::spec
