#include "spec/import/markdown_fold.h"

#include <algorithm>
#include <optional>

#include "core/text.h"
#include "spec/import/markdown_lines.h"

namespace conform::import::md {

namespace {

using text::trim;

// A multi-line header spans at most this many doc lines; the backward search
// for it stays bounded so that many delimiter rows cannot make the fold slow.
constexpr std::size_t kMaxHeaderLines = 16;

bool is_blank(std::string_view s) { return trim(s).empty(); }


class RowBuilder {
 public:
  explicit RowBuilder(std::size_t cols) : cols_(cols) {}

  std::size_t pipes() const { return pipes_; }
  bool ends_with_pipe() const { return ends_with_pipe_; }

  // A line of cell text: its pipes start cells. Text after the pipe that
  // closes the last column is dropped, as GFM drops excess cells.
  void add(int line, std::string_view raw, const Scan& scan) {
    const std::size_t base = segments_begin(line, raw);
    const bool lead = !scan.pipes.empty() && scan.pipes.front() == raw.find_first_not_of(" \t");
    if (limit_ == 0) {  // the row's first line of text
      limit_ = cols_ + (lead ? 1 : 0);
      if (!lead) row_.cell_first.push_back(0);  // cell 0 starts the row
    }
    const std::vector<std::size_t> brs = break_positions(raw);
    std::size_t used = 0;
    for (; used < scan.pipes.size() && pipes_ < limit_; ++used, ++pipes_) {
      const auto before = std::lower_bound(brs.begin(), brs.end(), scan.pipes[used]) - brs.begin();
      row_.cell_first.push_back(base + static_cast<std::size_t>(before));
    }
    std::string_view text = scan.text;
    if (used < scan.pipes.size()) text = used == 0 ? "" : text.substr(0, scan.out_pipes[used - 1] + 1);
    ends_with_pipe_ = used > 0 && scan.pipes[used - 1] == raw.find_last_not_of(" \t");
    text_.append(trim(text));
  }
  // A line of a fenced block inside a cell.
  void add_literal(int line, std::string_view raw) {
    segments_begin(line, raw);
    text_.append(escape_literal(trim(raw)));
  }
  // A fence line: an empty segment, since the content is made literal instead.
  void add_marker(int line) { segments_begin(line, {}); }

  FoldedRow take_row() { return std::move(row_); }
  std::string take_text() { return std::move(text_); }

 private:
  std::size_t segments_begin(int line, std::string_view raw) {
    if (!row_.segments.empty()) text_.append("<br>");
    ends_with_pipe_ = false;
    const std::size_t base = row_.segments.size();
    row_.segments.insert(row_.segments.end(), 1 + break_positions(raw).size(), line);
    return base;
  }

