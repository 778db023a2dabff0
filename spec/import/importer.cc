#include "spec/import/importer.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "spec/import/analyze.h"
#include "spec/import/report.h"
#include "spec/json_reader.h"
#include "spec/loader.h"
#include "spec/model_json.h"

namespace conform::import {

namespace fs = std::filesystem;

namespace {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path, "cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::vector<OperationInfo>> read_manifest(const std::string& docs_dir) {
  const std::string path = docs_dir + "/operations.json";
  CONFORM_TRY(j, spec::read_json_file(path));
  spec::JsonReader r(j, path, "");
  CONFORM_CHECK(r.only_keys({"operations", "notes"}));
  CONFORM_TRY(ops, r.array_of("operations"));
  if (ops.empty()) return r.error("operations", "lists no operation");
  std::vector<OperationInfo> out;
  for (const auto& o : ops) {
    CONFORM_CHECK(o.only_keys({"doc", "op", "dialect", "version"}));
    OperationInfo info;
    CONFORM_TRY(doc, o.str("doc"));
    CONFORM_TRY(op, o.str("op"));
    CONFORM_TRY(dialect, o.str("dialect"));
    CONFORM_TRY(version, o.str_or("version", ""));
    if (doc.find('/') != std::string::npos || doc.find("..") != std::string::npos)
      return o.error("doc", "a doc is named by its file name inside " + docs_dir);
    if (op.find('.') == std::string::npos || op.find('/') != std::string::npos || op.find("..") != std::string::npos)
      return o.error("op", "operation id \"" + op + "\" is not <service>.<Name>");
    info.file = std::move(doc);
    info.op = std::move(op);
    info.dialect = std::move(dialect);
    info.version = std::move(version);
    out.push_back(std::move(info));
  }
  return out;
}

// Writes `content` to `path` unless it is already there; in check mode, records staleness.
Result<void> emit(const std::string& path, const std::string& content, bool check, OpSummary& sum,
                  ImportSummary& all) {
  auto existing = read_file(path);
  if (existing && *existing == content) return {};
  if (check) {
    all.stale.push_back(path);
    return {};
  }
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return fail(path, "cannot create directory: " + ec.message());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return fail(path, "cannot write file");
  out << content;
  if (!out) return fail(path, "write failed");
  sum.written.push_back(path);
  return {};
}

}  // namespace

Result<ImportSummary> run_import(const ImportOptions& options) {
  CONFORM_TRY(manifest, read_manifest(options.docs_dir));
  ImportSummary all;
  for (const auto& info : manifest) {
    const std::string doc_path = options.docs_dir + "/" + info.file;
    CONFORM_TRY(content, read_file(doc_path));
    // Specs cite their doc as apidocs/<file> wherever the docs were read from, so
    // that importing from another checkout gives the same bytes.
    const std::string cited = "apidocs/" + info.file;
    auto raw = extract(cited, content);
    if (!raw) return fail(doc_path, raw.error().message());
    CONFORM_TRY(analysis, analyze(*raw, info));
    const std::string base = options.out_dir + "/" + analysis.spec.service + "/" + analysis.spec.name;
    const std::string json_path = base + ".json";
    const std::string overlay_path = base + ".overlay.json";
    const std::string cited_overlay = "specs/" + analysis.spec.service + "/" + analysis.spec.name + ".overlay.json";
    CONFORM_CHECK(spec::validate(analysis.spec, json_path));
    std::optional<spec::Spec> merged;
    std::error_code ec;
    if (fs::exists(overlay_path, ec)) {
      CONFORM_TRY(overlay, spec::read_json_file(overlay_path));
      spec::Spec copy = analysis.spec;
      CONFORM_CHECK(spec::apply_overlay(copy, overlay, cited_overlay));
      CONFORM_CHECK(spec::validate(copy, json_path));
      merged = std::move(copy);
    }
    OpSummary sum = summarize(merged ? *merged : analysis.spec, analysis.sentences);
    CONFORM_CHECK(emit(json_path, spec::dump_spec(analysis.spec), options.check, sum, all));
    CONFORM_CHECK(emit(base + ".import.md", render_report(analysis, merged, cited_overlay), options.check, sum, all));
    all.ops.push_back(std::move(sum));
  }
  return all;
}

std::string format_summary(const ImportSummary& s) {
  std::string out = "operation                      params  rules  doc/inf/unk   errors linked  unparsed  ambiguous\n";
  char buf[256];
  for (const auto& o : s.ops) {
    std::snprintf(buf, sizeof buf, "%-30s %6d %6d  %3d/%3d/%3d  %6d %6d  %8d  %9d\n", o.op.c_str(), o.params, o.rules,
                  o.rules_documented, o.rules_inferred + o.rules_ambiguous, o.rules_unknown, o.error_rows, o.error_rows_linked,
                  o.unparsed, o.ambiguous);
    out += buf;
  }
  for (const auto& f : s.stale) out += "stale: " + f + "\n";
  return out;
}

}  // namespace conform::import
