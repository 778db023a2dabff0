// extract_markdown: fold the doc's tables (markdown_fold.h), parse the result
// with cmark-gfm, and read sections, tables, examples and prose off the AST.
#include <cmark-gfm.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "spec/import/markdown_cmark.h"
#include "spec/import/markdown_fold.h"
#include "spec/import/markdown_heads.h"
#include "spec/import/raw_doc.h"
#include "spec/import/text_checks.h"

namespace conform::import {

namespace {

using text::trim;
using md::ArenaScope;
using md::Col;
using md::IterPtr;
using md::NodePtr;
using md::parse;
using md::Section;
using md::clean_name;
using md::classify_heading;
using md::error_column;
using md::first_digits;
using md::has;
using md::param_column;
using md::strip_attributes;
using md::trim_text;

// Past this size a reference page is not a reference page; refusing it keeps
// cmark-gfm's worst cases away.
constexpr std::size_t kMaxDocBytes = 16u << 20;

// Stands for a <br> in rendered inline text: the fold's segment separator.
constexpr char kBreak = '\x1f';

std::string where(std::string_view file, int line) {
  return std::string(file) + ":" + std::to_string(line);
}

// Control bytes other than white space, and malformed UTF-8, mean the file is
// not a text document; the error names the line of the first bad byte.
Result<void> check_text(std::string_view file, std::string_view content) {
  if (content.empty()) return fail(where(file, 1), "empty document");
  if (content.size() > kMaxDocBytes) return fail(std::string(file), "document is larger than 16 MiB");
  if (!detail::has_control_byte(content) && text::valid_utf8(content)) return {};
  // Line by line only to name the line of the error.
  int line = 1;
  for (std::size_t start = 0; start < content.size(); ++line) {
    std::size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    const std::string_view l = content.substr(start, end - start);
    for (char ch : l) {
      if (detail::is_control_byte(static_cast<unsigned char>(ch))) {
        return fail(where(file, line), "binary data (byte " + text::printable(std::string(1, ch)) +
                                           "): not a text document");
      }
    }
    if (!text::valid_utf8(l)) return fail(where(file, line), "invalid UTF-8");
    start = end + 1;
  }
  return {};
}

bool type_is(cmark_node* n, std::string_view type) {
  const char* t = cmark_node_get_type_string(n);
  return t != nullptr && type == t;
}

// Inline content as text: code spans and text literally (cmark already resolved
// escapes and entities), emphasis and links unwrapped to their text, other raw
// HTML dropped. Source line breaks become '\n', <br> becomes kBreak.
std::string render_inline(cmark_node* node) {
  std::string flat;
  IterPtr it(cmark_iter_new(node));
  for (auto ev = cmark_iter_next(it.get()); ev != CMARK_EVENT_DONE; ev = cmark_iter_next(it.get())) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it.get());
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE: {
        const char* lit = cmark_node_get_literal(n);
        if (lit == nullptr) break;
        const std::size_t from = flat.size();
        flat.append(lit);
        for (char c : {'\n', kBreak})
          for (std::size_t i = flat.find(c, from); i != std::string::npos; i = flat.find(c, i + 1)) flat[i] = ' ';
        break;
      }
      case CMARK_NODE_HTML_INLINE: {
        const char* lit = cmark_node_get_literal(n);
        if (lit != nullptr && md::break_tag_length(lit, 0) > 0) flat.push_back(kBreak);
        break;
      }
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        flat.push_back('\n');
        break;
      default:
        break;
    }
  }
  // A <br> that cmark kept as text (escaped, or inside a code span) was still
  // counted by the fold as a segment boundary.
  std::size_t lt = flat.find('<');
  if (lt == std::string::npos) return flat;
  std::string out;
  out.reserve(flat.size());
  std::size_t done = 0;  // flat[0, done) is in out
  for (; lt != std::string::npos; lt = flat.find('<', lt + 1)) {
    const std::size_t n = md::break_tag_length(flat, lt);
    if (n == 0) continue;
    out.append(flat, done, lt - done).push_back(kBreak);
    done = lt + n;
    lt = done - 1;  // the next '<' is looked for from done
  }
  out.append(flat, done);
  return out;
}

// "-   x" and "* x" become "- x": list items keep one marker form.
std::string clean_line(std::string_view s) {
  s = trim_text(s);
  if (s.size() >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t')) {
    return "- " + std::string(trim_text(s.substr(1)));
  }
  return std::string(s);
}

