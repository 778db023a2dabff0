// JUnit XML. The schema the three CI systems read in common: testsuites >
// testsuite (name, tests, failures, errors, skipped, time) > testcase (name,
// classname, time) with <failure>/<error> (message attribute, text body) and
// <system-out>.
#include <fstream>
#include <map>

#include "reports/format.h"
#include "reports/reports.h"

namespace conform::report {
namespace {

constexpr int kDetailsPerCase = 5;  // failing exchanges spelt out per testcase

struct TestCase {
  int exchanges = 0;
  double seconds = 0;
  int failures = 0, errors = 0, warnings = 0, baselined = 0;
  std::string first_message;  // of the first failure or error
  bool first_is_error = false;
  std::string details;        // failure texts, at most kDetailsPerCase
  std::string out;            // warnings and baselined deviations
  int detailed = 0, noted = 0;
};

struct Suite {
  std::string target;
  std::map<std::string, TestCase> cases;  // by "rule [side]"
};

class JUnit : public Listener {
 public:
  explicit JUnit(std::string path) : path_(std::move(path)) {}

  void run_started(const RunStarted& e) override { started_ = e; }
  void run_finished(const RunFinished& r) override { finished_[r.target] = r; }

  void exchange_done(const ExchangeDone& e) override {
    Suite& suite = suites_[suite_name(e)];
    suite.target = e.target;
    TestCase& tc = suite.cases[case_name(e)];
    ++tc.exchanges;
    tc.seconds += e.elapsed_ms / 1000.0;
    bool baselined = false;
    for (const Finding& f : e.findings) baselined = baselined || (f.baselined && f.outcome != Outcome::pass);
    if (e.outcome == Outcome::fail || e.outcome == Outcome::error) {
      (e.outcome == Outcome::fail ? tc.failures : tc.errors)++;
      if (tc.first_message.empty()) {
        tc.first_message = headline(e);
        tc.first_is_error = e.outcome == Outcome::error;
      }
      if (tc.detailed++ < kDetailsPerCase) tc.details += failure_text(e) + "\n";
    } else if (e.outcome == Outcome::warning || baselined) {
      (baselined ? tc.baselined : tc.warnings)++;
      if (tc.noted++ < kDetailsPerCase) tc.out += failure_text(e) + "\n";
    }
  }

  bool flush(std::string* error) override {
    make_parent_dirs(path_);  // --junit out/junit.xml works on a fresh clone
    std::ofstream f(path_, std::ios::binary | std::ios::trunc);
    if (!f) {
      if (error) *error = path_ + ": cannot write the JUnit report";
      return false;
    }
    write(f);
    f.close();
    if (!f) {
      if (error) *error = path_ + ": write failed";
      return false;
    }
    return true;
  }

 private:
  static std::string headline(const ExchangeDone& e) {
    for (const Finding& f : e.findings) {
      if (f.outcome == e.outcome && !f.baselined) return "[" + f.check + "] " + f.message;
    }
    return std::string(to_string(e.outcome));
  }

  void write(std::ostream& f) const {
    int tests = 0, failures = 0, errors = 0;
    double time = 0;
    for (const auto& [name, s] : suites_) {
      for (const auto& [cn, tc] : s.cases) {
        ++tests;
        failures += tc.failures > 0 && tc.errors == 0;
        errors += tc.errors > 0;
        time += tc.seconds;
      }
    }
    for (const auto& [target, r] : finished_) {
      tests += r.incomplete;
      errors += r.incomplete;
    }
    f << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    f << "<testsuites name=\"conform\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\""
      << errors << "\" time=\"" << time << "\">\n";
    for (const auto& [name, s] : suites_) write_suite(f, name, s);
    write_held_back(f);
    write_stops(f);
    f << "</testsuites>\n";
  }

  void write_suite(std::ostream& f, const std::string& name, const Suite& s) const {
    int failures = 0, errors = 0;
    double time = 0;
    for (const auto& [cn, tc] : s.cases) {
      failures += tc.failures > 0 && tc.errors == 0;
      errors += tc.errors > 0;
      time += tc.seconds;
    }
    f << "  <testsuite name=\"" << xml_escape(name) << "\" tests=\"" << s.cases.size() << "\" failures=\""
      << failures << "\" errors=\"" << errors << "\" skipped=\"0\" time=\"" << time << "\" timestamp=\""
      << xml_escape(started_.started_at) << "\">\n";
    f << "    <properties>\n      <property name=\"seed\" value=\"" << started_.seed << "\"/>\n"
      << "      <property name=\"command\" value=\"" << xml_escape(started_.command) << "\"/>\n";
    std::string notes;
    for (const std::string& w : started_.warnings) {
      f << "      <property name=\"warning\" value=\"" << xml_escape(w) << "\"/>\n";
      notes += "warning: " + w + "\n";
    }
    if (auto it = finished_.find(s.target); it != finished_.end() && it->second.throttled > 0) {
      f << "      <property name=\"throttled\" value=\"" << it->second.throttled << "\"/>\n"
        << "      <property name=\"throttled_unjudged\" value=\"" << it->second.throttled_unjudged << "\"/>\n";
      notes += "throttled " + std::to_string(it->second.throttled) + " times by " + s.target +
               " (retried with backoff, not failures)\n";
    }
    if (auto it = finished_.find(s.target); it != finished_.end() && !it->second.stop_reason.empty()) {
      f << "      <property name=\"stop_reason\" value=\"" << xml_escape(it->second.stop_reason) << "\"/>\n";
    }
    for (const HeldBack& h : started_.held_back) {
      if (h.target != s.target) continue;
      f << "      <property name=\"held_back\" value=\"" << h.count << " " << xml_escape(h.reason) << "\"/>\n";
    }
    f << "    </properties>\n";
    for (const auto& [cn, tc] : s.cases) write_case(f, name, cn, tc);
    if (!notes.empty()) f << "    <system-out>" << xml_escape(notes) << "</system-out>\n";
    f << "  </testsuite>\n";
  }

