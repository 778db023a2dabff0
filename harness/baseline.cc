#include "harness/baseline.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/json_text.h"

namespace conform {

using nlohmann::json;

Baseline::Key Baseline::key_of(const report::ExchangeDone& e) {
  return {e.op, e.rule, e.response ? e.response->status : 0, e.observed_code};
}

Result<Baseline> Baseline::load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return fail(path, "cannot read the baseline file");
  std::stringstream text;
  text << f.rdbuf();
  json j = parse_json_bounded(text.str());
  if (j.is_discarded() || !j.is_object()) return fail(path, "expected a JSON object {\"deviations\": [...]}");
  auto d = j.find("deviations");
  if (d == j.end() || !d->is_array()) return fail(path + "#/deviations", "expected an array");
  Baseline b;
  for (std::size_t i = 0; i < d->size(); ++i) {
    const json& e = (*d)[i];
    std::string at = path + "#/deviations/" + std::to_string(i);
    if (!e.is_object() || !e.contains("op") || !e["op"].is_string() || !e.contains("rule") || !e["rule"].is_string()) {
      return fail(at, "expected {\"op\", \"rule\", \"status\", \"code\"}");
    }
    int status = e.contains("status") && e["status"].is_number_integer() ? e["status"].get<int>() : 0;
    std::string code = e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : "";
    b.entries_.insert({e["op"].get<std::string>(), e["rule"].get<std::string>(), status, code});
  }
  return b;
}

void Baseline::apply(report::ExchangeDone& e) const {
  if (!entries_.count(key_of(e))) return;
  for (report::Finding& f : e.findings) {
    if (f.outcome != report::Outcome::pass) f.baselined = true;
  }
}

void Baseline::record(const report::ExchangeDone& e) {
  if (e.outcome == report::Outcome::fail || e.outcome == report::Outcome::warning) entries_.insert(key_of(e));
}

Result<void> Baseline::write(const std::string& path) const {
  json d = json::array();
  for (const auto& [op, rule, status, code] : entries_) {
    d.push_back({{"op", op}, {"rule", rule}, {"status", status}, {"code", code}});
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << json{{"deviations", d}}.dump(2) << "\n";
  if (!f) return fail(path, "cannot write the baseline file");
  return {};
}

}  // namespace conform
