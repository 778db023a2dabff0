// The generators' randomness: a small, fast, seedable PRNG (splitmix64), so that
// `conform gen --seed S` is deterministic and the RapidCheck wrappers only draw a
// seed per case (RapidCheck shrinks the seed; the harness shrinks requests).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace conform::gen {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); 0 when n is 0.
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  // Uniform in [lo, hi].
  long long between(long long lo, long long hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<long long>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  std::uint64_t state() const { return state_; }
  // The state after `n` calls of next().
  void skip(std::uint64_t n) { state_ += n * 0x9E3779B97F4A7C15ull; }
  bool chance(unsigned percent) { return below(100) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

 private:
  std::uint64_t state_;
};

}  // namespace conform::gen
