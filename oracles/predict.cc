#include "oracles/predict.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "oracles/compiled.h"
#include "oracles/dialect.h"
#include "oracles/rules.h"

namespace conform::oracle {
namespace {

using nlohmann::json;
using spec::RuleKind;

// Codes such as "InvalidUserData.{key}" name the entry they are about: the
// service fills in the offending key, so only that spelling is acceptable
// (decisions.md section 2). A code whose rule was broken at no key stays as written.
std::vector<std::string> bind_codes(const std::vector<std::string>& codes, const Binding& at) {
  std::vector<std::string> out;
  for (const std::string& c : codes) {
    std::size_t k = c.find("{key}");
    out.push_back(k != std::string::npos && at.keyed ? std::string(c).replace(k, 5, at.key) : c);
  }
  return out;
}

Expectation from_rule(const CompiledRule& cr, const Binding& at, const CompiledSpec& cs) {
  Expectation e;
  e.status = cr.rule->expect.status;
  e.codes = bind_codes(cr.rule->expect.codes, at);
  e.confidence = cr.rule->expect.confidence;
  e.rule = cr.rule->id;
  e.citation = cr.citation;
  e.op = cs.spec->op;
  return e;
}

const CompiledSpec* find_compiled(const CompiledSpecs& all, std::string_view op) {
  for (const CompiledSpec& cs : all.compiled) {
    if (cs.spec->op == op) return &cs;
  }
  return nullptr;
}

const CompiledRule* token_rule(const CompiledSpec& cs) {
  return cs.token_rule < 0 ? nullptr : &cs.rules[static_cast<std::size_t>(cs.token_rule)];
}

// The rules of `cs` a request needs checked (CompiledSpec::ungated and
// param_rules): those no absent parameter gates. Null when the View cannot
// tell presence or the spec has too many rules: then every rule's gate is read.
class RulesToCheck {
 public:
  RulesToCheck(const CompiledSpec& cs, const View& view) : n_(cs.rules.size()) {
    const std::array<std::uint64_t, 4>* present = view.presence();
    if (!present || cs.rule_words > todo_.size()) {
      todo_.fill(~std::uint64_t{0});
      all_ = true;
      return;
    }
    const std::size_t words = cs.rule_words;
    for (std::size_t k = 0; k < words; ++k) todo_[k] = cs.ungated[k];
    for (std::size_t w = 0; w < present->size(); ++w) {
      for (std::uint64_t bits = (*present)[w]; bits != 0; bits &= bits - 1) {
        const std::size_t p = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
        const std::uint64_t* row = &cs.param_rules[p * words];
        for (std::size_t k = 0; k < words; ++k) todo_[k] |= row[k];
      }
    }
  }
  bool all() const { return all_; }
  // The first rule to check at or after `i`, or the number of rules.
  std::size_t next(std::size_t i) const {
    while (i < n_) {
      const std::uint64_t word = todo_[i / 64] >> (i % 64);
      if (word != 0) return std::min(n_, i + static_cast<std::size_t>(std::countr_zero(word)));
      i = (i / 64 + 1) * 64;
    }
    return n_;
  }

