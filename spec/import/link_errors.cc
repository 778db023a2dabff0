#include "spec/import/link_errors.h"

#include <algorithm>
#include <set>

#include <re2/re2.h>

#include "core/text.h"

namespace conform::import {

using spec::Param;
using spec::Rule;
using spec::RuleKind;

std::string compact_name(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path.compare(i, 3, ".N.") == 0) { i += 1; continue; }
    if (path.compare(i, 6, ".{key}") == 0) { i += 5; continue; }
    if (path[i] == '.') continue;
    out.push_back(path[i]);
  }
  return out;
}

namespace {

void all_paths(const std::vector<Param>& params, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& p : params) {
    out.push_back(prefix + p.name);
    all_paths(p.members, prefix + p.name + ".", out);
  }
}

std::vector<std::string> param_paths(const spec::Spec& spec) {
  std::vector<std::string> out;
  all_paths(spec.params, "", out);
  return out;
}

bool is_value_rule(RuleKind k) {
  switch (k) {
    case RuleKind::type: case RuleKind::length: case RuleKind::range: case RuleKind::enumeration:
    case RuleKind::charset: case RuleKind::first_char: case RuleKind::forbidden_prefix:
    case RuleKind::forbidden_suffix: case RuleKind::forbidden_substring: case RuleKind::char_classes:
    case RuleKind::pattern: case RuleKind::format: case RuleKind::items: case RuleKind::index_max:
    case RuleKind::range_if: case RuleKind::enum_if:
      return true;
    default:
      return false;
  }
}

// The parameter an error row is about: named in its message, or in its code.
// `key` is set when the message is about the keys of a map ("UserData.{key}").
std::string subject(const spec::Spec& spec, const RawError& e, bool& key) {
  key = false;
  const auto paths = param_paths(spec);
  std::string named;
  static const RE2 quoted(R"((?i)parameter\s+"\s*([\w.{}]+)\s*")");
  static const RE2 bare(R"((?i)(?:input parameter|specified parameter|parameter)\s+([\w.{}]+))");
  static const RE2 mandatory(R"(^([\w.{}]+) is mandatory)");
  if (RE2::PartialMatch(e.message, quoted, &named) || RE2::PartialMatch(e.message, mandatory, &named) ||
      RE2::PartialMatch(e.message, bare, &named)) {
    // "UserData.{key}.value" is the value of a map entry: the member "{key}".
    if (named.ends_with(".{key}.value")) named.resize(named.size() - 6);
    else if (named.ends_with(".{key}")) key = true;
    for (const auto& p : paths)
      if (p == named) return p;
    key = false;
    for (const auto& p : paths)
      if (compact_name(p) == compact_name(named) && named.find("{key}") == std::string::npos) return p;
  }
  // From the code: Invalid<X>[.Suffix], Missing<X>, <X>.NotFound.
  std::string core = e.code;
  for (const char* prefix : {"Invalid", "Missing", "QuotaExhausted."})
    if (core.starts_with(prefix)) core = core.substr(std::string(prefix).size());
  static const RE2 suffix(R"(^(.*?)\.(Malformed|ValueNotSupported|NotFound|NotSupported|TooSmall|Mismatch|Unnecessary|Necessary|Creating|NotReady|BasedSnapshotTooOld|LessThanImageSize|Forbidden|InUse|NotSupport|NotInDefaultVpc)$)");
  std::string stem, sfx;
  if (RE2::FullMatch(core, suffix, &stem, &sfx)) core = stem;
  std::string best;
  for (const auto& p : paths) {
    if (text::equals_ci(compact_name(p), compact_name(core))) return p;
    // "DeploymentSet.NotFound" is about DeploymentSetId.
    if (sfx == "NotFound" && (text::equals_ci(p, core + "Id") || text::equals_ci(p, core + "Name"))) return p;
    const auto dot = p.rfind('.');
    const std::string last = dot == std::string::npos ? p : p.substr(dot + 1);
    if (text::equals_ci(last, core) && best.empty()) best = p;
  }
  return best;
}

