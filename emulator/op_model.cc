#include "emulator/op_model.h"

#include <nlohmann/json.hpp>

#include "core/json_text.h"

namespace conform::emulator {
namespace {

using K = spec::RuleKind;

Phase phase_of(K k) {
  switch (k) {
    case K::required:
    case K::required_if: return Phase::missing;
    case K::pair:
    case K::requires_param: return Phase::missing_pairs;
    case K::type: return Phase::type;
    case K::exclusive:
    case K::forbidden_with:
    case K::sum: return Phase::conflict;
    case K::idempotency: return Phase::none;
    case K::reference:
    case K::ref_attr:
    case K::at_least_ref:
    case K::ref_match:
    case K::unique:
    case K::quota: return Phase::state;
    default: return Phase::value;
  }
}

int state_order(K k) {
  switch (k) {
    case K::reference: return 0;
    case K::ref_attr: return 1;
    case K::at_least_ref: return 2;
    case K::ref_match: return 3;
    case K::unique: return 4;
    default: return 5;
  }
}

Result<std::unique_ptr<RE2>> compile(const std::string& pattern, const spec::Rule& rule, const std::string& op) {
  RE2::Options opt;
  opt.set_log_errors(false);
  opt.set_dot_nl(true);
  auto re = std::make_unique<RE2>(pattern, opt);
  if (!re->ok()) return fail(op + " rule " + rule.id, "bad regular expression \"" + pattern + "\": " + re->error());
  return re;
}

Result<void> compile_rule(RuleModel& m, const std::string& op) {
  const spec::Rule& r = *m.rule;
  if (r.kind == K::charset) {
    CONFORM_TRY(re, compile("[" + r.charset + "]*", r, op));
    m.re = std::move(re);
  } else if (r.kind == K::first_char) {
    CONFORM_TRY(re, compile("[" + r.charset + "].*", r, op));
    m.re = std::move(re);
  } else if (r.kind == K::pattern) {
    CONFORM_TRY(re, compile(r.pattern, r, op));
    m.re = std::move(re);
  } else if (r.kind == K::char_classes) {
    for (const auto& c : r.values) {
      CONFORM_TRY(re, compile("[" + c + "]", r, op));
      m.classes.push_back(std::move(re));
    }
  }
  return {};
}

std::string message_for(const spec::Spec& spec, const spec::Rule& r) {
  const std::string code = r.expect.codes.empty() ? "" : r.expect.codes[0];
  const spec::ErrorRow* any = nullptr;
  for (const auto& row : spec.errors) {
    if (row.code != code || row.message.empty()) continue;
    for (const auto& id : row.rules)
      if (id == r.id) return row.message;
    if (!any) any = &row;
  }
  if (any) return any->message;
  const std::string name = r.params.empty() ? r.id : r.params[0];
  if (r.kind == K::required || r.kind == K::required_if) return name + " is mandatory for this action.";
  if (r.kind == K::quota) return "The " + r.quota + " quota is exhausted.";
  return "The specified parameter " + name + " is not valid.";
}

void collect_examples(const nlohmann::json& j, std::map<std::string, std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (v.is_string()) out.emplace(k, v.get<std::string>());
      collect_examples(v, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect_examples(v, out);
  }
}

Result<void> add_rule(OpModel& op, const spec::Rule& r) {
  RuleModel m;
  m.rule = &r;
  m.phase = phase_of(r.kind);
  m.state_order = state_order(r.kind);
  for (const auto& p : r.params) {
    auto ref = resolve_path(*op.spec, p);
    if (!ref) return fail(op.spec->op + " rule " + r.id, "no parameter \"" + p + "\"");
    m.params.push_back(std::move(*ref));
  }
  if (r.when) {
    auto ref = resolve_path(*op.spec, r.when->param);
    if (!ref) return fail(op.spec->op + " rule " + r.id, "no parameter \"" + r.when->param + "\" in when");
    m.when = std::move(*ref);
    if (!r.when->unless.empty()) {
      auto u = resolve_path(*op.spec, r.when->unless);
      if (!u) return fail(op.spec->op + " rule " + r.id, "no parameter \"" + r.when->unless + "\" in when/unless");
      m.unless = std::move(*u);
    }
  }
  CONFORM_CHECK(compile_rule(m, op.spec->op));
  m.message = message_for(*op.spec, r);
  if (r.kind == K::reference && !r.params.empty()) op.ref_types[r.params[0]] = r.resource;
  if (r.kind == K::items && !r.params.empty()) op.json_lists[r.params[0]] = true;
  op.rules.push_back(std::move(m));
  return {};
}

}  // namespace

Result<std::unique_ptr<OpModel>> build_op_model(const spec::Spec& spec) {
  auto op = std::make_unique<OpModel>();
  op->spec = &spec;
  op->rules.reserve(spec.rules.size());
  for (const auto& r : spec.rules) CONFORM_CHECK(add_rule(*op, r));
  for (const auto& m : op->rules)
    if (m.rule->kind == K::idempotency) op->idempotency = &m;
  for (const auto& p : spec.params)
    if (p.type == spec::ParamType::Json && p.item_type) op->json_lists[p.name] = true;
  op->dry_run = resolve_path(spec, "DryRun");
  op->region = resolve_path(spec, "RegionId");
  op->created_type = spec.name.starts_with("Create") ? spec.name.substr(6) : spec.name;
  for (const auto& ex : spec.examples) {
    if (ex.kind != "response") continue;
    auto j = parse_json_bounded(ex.text);
    if (!j.is_discarded()) collect_examples(j, op->examples);
  }
  op->host_id = spec.service + ".aliyuncs.com";
  return op;
}

}  // namespace conform::emulator