 private:
  std::size_t n_;
  bool all_ = false;
  std::array<std::uint64_t, 4> todo_{};
};

// A token seen before answers what it answered then (or conflicts).
std::optional<Expectation> replay(const CompiledRule& cr, const Context& ctx) {
  const std::string* token = ctx.view.flat(cr.params[0].text);
  if (!token || token->empty()) return std::nullopt;
  auto it = ctx.model.tokens.find(ctx.cs.spec->op + '\n' + *token);
  if (it == ctx.model.tokens.end()) return std::nullopt;
  if (it->second.signature == signature(ctx, cr.params[0].text)) return it->second.answer;
  return from_rule(cr, Binding{}, ctx.cs);
}

Expectation dry_run(const CompiledSpec& cs) {
  Expectation e;
  e.status = 400;
  e.codes = {"DryRunOperation"};
  e.confidence = spec::Confidence::documented;  // the code is the doc's; the status the gateway's (decisions.md, phase 6)
  e.rule = "DryRun";
  e.citation = cite(cs.dry_run->source, cs.spec->doc) + " (docs/decisions.md, 1. Precedence, phase 6)";
  e.op = cs.spec->op;
  return e;
}

Expectation success(const CompiledSpec& cs) {
  Expectation e;
  e.status = cs.spec->success_status;
  e.confidence = spec::Confidence::documented;
  e.citation = cs.spec->doc;
  e.op = cs.spec->op;
  return e;
}

// What a successful request leaves behind.
void record(const Context& ctx, const Case& c, const Expectation& e, Model& model) {
  const CompiledSpec& cs = ctx.cs;
  if (const CompiledRule* tr = token_rule(cs)) {
    const std::string* token = ctx.view.flat(tr->params[0].text);
    if (token && !token->empty()) {
      model.tokens.emplace(cs.spec->op + '\n' + *token,
                           Model::TokenRecord{cs.spec->op, signature(ctx, tr->params[0].text), e});
    }
  }
  for (const CompiledRule& cr : cs.rules) {
    if (cr.rule->kind != RuleKind::unique) continue;
    for (std::string& k : unique_keys(cr, ctx)) model.unique_keys[cr.rule->id].insert(std::move(k));
  }
  if (!cs.creates_type.empty()) {
    // The id only the service knows: later steps name it "${<step>.<field>}".
    std::string id = "${" + std::to_string(model.steps) + "." + cs.creates_field + "}";
    model.created.push_back({cs.spec->service, ctx.region, cs.creates_type, id});
  }
  ++model.creates[cs.spec->op];
  (void)c;
}

// `e` answers, and `r` is a later rule of the same phase group (2-4, or 5) that the
// request breaks too. Which of the two a service checks first is our convention
// (docs/decisions.md, 1. Precedence), not the docs', so `r`'s answer is acceptable
// as well: its codes join the set when the status is the same (a rule with no
// documented code lets any code through), and a different status, which one
// prediction cannot hold, makes the prediction `inferred` at best.
void add_rival(Expectation& e, const Expectation& r) {
  if (r.status == e.status) {
    if (e.codes.empty()) return;  // any code is taken already
    if (r.codes.empty()) {
      e.codes.clear();
    } else {
      bool added = false;
      for (const std::string& c : r.codes) {
        if (std::find(e.codes.begin(), e.codes.end(), c) != e.codes.end()) continue;
        e.codes.push_back(c);
        added = true;
      }
      if (!added) return;  // the same answer: nothing depends on the order
    }
  } else if (e.confidence == spec::Confidence::documented) {
    e.confidence = spec::Confidence::inferred;
  }
  e.also.push_back(r.rule);
}

// A rule about an attribute of a resource that does not exist is no rival to the
// `reference` rule that found it missing: no service can read that attribute
// first (VSwitchId.reference breaks SecurityGroupId.ref_match with it).
bool reads_missing(const spec::Rule& r, const std::vector<const spec::Rule*>& not_found) {
  if (r.kind != RuleKind::ref_attr && r.kind != RuleKind::ref_match && r.kind != RuleKind::at_least_ref) return false;
  const auto names = [](const spec::Rule* ref, const std::string& p) {
    return std::find(ref->params.begin(), ref->params.end(), p) != ref->params.end();
  };
  for (const spec::Rule* ref : not_found) {
    for (const std::string& p : r.params)
      if (names(ref, p)) return true;
    if (r.when && names(ref, r.when->param)) return true;  // at_least_ref's resource
  }
  return false;
}

// The citation says which other rules the request breaks (add_rival).
void cite_rivals(Expectation& e) {
  if (e.also.empty()) return;
  e.citation += " (also breaks ";
  for (std::size_t i = 0; i < e.also.size(); ++i) e.citation += (i ? ", " : "") + e.also[i];
  e.citation += ": which a service checks first is not documented, docs/decisions.md, 1. Precedence)";
}

// decisions.md section 3, "Routing": the path took the request to another
// service's operation, as on an endpoint that serves both (the emulator's); on
// the labelled service's own endpoint the answer would be its 404.
void note_routing(Expectation& e, const Wire& w, const CompiledSpec& labelled) {
  if (w.cs->spec->service == labelled.spec->service) return;
  e.confidence = spec::Confidence::unknown;
  e.citation = "docs/decisions.md, 3. Dialects (Routing)";
}

// Phase 1: the wire form answers by itself (a body that is no JSON, an unknown
// action; oracles/dialect.h).
Expectation answered(Wire& w) {
  w.answer->op = w.cs->spec->op;
  return std::move(*w.answer);
}

// Phases 2-4 (decisions.md section 1): the first broken rule, with the later ones
// as its rivals. They read the request, the specs and the fixtures, never the
// state step() writes (rules.h), so predict_settled may run them on any thread.
std::optional<Expectation> broken_request(const Context& ctx, const RulesToCheck& todo) {
  const CompiledSpec& cs = ctx.cs;
  const std::int32_t* gates = cs.gates.data();
  std::optional<Expectation> first;
  for (std::size_t i = todo.next(0); i < cs.state_begin; i = todo.next(i + 1)) {
    if (todo.all() && ctx.view.absent_at(gates[i])) continue;  // nothing to check
    if (auto at = violated(cs.rules[i], ctx)) {
      if (!first) {
        first = from_rule(cs.rules[i], *at, cs);
      } else {
        add_rival(*first, from_rule(cs.rules[i], *at, cs));
      }
    }
  }
  if (first) cite_rivals(*first);
  return first;
}

// clean: settle() found that phases 1-4 pass; they are not read again.
Expectation judge(const Case& c, const Model& model, Model* apply, Wire& w, bool clean);

Expectation predict_impl(const Case& c, const Model& model, Model* apply, bool clean = false) {
  Expectation none;
  const CompiledSpec* cs = model.compiled ? find_compiled(*model.compiled, c.op) : nullptr;
  if (!cs) {
    none.error = "unknown operation \"" + c.op + "\"";
    return none;
  }
  Wire w = read_wire(c, *model.compiled, *cs);
  Expectation e = judge(c, model, apply, w, clean);
  note_routing(e, w, *cs);
  return e;
}

Expectation judge(const Case& c, const Model& model, Model* apply, Wire& w, bool clean) {
  if (w.answer) return answered(w);
  View view(w.pairs(), w.body.get(), std::move(w.path_params), w.cs);
  const std::string* region = view.flat("RegionId");
  Context ctx{*w.cs, view, model, region ? *region : ""};
  const RulesToCheck todo(*w.cs, view);
  if (!clean) {
    if (auto broken = broken_request(ctx, todo)) return std::move(*broken);
  }
  if (const CompiledRule* tr = token_rule(*w.cs)) {
    if (auto earlier = replay(*tr, ctx)) return *earlier;
  }
  // Phase 5: the first broken state rule answers; the later ones are its rivals.
  const std::vector<CompiledRule>& rules = w.cs->rules;
  const std::int32_t* gates = w.cs->gates.data();
  std::optional<Expectation> first;
  std::vector<const spec::Rule*> not_found;  // broken `reference` rules
  for (std::size_t i = todo.next(w.cs->state_begin); i < rules.size(); i = todo.next(i + 1)) {
    if (todo.all() && view.absent_at(gates[i])) continue;
    auto at = violated_state(rules[i], ctx);
    if (!at) continue;
    const spec::Rule& r = *rules[i].rule;
    if (r.kind == RuleKind::reference) not_found.push_back(&r);
    if (!first) {
      first = from_rule(rules[i], *at, *w.cs);
    } else if (!reads_missing(r, not_found)) {
      add_rival(*first, from_rule(rules[i], *at, *w.cs));
    }
  }
  if (first) {
    cite_rivals(*first);
    return *first;
  }
  if (w.cs->dry_run) {
    const std::string* d = view.flat("DryRun");
    if (d && text::equals_ci(*d, "true")) return dry_run(*w.cs);
  }
  Expectation ok = success(*w.cs);
  if (apply) record(ctx, c, ok, *apply);
  return ok;
}

}  // namespace

Model::Model(std::vector<spec::Spec> specs, Fixtures fixtures)
    : compiled(compile(std::move(specs))), fixtures_(std::move(fixtures)) {}

const spec::Spec* Model::find_spec(std::string_view op) const {
  const CompiledSpec* cs = find_compiled(*compiled, op);
  return cs ? cs->spec : nullptr;
}

const std::vector<spec::Spec>& Model::specs() const { return compiled->specs; }

void Model::reset() {
  created.clear();
  tokens.clear();
  unique_keys.clear();
  creates.clear();
  steps = 0;
}

namespace {

Expectation guarded(const Case& c, const Model& model, Model* apply, bool clean) {
  try {
    return predict_impl(c, model, apply, clean);
  } catch (const std::exception& e) {  // a bug, not an input error: say so, don't crash
    Expectation x;
    x.error = std::string("internal error: ") + e.what();
    return x;
  }
}

}  // namespace

Expectation predict(const Case& c, const Model& model) { return guarded(c, model, nullptr, false); }
Expectation predict_clean(const Case& c, const Model& model) { return guarded(c, model, nullptr, true); }

Expectation step(const Case& c, Model& model) {
  Expectation e = guarded(c, model, &model, false);
  ++model.steps;
  return e;
}

Expectation step_clean(const Case& c, Model& model) {
  Expectation e = guarded(c, model, &model, true);
  ++model.steps;
  return e;
}

Settled settle(const Case& c, const Model& model) {
  Settled out;
  try {
    const CompiledSpec* cs = model.compiled ? find_compiled(*model.compiled, c.op) : nullptr;
    if (!cs) return out;
    Wire w = read_wire(c, *model.compiled, *cs);
    if (w.answer) {
      out.answer = answered(w);
    } else {
      View view(w.pairs(), w.body.get(), std::move(w.path_params), w.cs);
      const std::string* region = view.flat("RegionId");
      Context ctx{*w.cs, view, model, region ? *region : ""};
      out.answer = broken_request(ctx, RulesToCheck(*w.cs, view));
    }
    if (out.answer) {
      note_routing(*out.answer, w, *cs);
    } else {
      out.clean = true;
    }
  } catch (const std::exception&) {
    out = Settled{};  // step() says what went wrong, on the run's thread
  }
  return out;
}

Expectation step_after(const Case& c, Model& model, Expectation predicted, bool clean) {
  if (predicted.success()) return clean ? step_clean(c, model) : step(c, model);
  ++model.steps;
  return predicted;
}

void to_json(json& j, const Expectation& e) {
  j = json::object();
  if (!e.error.empty()) {
    j["error"] = e.error;
    return;
  }
  j["status"] = e.status;
  j["codes"] = e.codes;
  j["confidence"] = spec::to_string(e.confidence);
  j["rule"] = e.rule.empty() ? json(nullptr) : json(e.rule);
  j["citation"] = e.citation;
  j["op"] = e.op;
  if (!e.also.empty()) j["also"] = e.also;
}

}  // namespace conform::oracle
