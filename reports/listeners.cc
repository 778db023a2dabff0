#include "reports/listeners.h"

namespace conform::report {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::pass: return "pass";
    case Outcome::warning: return "warning";
    case Outcome::fail: return "fail";
    case Outcome::error: return "error";
  }
  return "error";
}

Outcome worst(Outcome a, Outcome b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

std::string shell_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string curl_command(const std::string& origin, const transport::HttpRequest& r) {
  std::string out = "curl -sS -i -X " + r.method;
  for (const auto& [name, value] : r.headers) out += " -H " + shell_quote(name + ": " + value);
  if (!r.body.empty()) out += " --data-binary " + shell_quote(r.body);
  out += " " + shell_quote(origin + r.target);
  return out;
}

void Listeners::run_started(const RunStarted& e) {
  for (auto& l : listeners_) l->run_started(e);
}

void Listeners::exchange_done(ExchangeDone e) {
  ExchangeDone r = redactor_.redact(std::move(e));
  r.curl = curl_command(r.origin, r.request);
  for (auto& l : listeners_) l->exchange_done(r);
  for (const Finding& f : r.findings) {
    if (f.outcome == Outcome::pass) continue;
    for (auto& l : listeners_) l->finding(r, f);
  }
}

void Listeners::run_finished(const RunFinished& e) {
  for (auto& l : listeners_) l->run_finished(e);
}

bool Listeners::flush(std::string* error) {
  bool ok = true;
  for (auto& l : listeners_) {
    std::string one;
    if (!l->flush(&one)) {
      ok = false;
      if (error) *error += (error->empty() ? "" : "; ") + one;
    }
  }
  return ok;
}

}  // namespace conform::report
