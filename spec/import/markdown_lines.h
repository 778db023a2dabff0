// Line-level scanning for the markdown fold (markdown_fold.cc): headings, code
// fences, delimiter rows and the cell pipes of one physical table line, as GFM
// reads them. Internal to the markdown extractor.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conform::import::md {

// cmark-gfm 0.29.0.gfm.6 is quadratic in the number of columns and of cells
// in a row. No reference table comes near this many columns.
constexpr std::size_t kMaxColumns = 64;

bool is_ascii_punct(char c);

std::size_t leading_spaces(std::string_view s);

bool starts_with_pipe(std::string_view s);

// A heading cannot sit inside a table cell: meeting one means the open row was
// never closed.
bool is_atx_heading(std::string_view s);

struct Fence {
  char ch = '`';
  std::size_t len = 0;
};

// Fences count at any indentation: one inside a list item or a table cell is
// indented, and missing it would let a "|---|" line inside code start a table.
std::optional<Fence> fence_open(std::string_view s);

bool fence_closes(std::string_view s, Fence f);

struct Delimiter {
  std::size_t cols = 0;  // 0: not a delimiter row
  bool closed = false;   // a leading and a trailing pipe: rows may span lines
};

// "|---|:--:|" and friends, without looking at the indentation.
Delimiter delimiter_shape(std::string_view s);

Delimiter parse_delimiter(std::string_view line);

// One physical line of a row: the text to emit (pipes inside inline code
// escaped, so GFM does not split a cell there) and where its cell pipes are.
struct Scan {
  std::string text;
  std::vector<std::size_t> pipes;     // positions in the raw line
  std::vector<std::size_t> out_pipes; // the same pipes, positions in text
};

struct Run {
  std::size_t pos, len, next_same;
};

// Maximal backtick runs with, for each, the next run of the same length (the
// code span's closer), precomputed so that the scan stays linear.
std::vector<Run> backtick_runs(std::string_view s);

Scan scan_cells(std::string_view s);

// GFM's cell count of a one-line row: the outer pipes are optional.
std::size_t gfm_cells(std::string_view raw, const Scan& scan);

// The content of a fenced block inside a cell, made literal: every ASCII
// punctuation character is backslash-escaped, so "(*)", "(`)" and "(|)" in a
// list of special characters stay text and split no cell.
std::string escape_literal(std::string_view s);

std::vector<std::size_t> break_positions(std::string_view s);

// A line that the fold did not take as a table's delimiter row but cmark-gfm
// would try as one (inside a block quote or a list item too). gfm.6 re-reads
// the whole paragraph above each such line, so a long run of them is
// quadratic; one backslash makes the line plain text that renders the same.
std::string defuse_delimiter(std::string_view line);
// Where defuse_delimiter puts its backslash; npos when it leaves the line as it is.
std::size_t defuse_at(std::string_view line);

}  // namespace conform::import::md
