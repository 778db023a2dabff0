// Name resolution and expected errors, the last two passes of the analyzer.
#include <algorithm>
#include <set>

#include "core/text.h"
#include "spec/import/link_errors.h"

namespace conform::import {

using spec::Confidence;
using spec::Param;
using spec::Rule;
using spec::RuleKind;

namespace {

void all_paths(const std::vector<Param>& params, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& p : params) {
    out.push_back(prefix + p.name);
    all_paths(p.members, prefix + p.name + ".", out);
  }
}

std::string parent_of(const std::string& path) {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? "" : path.substr(0, dot + 1);
}

// Finds the dotted path for a name a sentence used, relative to `near`.
std::string resolve(const spec::Spec& spec, const std::vector<std::string>& paths, const std::string& name,
                    const std::string& near) {
  if (name.empty()) return "";
  for (const auto& p : paths)
    if (p == name) return p;
  // An indexed family prefix ("DataDisk.N") names the family.
  for (const auto& p : paths)
    if (p.starts_with(name + ".")) return name;
  const std::string sibling = parent_of(near) + name;
  for (const auto& p : paths)
    if (p == sibling) return p;
  std::string found;
  for (const auto& p : paths) {
    const auto dot = p.rfind('.');
    if ((dot == std::string::npos ? p : p.substr(dot + 1)) == name) {
      if (!found.empty()) return "";  // ambiguous
      found = p;
    }
  }
  (void)spec;
  return found;
}

// "?cloud" placeholders: the sibling whose enum holds the key (DataDisk.N.Category for cloud).
std::string resolve_by_enum(const spec::Spec& spec, const std::string& key, const std::string& near) {
  const std::string parent = parent_of(near);
  for (const auto& r : spec.rules) {
    if (r.kind != RuleKind::enumeration || r.params.empty() || parent_of(r.params[0]) != parent) continue;
    if (std::find(r.values.begin(), r.values.end(), key) != r.values.end()) return r.params[0];
  }
  return "";
}

std::vector<std::string> rows_of(const spec::Spec& spec, const std::string& id) {
  std::vector<std::string> out;
  for (const auto& e : spec.errors)
    if (std::find(e.rules.begin(), e.rules.end(), id) != e.rules.end()) out.push_back(e.code);
  return out;
}

std::string display_name(const Rule& r) {
  return r.params.empty() ? r.quota : compact_name(r.params[0]);
}

// The dialect's convention when the error table names no row for a rule.
spec::Expectation inferred(const spec::Spec& spec, const Rule& r) {
  spec::Expectation e;
  e.status = 400;
  e.confidence = Confidence::inferred;
  const std::string n = display_name(r);
  if (spec.dialect == "huawei-rest") {
    e.confidence = Confidence::unknown;
    return e;  // the doc has no error table: status 400 by HTTP convention, no code
  }
  const bool roa = spec.dialect == "aliyun-roa";
  switch (r.kind) {
    case RuleKind::required:
    case RuleKind::required_if:
      e.codes = roa ? std::vector<std::string>{"Missing" + n} : std::vector<std::string>{"MissingParameter", "Missing" + n};
      break;
    case RuleKind::reference:
      e.status = 404;
      e.codes = {"Invalid" + n + ".NotFound"};
      break;
    case RuleKind::idempotency:
      e.codes = {roa ? "IdempotentTokenMismatch" : "IdempotentParameterMismatch"};
      break;
    case RuleKind::quota:
      e.status = 403;
      e.codes = {"QuotaExhausted." + r.quota};
      break;
    case RuleKind::unique:
      e.status = 409;
      e.confidence = Confidence::unknown;
      break;
    case RuleKind::requires_param: case RuleKind::pair: case RuleKind::exclusive:
    case RuleKind::forbidden_with: case RuleKind::ref_match: case RuleKind::ref_attr:
    case RuleKind::at_least_ref: case RuleKind::sum:
      e.codes = roa ? std::vector<std::string>{"Invalid" + n} : std::vector<std::string>{"InvalidParameter", "InvalidParameter.Conflict", "InvalidParameter.Mismatch", "Invalid" + n, "Invalid" + n + ".Malformed", "Invalid" + n + ".ValueNotSupported"};
      e.confidence = Confidence::unknown;
      break;
    default:
      e.codes = roa ? std::vector<std::string>{"Invalid" + n}
                    : std::vector<std::string>{"Invalid" + n + ".Malformed", "Invalid" + n + ".ValueNotSupported", "Invalid" + n, "InvalidParameter"};
  }
  return e;
}

// Ids were given before names were resolved ("backup_type.required_if"): give each
// rule the id its resolved parameter gives, and follow the rename everywhere.
void rename_ids(RuleSink& sink, std::vector<std::string>& dropped) {
  auto& spec = sink.spec();
  std::vector<std::pair<std::string, std::string>> renames;
  std::set<std::string> taken;
  for (const auto& r : spec.rules) taken.insert(r.id);
  for (auto& r : spec.rules) {
    if (r.params.empty() || std::find(dropped.begin(), dropped.end(), r.id) != dropped.end()) continue;
    const std::string base = r.params[0] + "." + std::string(spec::to_string(r.kind));
    if (r.id == base || r.id.starts_with(base + ".")) continue;
    std::string id = base;
    for (int n = 2; taken.count(id); ++n) id = base + "." + std::to_string(n);
    taken.insert(id);
    renames.emplace_back(r.id, id);
    r.id = id;
  }
  for (const auto& [from, to] : renames) {
    for (auto& e : spec.errors) std::replace(e.rules.begin(), e.rules.end(), from, to);
    for (auto& rec : sink.log()) std::replace(rec.rules.begin(), rec.rules.end(), from, to);
  }
}

}  // namespace

