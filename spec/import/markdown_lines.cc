// Line-level scanning for the markdown fold (markdown_lines.h).
#include "spec/import/markdown_lines.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "core/text.h"
#include "spec/import/markdown_fold.h"

namespace conform::import::md {

using text::trim;

bool is_ascii_punct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

std::size_t leading_spaces(std::string_view s) { return std::min(s.find_first_not_of(' '), s.size()); }

bool starts_with_pipe(std::string_view s) { return trim(s).starts_with('|'); }

// A heading cannot sit inside a table cell: meeting one means the open row was
// never closed.
bool is_atx_heading(std::string_view s) {
  if (leading_spaces(s) > 3) return false;
  s = trim(s);
  const std::size_t n = std::min(s.find_first_not_of('#'), s.size());
  return n >= 1 && n <= 6 && (n == s.size() || s[n] == ' ' || s[n] == '\t');
}

// Fences count at any indentation: one inside a list item or a table cell is
// indented, and missing it would let a "|---|" line inside code start a table.
std::optional<Fence> fence_open(std::string_view s) {
  s = trim(s);
  if (s.empty() || (s.front() != '`' && s.front() != '~')) return std::nullopt;
  const Fence f{s.front(), std::min(s.find_first_not_of(s.front()), s.size())};
  if (f.len < 3) return std::nullopt;
  // "```a```" on one line is inline code, not a fence.
  if (f.ch == '`' && s.substr(f.len).find('`') != std::string_view::npos) return std::nullopt;
  return f;
}

bool fence_closes(std::string_view s, Fence f) {
  s = trim(s);
  const std::size_t n = std::min(s.find_first_not_of(f.ch), s.size());
  return n >= f.len && n == s.size();
}

// "|---|:--:|" and friends, without looking at the indentation.
Delimiter delimiter_shape(std::string_view s) {
  s = trim(s);
  if (s.find('|') == std::string_view::npos) return {};  // a setext underline or a rule
  const bool lead = s.starts_with('|');
  if (lead) s.remove_prefix(1);
  const bool trail = s.ends_with('|');
  if (trail) s.remove_suffix(1);
  Delimiter d{0, lead && trail};
  for (std::size_t start = 0;;) {
    const std::size_t bar = s.find('|', start);
    std::string_view cell = trim(s.substr(start, bar == std::string_view::npos ? s.npos : bar - start));
    if (cell.starts_with(':')) cell.remove_prefix(1);
    if (cell.ends_with(':')) cell.remove_suffix(1);
    if (cell.empty() || cell.find_first_not_of('-') != std::string_view::npos) return {};
    ++d.cols;
    if (bar == std::string_view::npos) return d;
    start = bar + 1;
  }
}

Delimiter parse_delimiter(std::string_view line) {
  const Delimiter d = delimiter_shape(line);
  return leading_spaces(line) > 3 || d.cols > kMaxColumns ? Delimiter{} : d;
}

// Maximal backtick runs with, for each, the next run of the same length (the
// code span's closer), precomputed so that the scan stays linear.
std::vector<Run> backtick_runs(std::string_view s) {
  std::vector<Run> runs;
  for (std::size_t i = s.find('`'); i != std::string_view::npos; i = s.find('`', i)) {
    const std::size_t end = std::min(s.find_first_not_of('`', i), s.size());
    runs.push_back({i, end - i, std::string_view::npos});
    i = end;
  }
  std::unordered_map<std::size_t, std::size_t> next;
  for (std::size_t r = runs.size(); r-- > 0;) {
    if (const auto it = next.find(runs[r].len); it != next.end()) runs[r].next_same = it->second;
    next[runs[r].len] = r;
  }
  return runs;
}

namespace {

// Position of the first '\\', '`' or '|' at or after i, or s.size(). Eight bytes
// a step: a word without any of the three is skipped whole.
std::size_t next_cell_mark(std::string_view s, std::size_t i) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kHighs = 0x8080808080808080u;
  const auto has = [](std::uint64_t w, unsigned char c) {
    const std::uint64_t x = w ^ (kOnes * c);
    return (x - kOnes) & ~x & kHighs;  // nonzero when some byte of w is c
  };
  for (; s.size() - i >= 8; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if ((has(w, '\\') | has(w, '`') | has(w, '|')) != 0) break;
  }
  for (; i < s.size(); ++i)
    if (s[i] == '\\' || s[i] == '`' || s[i] == '|') return i;
  return s.size();
}

}  // namespace

