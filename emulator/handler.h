// The emulator: a spec-driven, stateful answer to any request of the loaded specs'
// operations, in each operation's dialect. `handle` is a plain function of the
// request (and the state): no sockets, so it is unit-tested and fuzzed directly;
// server.h puts it on the network.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "emulator/fixtures.h"
#include "emulator/http.h"
#include "emulator/state.h"
#include "spec/model.h"

namespace conform::emulator {

struct EmulatorOptions {
  std::vector<std::string> faults;  // fault names (faults.h); unknown ones are an error
  std::size_t max_entries = EmulatorState::kDefaultMaxEntries;
};

class Emulator {
 public:
  // Fails on an unknown fault or a spec rule the emulator cannot read (a bad regex,
  // a rule naming no parameter), naming the operation and rule.
  static Result<std::unique_ptr<Emulator>> create(std::vector<spec::Spec> specs, Fixtures fixtures,
                                                  const EmulatorOptions& options = {});
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // Thread-safe: the state is locked for the state phase and the create.
  HttpResponse handle(const HttpRequest& request);

  // The HTTP layer's refusal of a request it does not hand to an operation (411,
  // 413, 414, 431; docs/decisions.md section 3, "HTTP level"): the error body of
  // the dialect the target's path routes to, and a close. `target` may be only
  // the start of the request's target (a 414 has no end).
  HttpResponse refuse(int status, std::string_view target) const;
  EmulatorState& state();

  struct Impl;

 private:
  explicit Emulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conform::emulator
