// One operation's request after dispatch: the rule phases, the state phase with
// idempotency, DryRun, and the create that a success stores.
#include <mutex>

#include "core/text.h"
#include "emulator/handler_impl.h"
#include "emulator/rules.h"
#include "emulator/values.h"
#include "emulator/wire.h"

namespace conform::emulator {
namespace {

using K = spec::RuleKind;

// Parameters every aliyun request may carry that do not make two requests differ
// for idempotency (decisions.md, "Emulator state": Format, Version, AccessKeyId,
// Signature*, Timestamp, SecurityToken), as the oracle reads them.
bool common_param(const std::string& name) {
  return name == "Format" || name == "Version" || name == "AccessKeyId" || name.starts_with("Signature") ||
         name == "Timestamp" || name == "SecurityToken";
}

std::string fingerprint(const Params& p, const std::string& token_param) {
  std::string fp;
  for (const auto& [k, v] : p.query)
    if (k != token_param && !common_param(k)) fp += k + '=' + v + '\n';
  for (const auto& [k, v] : p.path) fp += '{' + k + '}' + v + '\n';
  if (p.body) fp += p.body->dump();
  return fp;
}

bool triggered(const Fault& f, const Params& p) {
  const std::string trigger(f.trigger);
  const std::string want(f.trigger_value);
  if (trigger.ends_with('.')) {
    auto it = p.query.lower_bound(trigger);
    return it != p.query.end() && it->first.starts_with(trigger);
  }
  const nlohmann::json* j = p.body ? &*p.body : nullptr;
  std::string_view rest = trigger;
  while (j && !rest.empty()) {
    auto dot = rest.find('.');
    std::string key(rest.substr(0, dot));
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    j = j->is_object() && j->contains(key) ? &(*j)[key] : nullptr;
  }
  std::optional<std::string> value;
  if (j) value = json_text(*j);
  if (auto q = p.query.find(trigger); !value && q != p.query.end()) value = q->second;
  return value && (want.empty() || *value == want);
}

const Fault* op_fault(const Emulator::Impl& impl, const OpModel& op, FaultKind kind, const Params& p) {
  const Fault* f = impl.faults.for_op(op.spec->op, kind);
  return f && !f->op.empty() && triggered(*f, p) ? f : nullptr;
}

ErrorAnswer rule_error(const RenderContext& ctx, const OpModel& op, const Violation& v) {
  const spec::Rule& r = *v.rule->rule;
  ErrorAnswer e;
  e.status = r.expect.status;
  e.code = r.expect.codes.empty() ? generic_code(ctx, e.status) : r.expect.codes[0];
  e.message = v.rule->message;
  // A "{key}" code names the offending map entry, as the service fills it in
  // (docs/decisions.md section 2): InvalidUserData.{key} -> InvalidUserData.mykey.
  for (std::string* text : {&e.code, &e.message})
    if (auto pos = text->find("{key}"); pos != std::string::npos && !v.binding.subs.empty())
      text->replace(pos, 5, v.binding.last_key());
  if (r.expect.codes.empty()) e.message = "Invalid " + v.wire_name + " (rule " + r.id + ").";
  if (auto f = ctx.faults->for_rule(op.spec->op, r.id, FaultKind::wrong_status)) e.status = f->status;
  if (auto f = ctx.faults->for_rule(op.spec->op, r.id, FaultKind::wrong_code)) e.code = std::string(f->value);
  return e;
}

bool id_like(const std::string& n) { return n == "Id" || n.ends_with("Id") || n.ends_with("_id"); }

void fill_answer(const std::vector<spec::ResponseField>& fields, const OpModel& op, const Params& p,
                 EmulatorState& state, Answer& a) {
  for (const auto& f : fields) {
    if (!f.members.empty()) {
      fill_answer(f.members, op, p, state, a);
      continue;
    }
    if (f.name == "RequestId" || a.contains(f.name)) continue;
    if (id_like(f.name)) {
      auto ex = op.examples.find(f.name);
      a[f.name] = state.new_id(ex == op.examples.end() ? "" : ex->second);
    } else if (auto q = p.query.find(f.name); q != p.query.end()) {
      a[f.name] = q->second;
    } else if (p.body && (f.name.ends_with("_name") || f.name.ends_with("Name"))) {
      for (const char* n : {"name", "Name"})
        if (p.body->contains(n) && (*p.body)[n].is_string()) a[f.name] = (*p.body)[n].get<std::string>();
    }
  }
}

std::string resource_id(const spec::Spec& spec, const Answer& a) {
  for (const auto& f : spec.response)
    if (f.name != "RequestId" && id_like(f.name) && a.contains(f.name)) return a.at(f.name);
  return a.empty() ? std::string() : a.begin()->second;
}

bool dry_run(const OpModel& op, const Params& p) {
  if (!op.dry_run) return false;
  Value v = p.get(*op.dry_run, Binding{});
  if (!v.present) return false;
  if (v.from_json) return v.json->is_boolean() && v.json->get<bool>();
  return parse_query_bool(v.text).value_or(false);
}

HttpResponse state_phase(Emulator::Impl& impl, const OpModel& op, const Params& p, const RenderContext& ctx,
                         const EvalContext& ec) {
  std::lock_guard<std::mutex> lock(impl.state.mutex());
  std::string token;
  if (op.idempotency && !impl.faults.for_rule(op.spec->op, op.idempotency->rule->id, FaultKind::skip_rule)) {
    Value v = p.get(op.idempotency->params[0], Binding{});
    if (v.present && !v.text.empty()) token = v.text;
  }
  const std::string fp = fingerprint(p, op.idempotency ? op.idempotency->params[0].path : "");
  if (const IdempotencyRecord* rec = token.empty() ? nullptr : impl.state.token(op.spec->op, token)) {
    if (rec->fingerprint == fp) return success_response(ctx, *op.spec, rec->answer);
    return error_response(ctx, rule_error(ctx, op, Violation{op.idempotency, {}, op.idempotency->params[0].path}));
  }
  if (auto v = first_violation(ec, Phase::state)) return error_response(ctx, rule_error(ctx, op, *v));
  if (dry_run(op, p) && !impl.faults.for_op(op.spec->op, FaultKind::dry_run_ignored))
    return error_response(ctx, {400, "DryRunOperation", "Request validation has been passed with DryRun flag set."});
  std::vector<std::string> keys;
  for (const auto& m : op.rules)
    if (m.rule->kind == K::unique && !impl.faults.for_rule(op.spec->op, m.rule->id, FaultKind::skip_rule))
      for (auto& k : unique_keys(ec, m)) keys.push_back(m.rule->id + '\x1f' + k);
  if (!impl.state.fits(1 + !token.empty() + keys.size()))
    return error_response(ctx, {403, ctx.dialect == "huawei-rest" ? generic_code(ctx, 403) : "QuotaExceeded.EmulatorCap",
                                "The emulator holds its maximum of " + std::to_string(impl.state.max_entries()) +
                                    " stored entries; POST /_conform/reset frees them."});
  Answer answer;
  fill_answer(op.spec->response, op, p, impl.state, answer);
  if (!impl.faults.for_op(op.spec->op, FaultKind::not_stored)) {
    Resource r{op.spec->service, ec.region, op.created_type, resource_id(*op.spec, answer), {}};
    impl.state.create(std::move(r), op.spec->op, token, IdempotencyRecord{fp, answer}, keys);
  }
  return success_response(ctx, *op.spec, answer);
}

}  // namespace

HttpResponse operate(Emulator::Impl& impl, const OpModel& op, const Params& params, const RenderContext& ctx) {
  std::string region;
  if (op.region) region = params.get(*op.region, Binding{}).text;
  EvalContext ec{op, params, impl.state, impl.faults, region};
  HttpResponse r;
  bool answered = false;
  {
    // Conditions on a resource attribute read the state, so the rule phases hold
    // the lock too; they are short.
    std::lock_guard<std::mutex> lock(impl.state.mutex());
    for (Phase ph : {Phase::missing, Phase::missing_pairs, Phase::type, Phase::value, Phase::conflict}) {
      if (auto v = first_violation(ec, ph)) {
        r = error_response(ctx, rule_error(ctx, op, *v));
        answered = true;
        break;
      }
    }
  }
  if (!answered && op_fault(impl, op, FaultKind::crash, params)) {
    r = error_response(ctx, {500, generic_code(ctx, 500), "The request processing has failed due to some unknown error."});
    answered = true;
  }
  if (!answered) r = state_phase(impl, op, params, ctx, ec);
  if (const Fault* slow = op_fault(impl, op, FaultKind::slow, params))
    r.delay = std::chrono::milliseconds(static_cast<long long>(slow->amount));
  return r;
}

}  // namespace conform::emulator