// Rendered cell -> its lines, each with the doc line the fold recorded.
std::vector<TextLine> cell_lines(cmark_node* cell, const md::FoldedRow* row, std::size_t index,
                                 int fallback_line) {
  const std::string flat = render_inline(cell);
  std::vector<TextLine> lines;
  std::size_t k = 0;
  for (std::size_t start = 0; start <= flat.size(); ++k) {
    std::size_t end = flat.find_first_of(std::string_view("\n\x1f", 2), start);
    if (end == std::string::npos) end = flat.size();
    std::string line = clean_line(std::string_view(flat).substr(start, end - start));
    if (!line.empty()) lines.push_back({std::move(line), row ? row->line_of(index, k) : fallback_line});
    start = end + 1;
  }
  return lines;
}

std::string joined(const std::vector<TextLine>& lines, std::string_view sep = " ") {
  std::string out;
  for (const TextLine& l : lines) {
    if (!out.empty()) out.append(sep);
    out.append(l.text);
  }
  return out;
}

// One body row: its cells' lines (indexed by column) and the row's doc line.
struct Row {
  std::vector<std::vector<TextLine>> cells;
  int line = 0;

  // The lines of the first column of kind c; none when the table has no such column.
  // A reference, not a copy: text() only joins them.
  const std::vector<TextLine>& lines(const std::vector<Col>& cols, Col c) const {
    static const std::vector<TextLine> kNone;
    const auto i = static_cast<std::size_t>(std::find(cols.begin(), cols.end(), c) - cols.begin());
    return i < cols.size() && i < cells.size() ? cells[i] : kNone;
  }
  std::string text(const std::vector<Col>& cols, Col c) const { return joined(lines(cols, c)); }
};

class Walker {
 public:
  Walker(std::string_view file, const md::FoldedDoc& fold) : file_(file), fold_(fold) {}

  Result<RawDoc> run(cmark_node* root) {
    doc_.file = file_;
    doc_.format = "markdown";
    IterPtr it(cmark_iter_new(root));
    for (auto ev = cmark_iter_next(it.get()); ev != CMARK_EVENT_DONE; ev = cmark_iter_next(it.get())) {
      cmark_node* n = cmark_iter_get_node(it.get());
      if (ev != CMARK_EVENT_ENTER) continue;
      const cmark_node_type type = cmark_node_get_type(n);
      if (type == CMARK_NODE_HEADING) on_heading(n);
      else if (type == CMARK_NODE_PARAGRAPH) on_paragraph(n);
      else if (type == CMARK_NODE_CODE_BLOCK) on_code_block(n);
      else if (type_is(n, "table")) on_table(n);
      else continue;
      // Handled whole: do not walk into its inlines or rows again.
      if (cmark_node_first_child(n) != nullptr) cmark_iter_reset(it.get(), n, CMARK_EVENT_EXIT);
    }
    if (!saw_request_table_) {
      const std::string at = request_heading_ > 0 ? where(file_, request_heading_) : file_;
      return fail(at, "no request parameter table (a table with a Name or Parameter column "
                      "under a \"Request parameters\" heading)");
    }
    return std::move(doc_);
  }

 private:
  int doc_line(cmark_node* n) const { return fold_.doc_line(cmark_node_get_start_line(n)); }

  void on_heading(cmark_node* n) {
    std::string flat = render_inline(n);
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    std::replace(flat.begin(), flat.end(), kBreak, ' ');
    const std::string title = strip_attributes(flat);
    const int level = cmark_node_get_heading_level(n);
    if (level == 1 && doc_.title.empty()) {
      doc_.title = title;
      return;
    }
    const std::string lower = text::to_lower(title);
    const Section s = classify_heading(lower);
    if (section_ == Section::kExamples && level > section_level_) return note_example_kind(lower);
    if (level > section_level_ && s == Section::kOther) return;  // a sub-heading of the section
    section_ = s;
    section_level_ = level;
    example_kind_ = "request";
    if (s == Section::kRequest && request_heading_ == 0) request_heading_ = doc_line(n);
  }

  void note_example_kind(const std::string& lower) {
    if (has(lower, "response") || has(lower, "return")) example_kind_ = "response";
    else if (has(lower, "request")) example_kind_ = "request";
  }

  // Prose: one TextLine per source line, so each keeps its own doc line.
  void on_paragraph(cmark_node* n) {
    const std::string flat = render_inline(n);
    if (section_ == Section::kExamples) return note_example_kind(text::to_lower(flat));
    cmark_node* parent = cmark_node_parent(n);
    bool item = parent != nullptr && cmark_node_get_type(parent) == CMARK_NODE_ITEM &&
                cmark_node_first_child(parent) == n;
    int k = 0;
    const int start = cmark_node_get_start_line(n);
    for (std::size_t b = 0; b <= flat.size();) {
      std::size_t e = flat.find_first_of(std::string_view("\n\x1f", 2), b);
      if (e == std::string::npos) e = flat.size();
      std::string line = clean_line(std::string_view(flat).substr(b, e - b));
      if (!line.empty()) {
        doc_.prose.push_back({item ? "- " + line : line, fold_.doc_line(start + k)});
        item = false;
      }
      if (e < flat.size() && flat[e] == '\n') ++k;
      b = e + 1;
    }
  }

