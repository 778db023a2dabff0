// extract_text: pages whose tables were flattened to text (Alibaba Cloud
// BatchCompute references): a header line "AttributeTypeRequiredDescription",
// then one row a line with the cells run together, up to a blank line.
#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "spec/import/raw_doc.h"
#include "spec/import/text_checks.h"
#include "spec/import/text_split.h"

namespace conform::import {
namespace {

using Lines = std::vector<std::string_view>;

enum class Kind { none, params, errors };

// A table's kind and whether its columns come in the order the row splitters
// know: name, type, [required], description; or code, message, status, description.
struct Layout {
  Kind kind = Kind::none;
  bool required = false;
  bool supported = false;
};

// Splits a header with its spaces removed ("attributetyperequireddescription")
// into known column words; nullopt when it is not made of them alone.
// Longer than any header line (its words, spaces removed).
constexpr std::size_t kMaxHeader = 120;

std::optional<std::vector<std::string_view>> header_words(std::string_view low) {
  static constexpr std::string_view kWords[] = {
      "attribute", "parameter", "name",  "field", "type",   "required", "mandatory", "description",
      "example",   "default",   "code",  "message", "status", "error",  "http"};
  if (low.empty() || low.size() > kMaxHeader) return std::nullopt;
  // via[i]: the word ending at i on some split of low[0, i); -1 when none, -2 at 0.
  std::vector<int> via(low.size() + 1, -1);
  via[0] = -2;
  for (std::size_t i = 0; i < low.size(); ++i) {
    if (via[i] == -1) continue;
    for (std::size_t w = 0; w < std::size(kWords); ++w)
      if (low.substr(i).starts_with(kWords[w]) && via[i + kWords[w].size()] == -1)
        via[i + kWords[w].size()] = static_cast<int>(w);
  }
  if (via[low.size()] == -1) return std::nullopt;
  std::vector<std::string_view> words;
  for (std::size_t i = low.size(); i > 0; i -= words.back().size()) words.push_back(kWords[via[i]]);
  return std::vector<std::string_view>(words.rbegin(), words.rend());
}

bool is_name_word(std::string_view w) {
  return w == "attribute" || w == "parameter" || w == "name" || w == "field";
}

// A table header line, or nullopt. It must name a description too, so that a
// prose line that happens to read "NameType" is not taken for one.
std::optional<Layout> header_layout(std::string_view line) {
  // On the stack: every line of a doc comes here, and no header is longer.
  std::array<char, kMaxHeader> buf;
  std::size_t len = 0;
  for (char c : line) {
    if (c == ' ' || c == '\t') continue;
    if (len == kMaxHeader) return std::nullopt;  // no header is this long: stop early
    buf[len++] = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const std::string_view low(buf.data(), len);
  // A header names a description (below): a line without the word is none, and
  // is not split into words (every line of a doc comes here).
  if (low.find("description") == std::string::npos) return std::nullopt;
  auto words = header_words(low);
  if (!words) return std::nullopt;
  auto has = [&](std::string_view w) { return std::find(words->begin(), words->end(), w) != words->end(); };
  if (!has("description")) return std::nullopt;
  const std::vector<std::string_view>& w = *words;
  if (has("type") && std::any_of(w.begin(), w.end(), is_name_word)) {
    const bool required = w.size() == 4 && (w[2] == "required" || w[2] == "mandatory");
    const bool supported = is_name_word(w[0]) && w[1] == "type" && w.back() == "description" &&
                           (w.size() == 3 || required);
    return Layout{Kind::params, required, supported};
  }
  if (has("code") && has("message")) {
    std::vector<std::string_view> core;
    for (std::string_view x : w)
      if (x != "error" && x != "http") core.push_back(x);
    const std::vector<std::string_view> known = {"code", "message", "status", "description"};
    return Layout{Kind::errors, false, core == known};
  }
  return std::nullopt;
}

// "Error codes" opens an error table whose rows come without a header line.
bool is_error_heading(std::string_view t) {
  return (text::starts_with_ci(t, "error code") && t.size() <= 24) || text::equals_ci(t, "errors");
}

// "Response", "Request parameters": a short line naming the part that follows.
std::optional<bool> response_heading(std::string_view t) {
  if (t.size() > 40) return std::nullopt;
  for (auto [word, is_response] : {std::pair{std::string_view("response"), true}, {"request", false}}) {
    if (!text::starts_with_ci(t, word)) continue;
    if (t.size() == word.size() || !detail::is_ascii_alpha(t[word.size()])) return is_response;
  }
  return std::nullopt;
}

bool is_request_line(std::string_view t) {
  for (std::string_view m : {"GET ", "POST ", "PUT ", "DELETE ", "PATCH ", "HEAD "}) {
    if (!t.starts_with(m)) continue;
    const std::string_view target = text::trim(t.substr(m.size()));
    return target.starts_with('/') || target.starts_with("http");
  }
  return false;
}

// A line that opens a JSON example: '{' or '[' followed by a JSON-ish character,
// so that prose such as "[Note] ..." is not one.
bool opens_json(std::string_view t) {
  if (t.empty() || (t[0] != '{' && t[0] != '[')) return false;
  const std::string_view rest = text::trim(t.substr(1));
  return rest.empty() || std::string_view("\"{[]}").find(rest[0]) != std::string_view::npos;
}

// Index of the last line of the JSON block opened at lines[first]: where its
// brackets balance, else the line before a blank one (examples have none, and a
// lost bracket must not swallow the tables after it), else the last line.
std::size_t json_end(const Lines& lines, std::size_t first) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t i = first; i < lines.size(); ++i) {
    if (i > first && text::trim(lines[i]).empty()) return i - 1;
    for (char c : lines[i]) {
      if (escaped) { escaped = false; continue; }
      if (in_string) { escaped = c == '\\'; in_string = c != '"'; continue; }
      if (c == '"') in_string = true;
      else if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') --depth;
    }
    if (depth <= 0) return i;
  }
  return lines.size() - 1;
}

std::string join(const Lines& lines, std::size_t first, std::size_t last) {
  std::string s;
  for (std::size_t i = first; i <= last; ++i) {
    if (i > first) s += '\n';
    s += lines[i];
  }
  return s;
}

class Scanner {
 public:
  Scanner(std::string_view file, const Lines& lines) : lines_(lines) {
    doc_.file = std::string(file);
    doc_.format = "text";
  }

