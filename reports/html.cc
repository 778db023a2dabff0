// One self-contained HTML page: inline CSS and a few lines of inline script for
// the outcome filter; no external asset, so it can be archived as a CI artifact
// and opened anywhere.
#include <array>
#include <fstream>
#include <map>
#include <sstream>

#include "reports/format.h"
#include "reports/reports.h"

namespace conform::report {
namespace {

constexpr int kMaxDetails = 500;  // failure details kept for the page

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}
td.n{text-align:right}.pass{color:#176f2c}.warning{color:#8a6d00}.fail{color:#b00020}.error{color:#6a1b9a}
pre{background:#f6f6f6;padding:.5em;white-space:pre-wrap;word-break:break-all}
details{margin:.3em 0}summary{cursor:pointer}.filters button{margin-right:.4em}
)";

constexpr const char* kScript = R"(
function only(o){document.querySelectorAll('[data-outcome]').forEach(function(e){
e.style.display=(o==='all'||e.dataset.outcome===o)?'':'none';});}
)";

using Counts = std::array<int, 4>;  // by Outcome

class Html : public Listener {
 public:
  explicit Html(std::string path) : path_(std::move(path)) {}

  void run_started(const RunStarted& e) override { started_ = e; }

  void exchange_done(const ExchangeDone& e) override {
    int o = static_cast<int>(e.outcome);
    ++totals_[o];
    ++matrix_[suite_name(e)][case_name(e)][o];
    if (e.outcome != Outcome::pass && static_cast<int>(details_.size()) < kMaxDetails) {
      details_.push_back({std::string(to_string(e.outcome)), suite_name(e) + " " + case_name(e), failure_text(e)});
    }
  }

  void run_finished(const RunFinished& r) override {
    finished_.elapsed_s += r.elapsed_s;
    if (!r.stop_reason.empty()) finished_.stop_reason += (finished_.stop_reason.empty() ? "" : "; ") + r.target + ": " + (r.incomplete ? "stopped early: " : "") + r.stop_reason;
    if (r.throttled > 0) {
      throttled_.push_back(r.target + ": throttled " + std::to_string(r.throttled) +
                           " times (retried with backoff, not failures), " + std::to_string(r.throttled_unjudged) +
                           " exchanges left unjudged");
    }
  }

  bool flush(std::string* error) override {
    make_parent_dirs(path_);  // --junit out/junit.xml works on a fresh clone
    std::ofstream f(path_, std::ios::binary | std::ios::trunc);
    if (!f) {
      if (error) *error = path_ + ": cannot write the HTML report";
      return false;
    }
    f << page();
    f.close();
    if (!f) {
      if (error) *error = path_ + ": write failed";
      return false;
    }
    return true;
  }

 private:
  struct Detail {
    std::string outcome, title, text;
  };

  std::string page() const {
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>conform report</title><style>"
      << kStyle << "</style><script>" << kScript << "</script></head><body>\n";
    h << "<h1>conform report</h1>\n<p>Seed " << started_.seed << ", started " << html_escape(started_.started_at)
      << ", " << finished_.elapsed_s << " s. Regenerate: <code>" << html_escape(started_.command) << "</code></p>\n";
    for (const std::string& w : started_.warnings) h << "<p class=\"warning\"><b>Warning:</b> " << html_escape(w) << "</p>\n";
    if (!finished_.stop_reason.empty()) h << "<p class=\"error\">Run ended: " << html_escape(finished_.stop_reason) << "</p>\n";
    for (const std::string& n : started_.notes) h << "<p>" << html_escape(n) << "</p>\n";
    for (const std::string& t : throttled_) h << "<p class=\"warning\">Throttling: " << html_escape(t) << "</p>\n";
    if (!started_.held_back.empty()) {
      h << "<h2>Held back for safety</h2>\n<p>Not sent to a non-loopback target (set allow_create or pass "
           "--allow-create to send them):</p>\n<table><tr><th>target</th><th>cases</th><th>reason</th></tr>\n";
      for (const HeldBack& b : started_.held_back) {
        h << "<tr><td>" << html_escape(b.target) << "</td><td class=\"n\">" << b.count << "</td><td>"
          << html_escape(b.reason) << "</td></tr>\n";
      }
      h << "</table>\n";
    }
    h << "<h2>Summary</h2>\n<table><tr><th>exchanges</th>";
    for (int o = 0; o < 4; ++o) h << "<th class=\"" << to_string(Outcome(o)) << "\">" << to_string(Outcome(o)) << "</th>";
    h << "</tr><tr><td class=\"n\">" << (totals_[0] + totals_[1] + totals_[2] + totals_[3]) << "</td>";
    for (int o = 0; o < 4; ++o) h << "<td class=\"n\">" << totals_[o] << "</td>";
    h << "</tr></table>\n";
    h << "<div class=\"filters\">Show: <button onclick=\"only('all')\">all</button>";
    for (int o = 0; o < 4; ++o) h << "<button onclick=\"only('" << to_string(Outcome(o)) << "')\">" << to_string(Outcome(o)) << "</button>";
    h << "</div>\n";
    for (const auto& [suite, rules] : matrix_) write_matrix(h, suite, rules);
    h << "<h2>Failures, errors and warnings</h2>\n";
    if (details_.empty()) h << "<p>None.</p>\n";
    for (const Detail& d : details_) {
      h << "<details data-outcome=\"" << d.outcome << "\"><summary class=\"" << d.outcome << "\">" << d.outcome << ": "
        << html_escape(d.title) << "</summary><pre>" << html_escape(d.text) << "</pre></details>\n";
    }
    h << "</body></html>\n";
    return h.str();
  }

  static Outcome row_outcome(const Counts& c) {
    for (int o = 3; o > 0; --o) {
      if (c[o] > 0) return Outcome(o);
    }
    return Outcome::pass;
  }

  static void write_matrix(std::ostream& h, const std::string& suite, const std::map<std::string, Counts>& rules) {
    h << "<h2>" << html_escape(suite) << "</h2>\n<table><tr><th>rule [side]</th>";
    for (int o = 0; o < 4; ++o) h << "<th>" << to_string(Outcome(o)) << "</th>";
    h << "</tr>\n";
    for (const auto& [rule, c] : rules) {
      Outcome worst_seen = row_outcome(c);
      h << "<tr data-outcome=\"" << to_string(worst_seen) << "\"><td class=\"" << to_string(worst_seen) << "\">"
        << html_escape(rule) << "</td>";
      for (int o = 0; o < 4; ++o) h << "<td class=\"n\">" << c[o] << "</td>";
      h << "</tr>\n";
    }
    h << "</table>\n";
  }

  std::string path_;
  RunStarted started_;
  RunFinished finished_;  // summed over the targets
  std::vector<std::string> throttled_;
  Counts totals_{};
  std::map<std::string, std::map<std::string, Counts>> matrix_;
  std::vector<Detail> details_;
};

}  // namespace

std::unique_ptr<Listener> html_listener(std::string path) { return std::make_unique<Html>(std::move(path)); }

}  // namespace conform::report
