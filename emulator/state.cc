#include "emulator/state.h"

#include <atomic>

#include <fmt/format.h>

namespace conform::emulator {
namespace {

// splitmix64: spreads a counter over 64 bits, so ids look random but replay exactly.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string uuid_from(std::uint64_t a, std::uint64_t b) {
  return fmt::format("{:08X}-{:04X}-{:04X}-{:04X}-{:012X}", a >> 32, (a >> 16) & 0xffff, a & 0xffff, b >> 48,
                     b & 0xffffffffffffULL);
}

bool looks_like_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
  }
  return true;
}

}  // namespace

EmulatorState::EmulatorState(Fixtures fixtures, std::size_t max_entries)
    : fixtures_(std::move(fixtures)), max_entries_(max_entries) {
  reset();
}

void EmulatorState::reset() {
  resources_ = fixtures_.resources;
  by_id_.clear();
  for (std::size_t i = 0; i < resources_.size(); ++i) by_id_.emplace(resources_[i].id, i);
  tokens_.clear();
  keys_.clear();
  entries_ = 0;
  counter_ = 0;
}

const Resource* EmulatorState::find(std::string_view service, std::string_view type, std::string_view id,
                                    std::string_view region) const {
  auto [lo, hi] = by_id_.equal_range(std::string(id));
  for (auto it = lo; it != hi; ++it) {
    const Resource& r = resources_[it->second];
    if (r.service == service && r.type == type && (region.empty() || r.region.empty() || r.region == region))
      return &r;
  }
  return nullptr;
}

std::size_t EmulatorState::count(std::string_view service, std::string_view type) const {
  std::size_t n = 0;
  for (const auto& r : resources_) n += r.service == service && r.type == type;
  return n;
}

std::optional<double> EmulatorState::quota(const std::string& service, const std::string& name) const {
  auto s = fixtures_.quotas.find(service);
  if (s == fixtures_.quotas.end()) return std::nullopt;
  auto q = s->second.find(name);
  if (q == s->second.end()) return std::nullopt;
  return q->second;
}

const IdempotencyRecord* EmulatorState::token(const std::string& op, const std::string& token) const {
  auto it = tokens_.find(op + '\n' + token);
  return it == tokens_.end() ? nullptr : &it->second;
}

bool EmulatorState::has_key(const std::string& op, const std::string& key) const {
  return keys_.contains(op + '\n' + key);
}

void EmulatorState::create(Resource resource, const std::string& op, const std::string& token,
                           IdempotencyRecord record, const std::vector<std::string>& keys) {
  by_id_.emplace(resource.id, resources_.size());
  resources_.push_back(std::move(resource));
  ++entries_;
  if (!token.empty() && tokens_.emplace(op + '\n' + token, std::move(record)).second) ++entries_;
  for (const auto& k : keys) entries_ += keys_.insert(op + '\n' + k).second;
}

std::string EmulatorState::new_id(std::string_view example) {
  const std::uint64_t a = mix(++counter_);
  const std::uint64_t b = mix(a);
  if (looks_like_uuid(example)) {
    std::string u = uuid_from(a, b);
    for (auto& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return u;
  }
  auto dash = example.rfind('-');
  std::string id(dash == std::string_view::npos ? std::string_view("id-") : example.substr(0, dash + 1));
  static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::uint64_t x = a;
  for (int i = 0; i < 20; ++i) {
    if (i == 12) x = b;
    id += kAlphabet[x % 36];
    x /= 36;
  }
  return id;
}

std::string new_request_id() {
  static std::atomic<std::uint64_t> counter{0};
  const std::uint64_t a = mix(counter.fetch_add(1) + 0x5eed);
  return uuid_from(a, mix(a));
}

}  // namespace conform::emulator
