#include "spec/import/arena.h"

#include <sanitizer/asan_interface.h>  // ASAN_(UN)POISON_MEMORY_REGION: no-ops without ASan

#include <algorithm>
#include <cstdlib>
#include <cstring>

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

// What an allocation of n bytes takes from a block, header and gap included.
constexpr std::size_t footprint(std::size_t n) { return kHeader + round_up(std::max<std::size_t>(n, 1)) + kGap; }

}  // namespace

struct Arena::Block {
  Block* prev;
  std::size_t size;  // bytes of data
  std::size_t used;
  char* data() { return reinterpret_cast<char*>(this) + round_up(sizeof(Block)); }
};

Arena::~Arena() {
  for (Block* b = head_; b != nullptr;) {
    Block* prev = b->prev;
    ASAN_UNPOISON_MEMORY_REGION(b->data(), b->size);
    std::free(b);
    b = prev;
  }
}

void* Arena::allocate(std::size_t n) {
  if (n > (std::size_t{1} << 48)) std::abort();  // a corrupt size; malloc would fail anyway
  const std::size_t need = footprint(n);
  if (head_ == nullptr || head_->size - head_->used < need) {
    const std::size_t next = head_ == nullptr ? kFirstBlock : std::min(head_->size * 2, kMaxBlock);
    const std::size_t size = std::max(next, need);
    // The parsers' own allocators abort when malloc fails (cmark-gfm says so);
    // neither can report it.
    void* raw = std::malloc(round_up(sizeof(Block)) + size);
    if (raw == nullptr) std::abort();
    auto* b = static_cast<Block*>(raw);
    b->prev = head_;
    b->size = size;
    b->used = 0;
    ASAN_POISON_MEMORY_REGION(b->data(), size);
    head_ = b;
  }
  char* at = head_->data() + head_->used;
  head_->used += need;
  ASAN_UNPOISON_MEMORY_REGION(at, kHeader + n);
  std::memcpy(at, &n, sizeof n);
  last_ = at + kHeader;
  return last_;
}

void* Arena::allocate_zeroed(std::size_t n) {
  void* p = allocate(n);
  std::memset(p, 0, n);
  return p;
}

void* Arena::reallocate(void* p, std::size_t n) {
  if (p == nullptr) return allocate(n);
  char* c = static_cast<char*>(p);
  std::size_t old = 0;
  std::memcpy(&old, c - kHeader, sizeof old);
  if (c == last_) {
    const auto offset = static_cast<std::size_t>(c - kHeader - head_->data());
    if (head_->size - offset >= footprint(n)) {
      head_->used = offset + footprint(n);
      ASAN_POISON_MEMORY_REGION(c, head_->size - offset - kHeader);
      ASAN_UNPOISON_MEMORY_REGION(c, n);
      std::memcpy(c - kHeader, &n, sizeof n);
      return c;
    }
  }
  void* q = allocate(n);
  std::memcpy(q, c, std::min(old, n));
  return q;
}

}  // namespace conform::import::detail
