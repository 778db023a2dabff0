#include "harness/runner_plan.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include "harness/runner_stream.h"

namespace conform::plan {

namespace fs = std::filesystem;

Result<std::vector<spec::Spec>> select_ops(std::vector<spec::Spec> specs, const std::vector<std::string>& globs) {
  if (globs.empty()) return specs;
  std::vector<spec::Spec> out;
  for (const std::string& g : globs) {
    bool any = false;
    for (const spec::Spec& s : specs) {
      if (::fnmatch(g.c_str(), s.op.c_str(), 0) != 0) continue;
      any = true;
      if (std::none_of(out.begin(), out.end(), [&](const spec::Spec& o) { return o.op == s.op; })) out.push_back(s);
    }
    if (!any) return fail("--ops", "'" + g + "' matches no operation of the specs");
  }
  return out;
}

// Case i of every operation is independent of the others (Plan::case_at is
// const, seeded by (seed, op, i); the generators' caches are locked or
// thread-local), so they are made on a few threads (harness/runner_stream.h):
// the same scenarios in the same order as one thread would make them.
std::vector<Scenario> generate(const std::vector<spec::Spec>& specs, const Fixtures& fixtures, int cases,
                               std::uint64_t seed) {
  return Stream(specs, fixtures, cases, seed).take_all();
}

std::vector<Scenario> shard(std::vector<Scenario> all, int k, int n) {
  if (n <= 1) return all;
  std::vector<Scenario> out;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(n)) == k) out.push_back(std::move(all[i]));
  }
  return out;
}

Result<std::vector<Scenario>> read_corpus(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fail(dir, "not a folder of case files");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::string ext = it->path().extension().string();
    if (it->is_regular_file() && (ext == ".jsonl" || ext == ".json")) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Scenario> out;
  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    for (CaseLine& line : read_cases(in, p.string())) {
      if (!line.scenario) return tl::unexpected(line.scenario.error());
      Scenario s = std::move(*line.scenario);
      if (s.id.empty()) s.id = p.filename().string() + ":" + std::to_string(line.line);
      out.push_back(std::move(s));
    }
  }
  return out;
}

Result<std::string> save_case(const std::string& dir, const std::string& op, const std::string& rule,
                              const std::string& case_json) {
  std::string name = rule;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-' && ch != '_') ch = '_';
  }
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016zx", std::hash<std::string>{}(case_json));
  fs::path folder = fs::path(dir) / op;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return fail(folder.string(), "cannot create the folder: " + ec.message());
  fs::path file = folder / (name + "-" + std::string(hash, 8) + ".jsonl");
  std::ofstream f(file, std::ios::binary | std::ios::trunc);
  f << case_json << "\n";
  if (!f) return fail(file.string(), "cannot write the case");
  return file.string();
}

}  // namespace conform::plan
