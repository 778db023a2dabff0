#include "spec/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "spec/model_json.h"

namespace conform::spec {

namespace fs = std::filesystem;

namespace {

// Line and column of a byte offset, for JSON syntax errors.
std::string line_col(const std::string& text, std::size_t offset) {
  int line = 1;
  int col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

// A SAX reader that builds nothing and keeps the first error: where a text failed to
// parse, and nlohmann's message for it, without throwing. (Parsing again with
// exceptions let a number too large for a double, out_of_range 406 rather than a
// parse_error, escape and end the process; and an exception per malformed file
// cost more than the parse under a fuzzer.)
struct SyntaxError final : nlohmann::json_sax<nlohmann::json> {
  std::size_t byte = 0;
  std::string what;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    byte = position;
    what = ex.what();
    return false;
  }
};

}  // namespace

Result<nlohmann::json> read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path, "cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.empty()) return fail(path + ":1:1", "empty file, expected JSON");
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Parse again, building nothing, only to learn where and why.
    SyntaxError error;
    nlohmann::json::sax_parse(text, &error);
    if (error.what.empty()) return fail(path, "invalid JSON");
    return fail(path + ":" + line_col(text, error.byte == 0 ? 0 : error.byte - 1), "invalid JSON: " + error.what);
  }
  return j;
}

Result<Spec> load_spec(const std::string& path) {
  CONFORM_TRY(j, read_json_file(path));
  CONFORM_TRY(spec, spec_from_json(j, path));
  std::string overlay_path = path;
  if (overlay_path.ends_with(".json")) overlay_path.resize(overlay_path.size() - 5);
  overlay_path += ".overlay.json";
  std::error_code ec;
  if (fs::exists(overlay_path, ec)) {
    CONFORM_TRY(overlay, read_json_file(overlay_path));
    CONFORM_CHECK(apply_overlay(spec, overlay, overlay_path));
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
