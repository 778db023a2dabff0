#include "spec/import/arena.h"

#include <sanitizer/asan_interface.h>  // ASAN_(UN)POISON_MEMORY_REGION: no-ops without ASan

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#define CONFORM_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONFORM_ARENA_ASAN 1
#endif
#endif

namespace conform::import::detail {

namespace {

constexpr std::size_t kAlign = 16;
constexpr std::size_t kHeader = 16;  // each allocation's size, for reallocate
#ifdef CONFORM_ARENA_ASAN
constexpr std::size_t kGap = 16;  // poisoned: catches reads past an allocation
#else
constexpr std::size_t kGap = 0;
#endif
constexpr std::size_t kFirstBlock = std::size_t{32} << 10;
constexpr std::size_t kMaxBlock = std::size_t{1} << 20;

constexpr std::size_t round_up(std::size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

// What an allocation of n bytes takes from a block, header and gap included
// (an allocation of 0 bytes still has its own header, so its own address).
constexpr std::size_t footprint(std::size_t n) { return kHeader + round_up(n) + kGap; }

}  // namespace

namespace {
constexpr std::size_t kBlockHeader = 16;  // a Block's fields, before its data
}  // namespace

struct Arena::Block {
  Block* prev;
  std::size_t size;  // bytes of data
  char* data() { return reinterpret_cast<char*>(this) + kBlockHeader; }
};

namespace {

void release(void* block, std::size_t size) {
  ASAN_UNPOISON_MEMORY_REGION(static_cast<char*>(block) + kBlockHeader, size);
  std::free(block);
}

// The largest block of this thread's last arena (at most kMaxBlock), kept for
// the next one: parsing doc after doc then takes no block from malloc.
struct Spare {
  void* block = nullptr;
  std::size_t size = 0;
  Spare() = default;
  Spare(const Spare&) = delete;
  Spare& operator=(const Spare&) = delete;
  ~Spare() {
    if (block != nullptr) release(block, size);
  }
};
thread_local Spare tl_spare;

}  // namespace

Arena::~Arena() {
  static_assert(sizeof(Block) <= kBlockHeader && kBlockHeader % kAlign == 0);
  for (Block* b = head_; b != nullptr;) {
    Block* prev = b->prev;
    if (b->size <= kMaxBlock && b->size > tl_spare.size) {
      if (tl_spare.block != nullptr) release(tl_spare.block, tl_spare.size);
      ASAN_POISON_MEMORY_REGION(b->data(), b->size);
      tl_spare.block = b;
      tl_spare.size = b->size;
    } else {
      release(b, b->size);
    }
    b = prev;
  }
}

// One comparison on the common path:
// a size of 2^48 or more is made to fail it, and aborts below.
void* Arena::allocate(std::size_t n) {
  const std::size_t huge = n >> 48;
  const std::size_t need = footprint(n & ((std::size_t{1} << 48) - 1)) | (0 - ((huge | (0 - huge)) >> 63));
  if (need > room_) return grow_and_allocate(n);
  char* at = next_;
  next_ += need;
  room_ -= need;
  ASAN_UNPOISON_MEMORY_REGION(at, kHeader + n);
  new (at) std::size_t(n);
  last_ = at + kHeader;
  return last_;
}

void* Arena::grow_and_allocate(std::size_t n) {
  if (n >> 48 != 0) std::abort();  // a corrupt size; malloc would fail anyway
  const std::size_t need = footprint(n);
  const std::size_t next = head_ == nullptr ? kFirstBlock : std::min(head_->size * 2, kMaxBlock);
  std::size_t size = std::max(next, need);
  void* raw = nullptr;
  if (tl_spare.block != nullptr && tl_spare.size >= need) {
    raw = std::exchange(tl_spare.block, nullptr);  // kept poisoned
    size = std::exchange(tl_spare.size, 0);
  } else {
    // The parsers' own allocators abort when malloc fails (cmark-gfm says so);
    // neither can report it.
    raw = std::malloc(kBlockHeader + size);
    if (raw == nullptr) std::abort();
    ASAN_POISON_MEMORY_REGION(static_cast<char*>(raw) + kBlockHeader, size);
  }
  auto* b = static_cast<Block*>(raw);
  b->prev = head_;
  b->size = size;
  head_ = b;
  next_ = b->data();
  room_ = size;
  return allocate(n);
}

void* Arena::allocate_zeroed(std::size_t n) {
  void* p = allocate(n);
  std::memset(p, 0, n);
  return p;
}

void* Arena::reallocate(void* p, std::size_t n) {
  if (p == nullptr) return allocate(n);
  char* c = static_cast<char*>(p);
  const std::size_t old = *std::launder(reinterpret_cast<std::size_t*>(c - kHeader));
  if (c == last_ && n >> 48 == 0) {
    // The latest allocation ends where next_ starts; it may take all of room_.
    char* const end = next_ + room_;
    if (static_cast<std::size_t>(end - (c - kHeader)) >= footprint(n)) {
      next_ = c - kHeader + footprint(n);
      room_ = static_cast<std::size_t>(end - next_);
      ASAN_POISON_MEMORY_REGION(c, static_cast<std::size_t>(end - c));
      ASAN_UNPOISON_MEMORY_REGION(c, n);
      new (c - kHeader) std::size_t(n);
      return c;
    }
  }
  void* q = allocate(n);
  std::memcpy(q, c, std::min(old, n));
  return q;
}

}  // namespace conform::import::detail