Scan scan_cells(std::string_view s) {
  Scan out;
  out.text.reserve(s.size() + 8);
  // Room for every '|' (memchr), so that a row's pipes take one allocation per
  // vector instead of one per doubling (each an ASan-recorded malloc when fuzzed).
  std::size_t bars = 0;
  for (std::size_t i = s.find('|'); i != std::string_view::npos; i = s.find('|', i + 1)) ++bars;
  out.pipes.reserve(bars);
  out.out_pipes.reserve(bars);
  const std::vector<Run> runs = backtick_runs(s);
  std::size_t r = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t mark = next_cell_mark(s, i);
    out.text.append(s.substr(i, mark - i));  // plain text, copied whole
    if ((i = mark) == s.size()) break;
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && is_ascii_punct(s[i + 1])) {
      out.text.append(s.substr(i, 2));
      i += 2;
    } else if (c == '`') {
      while (runs[r].pos + runs[r].len <= i) ++r;
      const Run& open = runs[r];
      std::size_t end = open.pos + open.len;  // no closer: the backticks are literal
      if (open.pos == i && open.next_same != std::string_view::npos) {
        end = runs[open.next_same].pos + runs[open.next_same].len;
      }
      for (std::size_t k = i; k < end; ++k) {
        if (s[k] == '|' && s[k - 1] != '\\') out.text.push_back('\\');
        out.text.push_back(s[k]);
      }
      i = end;
    } else {
      if (c == '|') {
        out.pipes.push_back(i);
        out.out_pipes.push_back(out.text.size());
      }
      out.text.push_back(c);
      ++i;
    }
  }
  return out;
}

// GFM's cell count of a one-line row: the outer pipes are optional.
std::size_t gfm_cells(std::string_view raw, const Scan& scan) {
  std::size_t cells = scan.pipes.size() + 1;
  if (!scan.pipes.empty() && scan.pipes.front() == raw.find_first_not_of(" \t")) --cells;
  if (!scan.pipes.empty() && scan.pipes.back() == raw.find_last_not_of(" \t") && cells > 0) --cells;
  return cells;
}

// The content of a fenced block inside a cell, made literal: every ASCII
// punctuation character is backslash-escaped, so "(*)", "(`)" and "(|)" in a
// list of special characters stay text and split no cell.
std::string escape_literal(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 2);
  for (char c : s) {
    if (is_ascii_punct(c)) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::vector<std::size_t> break_positions(std::string_view s) {
  std::vector<std::size_t> at;
  for (std::size_t i = s.find('<'); i != std::string_view::npos; i = s.find('<', i + 1)) {
    if (break_tag_length(s, i) > 0) at.push_back(i);
  }
  return at;
}

// A line that the fold did not take as a table's delimiter row but cmark-gfm
// would try as one (inside a block quote or a list item too). gfm.6 re-reads
// the whole paragraph above each such line, so a long run of them is
// quadratic; one backslash makes the line plain text that renders the same.
std::size_t defuse_at(std::string_view line) {
  const std::size_t at = std::min(line.find_first_not_of(" \t>"), line.size());
  return delimiter_shape(line.substr(at)).cols == 0 ? std::string_view::npos : at;
}

std::string defuse_delimiter(std::string_view line) {
  const std::size_t at = defuse_at(line);
  if (at == std::string_view::npos) return std::string(line);
  return std::string(line.substr(0, at)) + "\\" + std::string(line.substr(at));
}

}  // namespace conform::import::md
