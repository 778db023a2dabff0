// The emulator's state: the fixtures, the resources requests created, idempotency
// records, uniqueness keys and quota counts. One mutex guards it; the handler holds
// it for the state phase and the create of one request. Bounded: past `max_entries`
// stored entries a create is refused (docs/decisions.md, "Emulator state").
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/fixtures.h"

namespace conform::emulator {

// The values a successful create answered with (response field -> value), kept so
// that a replayed idempotency token answers them again.
using Answer = std::map<std::string, std::string>;

struct IdempotencyRecord {
  std::string fingerprint;  // the request's parameters other than the token
  Answer answer;
};

class EmulatorState {
 public:
  static constexpr std::size_t kDefaultMaxEntries = 100000;

  explicit EmulatorState(Fixtures fixtures, std::size_t max_entries = kDefaultMaxEntries);

  // Back to the fixtures: created resources, tokens and keys are dropped.
  void reset();
  std::mutex& mutex() { return mutex_; }

  // A resource of `type` named `id` in `service`; `region` empty matches any, and a
  // resource without a region is in every region.
  const Resource* find(std::string_view service, std::string_view type, std::string_view id,
                       std::string_view region) const;
  std::size_t count(std::string_view service, std::string_view type) const;
  std::optional<double> quota(const std::string& service, const std::string& name) const;

  const IdempotencyRecord* token(const std::string& op, const std::string& token) const;
  bool has_key(const std::string& op, const std::string& key) const;

  // Whether `n` more entries fit under the cap.
  bool fits(std::size_t n) const { return entries_ + n <= max_entries_; }
  std::size_t max_entries() const { return max_entries_; }
  // Stores a create: the resource, its token record (token empty: none), its keys.
  void create(Resource resource, const std::string& op, const std::string& token, IdempotencyRecord record,
              const std::vector<std::string>& keys);

  // A fresh resource id shaped like `example` ("ds-bp1frxuzdg87zh4pzqkcm" -> "ds-" and
  // 20 characters; a UUID -> a UUID). Deterministic from the create counter.
  std::string new_id(std::string_view example);

 private:
  Fixtures fixtures_;
  std::size_t max_entries_;
  std::mutex mutex_;
  std::vector<Resource> resources_;
  std::multimap<std::string, std::size_t> by_id_;  // id -> index in resources_
  std::map<std::string, IdempotencyRecord> tokens_;  // op + '\n' + token
  std::set<std::string> keys_;                     // op + '\n' + unique key
  std::size_t entries_ = 0;
  std::uint64_t counter_ = 0;
};

// A request id: a UUID-shaped string, unique within the process.
std::string new_request_id();

}  // namespace conform::emulator
