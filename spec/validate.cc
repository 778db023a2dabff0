#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>

#include <re2/re2.h>

#include "spec/index.h"
#include "spec/loader.h"

namespace conform::spec {

namespace {

// Names where a problem is: the overlay file for what the overlay added.
std::string where(std::string_view file, const Source& src, const std::string& pointer) {
  const std::string f = src.overlay && !src.file.empty() ? src.file : std::string(file);
  return f + "#" + pointer;
}

// A rule may name a parameter, a member path ("a.b.c"), or the indexed prefix of a
// family ("DataDisk.N", "Tag.N") whose members are parameters.
bool names_param(const Spec& spec, const std::string& name) {
  if (spec.find_param(name)) return true;
  const std::string prefix = name + ".";
  for (const auto& p : spec.params)
    if (p.name.starts_with(prefix)) return true;
  return false;
}

// RE2's complaint about a pattern, or nullopt when it compiles. Compiling is most
// of a validation's cost and a spec's patterns are checked again on every load
// (a round trip validates the same rules twice), so each thread remembers the
// last few thousand answers.
std::optional<std::string> regex_error(const std::string& pattern) {
  thread_local std::unordered_map<std::string, std::optional<std::string>> known;
  if (auto it = known.find(pattern); it != known.end()) return it->second;
  RE2 re(pattern, RE2::Quiet);
  std::optional<std::string> error;
  if (!re.ok()) error = re.error();
  if (known.size() >= 4096) known.clear();
  known.emplace(pattern, error);
  return error;
}

bool is_single_param(RuleKind k) {
  switch (k) {
    case RuleKind::required: case RuleKind::type: case RuleKind::length: case RuleKind::range:
    case RuleKind::enumeration: case RuleKind::charset: case RuleKind::first_char:
    case RuleKind::forbidden_prefix: case RuleKind::forbidden_suffix:
    case RuleKind::forbidden_substring: case RuleKind::char_classes:
    case RuleKind::ref_attr: case RuleKind::at_least_ref:
    case RuleKind::pattern: case RuleKind::format:
    case RuleKind::index_max: case RuleKind::items: case RuleKind::range_if:
    case RuleKind::enum_if: case RuleKind::required_if: case RuleKind::reference:
    case RuleKind::idempotency:
      return true;
    default:
      return false;
  }
}

// A parameter's valid_when: on a top-level parameter that is not indexed, naming
// another such parameter, and no chain of them comes back to where it started.
Result<void> check_valid_when(const Spec& spec, std::string_view file, const Param& p, const std::string& ptr,
                              bool top) {
  auto err = [&](std::string what) {
    return fail(where(file, p.source, ptr + "/valid_when"), "parameter \"" + p.name + "\": " + what);
  };
  if (!top || is_indexed(p.name)) return err("valid_when is for a top-level parameter that is not indexed");
  const std::string& unless = p.valid_when->unless;
  if (!unless.empty() && (is_indexed(unless) || unless == p.name || unless == p.valid_when->param ||
                          std::none_of(spec.params.begin(), spec.params.end(),
                                       [&](const Param& q) { return q.name == unless; })))
    return err("valid_when/unless names no other top-level parameter that is not indexed: \"" + unless + "\"");
  const Param* next = &p;
  for (std::size_t steps = 0; next && next->valid_when; ++steps) {
    const std::string& on = next->valid_when->param;
    next = nullptr;
    for (const Param& q : spec.params) {
      if (q.name == on) next = &q;
    }
    if (!next || is_indexed(on)) return err("valid_when names no top-level parameter that is not indexed: \"" + on + "\"");
    if (next == &p || steps > spec.params.size()) return err("valid_when leads into a loop of conditions (a cycle)");
  }
  return {};
}

Result<void> check_params(const Spec& spec, std::string_view file, const std::vector<Param>& params,
                          const std::string& pointer) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto& p = params[i];
    const std::string ptr = pointer + "/" + std::to_string(i);
    if (p.name.empty()) return fail(where(file, p.source, ptr + "/name"), "parameter name must not be empty");
    if (!names.insert(p.name).second)
      return fail(where(file, p.source, ptr + "/name"), "duplicate parameter \"" + p.name + "\"");
    if (!p.members.empty() && p.type != ParamType::Object && p.type != ParamType::Array &&
        p.type != ParamType::Json)
      return fail(where(file, p.source, ptr + "/members"),
                  "parameter \"" + p.name + "\" of type " + std::string(to_string(p.type)) + " cannot have members");
    CONFORM_CHECK(check_params(spec, file, p.members, ptr + "/members"));
    if (p.valid_when) CONFORM_CHECK(check_valid_when(spec, file, p, ptr, pointer == "/params"));
  }
  return {};
}

