// Internal to oracles/: phase 1 of docs/decisions.md section 1 (transport and
// dialect, section 3) and the reading of the wire into a View.
#pragma once

#include <memory>
#include <optional>

#include "oracles/predict.h"
#include "oracles/request.h"

namespace conform::oracle {

struct Wire {
  const CompiledSpec* cs = nullptr;  // the operation the request reaches
  std::optional<Expectation> answer; // set when phase 1 answers
  // The request's query and form parameters, in order: the case's own query
  // when there is no form (`params` then stays empty: not copied for every
  // request), else a copy of it with the form's pairs after it.
  const Pairs* query = nullptr;
  Pairs params;
  const Pairs& pairs() const { return query ? *query : params; }
  std::shared_ptr<const nlohmann::json> body;  // the JSON body as the service parsed it
  std::map<std::string, std::string> path_params;
};

Wire read_wire(const Case& c, const CompiledSpecs& specs, const CompiledSpec& cs);
// application/x-www-form-urlencoded, lenient: a stray '%' stays literal.
Pairs decode_form(std::string_view body);

}  // namespace conform::oracle
