#include "oracles/compiled.h"

#include "oracles/checks.h"
#include "spec/index.h"

#include <algorithm>
#include <set>

namespace conform::oracle {
namespace {

using spec::RuleKind;

std::unique_ptr<RE2> make_re(const std::string& pattern) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_dot_nl(true);
  return std::make_unique<RE2>(pattern, o);
}

void compile_regexes(CompiledRule& cr) {
  const spec::Rule& r = *cr.rule;
  if (r.kind == RuleKind::charset) cr.re = make_re("[" + r.charset + "]*");
  if (r.kind == RuleKind::first_char) cr.re = make_re("^[" + r.charset + "]");
  if (r.kind == RuleKind::pattern) cr.re = make_re(r.pattern);
  if (r.kind == RuleKind::char_classes) {
    for (const std::string& v : r.values) {
      cr.classes.push_back(make_re("[" + v + "]"));
      if (!cr.classes.back()->ok()) cr.regex_ok = false;
    }
  }
  if (cr.re && !cr.re->ok()) cr.regex_ok = false;
}

// Longest top-level parameter that `path` starts with.
const spec::Param* top_param(const spec::Spec& spec, const std::string& path) {
  const spec::Param* best = nullptr;
  for (const spec::Param& p : spec.params) {
    bool match = path == p.name || (path.size() > p.name.size() && path.compare(0, p.name.size(), p.name) == 0 &&
                                    path[p.name.size()] == '.');
    if (match && (!best || p.name.size() > best->name.size())) best = &p;
  }
  return best;
}

std::vector<std::string> split_dots(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t dot = s.find('.', start);
    if (dot == std::string::npos) dot = s.size();
    out.push_back(s.substr(start, dot - start));
    start = dot + 1;
  }
  return out;
}

// "DataDisk.N.Size" -> prefix "DataDisk.", suffix ".Size"; false without an N segment.
bool split_family(const std::string& name, std::string& prefix, std::string& suffix) {
  std::size_t at = name.find(".N");
  while (at != std::string::npos) {
    std::size_t end = at + 2;
    if (end == name.size() || name[end] == '.') {
      prefix = name.substr(0, at + 1);
      suffix = name.substr(end);
      return true;
    }
    at = name.find(".N", at + 1);
  }
  return false;
}

bool gated(const CompiledRule& cr) {
  if (cr.params.empty() || !cr.params[0].top) return false;
  switch (cr.rule->kind) {
    // Violated by an absence, or read from the other parameters or the family's
    // indices as well.
    case RuleKind::required:
    case RuleKind::required_if:
    case RuleKind::pair:
    case RuleKind::exclusive:
    case RuleKind::index_max:
    case RuleKind::sum:  // a disk from a snapshot counts without params[0]
    case RuleKind::idempotency: return false;
    default: return true;
  }
}

ParamNames param_names(const spec::Spec& s) {
  ParamNames out;
  std::size_t size = 8;
  while (size < 4 * s.params.size()) size *= 2;  // short chains: every name of every request probes
  out.slots.assign(size, ParamNames::Slot{});
  auto where = [](const spec::Param& p) {
    return p.in == spec::Location::path   ? ParamWhere::path
           : p.in == spec::Location::body ? ParamWhere::body
                                          : ParamWhere::wire;
  };
  for (std::size_t i = 0; i < s.params.size(); ++i) {
    const spec::Param& p = s.params[i];
    std::string prefix, suffix;
    if (where(p) == ParamWhere::wire && split_family(p.name, prefix, suffix)) {
      auto f = std::find_if(out.families.begin(), out.families.end(),
                            [&](const ParamNames::Family& e) { return e.prefix == prefix; });
      if (f == out.families.end()) f = out.families.insert(out.families.end(), ParamNames::Family{prefix, {}});
      f->members.push_back({suffix, static_cast<std::uint32_t>(i)});
      continue;
    }
    // A repeated name is left out: the first is the one a PathRef's top names.
    const std::size_t hash = spec::path_hash(p.name);
    std::size_t at = hash & (size - 1);
    bool repeat = false;
    for (; out.slots[at].pos != 0; at = (at + 1) & (size - 1)) {
      const spec::Param& q = s.params[out.slots[at].pos - 1];
      repeat = repeat || (where(q) == where(p) && q.name == p.name);
    }
    if (!repeat) out.slots[at] = {static_cast<std::uint32_t>(i + 1), static_cast<std::uint32_t>(hash), where(p)};
  }
  for (const spec::Param& p : s.params) {
    if (where(p) != ParamWhere::wire) continue;
    for (const ParamNames::Family& f : out.families) match_family(f, p.name, [&](std::size_t) { out.flat_in_family = true; });
  }
  return out;
}

}  // namespace

std::string cite(const spec::Source& s, const std::string& doc) {
  std::string file = s.file.empty() ? doc : s.file;
  std::string out = file + (s.line > 0 ? ":" + std::to_string(s.line) : "");
  if (!s.quote.empty()) out += ": " + s.quote;
  return out;
}

