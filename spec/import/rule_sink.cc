// RuleSink, rule construction and the sentence splitter (sentences.h); the sentence
// patterns themselves are in sentences.cc.
#include <cctype>

#include <re2/re2.h>

#include "core/text.h"
#include "spec/import/sentences.h"

namespace conform::import {

using spec::Rule;
using spec::RuleKind;

namespace {

bool same_rule(const Rule& a, const Rule& b) {
  return a.kind == b.kind && a.params == b.params && a.min == b.min && a.max == b.max &&
         a.values == b.values && a.charset == b.charset && a.pattern == b.pattern &&
         a.format == b.format && a.unit == b.unit && a.attr == b.attr && a.quota == b.quota &&
         a.when.has_value() == b.when.has_value() &&
         (!a.when || (a.when->param == b.when->param && a.when->equals == b.when->equals &&
                      a.when->attr == b.when->attr));
}

}  // namespace

std::string RuleSink::add(Rule rule) {
  if (rule.min && rule.max && *rule.min > *rule.max) {
    // "Valid values: 20 to 5": the doc contradicts itself; say so instead of a rule no value can meet.
    spec_.ambiguous.push_back({rule.source, (rule.params.empty() ? std::string() : rule.params[0]) +
                                                ": the doc gives a range whose lower end is above its upper end; no rule"});
    return "";
  }
  for (const auto& r : spec_.rules)
    if (same_rule(r, rule)) return r.id;
  const std::string base = rule.params.empty()
                               ? std::string(spec::to_string(rule.kind)) + "." + rule.quota
                               : rule.params[0] + "." + std::string(spec::to_string(rule.kind));
  std::string id = base;
  for (int n = 2; spec_.find_rule(id); ++n) id = base + "." + std::to_string(n);
  rule.id = id;
  spec_.rules.push_back(std::move(rule));
  return id;
}

Rule make_rule(RuleKind kind, std::vector<std::string> params, const std::string& file, int line,
               const std::string& quote) {
  Rule r;
  r.kind = kind;
  r.params = std::move(params);
  r.source = spec::Source{file, line, quote, false};
  return r;
}

std::vector<std::string> split_sentences(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < line.size(); ++i) {
    cur.push_back(line[i]);
    const bool end = line[i] == '.' || line[i] == '!' || line[i] == '?';
    if (!end || i + 1 >= line.size() || line[i + 1] != ' ') continue;
    // "e.g. x", "i.e. x", "vs. x" do not end a sentence; a following lower-case word does not either.
    const std::string lower = text::to_lower(cur);
    if (lower.ends_with("e.g.") || lower.ends_with("i.e.") || lower.ends_with("vs.")) continue;
    if (i + 2 < line.size() && std::islower(static_cast<unsigned char>(line[i + 2]))) continue;
    out.emplace_back(text::trim(cur));
    cur.clear();
  }
  if (!text::trim(cur).empty()) out.emplace_back(text::trim(cur));
  return out;
}

bool constraint_bearing(const std::string& s) {
  // Strong words bear a constraint on their own; weak ones ("maximum", "size") only
  // next to a number, so that "The maximum outbound bandwidth" is description.
  static const RE2 strong(
      R"((?i)\b(must|cannot|can't|can contain|can only|valid values|value range|valid range|)"
      R"(ranges? from|required|mandatory|characters|format|unique|ignored|both|depends|start with|)"
      R"(default|options|value:|not exceed|in pairs|idempoten|encoded|supported|set to|equal to)\b)");
  static const RE2 weak(R"((?i)\b(only|maximum|minimum|at least|up to|no more than|length|size|greater|less than)\b)");
  static const RE2 digit(R"(\d)");
  return RE2::PartialMatch(s, strong) || (RE2::PartialMatch(s, weak) && RE2::PartialMatch(s, digit));
}

}  // namespace conform::import
