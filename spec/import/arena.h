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

namespace conform::import::detail {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  // 16-byte aligned; never null (std::bad_alloc when the system has no memory).
  void* allocate(std::size_t n);
  void* allocate_zeroed(std::size_t n);
  // Grows in place when p is the latest allocation, else copies.
  void* reallocate(void* p, std::size_t n);

 private:
  struct Block;
  void* grow_and_allocate(std::size_t n);

  Block* head_ = nullptr;
  char* next_ = nullptr;       // where the next allocation goes in head_
  std::size_t room_ = 0;       // bytes left in head_ from next_
  char* last_ = nullptr;       // the latest allocation, for reallocate in place
};

}  // namespace conform::import::detail