Result<void> check_rule(const Spec& spec, std::string_view file, const Rule& r, const std::string& ptr) {
  auto err = [&](const std::string& key, std::string what) {
    return fail(where(file, r.source, ptr + (key.empty() ? "" : "/" + key)), "rule \"" + r.id + "\": " + what);
  };
  if (r.params.empty() && r.kind != RuleKind::quota)
    return err("params", "names no parameter");
  if (is_single_param(r.kind) && r.params.size() != 1 && r.kind != RuleKind::required_if)
    return err("params", std::string(to_string(r.kind)) + " takes exactly one parameter");
  for (std::size_t i = 0; i < r.params.size(); ++i)
    if (!names_param(spec, r.params[i]))
      return err("params/" + std::to_string(i), "unknown parameter \"" + r.params[i] + "\"");
  if (r.min && r.max && *r.min > *r.max)
    return err("min", "min " + std::to_string(*r.min) + " > max " + std::to_string(*r.max));
  if ((r.kind == RuleKind::length || r.kind == RuleKind::items) && r.min && *r.min < 0)
    return err("min", "a length cannot be negative");
  const bool needs_bounds = r.kind == RuleKind::length || r.kind == RuleKind::range ||
                            r.kind == RuleKind::items || r.kind == RuleKind::index_max ||
                            r.kind == RuleKind::range_if;
  if (needs_bounds && !r.min && !r.max) return err("", "needs min or max");
  if ((r.kind == RuleKind::enumeration || r.kind == RuleKind::enum_if ||
       r.kind == RuleKind::forbidden_prefix || r.kind == RuleKind::forbidden_suffix ||
       r.kind == RuleKind::forbidden_substring || r.kind == RuleKind::char_classes) && r.values.empty())
    return err("values", "needs values");
  if ((r.kind == RuleKind::charset || r.kind == RuleKind::first_char) && r.charset.empty())
    return err("charset", "needs a charset");
  if (r.kind == RuleKind::charset || r.kind == RuleKind::first_char) {
    if (auto bad = regex_error("[" + r.charset + "]")) return err("charset", "not a valid character class: " + *bad);
  }
  if (r.kind == RuleKind::pattern) {
    if (r.pattern.empty()) return err("pattern", "needs a pattern");
    if (auto bad = regex_error(r.pattern)) return err("pattern", "not a valid RE2 pattern: " + *bad);
  }
  if (r.kind == RuleKind::format && r.format.empty()) return err("format", "needs a format");
  if (r.kind == RuleKind::reference && r.resource.empty()) return err("resource", "needs a resource type");
  if (r.kind == RuleKind::quota && r.quota.empty()) return err("quota", "needs a quota name");
  if ((r.kind == RuleKind::ref_attr || r.kind == RuleKind::at_least_ref) && r.attr.empty())
    return err("attr", "needs a resource attribute");
  if (r.kind == RuleKind::ref_match && (r.params.size() != 2 || r.attr.empty()))
    return err("params", "ref_match takes two parameters and an attr");
  if (r.kind == RuleKind::at_least_ref && !r.when) return err("when", "needs the referencing parameter");
  if (r.kind == RuleKind::sum) {
    if (r.params.empty() || r.params.size() > 2 || !is_indexed(r.params[0]))
      return err("params", "sum takes one indexed parameter, and another of its family whose resource's attr counts "
                           "where the first is absent");
    if ((r.params.size() == 2) != !r.attr.empty())
      return err("attr", "a sum's second parameter and its attr go together");
    if (r.params.size() == 2 && (!is_indexed(r.params[1]) || family_of(r.params[1]) != family_of(r.params[0])))
      return err("params/1", "\"" + r.params[1] + "\" is not of the family of \"" + r.params[0] + "\"");
    if (!r.max) return err("max", "sum needs a max");
    if (r.when && (!r.when->attr.empty() || !is_indexed(r.when->param) ||
                   family_of(r.when->param) != family_of(r.params[0])))
      return err("when", "a sum's condition is on another member of its own indexed family, at the same index");
  }
  if (r.kind == RuleKind::char_classes) {
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      if (auto bad = regex_error("[" + r.values[i] + "]"))
        return err("values/" + std::to_string(i), "not a valid character class: " + *bad);
    }
    if (!r.min || *r.min < 1 || *r.min > static_cast<double>(r.values.size()))
      return err("min", "char_classes needs min between 1 and the number of classes");
  }
  if ((r.kind == RuleKind::required_if || r.kind == RuleKind::range_if || r.kind == RuleKind::enum_if) && !r.when)
    return err("when", "needs a condition");
  if (r.when && !names_param(spec, r.when->param))
    return err("when/param", "unknown parameter \"" + r.when->param + "\"");
  if (r.when && !r.when->unless.empty()) {
    if (!names_param(spec, r.when->unless)) return err("when/unless", "unknown parameter \"" + r.when->unless + "\"");
    if (!r.when->attr.empty() || phase_of(r.kind).first != 3)
      return err("when/unless", "only a value rule's condition on a value (no attr) may have one");
    // "At the same index": another family's N would be a different disk.
    const std::string& u = r.when->unless;
    if (u == r.when->param || (!r.params.empty() && u == r.params[0]) ||
        (is_indexed(u) && (r.params.empty() || family_of(u) != family_of(r.params[0]))))
      return err("when/unless", "\"" + u + "\" must be another parameter of the rule's own indexed family, or not indexed");
  }
  if (r.expect.status < 100 || r.expect.status > 599)
    return err("expect/status", "HTTP status " + std::to_string(r.expect.status) + " is out of range");
  if (r.expect.confidence == Confidence::documented && r.expect.codes.empty())
    return err("expect/codes", "a documented prediction needs at least one code");
  return {};
}

}  // namespace