void resolve_names(RuleSink& sink) {
  auto& spec = sink.spec();
  std::vector<std::string> paths;
  all_paths(spec.params, "", paths);
  std::vector<std::string> dropped;
  for (auto& r : spec.rules) {
    const std::string near = r.params.empty() ? "" : r.params[0];
    bool ok = true;
    for (auto& p : r.params) {
      const std::string got = resolve(spec, paths, p, near);
      if (got.empty()) {
        spec.unparsed.push_back({r.source, "rule " + r.id + " names \"" + p + "\", which is not a parameter of " + spec.op});
        ok = false;
      } else {
        p = got;
      }
    }
    if (r.when && !r.when->param.empty()) {
      std::string got = r.when->param.starts_with("?") ? resolve_by_enum(spec, r.when->param.substr(1), near)
                                                       : resolve(spec, paths, r.when->param, near);
      if (got.empty()) {
        spec.unparsed.push_back({r.source, "rule " + r.id + "'s condition names \"" + r.when->param +
                                               "\", which is not a parameter of " + spec.op});
        ok = false;
      } else {
        r.when->param = got;
      }
    }
    if (!ok) dropped.push_back(r.id);
  }
  rename_ids(sink, dropped);
  auto& rules = spec.rules;
  rules.erase(std::remove_if(rules.begin(), rules.end(),
                             [&](const Rule& r) { return std::find(dropped.begin(), dropped.end(), r.id) != dropped.end(); }),
              rules.end());
  for (auto& e : spec.errors) {
    for (const auto& id : dropped) std::erase(e.rules, id);
    if (e.rules.empty() && e.unlinked_reason.empty()) e.unlinked_reason = "its rule named no parameter of the spec";
  }
  for (auto& rec : sink.log()) {
    for (const auto& id : dropped) {
      if (std::erase(rec.rules, id) > 0) rec.outcome += "rule " + id + " dropped: it names no parameter of the spec; ";
    }
  }
}

void predict_expectations(RuleSink& sink) {
  auto& spec = sink.spec();
  // A template row ("Invalid{Parameter}") covers every value rule that has no row of its own.
  for (auto& row : spec.errors) {
    if (row.code.find("{Parameter}") == std::string::npos) continue;
    for (const auto& r : spec.rules) {
      const bool value_rule = r.kind != RuleKind::required && r.kind != RuleKind::reference &&
                              r.kind != RuleKind::quota && r.kind != RuleKind::idempotency &&
                              r.kind != RuleKind::unique;
      if (value_rule && rows_of(spec, r.id).empty()) row.rules.push_back(r.id);
    }
    if (!row.rules.empty()) row.unlinked_reason.clear();
  }
  for (auto& r : spec.rules) {
    std::set<std::string> codes;
    int status = 0;
    for (const auto& e : spec.errors) {
      if (std::find(e.rules.begin(), e.rules.end(), r.id) == e.rules.end()) continue;
      std::string code = e.code;
      const auto t = code.find("{Parameter}");
      if (t != std::string::npos) code.replace(t, 11, display_name(r));
      if (status == 0 || e.code.find('{') == std::string::npos) status = e.status;
      if (e.code.find("{Parameter}") != std::string::npos && codes.size() > 0) continue;
      codes.insert(code);
    }
    if (!codes.empty() && status > 0) {
      r.expect = spec::Expectation{status, std::vector<std::string>(codes.begin(), codes.end()), Confidence::documented};
    } else {
      r.expect = inferred(spec, r);
      if (r.note.empty()) {
        r.note = r.expect.confidence == Confidence::unknown ? "the doc names no error for this rule"
                                                            : "no error row names this rule: code from the dialect's naming convention";
      }
    }
  }
}

}  // namespace conform::import
