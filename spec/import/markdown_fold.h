// The line-level pre-pass of the markdown extractor. Reference docs exported
// from Alibaba Cloud's documentation system write a table row's last cell over
// many physical lines (blank lines, "-   item" lists, even fenced code holding a
// `|`) and close the row with a line like " |"; the ROS error table even splits
// its header. GFM ends a table at the first such line, so the pre-pass folds
// every logical row into one physical line, joining the cell's lines with <br>,
// and remembers which doc line each <br>-separated segment came from.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace conform::import::md {

// One folded table row (the header row too).
struct FoldedRow {
  // Doc line (1-based) of each <br>-separated segment of the folded row, in
  // order; a <br> already written in the doc starts a segment on the same line.
  std::vector<int> segments;
  // For each cell (0-based, as GFM numbers them), the index into `segments`
  // where the cell starts.
  std::vector<std::size_t> cell_first;

  // Doc line of the k-th segment of cell c, clamped so that a renderer that
  // sees more breaks than the fold counted still names a line of the row.
  int line_of(std::size_t cell, std::size_t k) const {
    if (segments.empty()) return 0;
    const std::size_t first = cell_first.empty() ? 0 : cell_first[std::min(cell, cell_first.size() - 1)];
    return segments[std::min(first + k, segments.size() - 1)];
  }
};

struct FoldedDoc {
  std::string text;           // what cmark parses: '\n'-separated, no '\r'
  std::vector<int> line_map;  // folded line (1-based) - 1 -> doc line (1-based)
  std::vector<FoldedRow> rows;
  std::vector<int> row_at;    // folded line - 1 -> index into rows, or -1

  // Doc line of a folded line; the nearest valid line for out-of-range input.
  int doc_line(int folded_line) const {
    if (line_map.empty()) return 1;
    const std::size_t i = folded_line < 1 ? 0 : static_cast<std::size_t>(folded_line - 1);
    return line_map[std::min(i, line_map.size() - 1)];
  }
  // The folded row that starts on this folded line, or nullptr.
  const FoldedRow* row(int folded_line) const {
    const std::size_t i = folded_line < 1 ? row_at.size() : static_cast<std::size_t>(folded_line - 1);
    return i < row_at.size() && row_at[i] >= 0 ? &rows[static_cast<std::size_t>(row_at[i])] : nullptr;
  }
};

// Folds the tables of a markdown document. Lines outside tables pass through
// unchanged, one folded line per doc line, but for two changes that render the
// same: a blank line goes before each table (and after one that prose follows
// directly), and a line shaped like a delimiter row that starts no table gets
// a backslash (cmark-gfm 0.29.0.gfm.6 is quadratic on runs of such lines).
// A row that is still open when the file ends or a heading starts, or a row
// with fewer cells than its header, is an Error naming file:line of the row.
Result<FoldedDoc> fold_tables(std::string_view file, std::string_view content);

// Length of the <br>, <br/> or <br /> tag (any case) starting at s[pos], or 0.
// The fold and the renderer both split on exactly these, so that segment
// counts agree.
std::size_t break_tag_length(std::string_view s, std::size_t pos);

}  // namespace conform::import::md