// A dotted name the message gives that is no parameter of the spec.
std::string absent_name(const spec::Spec& spec, const RawError& e) {
  static const RE2 dotted(R"(\b([A-Za-z]\w*(?:\.[A-Za-z{][\w{}]*)+)\b)");
  static const RE2 input(R"((?i)(?:input parameter|parameter)\s+"?\s*([A-Za-z][\w.]*))");
  std::string n;
  if ((RE2::PartialMatch(e.message, input, &n) || RE2::PartialMatch(e.message, dotted, &n)) && !spec.find_param(n))
    return n;
  return "";
}

std::string unlinked_reason(const RawError& e) {
  const std::string l = text::to_lower(e.code + " " + e.message + " " + e.description);
  for (const char* w : {"account", "balance", "authoriz", "authority", "real-name", "arrearage", "payment"})
    if (l.find(w) != std::string::npos) return "account state: not a property of the request";
  if (l.find("internalerror") != std::string::npos || l.find("unknown error") != std::string::npos)
    return "server fault: no request is meant to cause it";
  for (const char* w : {"stock", "not enough", "insufficient", "no enough", "out of usage", "lackresource", "not available", "not offer"})
    if (l.find(w) != std::string::npos) return "capacity or availability of the region: not modelled from the doc";
  if (e.message == "%s") return "the doc gives no message or trigger (\"%s\"): no request can be tied to it";
  return "no rule in the spec produces it: the doc names no parameter or condition that triggers it";
}

}  // namespace

