// `conform import`: apidocs/ -> specs/ (see spec/import/importer.h).
#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "harness/cli_commands.h"
#include "spec/import/importer.h"

namespace conform::cli {
namespace {

int run_import_command(const import::ImportOptions& options, Io& io) {
  Result<import::ImportSummary> summary = import::run_import(options);
  if (!summary) return report_error(io, summary.error());

  std::string table = import::format_summary(*summary);
  if (!table.empty() && table.back() != '\n') table += '\n';
  io.out << table;

  if (options.check && !summary->stale.empty()) {
    io.err << "conform import --check: " << summary->stale.size()
           << " file(s) differ from a fresh import of " << options.docs_dir << "\n";
    // The summary may list them already; list them here otherwise.
    for (const std::string& file : summary->stale) {
      if (table.find(file) == std::string::npos) io.err << "  stale: " << file << "\n";
    }
    io.err << "Run `conform import --docs " << options.docs_dir << " --out " << options.out_dir
           << "` and commit the result.\n";
    return kExitFindings;
  }
  return kExitOk;
}

}  // namespace

void add_import_command(CLI::App& root, Commands& commands) {
  auto options = std::make_shared<import::ImportOptions>();
  CLI::App* cmd = root.add_subcommand(
      "import", "Derive specs/<service>/<Op>.json and the import report <Op>.import.md "
                "from the API docs.");
  cmd->add_option("--docs", options->docs_dir,
                  "Folder of API docs (*.md, *.txt) and their operations.json")
      ->type_name("DIR")
      ->check(CLI::ExistingDirectory)
      ->capture_default_str();
  cmd->add_option("--out", options->out_dir, "Folder the specs and import reports go to")
      ->type_name("DIR")
      ->capture_default_str();
  cmd->add_flag("--check", options->check,
                "Write nothing; compare a fresh import with the files in --out, list the "
                "stale ones and exit 1 if any differ");
  commands.push_back({cmd, options, [options](Io& io) { return run_import_command(*options, io); }});
}

}  // namespace conform::cli
