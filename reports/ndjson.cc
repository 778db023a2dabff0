// The exchange log: one JSON object per exchange, written as the run goes, so a
// run that dies still leaves every exchange before it.
#include <cstdio>
#include <fstream>
#include <map>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <nlohmann/json.hpp>

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
  std::string out;

  // The first byte at or after `i` that a JSON string cannot hold as it is (a
  // control byte, '"', '\\') or that is not ASCII; s.size() when none. Sixteen
  // bytes at a time where SSE2 is there (all x86-64).
  static std::size_t special(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    for (; i + 16 <= s.size(); i += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      // Signed: bytes of 0x80 and over are negative, so under 0x20 too.
      __m128i hit = _mm_or_si128(_mm_cmplt_epi8(v, space),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
      int mask = _mm_movemask_epi8(hit);
      if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
#endif
    for (; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return i;
    }
    return s.size();
  }

  // A JSON string as nlohmann's dump writes it (no ASCII escaping of UTF-8):
  // plain ASCII here, anything else through nlohmann itself.
  void str(std::string_view s) {
    const std::size_t start = out.size();
    out += '"';
    // Runs of bytes that need no escape are appended whole.
    std::size_t run = 0;
    for (std::size_t i = special(s, 0); i < s.size(); i = special(s, i + 1)) {
      char ch = s[i];
      if (static_cast<unsigned char>(ch) >= 0x80) {
        out.resize(start);
        out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
        return;
      }
      out.append(s.data() + run, i - run);
      run = i + 1;
      switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(ch)));
          out += buf;
        }
      }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
  }
  void key(std::string_view k) {
    if (!out.empty() && out.back() != '{') out += ',';
    str(k);
    out += ':';
  }
  void num(int n) { out += std::to_string(n); }
  void num(double d) { out += json(d).dump(); }
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
    std::map<std::string_view, std::string_view> first;
    for (const auto& [k, v] : headers) first.emplace(k, v);
    out += '{';
    for (const auto& [k, v] : first) {
      key(k);
      str(v);
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

// One exchange's line, members by name.
std::string exchange_line(const ExchangeDone& e) {
  Writer w;
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
  w.key("url"); w.str(e.origin + e.request.target);
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
  return std::move(w.out);
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
    out_ << exchange_line(e) << '\n';
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