  void on_code_block(cmark_node* n) {
    if (section_ != Section::kExamples) return;
    const char* info = cmark_node_get_fence_info(n);
    const std::string lower = text::to_lower(info == nullptr ? "" : info);
    std::string kind = example_kind_;
    if (has(lower, "request")) kind = "request";
    else if (has(lower, "response") || has(lower, "return")) kind = "response";
    const char* lit = cmark_node_get_literal(n);
    doc_.examples.push_back({kind, lit == nullptr ? "" : lit, doc_line(n)});
  }

  Row read_row(cmark_node* row) const {
    const int folded = cmark_node_get_start_line(row);
    const md::FoldedRow* fr = fold_.row(folded);
    Row out;
    out.line = fr != nullptr ? fr->segments.front() : fold_.doc_line(folded);
    std::size_t c = 0;
    for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
      out.cells.push_back(cell_lines(cell, fr, c++, out.line));
    }
    return out;
  }

  void on_table(cmark_node* table) {
    cmark_node* header = cmark_node_first_child(table);
    if (header == nullptr) return;
    std::vector<std::string> heads;
    for (const auto& cell : read_row(header).cells) heads.push_back(text::to_lower(joined(cell)));
    std::vector<Col> pcols, ecols;
    for (const auto& h : heads) {
      pcols.push_back(param_column(h));
      ecols.push_back(error_column(h));
    }
    const bool params = std::count(pcols.begin(), pcols.end(), Col::kName) > 0 &&
                        (section_ == Section::kRequest || section_ == Section::kResponse);
    const bool errors = std::any_of(heads.begin(), heads.end(), [&](const std::string& h) {
      return has(h, "error code") || (section_ == Section::kErrors && has(h, "code"));
    });
    if (params) {
      if (section_ == Section::kRequest) saw_request_table_ = true;
      read_params(cmark_node_next(header), pcols,
                  section_ == Section::kRequest ? doc_.request : doc_.response);
    } else if (errors) {
      read_errors(cmark_node_next(header), ecols);
    }
  }

  void read_params(cmark_node* row, const std::vector<Col>& cols, std::vector<RawParam>& out) {
    std::vector<std::string> enclosing;
    for (; row != nullptr; row = cmark_node_next(row)) {
      const Row r = read_row(row);
      auto [name, depth] = clean_name(r.text(cols, Col::kName));
      if (name.empty()) continue;
      if (enclosing.size() > depth) enclosing.resize(depth);
      RawParam p;
      p.name = name;
      p.path = enclosing;
      p.type = r.text(cols, Col::kType);
      p.required = r.text(cols, Col::kRequired);
      p.example = r.text(cols, Col::kExample);
      p.description = r.lines(cols, Col::kDescription);
      p.line = r.line;
      out.push_back(std::move(p));
      enclosing.push_back(std::move(name));
    }
  }

  void read_errors(cmark_node* row, const std::vector<Col>& cols) {
    for (; row != nullptr; row = cmark_node_next(row)) {
      const Row r = read_row(row);
      RawError e{first_digits(r.text(cols, Col::kStatus)), r.text(cols, Col::kCode),
                 r.text(cols, Col::kMessage), r.text(cols, Col::kDescription), r.line};
      if (!e.code.empty() || !e.status.empty()) doc_.errors.push_back(std::move(e));
    }
  }

  std::string file_;
  const md::FoldedDoc& fold_;
  RawDoc doc_;
  Section section_ = Section::kOther;
  int section_level_ = 0;
  std::string example_kind_ = "request";
  bool saw_request_table_ = false;
  int request_heading_ = 0;
};

}  // namespace

Result<RawDoc> extract_markdown(std::string_view file, std::string_view content) {
  if (auto ok = check_text(file, content); !ok) return tl::unexpected(ok.error());
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);  // a UTF-8 byte order mark
  auto folded = md::fold_tables(file, content);
  if (!folded) return tl::unexpected(folded.error());
  const ArenaScope arena;  // cmark's memory for this doc: outlives the tree
  auto root = parse(folded->text);
  if (!root) return fail(std::string(file), root.error().what);
  return Walker(file, *folded).run(root->get());
}

}  // namespace conform::import