std::string reference_type(const spec::Spec& spec, const std::string& param) {
  for (const spec::Rule& r : spec.rules) {
    if ((r.kind == RuleKind::reference || r.kind == RuleKind::ref_attr) && !r.params.empty() &&
        r.params[0] == param && !r.resource.empty()) {
      return r.resource;
    }
  }
  return "";
}

PathRef resolve_path(const spec::Spec& spec, const std::string& path) {
  PathRef ref;
  ref.text = path;
  ref.top = top_param(spec, path);
  if (!ref.top) {
    // The family itself: "DataDisk.N" names no parameter but prefixes some.
    for (const spec::Param& p : spec.params) {
      if (p.name.size() > path.size() && p.name.compare(0, path.size() + 1, path + ".") == 0 &&
          split_family(path, ref.prefix, ref.suffix) && ref.suffix.empty()) {
        ref.indexed = ref.family = true;
        return ref;
      }
    }
    return ref;
  }
  ref.leaf = spec.find_param(path);
  ref.top_list = spec::carries_list(spec, ref.top);
  ref.leaf_list = spec::carries_list(spec, ref.leaf);
  ref.top_hash = spec::path_hash(ref.top->name);
  ref.indexed = split_family(ref.top->name, ref.prefix, ref.suffix);
  if (path.size() > ref.top->name.size()) ref.members = split_dots(path.substr(ref.top->name.size() + 1));
  return ref;
}

std::shared_ptr<CompiledSpecs> compile(std::vector<spec::Spec> specs) {
  auto out = std::make_shared<CompiledSpecs>();
  out->specs = std::move(specs);
  std::set<std::string> referenced;
  for (const spec::Spec& s : out->specs) {
    for (const spec::Rule& r : s.rules) {
      if (r.kind == RuleKind::reference) referenced.insert(r.resource);
    }
  }
  for (const spec::Spec& s : out->specs) {
    CompiledSpec cs;
    cs.spec = &s;
    cs.names = param_names(s);
    for (std::size_t i = 0; i < s.rules.size(); ++i) {
      CompiledRule cr;
      cr.rule = &s.rules[i];
      std::tie(cr.phase, cr.rank) = spec::phase_of(cr.rule->kind);  // decisions.md section 1
      for (const std::string& p : cr.rule->params) {
        cr.params.push_back(resolve_path(s, p));
        cr.param_types.push_back(reference_type(s, p));
      }
      if (cr.rule->when) {
        cr.when = resolve_path(s, cr.rule->when->param);
        if (!cr.rule->when->unless.empty()) cr.unless = resolve_path(s, cr.rule->when->unless);
        cr.when_type = reference_type(s, cr.rule->when->param);
      }
      compile_regexes(cr);
      cr.gated = gated(cr);
      cr.citation = cite(cr.rule->source, s.doc);
      cs.rules.push_back(std::move(cr));
    }
    // Stable: spec (doc) order inside a phase and rank.
    std::stable_sort(cs.rules.begin(), cs.rules.end(), [](const CompiledRule& a, const CompiledRule& b) {
      return std::tie(a.phase, a.rank) < std::tie(b.phase, b.rank);
    });
    for (const CompiledRule& cr : cs.rules) {
      cs.gates.push_back(cr.gated ? static_cast<std::int32_t>(cr.params[0].top - s.params.data()) : -1);
      if (cr.phase <= 4) cs.state_begin = cs.gates.size();
    }
    cs.rule_words = (cs.rules.size() + 63) / 64;
    cs.ungated.assign(cs.rule_words, 0);
    cs.param_rules.assign(s.params.size() * cs.rule_words, 0);
    for (std::size_t i = 0; i < cs.rules.size(); ++i) {
      const std::uint64_t bit = std::uint64_t{1} << (i % 64);
      if (cs.gates[i] < 0) {
        cs.ungated[i / 64] |= bit;
      } else {
        cs.param_rules[static_cast<std::size_t>(cs.gates[i]) * cs.rule_words + i / 64] |= bit;
      }
      const CompiledRule& cr = cs.rules[i];
      if (cs.token_rule < 0 && cr.rule->kind == spec::RuleKind::idempotency && !cr.params.empty()) {
        cs.token_rule = static_cast<std::int32_t>(i);
      }
    }
    for (const spec::Param& p : s.params) {
      std::string prefix, suffix;
      if (split_family(p.name, prefix, suffix) &&
          std::find(cs.prefixes.begin(), cs.prefixes.end(), prefix) == cs.prefixes.end()) {
        cs.prefixes.push_back(prefix);
      }
      if (p.name == "DryRun" && p.type == spec::ParamType::Boolean) cs.dry_run = &p;
    }
    // An op creates the resource its response names: CreateDeploymentSet answers
    // DeploymentSetId, and DeploymentSetId references a DeploymentSet elsewhere.
    for (const spec::ResponseField& f : s.response) {
      if (f.name.size() > 2 && f.name.compare(f.name.size() - 2, 2, "Id") == 0) {
        std::string type = f.name.substr(0, f.name.size() - 2);
        if (referenced.count(type)) {
          cs.creates_type = type;
          cs.creates_field = f.name;
        }
      }
    }
    out->compiled.push_back(std::move(cs));
  }
  return out;
}

}  // namespace conform::oracle
