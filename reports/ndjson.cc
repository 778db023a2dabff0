// The exchange log: one JSON object per exchange, written as the run goes, so a
// run that dies still leaves every exchange before it.
#include <fstream>

#include <nlohmann/json.hpp>

#include "reports/format.h"
#include "reports/reports.h"

namespace conform::report {
namespace {

using nlohmann::json;

json headers_json(const Pairs& headers) {
  json out = json::object();
  for (const auto& [k, v] : headers) {
    if (!out.contains(k)) out[k] = v;  // the first of a repeated header, like every other reader here
  }
  return out;
}

json finding_json(const Finding& f) {
  return {{"check", f.check},
          {"outcome", to_string(f.outcome)},
          {"message", f.message},
          {"expected_status", f.expected_status},
          {"expected_codes", f.expected_codes},
          {"observed_status", f.observed_status},
          {"observed_code", f.observed_code},
          {"baselined", f.baselined}};
}

class Ndjson : public Listener {
 public:
  explicit Ndjson(std::string path) : path_(std::move(path)) {}

  void run_started(const RunStarted&) override {
    make_parent_dirs(path_);  // --junit out/junit.xml works on a fresh clone
    out_.open(path_, std::ios::binary | std::ios::trunc);
  }

  void exchange_done(const ExchangeDone& e) override {
    if (!out_) return;
    json j = {{"case", e.case_id}, {"op", e.op}, {"rule", e.rule}, {"side", e.side}, {"target", e.target}};
    j["request"] = {{"method", e.request.method},
                    {"url", e.origin + e.request.target},
                    {"headers", headers_json(e.request.headers)},
                    {"body", e.request.body}};
    if (e.response) {
      j["response"] = {{"status", e.response->status},
                       {"headers", headers_json(e.response->headers)},
                       {"body", e.response->body}};
    } else {
      j["response"] = nullptr;
      j["error"] = {{"kind", transport::to_string(e.error->kind)}, {"message", e.error->message}};
    }
    j["elapsed_ms"] = e.elapsed_ms;
    j["expected"] = {{"status", e.expected.status},
                     {"codes", e.expected.codes},
                     {"confidence", spec::to_string(e.expected.confidence)},
                     {"rule", e.expected.rule}};
    j["verdict"] = to_string(e.outcome);
    json findings = json::array();
    for (const Finding& f : e.findings) {
      if (f.outcome != Outcome::pass) findings.push_back(finding_json(f));
    }
    j["findings"] = std::move(findings);
    out_ << j.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    out_.flush();
  }

  bool flush(std::string* error) override {
    if (!out_.is_open()) out_.open(path_, std::ios::binary | std::ios::app);
    out_.flush();
    if (!out_) {
      if (error) *error = path_ + ": cannot write the exchange log";
      return false;
    }
    return true;
  }

 private:
  std::string path_;
  std::ofstream out_;
};

}  // namespace

std::unique_ptr<Listener> ndjson_listener(std::string path) { return std::make_unique<Ndjson>(std::move(path)); }

}  // namespace conform::report
