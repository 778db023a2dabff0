// The exchange log: one JSON object per exchange, written as the run goes, so a
// run that dies still leaves every exchange handed to the listeners before it
// (flushed after each batch the dispatcher delivers, not after every line: a
// write call per exchange was a tenth of the report thread's time).
#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "reports/format.h"
#include "reports/reports.h"

namespace conform::report {
namespace {

using nlohmann::json;

// The line is written directly rather than built as a json tree and dumped: it
// is the same text (members in the order a json object keeps them, sorted by
// name; compact; invalid UTF-8 replaced), at a fraction of the cost per exchange.
// Writer appends JSON values to one line.
struct Writer {
  std::string& out;
  // Scratch for headers(), kept from one line to the next.
  std::vector<std::pair<std::string_view, std::string_view>>& fields;

  // A JSON string as nlohmann's dump writes it (core/json_text.h).
  void str(std::string_view s) { append_json_string(out, s); }
  // A member name: one of this file's own, plain ASCII that needs no escape.
  // Appended in one piece: a comma unless the object just opened, the name, the colon.
  void key(std::string_view k) {
    char buf[64];
    std::size_t n = 0;
    if (!out.empty() && out.back() != '{') buf[n++] = ',';
    buf[n++] = '"';
    std::memcpy(buf + n, k.data(), k.size());
    n += k.size();
    buf[n++] = '"';
    buf[n++] = ':';
    out.append(buf, n);
  }
  void num(int n) {
    char digits[16];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
  }
  void num(double d) { append_json_double(out, d); }
  void boolean(bool b) { out += b ? "true" : "false"; }
  void strings(const std::vector<std::string>& v) {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += ',';
      str(v[i]);
    }
    out += ']';
  }
  // The first of a repeated header, like every other reader here; by name.
  void headers(const Pairs& headers) {
    fields.assign(headers.begin(), headers.end());
    std::stable_sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    out += '{';
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0 && fields[i].first == fields[i - 1].first) continue;
      if (i > 0) out += ',';
      str(fields[i].first);
      out += ':';
      str(fields[i].second);
    }
    out += '}';
  }
  void finding(const Finding& f) {
    out += '{';
    key("baselined"); boolean(f.baselined);
    key("check"); str(f.check);
    key("expected_codes"); strings(f.expected_codes);
    key("expected_status"); num(f.expected_status);
    key("message"); str(f.message);
    key("observed_code"); str(f.observed_code);
    key("observed_status"); num(f.observed_status);
    key("outcome"); str(to_string(f.outcome));
    out += '}';
  }
};

// One exchange's line, members by name, appended to `out`.
void exchange_line(const ExchangeDone& e, Writer w) {
  w.out += '{';
  w.key("case"); w.str(e.case_id);
  w.key("elapsed_ms"); w.num(e.elapsed_ms);
  if (!e.response) {
    w.key("error");
    w.out += '{';
    w.key("kind"); w.str(transport::to_string(e.error->kind));
    w.key("message"); w.str(e.error->message);
    w.out += '}';
  }
  w.key("expected");
  w.out += '{';
  w.key("codes"); w.strings(e.expected.codes);
  w.key("confidence"); w.str(spec::to_string(e.expected.confidence));
  w.key("rule"); w.str(e.expected.rule);
  w.key("status"); w.num(e.expected.status);
  w.out += '}';
  w.key("findings");
  w.out += '[';
  bool first = true;
  for (const Finding& f : e.findings) {
    if (f.outcome == Outcome::pass) continue;
    if (!first) w.out += ',';
    first = false;
    w.finding(f);
  }
  w.out += ']';
  w.key("op"); w.str(e.op);
  w.key("request");
  w.out += '{';
  w.key("body"); w.str(e.request.body);
  w.key("headers"); w.headers(e.request.headers);
  w.key("method"); w.str(e.request.method);
  w.key("url");
  if (e.request.target.empty() || e.origin.empty() || static_cast<unsigned char>(e.origin.back()) >= 0x80) {
    w.str(e.origin + e.request.target);
  } else {
    // The two halves as one string (no UTF-8 sequence spans the ASCII byte
    // between them): the closing quote of the first and the opening quote of the
    // second go.
    w.str(e.origin);
    w.out.pop_back();
    std::size_t at = w.out.size();
    w.str(e.request.target);
    w.out.erase(at, 1);
  }
  w.out += '}';
  w.key("response");
  if (e.response) {
    w.out += '{';
    w.key("body"); w.str(e.response->body);
    w.key("headers"); w.headers(e.response->headers);
    w.key("status"); w.num(e.response->status);
    w.out += '}';
  } else {
    w.out += "null";
  }
  w.key("rule"); w.str(e.rule);
  w.key("side"); w.str(e.side);
  w.key("target"); w.str(e.target);
  w.key("verdict"); w.str(to_string(e.outcome));
  w.out += '}';
}

class Ndjson : public Listener {
 public:
  explicit Ndjson(std::string path) : path_(std::move(path)) {}

  void run_started(const RunStarted&) override {
    make_parent_dirs(path_);  // --junit out/junit.xml works on a fresh clone
    out_.open(path_, std::ios::binary | std::ios::trunc);
  }

  // Lines gather in lines_ and go to the file in pieces of kChunk at least
  // (a stream writes a piece of 1 KiB or more straight through, so line by line
  // each exchange would still cost a write call).
  void exchange_done(const ExchangeDone& e) override {
    if (!out_) return;
    exchange_line(e, Writer{lines_, fields_});
    lines_ += '\n';
    if (lines_.size() >= kChunk) write_lines();
  }

  void delivered() override {
    write_lines();
    if (out_) out_.flush();
  }

  bool flush(std::string* error) override {
    if (!out_.is_open()) out_.open(path_, std::ios::binary | std::ios::app);
    write_lines();
    out_.flush();
    if (!out_) {
      if (error) *error = path_ + ": cannot write the exchange log";
      return false;
    }
    return true;
  }

 private:
  std::string path_;
  void write_lines() {
    if (out_ && !lines_.empty()) out_.write(lines_.data(), static_cast<std::streamsize>(lines_.size()));
    lines_.clear();
  }

  static constexpr std::size_t kChunk = 64 << 10;
  std::ofstream out_;
  std::string lines_;  // not written yet; kept: its allocation serves the whole run
  std::vector<std::pair<std::string_view, std::string_view>> fields_;
};

}  // namespace

std::unique_ptr<Listener> ndjson_listener(std::string path) { return std::make_unique<Ndjson>(std::move(path)); }

}  // namespace conform::report
