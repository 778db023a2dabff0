// cmark-gfm for extract_markdown: owning pointers to its objects, and a parse
// whose allocations all come from one arena per document (markdown.cc).
#pragma once

#include <cmark-gfm.h>

#include <memory>
#include <string_view>

#include "core/error.h"
#include "spec/import/arena.h"

namespace conform::import::md {

template <class T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
using NodePtr = std::unique_ptr<cmark_node, Freer<cmark_node, cmark_node_free>>;
using IterPtr = std::unique_ptr<cmark_iter, Freer<cmark_iter, cmark_iter_free>>;
using ParserPtr = std::unique_ptr<cmark_parser, Freer<cmark_parser, cmark_parser_free>>;

// Installs an arena for the cmark calls of one document on this thread: the
// parser, the tree and the iterators over it are dropped together.
class ArenaScope {
 public:
  ArenaScope();
  ~ArenaScope();
  ArenaScope(const ArenaScope&) = delete;
  ArenaScope& operator=(const ArenaScope&) = delete;

 private:
  detail::Arena arena_;
  detail::Arena* saved_;
};

// GFM with the table extension. Call within an ArenaScope that outlives the tree.
Result<NodePtr> parse(std::string_view folded);

}  // namespace conform::import::md
