// Private to html.cc: the plain text of a gumbo subtree (a table cell) as lines.
// Gumbo trees from hostile input can be arbitrarily deep, so the walk keeps its
// own stack instead of recursing.
#pragma once

#include <gumbo.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "spec/import/raw_doc.h"

namespace conform::import::html_detail {

// Elements that end the current line. Everything else (strong, em, a, span,
// code, sup...) is inline: its text joins the line it is in.
inline bool breaks_line(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_LI: case GUMBO_TAG_BR: case GUMBO_TAG_DIV:
    case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL: case GUMBO_TAG_DT:
    case GUMBO_TAG_DD: case GUMBO_TAG_TABLE: case GUMBO_TAG_TR: case GUMBO_TAG_TD:
    case GUMBO_TAG_TH: case GUMBO_TAG_PRE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_HR:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_SECTION:
      return true;
    default:
      return false;
  }
}

inline const char* attribute(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a ? a->value : nullptr;
}

// Collects text into lines: squashed, trimmed, empty ones dropped, a list item's
// first line prefixed "- ". A line's number is where its first visible character
// sits in the source, so it points at the text even when a <p> opens a line early.
class LineCollector {
 public:
  void add_text(const GumboText& t) {
    if (text::trim(buf_).empty() && !text::trim(t.text).empty()) line_ = first_visible_line(t);
    buf_ += t.text;
  }
  void start_item() {
    flush();
    bullet_ = true;
  }
  void flush() {
    std::string s = text::squash_spaces(buf_);
    buf_.clear();
    if (s.empty()) return;
    lines_.push_back({bullet_ ? "- " + s : std::move(s), line_});
    bullet_ = false;
  }
  std::vector<TextLine> take() {
    flush();
    return std::move(lines_);
  }

 private:
  // original_text is the raw source of the node, so its newlines are the source's.
  static int first_visible_line(const GumboText& t) {
    int line = static_cast<int>(t.start_pos.line);
    const std::string_view raw(t.original_text.data ? t.original_text.data : "",
                               t.original_text.data ? t.original_text.length : 0);
    for (char c : raw) {
      if (c == '\n') ++line;
      else if (c != ' ' && c != '\t' && c != '\r' && c != '\f') break;
    }
    return line;
  }

  std::string buf_;
  int line_ = 0;
  bool bullet_ = false;
  std::vector<TextLine> lines_;
};

// The lines of `root`'s text; every in-page link target ("#table123") found on
// the way is appended to `links`, since a cell that links a table nests it.
inline std::vector<TextLine> text_lines(const GumboNode* root, std::vector<std::string>* links) {
  LineCollector out;
  struct Frame {
    const GumboNode* node;
    unsigned next;
  };
  // The walk's stack is kept from cell to cell on this thread: one allocation
  // per thread instead of one (or more, as it grows) per cell.
  thread_local std::vector<Frame> stack;
  stack.clear();
  auto enter = [&](const GumboNode* n) {
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
      out.add_text(n->v.text);
      return;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) return;
    const GumboElement& e = n->v.element;
    if (e.tag == GUMBO_TAG_LI) out.start_item();
    else if (breaks_line(e.tag)) out.flush();
    const char* href = e.tag == GUMBO_TAG_A ? attribute(e, "href") : nullptr;
    if (href && href[0] == '#' && href[1] != '\0' && links) links->emplace_back(href + 1);
    stack.push_back({n, 0});
  };
  enter(root);
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboElement& e = top.node->v.element;
    if (top.next < e.children.length) {
      const auto* child = static_cast<const GumboNode*>(e.children.data[top.next++]);
      enter(child);  // may reallocate the stack: `top` is not used after this
      continue;
    }
    if (breaks_line(e.tag)) out.flush();
    stack.pop_back();
  }
  return out.take();
}

// One string of a cell's text: its lines joined by a space.
inline std::string joined(const std::vector<TextLine>& lines, std::string_view sep = " ") {
  std::string s;
  for (const TextLine& l : lines) {
    if (!s.empty()) s += sep;
    s += l.text;
  }
  return s;
}

}  // namespace conform::import::html_detail
