// Internal to oracles/: is a rule violated by a request, and where (the index or
// map key it is violated at, for codes such as InvalidUserData.{key}).
#pragma once

#include <optional>
#include <string>

#include "oracles/compiled.h"
#include "oracles/predict.h"
#include "oracles/request.h"

namespace conform::oracle {

struct Context {
  const CompiledSpec& cs;
  const View& view;
  const Model& model;
  std::string region;  // RegionId of the request (aliyun-rpc), "" otherwise
};

struct Found {
  bool exists = false;
  const std::map<std::string, std::string>* attrs = nullptr;  // nullptr for created ones
};
Found find_resource(const Context& ctx, const std::string& type, std::string_view id);

// Phases 2-4 (no state): the binding at which `cr` is violated, if it is.
std::optional<Binding> violated(const CompiledRule& cr, const Context& ctx);
// Phase 5 rules but idempotency (state.cc).
std::optional<Binding> violated_state(const CompiledRule& cr, const Context& ctx);
// The identity of a request for idempotency: its spec parameters, token excluded.
std::string signature(const Context& ctx, const std::string& token_param);
// The uniqueness keys a request would take for a `unique` rule.
std::vector<std::string> unique_keys(const CompiledRule& cr, const Context& ctx);
// Does `when` hold at `at`? (absent parameter: its default).
bool when_holds(const CompiledRule& cr, const Context& ctx, const Binding& at);

}  // namespace conform::oracle
