// extract_html: markdown docs whose tables are HTML <table> elements (Huawei
// Cloud API references). Gumbo parses the whole doc for the tables; the markdown
// between them (headings, captions, fences, prose) is scanned a line at a time.
#include <gumbo.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/text.h"
#include "spec/import/arena.h"
#include "spec/import/html_cell.h"
#include "spec/import/html_guard.h"
#include "spec/import/html_markdown.h"
#include "spec/import/raw_doc.h"
#include "spec/import/text_checks.h"

namespace conform::import {
namespace {

using html_detail::Section;
using Lines = std::vector<std::string_view>;

// Deeper nesting than this is ignored (the table's rows stay where they are):
// it bounds the paths copied per link, so hostile chains of tables stay linear.
constexpr int kMaxNesting = 16;

enum class Col { none, name, type, required, description, example, status, code, message };
enum class TableKind { other, params, errors };

// What a header cell's text says its column holds. Order matters: "Parameter
// Type" is a type column, "Status Code" a status column, "Error Code" a code one.
Col column_of(std::string_view header) {
  const std::string h = text::to_lower(header);
  auto has = [&](std::string_view w) { return h.find(w) != std::string::npos; };
  if (has("status")) return Col::status;
  if (has("code")) return Col::code;
  if (has("message")) return Col::message;
  if (has("mandatory") || has("required")) return Col::required;
  if (has("type")) return Col::type;
  if (has("description") || has("remark")) return Col::description;
  if (has("example") || has("sample")) return Col::example;
  if (has("parameter") || has("name") || has("field") || has("attribute") || has("property"))
    return Col::name;
  return Col::none;
}

struct Row {
  int line = 0;
  std::vector<const GumboNode*> cells;  // one per header column; nullptr past a short row's end
};

struct Table {
  const GumboNode* node = nullptr;
  int first_line = 0;
  int last_line = 0;
  std::vector<std::string> anchors;  // what an <a href="#..."> to this table names
  std::vector<Col> cols;
  std::vector<Row> rows;  // data rows, header excluded
  TableKind kind = TableKind::other;
  // Set from the rows of earlier tables that link here (see read_params).
  bool nested = false;
  int depth = 0;
  std::vector<std::string> path;
  Section section = Section::none;
};

int colspan(const GumboElement& e) {
  const char* v = html_detail::attribute(e, "colspan");
  const int n = v ? std::atoi(v) : 1;
  return std::clamp(n, 1, 64);
}

bool is_tag(const GumboNode* n, GumboTag tag) {
  return (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) && n->v.element.tag == tag;
}

// An element's children, read in place (no copy).
std::span<const GumboNode* const> kids(const GumboNode* n) {
  if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) return {};
  const GumboVector& v = n->v.element.children;
  return {reinterpret_cast<const GumboNode* const*>(v.data), v.length};
}

// The <tr> elements of a table, whether gumbo put them in a thead/tbody/tfoot or not.
std::vector<const GumboNode*> table_rows(const GumboNode* table) {
  std::vector<const GumboNode*> rows;
  for (const GumboNode* c : kids(table)) {
    if (is_tag(c, GUMBO_TAG_TR)) rows.push_back(c);
    if (is_tag(c, GUMBO_TAG_THEAD) || is_tag(c, GUMBO_TAG_TBODY) || is_tag(c, GUMBO_TAG_TFOOT))
      for (const GumboNode* r : kids(c))
        if (is_tag(r, GUMBO_TAG_TR)) rows.push_back(r);
  }
  return rows;
}

// A row's cells spread over the columns they span; the count is the spans' sum.
std::vector<const GumboNode*> spread_cells(const GumboNode* tr) {
  std::vector<const GumboNode*> cells;
  cells.reserve(kids(tr).size());  // one cell per child unless some span columns
  for (const GumboNode* c : kids(tr)) {
    if (!is_tag(c, GUMBO_TAG_TD) && !is_tag(c, GUMBO_TAG_TH)) continue;
    cells.insert(cells.end(), static_cast<std::size_t>(colspan(c->v.element)), c);
  }
  return cells;
}

// Names a link can use for `table`: its id and the <a name> anchors just before it.
std::vector<std::string> anchors_of(const GumboNode* table) {
  std::vector<std::string> names;
  if (const char* id = html_detail::attribute(table->v.element, "id")) names.emplace_back(id);
  const GumboNode* parent = table->parent;
  if (!parent) return names;
  const GumboVector& sib = parent->type == GUMBO_NODE_DOCUMENT ? parent->v.document.children
                                                               : parent->v.element.children;
  // Bounded look-back: the anchor sits right before the table, maybe after a newline.
  for (std::size_t i = table->index_within_parent, seen = 0; i > 0 && seen < 6; --i, ++seen) {
    const auto* n = static_cast<const GumboNode*>(sib.data[i - 1]);
    if (n->type == GUMBO_NODE_WHITESPACE) continue;
    if (!is_tag(n, GUMBO_TAG_A)) break;
    for (const char* attr : {"name", "id"})
      if (const char* v = html_detail::attribute(n->v.element, attr)) names.emplace_back(v);
  }
  return names;
}

// Every <table> not inside another table, in document order; a table inside a
// cell is part of that cell's text. Iterative pre-order walk: no recursion.
std::vector<Table> find_tables(const GumboNode* root, int doc_lines) {
  std::vector<Table> tables;
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (is_tag(n, GUMBO_TAG_TABLE)) {
      const GumboElement& e = n->v.element;
      Table t;
      t.node = n;
      t.first_line = static_cast<int>(e.start_pos.line);
      // An unclosed table (truncated doc) runs to the end for gumbo too.
      t.last_line = e.original_end_tag.length > 0 ? static_cast<int>(e.end_pos.line) : doc_lines;
      t.anchors = anchors_of(n);
      tables.push_back(std::move(t));
      continue;
    }
    const GumboVector* kids = n->type == GUMBO_NODE_DOCUMENT ? &n->v.document.children
                              : (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
                                  ? &n->v.element.children
                                  : nullptr;
    if (!kids) continue;
    for (unsigned i = kids->length; i > 0; --i)
      stack.push_back(static_cast<const GumboNode*>(kids->data[i - 1]));
  }
  return tables;
}

// Reads a table's header and rows. A row with fewer cells than the header is a
// truncated or broken table: an error naming the row, since guessing which cell
// is missing would silently shift every value after it.
Result<void> read_structure(std::string_view file, Table* t) {
  const std::vector<const GumboNode*> trs = table_rows(t->node);
  if (trs.empty()) return {};
  for (const GumboNode* h : spread_cells(trs[0]))
    t->cols.push_back(column_of(html_detail::joined(html_detail::text_lines(h, nullptr))));
  const auto has = [&](Col c) { return std::find(t->cols.begin(), t->cols.end(), c) != t->cols.end(); };
  t->kind = has(Col::name) ? TableKind::params
            : (has(Col::status) || has(Col::code)) ? TableKind::errors
                                                    : TableKind::other;
  if (t->kind == TableKind::other) return {};
  for (std::size_t r = 1; r < trs.size(); ++r) {
    Row row;
    row.line = static_cast<int>(trs[r]->v.element.start_pos.line);
    row.cells = spread_cells(trs[r]);
    if (row.cells.size() < t->cols.size())
      return fail(detail::where(file, row.line),
                  "table row has " + std::to_string(row.cells.size()) + " cells, its header has " +
                      std::to_string(t->cols.size()));
    row.cells.resize(t->cols.size());
    if (t->rows.empty()) t->rows.reserve(trs.size() - 1);
    t->rows.push_back(std::move(row));
  }
  return {};
}

std::string clean_name(std::string s) {
  // Tree marks some docs draw before nested names.
  for (std::string_view mark : {"\u2514", "\u251c", "\u2502", "\u2500", "\u00bb"}) {
    for (std::size_t p = s.find(mark); p != std::string::npos; p = s.find(mark, p)) s.erase(p, mark.size());
  }
  return text::squash_spaces(s);
}

RawParam param_of(const Table& t, const Row& row, std::vector<std::string>* links) {
  RawParam p;
  p.path = t.path;
  p.line = row.line;
  for (std::size_t c = 0; c < t.cols.size(); ++c) {
    if (c > 0 && row.cells[c] == row.cells[c - 1]) continue;  // one spanning cell, read once
    std::vector<TextLine> lines = html_detail::text_lines(row.cells[c], links);
    switch (t.cols[c]) {
      case Col::name: p.name = clean_name(html_detail::joined(lines)); break;
      case Col::type: p.type = html_detail::joined(lines); break;
      case Col::required: p.required = html_detail::joined(lines); break;
      case Col::example: p.example = html_detail::joined(lines); break;
      case Col::description:
        p.description.insert(p.description.end(), lines.begin(), lines.end());
        break;
      default: break;
    }
  }
  return p;
}

// A status-code or error-code row. A table without a message column (the
// success "Status code" table) carries its description as the message.
RawError error_of(const Table& t, const Row& row) {
  RawError e;
  e.line = row.line;
  std::string description;
  for (std::size_t c = 0; c < t.cols.size(); ++c) {
    const std::string s = html_detail::joined(html_detail::text_lines(row.cells[c], nullptr), "\n");
    switch (t.cols[c]) {
      case Col::status: e.status = s; break;
      case Col::code: e.code = s; break;
      case Col::message: e.message = s; break;
      case Col::description: description = s; break;
      default: break;
    }
  }
  const bool has_message = std::find(t.cols.begin(), t.cols.end(), Col::message) != t.cols.end();
  (has_message ? e.description : e.message) = std::move(description);
  return e;
}

// Section events of the markdown: (line, section opened there), in line order.
using Events = std::vector<std::pair<int, Section>>;

Section section_at(const Events& events, int line) {
  auto it = std::upper_bound(events.begin(), events.end(), line,
                             [](int l, const auto& ev) { return l < ev.first; });
  return it == events.begin() ? Section::none : std::prev(it)->second;
}

// Lines covered by a table (1-based, per line), via a difference array so that
// marking stays linear whatever the tables' extents.
std::vector<bool> table_mask(const std::vector<Table>& tables, std::size_t n) {
  std::vector<int> diff(n + 2, 0);
  for (const Table& t : tables) {
    const auto a = static_cast<std::size_t>(std::clamp(t.first_line, 1, static_cast<int>(n) + 1));
    const auto b = static_cast<std::size_t>(std::clamp(t.last_line, t.first_line, static_cast<int>(n)));
    if (a > n || b < a) continue;
    ++diff[a];
    --diff[b + 1];
  }
  std::vector<bool> mask(n + 1, false);
  for (std::size_t i = 1, run = 0; i <= n; ++i) mask[i] = (run += static_cast<std::size_t>(diff[i])) > 0;
  return mask;
}

// The markdown outside the tables: prose lines, fenced examples (request or
// response by the section they sit in) and the section events.
Events scan_markdown(const Lines& lines, const std::vector<Table>& tables, RawDoc* doc) {
  Events events;
  const std::vector<bool> in_table = table_mask(tables, lines.size());
  std::string example_kind = "request";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    if (in_table[static_cast<std::size_t>(line)]) continue;
    std::string_view fence;
    if (html_detail::is_fence(lines[i], &fence)) {
      std::size_t close = 0;
      std::string body = html_detail::fence_body(lines, i, fence, &close);
      doc->examples.push_back({example_kind, std::move(body), close > i + 1 ? line + 1 : line});
      i = close;
      continue;
    }
    bool opens = false;
    const Section s = html_detail::section_of(lines[i], &opens);
    if (opens) events.emplace_back(line, s);
    if (s == Section::request || s == Section::response)
      example_kind = s == Section::response ? "response" : "request";
    std::string_view t = text::trim(lines[i]);
    while (t.starts_with('#')) t.remove_prefix(1);
    std::string prose = html_detail::clean_markdown(t);
    if (!prose.empty()) doc->prose.push_back({std::move(prose), line});
  }
  return events;
}