Result<void> validate(const Spec& spec, std::string_view file) {
  const std::string f(file);
  if (spec.op != spec.service + "." + spec.name)
    return fail(f + "#/op", "op \"" + spec.op + "\" is not <service>.<name>");
  if (spec.dialect != "aliyun-rpc" && spec.dialect != "aliyun-roa" && spec.dialect != "huawei-rest")
    return fail(f + "#/dialect", "unknown dialect \"" + spec.dialect + "\" (aliyun-rpc, aliyun-roa, huawei-rest)");
  if (spec.success_status < 200 || spec.success_status > 299)
    return fail(f + "#/http/success_status", "success status must be 2xx");
  if (spec.path.empty() || spec.path.front() != '/')
    return fail(f + "#/http/path", "path must start with '/'");
  CONFORM_CHECK(check_params(spec, file, spec.params, "/params"));
  std::set<std::string> ids;
  for (std::size_t i = 0; i < spec.rules.size(); ++i) {
    const auto& r = spec.rules[i];
    const std::string ptr = "/rules/" + std::to_string(i);
    if (!ids.insert(r.id).second) return fail(where(file, r.source, ptr + "/id"), "duplicate rule id \"" + r.id + "\"");
    CONFORM_CHECK(check_rule(spec, file, r, ptr));
  }
  for (std::size_t i = 0; i < spec.errors.size(); ++i) {
    const auto& e = spec.errors[i];
    const std::string ptr = "/errors/" + std::to_string(i);
    if (e.status < 100 || e.status > 599)
      return fail(f + "#" + ptr + "/status", "HTTP status " + std::to_string(e.status) + " is out of range");
    for (std::size_t k = 0; k < e.rules.size(); ++k)
      if (!ids.count(e.rules[k]))
        return fail(f + "#" + ptr + "/rules/" + std::to_string(k), "error row " + e.code +
                                                                      " links unknown rule \"" + e.rules[k] + "\"");
    if (e.rules.empty() && e.unlinked_reason.empty())
      return fail(f + "#" + ptr, "error row " + e.code + " is linked to no rule and gives no reason");
  }
  return {};
}

}  // namespace conform::spec
