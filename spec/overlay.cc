// The hand-curated overlay: what prose cannot pin down, kept beside the spec.
//
// {"conform_overlay": 1,
//  "params": {"<dotted name>": {"required": true, "secret": true, "valid_when": {...}, ...}},   // patch
//  "add_params": [{"parent": "<dotted name>"?, ...Param}],
//  "rules": [Rule, ...],              // added; one with an existing id replaces it
//  "remove_rules": ["<id>", ...],
//  "errors": [{"code": "...", "message_contains": "...", "rules": [...], "unlinked": "..."}],
//  "ambiguous": [{"source": {"line": N, "quote": "..."}, "reason": "..."}]}   // added to the spec's
//  (an errors entry's "rules" replaces the rows' links; "unlinked" clears them with a reason)
#include <nlohmann/json.hpp>

#include "spec/json_reader.h"
#include "spec/loader.h"
#include "spec/model_json.h"

namespace conform::spec {

namespace {

Param* find_mut(std::vector<Param>& params, std::string_view name) {
  for (auto& p : params)
    if (p.name == name) return &p;
  for (auto& p : params) {
    if (p.members.empty() || name.size() <= p.name.size() + 1) continue;
    if (name.substr(0, p.name.size()) == p.name && name[p.name.size()] == '.')
      if (Param* m = find_mut(p.members, name.substr(p.name.size() + 1))) return m;
  }
  return nullptr;
}

Result<void> patch_params(Spec& spec, const JsonReader& r) {
  if (!r.has("params")) return {};
  CONFORM_TRY(params, r.child("params"));
  CONFORM_CHECK(params.expect_object());
  for (const auto& [name, patch] : params.json().items()) {
    JsonReader pr(patch, r.file(), params.pointer() + "/" + json_pointer_token(name));
    CONFORM_CHECK(pr.only_keys({"required", "secret", "deprecated", "default", "example", "type", "item_type", "in",
                                  "valid_when"}));
    Param* p = find_mut(spec.params, name);
    if (!p) return pr.error("", "no parameter \"" + name + "\" in spec " + spec.op);
    // Re-read the patched parameter through the ordinary parser so types are checked once.
    nlohmann::json merged = nlohmann::json::parse(to_json(*p, spec.doc).dump());
    for (const auto& [k, v] : patch.items()) merged[k] = v;
    CONFORM_TRY(np, param_from_json(merged, r.file(), pr.pointer(), spec.doc));
    np.source = p->source;
    *p = std::move(np);
  }
  return {};
}

Result<void> add_params(Spec& spec, const JsonReader& r) {
  CONFORM_TRY(items, r.array_of("add_params"));
  for (const auto& item : items) {
    nlohmann::json j = item.json();
    std::string parent;
    if (j.is_object() && j.contains("parent")) {
      if (!j["parent"].is_string()) return item.error("parent", "expected a string");
      parent = j["parent"].get<std::string>();
      j.erase("parent");
    }
    CONFORM_TRY(p, param_from_json(j, r.file(), item.pointer(), r.file()));
    p.source.file = std::string(r.file());
    p.source.overlay = true;
    auto& list = [&]() -> std::vector<Param>& {
      if (parent.empty()) return spec.params;
      Param* pp = find_mut(spec.params, parent);
      return pp ? pp->members : spec.params;
    }();
    if (!parent.empty() && !find_mut(spec.params, parent))
      return item.error("parent", "no parameter \"" + parent + "\" to add a member to");
    list.push_back(std::move(p));
  }
  return {};
}

Result<void> merge_rules(Spec& spec, const JsonReader& r) {
  CONFORM_TRY(removals, r.strings_or_empty("remove_rules"));
  for (std::size_t i = 0; i < removals.size(); ++i) {
    auto it = std::find_if(spec.rules.begin(), spec.rules.end(),
                           [&](const Rule& x) { return x.id == removals[i]; });
    if (it == spec.rules.end())
      return r.error("remove_rules", "no rule \"" + removals[i] + "\" to remove");
    spec.rules.erase(it);
    for (auto& e : spec.errors)
      std::erase(e.rules, removals[i]);
  }
  CONFORM_TRY(rules, r.array_of("rules"));
  for (const auto& rj : rules) {
    CONFORM_TRY(rule, rule_from_json(rj.json(), r.file(), rj.pointer(), r.file()));
    rule.source.overlay = true;
    if (rule.source.file.empty() || rule.source.file == r.file()) rule.source.file = std::string(r.file());
    auto it = std::find_if(spec.rules.begin(), spec.rules.end(),
                           [&](const Rule& x) { return x.id == rule.id; });
    if (it != spec.rules.end()) *it = std::move(rule);
    else spec.rules.push_back(std::move(rule));
  }
  return {};
}

// A rule the overlay links to error rows is documented by them: its status and codes
// are the rows' (a template row's "{Parameter}" is not a code and does not count).
// One the overlay marks `ambiguous` stays so, with its note: the rows pin the
// answer, not whether the request is refused (docs/decisions.md, section 4). One the
// overlay's own entry marks `inferred` keeps its expectation, the rows' codes added:
// the rows are among the answers, not the answer (DataDisk.N.index_max: row 476 or
// the index's own codes).
void repin(const Spec& spec, Rule& rule) {
  std::vector<std::string> codes;
  int status = 0;
  for (const auto& e : spec.errors) {
    if (std::find(e.rules.begin(), e.rules.end(), rule.id) == e.rules.end() || e.code.find('{') != std::string::npos)
      continue;
    status = e.status;
    if (std::find(codes.begin(), codes.end(), e.code) == codes.end()) codes.push_back(e.code);
  }
  if (codes.empty()) return;
  if (rule.source.overlay && rule.expect.confidence == Confidence::inferred) {
    for (const std::string& c : codes) {
      if (std::find(rule.expect.codes.begin(), rule.expect.codes.end(), c) == rule.expect.codes.end()) rule.expect.codes.push_back(c);
    }
    return;
  }
  std::sort(codes.begin(), codes.end());
  const bool ambiguous = rule.expect.confidence == Confidence::ambiguous;
  rule.expect = Expectation{status, codes, ambiguous ? Confidence::ambiguous : Confidence::documented};
  if (!ambiguous) rule.note.clear();
}

Result<void> link_errors(Spec& spec, const JsonReader& r) {
  CONFORM_TRY(links, r.array_of("errors"));
  for (const auto& l : links) {
    CONFORM_CHECK(l.only_keys({"code", "message_contains", "rules", "unlinked"}));
    CONFORM_TRY(code, l.str("code"));
    CONFORM_TRY(contains, l.str_or("message_contains", ""));
    CONFORM_TRY(rules, l.strings_or_empty("rules"));
    CONFORM_TRY(unlinked, l.str_or("unlinked", ""));
    bool matched = false;
    for (auto& e : spec.errors) {
      if (e.code != code || e.message.find(contains) == std::string::npos) continue;
      matched = true;
      // The overlay's list replaces what the importer linked: it is the reviewed reading.
      if (l.has("rules")) e.rules = rules;
      if (!unlinked.empty()) {
        e.rules.clear();
        e.unlinked_reason = unlinked;
      } else if (!e.rules.empty()) {
        e.unlinked_reason.clear();
      }
    }
    if (!matched) return l.error("code", "no error row with code \"" + code + "\"" +
                                             (contains.empty() ? "" : " and message containing \"" + contains + "\""));
    for (const auto& id : rules) {
      auto it = std::find_if(spec.rules.begin(), spec.rules.end(), [&](const Rule& x) { return x.id == id; });
      if (it != spec.rules.end()) repin(spec, *it);
    }
  }
  return {};
}

// Where the doc contradicts itself in a way the importer cannot see (an error row's
// message against its own Meaning column), the overlay's reading says so.
Result<void> add_ambiguous(Spec& spec, const JsonReader& r) {
  CONFORM_TRY(items, r.array_of("ambiguous"));
  for (const auto& a : items) {
    CONFORM_CHECK(a.only_keys({"source", "reason"}));
    CONFORM_TRY(src, a.child("source"));
    CONFORM_CHECK(src.only_keys({"line", "quote"}));
    CONFORM_TRY(line, src.integer("line"));
    CONFORM_TRY(quote, src.str_or("quote", ""));
    CONFORM_TRY(reason, a.str("reason"));
    if (line <= 0) return src.error("line", "line must be > 0");
    spec.ambiguous.push_back(Spec::Remark{Source{spec.doc, static_cast<int>(line), std::move(quote), true}, std::move(reason)});
  }
  return {};
}

}  // namespace

Result<void> apply_overlay(Spec& spec, const nlohmann::json& overlay, std::string_view overlay_file) {
  JsonReader r(overlay, overlay_file, "");
  CONFORM_CHECK(r.expect_object());
  CONFORM_CHECK(r.only_keys({"conform_overlay", "params", "add_params", "rules", "remove_rules", "errors", "ambiguous", "notes"}));
  CONFORM_TRY(version, r.integer("conform_overlay"));
  if (version != 1) return r.error("conform_overlay", "unsupported overlay format " + std::to_string(version));
  CONFORM_CHECK(patch_params(spec, r));
  CONFORM_CHECK(add_params(spec, r));
  CONFORM_CHECK(merge_rules(spec, r));
  CONFORM_CHECK(link_errors(spec, r));
  CONFORM_CHECK(add_ambiguous(spec, r));
  return {};
}

}  // namespace conform::spec
