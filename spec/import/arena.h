// Private to the extractors: a bump allocator for one document's parse. Gumbo and
// cmark-gfm make hundreds of small allocations per document (nodes, tokens,
// growing string buffers) and free them all together at the end; taking them
// from a few large blocks instead of malloc, and dropping the blocks at once,
// makes parsing cheaper (most of all under ASan, where each malloc records a
// stack). Nothing is reused within a parse: free() is a no-op. The largest
// block (up to 1 MiB) is kept for the thread's next arena.
//
// Under ASan the unused tail of each block and a gap after each allocation stay
// poisoned, so reading past a node's string is still caught.
#pragma once

#include <cstddef>

// The arena and the parsers' callbacks into it carry no coverage instrumentation
// in a fuzzing build: gumbo and cmark-gfm call them hundreds of times a document,
// each call paid for a counter and a traced comparison per branch (UBSan's
// overflow checks included), and an allocator's branches say nothing about the
// input that the parser's own do not. ASan and UBSan still check them.
#if defined(__clang__)
#define CONFORM_ARENA_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define CONFORM_ARENA_NO_COVERAGE
#endif

namespace conform::import::detail {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  // 16-byte aligned; never null (std::bad_alloc when the system has no memory).
  CONFORM_ARENA_NO_COVERAGE void* allocate(std::size_t n);
  CONFORM_ARENA_NO_COVERAGE void* allocate_zeroed(std::size_t n);
  // Grows in place when p is the latest allocation, else copies.
  CONFORM_ARENA_NO_COVERAGE void* reallocate(void* p, std::size_t n);

 private:
  struct Block;
  void* grow_and_allocate(std::size_t n);

  Block* head_ = nullptr;
  char* next_ = nullptr;       // where the next allocation goes in head_
  std::size_t room_ = 0;       // bytes left in head_ from next_
  char* last_ = nullptr;       // the latest allocation, for reallocate in place
};

}  // namespace conform::import::detail
