// Internal: what handler.cc (routing, dialects) and operate.cc (one operation's
// checks, state and answer) share.
#pragma once

#include <memory>
#include <vector>

#include "emulator/faults.h"
#include "emulator/handler.h"
#include "emulator/op_model.h"
#include "emulator/params.h"
#include "emulator/render.h"

namespace conform::emulator {

struct Emulator::Impl {
  Impl(std::vector<spec::Spec> s, Fixtures f, std::size_t max_entries)
      : specs(std::move(s)), state(std::move(f), max_entries) {}
  std::vector<spec::Spec> specs;  // never resized: the models point into it
  std::vector<std::unique_ptr<OpModel>> models;
  FaultSet faults;
  EmulatorState state;
};

// Phases 2 to 6 of docs/decisions.md §1 and the create, for a request that the
// dialect has parsed into `params` and dispatched to `op`.
HttpResponse operate(Emulator::Impl& impl, const OpModel& op, const Params& params, const RenderContext& ctx);

}  // namespace conform::emulator
