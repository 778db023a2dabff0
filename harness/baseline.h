// Known deviations (DESIGN.md "Verdicts"): a team adopts the gate before its
// service is fully conformant by listing what it already knows to be off.
// {"deviations": [{"op", "rule", "status", "code"}]}: a non-passing exchange of
// that operation and rule that observed that status and code does not fail the
// gate; it is still reported, marked baselined.
#pragma once

#include <set>
#include <string>
#include <tuple>

#include "core/error.h"
#include "reports/event.h"

namespace conform {

class Baseline {
 public:
  static Result<Baseline> load(const std::string& path);
  // Marks the exchange's non-passing findings baselined when listed.
  void apply(report::ExchangeDone& e) const;
  // Records the exchange's deviation when it does not pass (for --write-baseline).
  void record(const report::ExchangeDone& e);
  Result<void> write(const std::string& path) const;
  std::size_t size() const { return entries_.size(); }

 private:
  using Key = std::tuple<std::string, std::string, int, std::string>;  // op, rule, status, code
  static Key key_of(const report::ExchangeDone& e);
  std::set<Key> entries_;
};

}  // namespace conform