  // Requests not sent for safety: skipped testcases, one per target and reason,
  // so that a CI page shows them next to the results.
  void write_held_back(std::ostream& f) const {
    std::map<std::string, std::vector<const HeldBack*>> by_target;
    for (const HeldBack& h : started_.held_back) by_target[h.target].push_back(&h);
    for (const auto& [target, list] : by_target) {
      std::string suite = target + ".safety";
      f << "  <testsuite name=\"" << xml_escape(suite) << "\" tests=\"" << list.size()
        << "\" failures=\"0\" errors=\"0\" skipped=\"" << list.size() << "\" time=\"0\" timestamp=\""
        << xml_escape(started_.started_at) << "\">\n";
      for (const std::string& w : started_.warnings) {
        f << "    <properties>\n      <property name=\"warning\" value=\"" << xml_escape(w) << "\"/>\n    </properties>\n";
        break;
      }
      for (const HeldBack* h : list) {
        f << "    <testcase name=\"held back: " << xml_escape(h->reason) << "\" classname=\"" << xml_escape(suite)
          << "\" time=\"0\">\n      <skipped message=\"" << h->count << " cases not sent to a non-loopback target: "
          << xml_escape(h->reason) << " (set allow_create or --allow-create to send them)\"/>\n    </testcase>\n";
      }
      f << "  </testsuite>\n";
    }
  }

  // A run that stopped short (a signal, a dead target) passed no judgement on
  // what it did not send: an error testcase per such target says so, so that a
  // CI page never shows a cut-short run as all green.
  void write_stops(std::ostream& f) const {
    for (const auto& [target, r] : finished_) {
      if (!r.incomplete) continue;
      std::string suite = target + ".run";
      std::string message = "stopped early after " + std::to_string(r.exchanges) + " exchanges: " + r.stop_reason;
      f << "  <testsuite name=\"" << xml_escape(suite) << "\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\""
        << r.elapsed_s << "\" timestamp=\"" << xml_escape(started_.started_at) << "\">\n"
        << "    <testcase name=\"run completed\" classname=\"" << xml_escape(suite) << "\" time=\"" << r.elapsed_s
        << "\">\n      <error message=\"" << xml_escape(clip(message, 500)) << "\" type=\"error\">"
        << xml_escape(message + "\nexit code " + std::to_string(r.exit_code) +
                      "; the cases not sent were not judged, so this run neither passes nor fails them")
        << "</error>\n    </testcase>\n  </testsuite>\n";
    }
  }

  static void write_case(std::ostream& f, const std::string& suite, const std::string& name, const TestCase& tc) {
    f << "    <testcase name=\"" << xml_escape(name) << "\" classname=\"" << xml_escape(suite) << "\" time=\""
      << tc.seconds << "\">\n";
    if (tc.failures + tc.errors > 0) {
      const char* tag = tc.errors > 0 ? "error" : "failure";
      std::string summary = std::to_string(tc.failures + tc.errors) + " of " + std::to_string(tc.exchanges) +
                            " exchanges: " + tc.first_message;
      f << "      <" << tag << " message=\"" << xml_escape(clip(summary, 500)) << "\" type=\"" << tag << "\">"
        << xml_escape(tc.details) << "</" << tag << ">\n";
    }
    if (!tc.out.empty()) {
      std::string head = std::to_string(tc.warnings) + " warnings, " + std::to_string(tc.baselined) +
                         " baselined deviations\n";
      f << "      <system-out>" << xml_escape(head + tc.out) << "</system-out>\n";
    }
    f << "    </testcase>\n";
  }

  std::string path_;
  RunStarted started_;
  std::map<std::string, RunFinished> finished_;  // by target
  std::map<std::string, Suite> suites_;
};

}  // namespace

std::unique_ptr<Listener> junit_listener(std::string path) { return std::make_unique<JUnit>(std::move(path)); }

}  // namespace conform::report