// Reads one parameter table into `out` and passes its nesting on to the later
// tables its rows link. A link counts only forwards, so tables form a DAG in
// document order and the deepest parent (Table 4 under periodical_backup_plan,
// not under instance_backup_policy which links it too) is final by the time
// the table is read: one pass.
void read_params(std::size_t index, std::vector<Table>& tables,
                 const std::unordered_map<std::string, std::size_t>& by_anchor,
                 std::vector<RawParam>* out) {
  const Table& t = tables[index];
  for (const Row& row : t.rows) {
    std::vector<std::string> links;
    RawParam p = param_of(t, row, &links);
    if (p.name.empty()) continue;  // a separator or caption row
    for (const std::string& link : links) {
      auto it = by_anchor.find(link);
      if (it == by_anchor.end() || it->second <= index) continue;
      Table& child = tables[it->second];
      if (child.kind != TableKind::params || t.depth + 1 <= child.depth || t.depth + 1 > kMaxNesting)
        continue;
      child.nested = true;
      child.depth = t.depth + 1;
      child.section = t.section;
      child.path = t.path;
      child.path.push_back(p.name);
    }
    out->push_back(std::move(p));
  }
}

// Gumbo takes a lone CR for a line break, as HTML says, and numbers its lines so;
// the rest of the importer (text::split_lines, the import report) counts LFs only.
// Gumbo reads a copy with each lone CR made a space, so that both agree on every
// cited line (a lone CR is whitespace to the cell text either way).
std::string lone_cr_as_space(std::string_view s) {
  std::string out(s);
  for (std::size_t i = out.find('\r'); i != std::string::npos; i = out.find('\r', i + 1))
    if (i + 1 == out.size() || out[i + 1] != '\n') out[i] = ' ';
  return out;
}