void link_errors(RuleSink& sink, const RawDoc& doc) {
  auto& spec = sink.spec();
  for (const auto& e : doc.errors) {
    if (e.status.size() == 3 && e.status[0] == '2') continue;  // the success status, not an error
    spec::ErrorRow row;
    row.status = e.status.empty() ? 0 : static_cast<int>(text::parse_integer(e.status).value_or(0));
    if (row.status < 100 || row.status > 599) {
      // A row without a usable status is still a row of the doc: keep it, unlinked, and say so.
      spec.ambiguous.push_back({spec::Source{doc.file, e.line, e.code, false},
                                "error row " + e.code + " has no HTTP status (\"" + e.status + "\"); read as 400"});
      row.status = 400;
    }
    row.code = e.code;
    row.message = e.message;
    row.description = e.description;
    row.source = spec::Source{doc.file, e.line, "", false};
    bool key = false;
    const std::string about = subject(spec, e, key);
    std::set<std::string> ids;
    if (!about.empty()) {
      const Param* p = spec.find_param(about);
      SentenceScope scope{about, p ? p->type : spec::ParamType::String, std::nullopt, key ? "key" : ""};
      if (key) {
        // "Its size must be in [1, 64]" of a map key can only be its length.
        static const RE2 size(R"((?i)its size must be in \[(\d+),\s*(\d+)\])");
        std::string a, b;
        if (RE2::PartialMatch(e.message, size, &a, &b)) {
          Rule r = make_rule(RuleKind::length, {about}, doc.file, e.line, e.message);
          r.attr = "key";
          r.min = std::stod(a);
          r.max = std::stod(b);
          r.note = "\"size\" of a map key read as its length";
          if (auto id = sink.add(std::move(r)); !id.empty()) ids.insert(id);
          spec.ambiguous.push_back({spec::Source{doc.file, e.line, e.message, false},
                                    about + ": \"Its size must be in [" + a + ", " + b +
                                        "]\" of a map entry; read as the length of its key (the entries' members are fixed)"});
        }
      }
      for (const std::string* text : {&e.message, &e.description}) {
        if (key && !ids.empty()) break;
        for (const auto& sentence : split_sentences(*text)) {
          SentenceRecord rec{e.line, about, sentence, {}, ""};
          read_sentence(sink, scope, sentence, e.line, rec);
          for (auto& id : rec.rules) ids.insert(id);
          if (!rec.rules.empty()) sink.log().push_back(std::move(rec));
        }
      }
      const std::string code = e.code;
      const std::string lower = text::to_lower(e.message);
      const bool missing = code.starts_with("Missing") || lower.find("mandatory") != std::string::npos ||
                           lower.find("not supplied") != std::string::npos;
      const bool type_msg = lower.find("type must be") != std::string::npos;
      for (const auto& r : spec.rules) {
        if (r.params.empty() || r.params[0] != about) continue;
        if (missing && r.kind == RuleKind::required) ids.insert(r.id);
        if (code.ends_with(".NotFound") && r.kind == RuleKind::reference) ids.insert(r.id);
        if (type_msg && r.kind == RuleKind::type) ids.insert(r.id);
      }
      // The table's "Required: No" wins over a Missing row: such a row must come from a
      // condition stated elsewhere (PrivateIpAddress needs VSwitchId), which the overlay links.
      bool table_optional = false;
      for (const auto& rp : doc.request)
        if (rp.path.empty() && rp.name == about && text::equals_ci(text::trim(rp.required), "no")) table_optional = true;
      if (missing && ids.empty() && p && !table_optional) {
        // A Missing row for a parameter the table calls optional: the row is the
        // stronger statement of requiredness only when nothing else covers it.
        Rule r = make_rule(RuleKind::required, {about}, doc.file, e.line, e.code + " " + e.message);
        r.note = "required only by the error table's Missing row";
        if (auto id = sink.add(std::move(r)); !id.empty()) ids.insert(id);
      }
      if (type_msg && ids.empty()) {
        if (auto id = sink.add(make_rule(RuleKind::type, {about}, doc.file, e.line, e.message)); !id.empty()) ids.insert(id);
      }
      // Only a row that says the value is malformed or unsupported speaks for the value rules;
      // ".Forbidden", ".NotSupported", ".Necessary" and the like name other conditions.
      static const RE2 value_code(R"(^Invalid[\w{}.]*?(?:\.(?:Malformed|ValueNotSupported))?$)");
      static const RE2 other_suffix(R"(\.(?:Forbidden|NotSupported|NotSupport|Necessary|Unnecessary|Creating|Mismatch|TooSmall|NotReady|InUse|Offline|ZoneNotSupported|ValueUnauthorized|LessThanImageSize|BasedSnapshotTooOld|NotInDefaultVpc|ClassicNetworkNotSupport|LocalDiskNotSupport|ExceededDedicatedHost|LowerThanPublicPrice|KmsNotEnabled)$)");
      if (ids.empty() && !missing && !code.ends_with(".NotFound") && RE2::FullMatch(code, value_code) &&
          !RE2::PartialMatch(code, other_suffix)) {
        for (const auto& r : spec.rules)
          if (!r.params.empty() && r.params[0] == about && is_value_rule(r.kind)) ids.insert(r.id);
      }
    }
    static const RE2 quota_name(R"(QuotaExhausted\.(\w+))");
    if (RE2::FullMatch(e.code, quota_name)) {
      Rule r = make_rule(RuleKind::quota, {}, doc.file, e.line, e.message);
      r.quota = e.code.substr(15);
      if (auto id = sink.add(std::move(r)); !id.empty()) ids.insert(id);
    }
    if (text::to_lower(e.code).find("idempotent") != std::string::npos) {
      for (const auto& r : spec.rules)
        if (r.kind == RuleKind::idempotency) ids.insert(r.id);
    }
    ids.erase("");
    row.rules.assign(ids.begin(), ids.end());
    if (row.rules.empty()) {
      const std::string absent = about.empty() ? absent_name(spec, e) : "";
      row.unlinked_reason = !about.empty() ? "about " + about + ", but no rule of the spec states what triggers it"
                            : !absent.empty() ? "names " + absent + ", which is not a parameter of " + spec.op +
                                                    " (neither its table nor its example request has it)"
                                              : unlinked_reason(e);
    }
    spec.errors.push_back(std::move(row));
  }
}

}  // namespace conform::import