  // One pass over the lines; returns whether a parameter table was seen.
  bool run() {
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const std::string_view t = text::trim(lines_[i]);
      if (table_.kind != Kind::none && table_line(t, line_of(i))) continue;
      if (!t.empty()) i = outside_line(i, t);
    }
    return any_params_;
  }
  RawDoc take() { return std::move(doc_); }

 private:
  static int line_of(std::size_t i) { return static_cast<int>(i) + 1; }

  // A line while a table is open; false hands it back to outside_line because
  // it ends the table (a blank line after rows, a heading, a new header).
  bool table_line(std::string_view t, int line) {
    if (t.empty()) {
      if (rows_started_) table_ = {};
      return true;
    }
    if (header_layout(t) || response_heading(t) || is_error_heading(t)) {
      table_ = {};
      return false;
    }
    rows_started_ = true;
    if (!read_row(t, line)) doc_.prose.push_back({"UNPARSED: " + std::string(t), line});
    return true;
  }

  bool read_row(std::string_view t, int line) {
    if (!table_.supported) return false;
    if (table_.kind == Kind::errors) {
      auto e = text_detail::split_error_row(t, line);
      if (e) doc_.errors.push_back(std::move(*e));
      return e.has_value();
    }
    auto p = text_detail::split_param_row(t, table_.required, line);
    if (p) (response_ ? doc_.response : doc_.request).push_back(std::move(*p));
    return p.has_value();
  }

  // A non-blank line outside any table; returns the index of the last line it used.
  std::size_t outside_line(std::size_t i, std::string_view t) {
    const int line = line_of(i);
    if (auto layout = header_layout(t)) {  // header lines are the table's, not prose
      open_table(*layout);
      return i;
    }
    if (is_error_heading(t)) open_table({Kind::errors, false, true});
    if (auto r = response_heading(t)) response_ = *r;
    if (is_request_line(t) || opens_json(t)) return example(i, t);
    doc_.prose.push_back({std::string(t), line});
    return i;
  }

  void open_table(Layout layout) {
    table_ = layout;
    rows_started_ = false;
    any_params_ = any_params_ || layout.kind == Kind::params;
  }

  // A request line ("POST /clusters?...") with the JSON body after it, or a JSON
  // body alone: one example either way. The request line is prose too, since
  // the analyzer reads the method and path from it.
  std::size_t example(std::size_t i, std::string_view t) {
    std::size_t first = i;
    std::string kind = response_ ? "response" : "request";
    if (is_request_line(t)) {
      doc_.prose.push_back({std::string(t), line_of(i)});
      kind = "request";
      std::size_t j = i + 1;
      while (j < lines_.size() && text::trim(lines_[j]).empty()) ++j;
      if (j == lines_.size() || !opens_json(text::trim(lines_[j]))) {
        doc_.examples.push_back({kind, std::string(t), line_of(i)});
        return i;
      }
      i = j;
    }
    const std::size_t last = json_end(lines_, i);
    doc_.examples.push_back({kind, join(lines_, first, last), line_of(first)});
    return last;
  }

  const Lines& lines_;
  RawDoc doc_;
  Layout table_;
  bool rows_started_ = false;
  bool response_ = false;
  bool any_params_ = false;
};

}  // namespace

Result<RawDoc> extract_text(std::string_view file, std::string_view content) {
  Result<Lines> lines = detail::checked_lines(file, content);
  if (!lines) return tl::unexpected(lines.error());
  Scanner scanner(file, *lines);
  if (!scanner.run())
    return fail(detail::where(file, 1),
                "no parameter table: expected a header line such as \"AttributeTypeRequiredDescription\"");
  return scanner.take();
}

}  // namespace conform::import
