#include "spec/import/markdown_cmark.h"

#include <cmark-gfm-core-extensions.h>

#include <cstdint>
#include <cstdlib>
#include <mutex>

namespace conform::import::md {
namespace {

// cmark-gfm's allocations come from the arena of the extract_markdown call
// running on this thread (its cmark_mem carries no user data).
thread_local detail::Arena* tl_arena = nullptr;

CONFORM_ARENA_NO_COVERAGE void* arena_calloc(std::size_t count, std::size_t size) {
  if (size != 0 && count > SIZE_MAX / size) std::abort();  // as cmark's own calloc does on failure
  return tl_arena->allocate_zeroed(count * size);
}
CONFORM_ARENA_NO_COVERAGE void* arena_realloc(void* p, std::size_t n) { return tl_arena->reallocate(p, n); }
CONFORM_ARENA_NO_COVERAGE void arena_free(void*) {}
cmark_mem arena_mem{arena_calloc, arena_realloc, arena_free};

}  // namespace

ArenaScope::ArenaScope() : saved_(tl_arena) { tl_arena = &arena_; }
ArenaScope::~ArenaScope() { tl_arena = saved_; }

Result<NodePtr> parse(std::string_view folded) {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
  cmark_syntax_extension* table = cmark_find_syntax_extension("table");
  if (table == nullptr) return fail("", "cmark-gfm has no table extension");
  ParserPtr parser(cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, &arena_mem));
  cmark_parser_attach_syntax_extension(parser.get(), table);
  cmark_parser_feed(parser.get(), folded.data(), folded.size());
  return NodePtr(cmark_parser_finish(parser.get()));
}

}  // namespace conform::import::md