CONFORM_ARENA_NO_COVERAGE void* gumbo_allocate(void* arena, std::size_t n) {
  return static_cast<detail::Arena*>(arena)->allocate(n);
}
CONFORM_ARENA_NO_COVERAGE void gumbo_free(void*, void*) {}

}  // namespace

Result<RawDoc> extract_html(std::string_view file, std::string_view content) {
  Result<Lines> lines = detail::checked_lines(file, content);
  if (!lines) return tl::unexpected(lines.error());
  if (Result<void> ok = html_detail::check_nesting(file, content); !ok) return tl::unexpected(ok.error());
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are not reported: don't keep them
  // Gumbo's nodes, tokens and buffers come from one arena, which outlives the
  // parsed tree.
  detail::Arena arena;
  options.userdata = &arena;
  options.allocator = gumbo_allocate;
  options.deallocator = gumbo_free;
  // A copy only when there is a CR to rewrite (most docs have none).
  std::string with_spaces;
  std::string_view gumbo_input = content;
  if (content.find('\r') != std::string_view::npos) gumbo_input = with_spaces = lone_cr_as_space(content);
  // Not handed to gumbo_destroy_output: it would only walk the whole tree to call
  // the no-op deallocator on each piece; the arena frees them all at once.
  const GumboOutput* parsed = gumbo_parse_with_options(&options, gumbo_input.data(), gumbo_input.size());
  std::vector<Table> tables = find_tables(parsed->document, static_cast<int>(lines->size()));

  RawDoc doc;
  doc.file = std::string(file);
  doc.format = "html";
  doc.title = html_detail::title_of(*lines);
  const Events events = scan_markdown(*lines, tables, &doc);

  std::unordered_map<std::string, std::size_t> by_anchor;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    if (Result<void> ok = read_structure(file, &tables[i]); !ok) return tl::unexpected(ok.error());
    for (const std::string& a : tables[i].anchors) by_anchor.emplace(a, i);
  }
  bool any_params = false;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    Table& t = tables[i];
    if (!t.nested) t.section = section_at(events, t.first_line);
    if (t.kind == TableKind::errors) {
      for (const Row& row : t.rows) doc.errors.push_back(error_of(t, row));
    } else if (t.kind == TableKind::params) {
      any_params = true;
      // URI (path) parameters and tables outside any known section are request ones.
      read_params(i, tables, by_anchor, t.section == Section::response ? &doc.response : &doc.request);
    }
  }
  if (!any_params)
    return fail(detail::where(file, 1),
                "no parameter table: expected an HTML <table> whose header has a Parameter column");
  return doc;
}

}  // namespace conform::import