  FoldedRow row_;
  std::string text_;
  std::size_t cols_;
  std::size_t limit_ = 0;
  std::size_t pipes_ = 0;
  bool ends_with_pipe_ = false;
};

// Doc lines without terminators. A lone '\r' becomes a space: cmark would
// count it as a line end and the line map would drift.
std::vector<std::string_view> doc_lines(std::string& content) {
  for (std::size_t i = content.find('\r'); i != std::string::npos; i = content.find('\r', i + 1)) {
    if (i + 1 == content.size() || content[i + 1] != '\n') content[i] = ' ';
  }
  std::size_t count = 1;  // counted first (memchr): the vector is allocated once
  for (std::size_t i = content.find('\n'); i != std::string::npos; i = content.find('\n', i + 1)) ++count;
  std::vector<std::string_view> lines;
  lines.reserve(count);
  const std::string_view all(content);
  for (std::size_t start = 0; start < all.size();) {
    const std::size_t end = std::min(all.find('\n', start), all.size());
    std::string_view line = all.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

class Folder {
 public:
  Folder(std::string_view file, std::string_view content) : file_(file), content_(content) {
    lines_ = doc_lines(content_);
    // About one folded line per doc line (a table folds several into one and
    // adds a blank line): the vectors grow once or not at all.
    out_starts_.reserve(lines_.size() + 1);
    out_.line_map.reserve(lines_.size() + 1);
    out_.row_at.reserve(lines_.size() + 1);
    out_.text.reserve(content_.size() + lines_.size() + 1);
  }

  Result<FoldedDoc> run() {
    std::optional<Fence> fence;
    for (std::size_t i = 0; i < lines_.size();) {
      const std::string_view line = lines_[i];
      if (fence) {
        if (fence_closes(line, *fence)) fence.reset();
        emit(line, i);
        barrier_ = ++i;
        continue;
      }
      fence = fence_open(line);
      if (fence || is_atx_heading(line)) {
        emit(line, i);
        barrier_ = ++i;
        continue;
      }
      const Delimiter del = parse_delimiter(line);
      const std::optional<std::size_t> header = del.cols > 0 ? find_header(i, del) : std::nullopt;
      if (!header) {
        // Most lines need no backslash: emitted as they are, not copied first.
        if (defuse_at(line) == std::string_view::npos) emit(line, i++);
        else emit(defuse_delimiter(line), i++);
        continue;
      }
      auto next = fold_table(*header, i, del);
      if (!next) return tl::unexpected(next.error());
      i = barrier_ = *next;
    }
    return std::move(out_);
  }

 private:
  std::string where(std::size_t index) const { return file_ + ":" + std::to_string(index + 1); }

  void emit(std::string_view text, std::size_t index) {
    out_starts_.push_back(out_.text.size());
    out_.text.append(text).push_back('\n');
    out_.line_map.push_back(static_cast<int>(index + 1));
    out_.row_at.push_back(-1);
  }

  void emit_row(RowBuilder& b) {
    out_.rows.push_back(b.take_row());
    out_starts_.push_back(out_.text.size());
    out_.text.append(b.take_text()).push_back('\n');
    out_.line_map.push_back(out_.rows.back().segments.front());
    out_.row_at.push_back(static_cast<int>(out_.rows.size() - 1));
  }

  // The header lines went out as plain lines before their delimiter row
  // showed they belong to a table; take them back to fold them.
  void retract(std::size_t count) {
    out_.text.resize(out_starts_[out_starts_.size() - count]);
    out_starts_.resize(out_starts_.size() - count);
    out_.line_map.resize(out_.line_map.size() - count);
    out_.row_at.resize(out_.row_at.size() - count);
  }

  std::optional<std::size_t> find_header(std::size_t d, const Delimiter& del) const {
    if (d == 0 || d - 1 < barrier_) return std::nullopt;
    const std::string_view prev = lines_[d - 1];
    if (is_blank(prev) || leading_spaces(prev) > 3) return std::nullopt;
    if (gfm_cells(prev, scan_cells(prev)) == del.cols) return d - 1;
    if (!del.closed) return std::nullopt;
    // A header split over lines, each cell starting a line with "|" (ROS docs).
    std::size_t pipes = 0;
    for (std::size_t j = d; j-- > barrier_ && d - j <= kMaxHeaderLines;) {
      if (is_blank(lines_[j])) continue;
      pipes += scan_cells(lines_[j]).pipes.size();
      if (pipes > del.cols + 1) return std::nullopt;
      if (pipes == del.cols + 1) return starts_with_pipe(lines_[j]) ? std::optional(j) : std::nullopt;
    }
    return std::nullopt;
  }

  Result<std::size_t> fold_table(std::size_t h, std::size_t d, const Delimiter& del) {
    retract(d - h);
    // A blank line before the header lets cmark start the table as a block of
    // its own; splitting it off a paragraph loses the paragraph's line number.
    if (!out_starts_.empty() && !is_blank(std::string_view(out_.text).substr(out_starts_.back()))) emit("", h);
    RowBuilder header(del.cols);
    for (std::size_t j = h; j < d; ++j) {
      if (is_blank(lines_[j])) header.add_marker(static_cast<int>(j + 1));
      else header.add(static_cast<int>(j + 1), lines_[j], scan_cells(lines_[j]));
    }
    emit_row(header);
    emit(trim(lines_[d]), d);
    std::size_t i = d + 1;
    while (i < lines_.size() && !is_blank(lines_[i])) {
      const std::string_view line = lines_[i];
      const Scan scan = scan_cells(line);
      if (scan.pipes.empty() || is_atx_heading(line) || fence_open(line)) {
        emit("", i);  // GFM would make this line a row; it is prose after the table
        return i;
      }
      if (del.closed && starts_with_pipe(line)) {
        auto next = fold_row(i, del.cols);
        if (!next) return next;
        i = *next;
        continue;
      }
      const std::size_t cells = gfm_cells(line, scan);
      if (cells < del.cols) return fewer_cells(i, cells, del.cols);
      RowBuilder row(del.cols);
      row.add(static_cast<int>(i + 1), line, scan);
      emit_row(row);
      ++i;
    }
    return i;
  }

  // A row that opens with "|" runs until it has cols+1 cell pipes.
  Result<std::size_t> fold_row(std::size_t i, std::size_t cols) {
    RowBuilder row(cols);
    std::optional<Fence> fence;
    for (std::size_t j = i; j < lines_.size(); ++j) {
      const std::string_view raw = lines_[j];
      const int line = static_cast<int>(j + 1);
      if (fence) {
        if (fence_closes(raw, *fence)) {
          fence.reset();
          row.add_marker(line);
        } else {
          row.add_literal(line, raw);
        }
        continue;
      }
      if (j > i && is_atx_heading(raw)) return not_closed(i, "a heading starts at line " + std::to_string(line));
      if (j > i && (fence = fence_open(raw))) {
        row.add_marker(line);
        continue;
      }
      const Scan scan = scan_cells(raw);
      if (j > i && starts_with_pipe(raw) && row.pipes() + scan.pipes.size() > cols + 1) {
        // "|a|b|c" then "|d|...": that row just had no trailing pipe.
        if (row.pipes() != cols || row.ends_with_pipe()) return fewer_cells(i, row.pipes() - 1, cols);
        emit_row(row);
        return j;
      }
      row.add(line, raw, scan);
      if (row.pipes() >= cols + 1) {
        emit_row(row);
        return j + 1;
      }
    }
    return not_closed(i, "the file ends first");
  }

  tl::unexpected<Error> not_closed(std::size_t i, const std::string& why) const {
    return fail(where(i), "table row starting at line " + std::to_string(i + 1) +
                              " is not closed (no final |; " + why + ")");
  }

  tl::unexpected<Error> fewer_cells(std::size_t i, std::size_t cells, std::size_t cols) const {
    return fail(where(i), "table row starting at line " + std::to_string(i + 1) + " has " +
                              std::to_string(cells) + " cells, its header has " + std::to_string(cols));
  }

  std::string file_;
  std::string content_;
  std::vector<std::string_view> lines_;
  std::vector<std::size_t> out_starts_;  // where each folded line starts in out_.text
  FoldedDoc out_;
  std::size_t barrier_ = 0;  // header lines can only be taken back from here on
};

}  // namespace

std::size_t break_tag_length(std::string_view s, std::size_t pos) {
  if (pos + 3 >= s.size() || s[pos] != '<') return 0;
  if ((s[pos + 1] | 0x20) != 'b' || (s[pos + 2] | 0x20) != 'r') return 0;
  std::size_t i = pos + 3;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i < s.size() && s[i] == '/') ++i;
  return i < s.size() && s[i] == '>' ? i + 1 - pos : 0;
}

Result<FoldedDoc> fold_tables(std::string_view file, std::string_view content) {
  return Folder(file, content).run();
}

}  // namespace conform::import::md
