#include "spec/import/sentences.h"

#include <algorithm>

#include <re2/re2.h>

#include "core/text.h"
#include "spec/import/charsets.h"

namespace conform::import {

using spec::Rule;
using spec::RuleKind;

namespace {

double num(std::string s) {
  while (!s.empty() && (s.back() == ',' || s.back() == '.')) s.pop_back();
  return static_cast<double>(text::parse_integer(s).value_or(0));
}

}  // namespace

namespace {

struct Reader {
  RuleSink& sink;
  const SentenceScope& scope;
  const std::string& s;
  int line;
  SentenceRecord& rec;

  Rule rule(RuleKind kind, std::vector<std::string> params = {}) {
    if (params.empty()) params = {scope.param};
    Rule r = make_rule(kind, std::move(params), sink.file(), line, s);
    r.when = scope.when;
    r.attr = scope.attr;
    return r;
  }
  void add(Rule r) {
    std::string id = sink.add(std::move(r));
    if (!id.empty()) rec.rules.push_back(std::move(id));
  }

  bool numeric() const {
    using spec::ParamType;
    return scope.type == ParamType::Integer || scope.type == ParamType::Long ||
           scope.type == ParamType::Float || scope.type == ParamType::Double;
  }

  void lengths() {
    std::string a, b, unit;
    static const RE2 between(R"((?i)(\d[\d,]*)\s*(?:to|-|–)\s*(\d[\d,]*)\s*(?:ASCII\s+|UTF-8\s+)?(characters|bytes|chars)\b)");
    static const RE2 at_most(R"((?i)(?:no more than|up to|a maximum of|at most|not exceed|no longer than)\s*(\d[\d,]*)\s*(?:ASCII\s+|UTF-8\s+)?(characters|bytes)\b)");
    static const RE2 bracket(R"((?i)length must be in \[(\d+),\s*(\d+)\])");
    static const RE2 kb(R"((?i)maximum size of .* is (\d+)\s*KB)");
    if (RE2::PartialMatch(s, between, &a, &b, &unit) || RE2::PartialMatch(s, bracket, &a, &b)) {
      Rule r = rule(RuleKind::length);
      r.min = num(a);
      r.max = num(b);
      r.unit = text::to_lower(unit) == "bytes" ? spec::LengthUnit::bytes : spec::LengthUnit::chars;
      add(std::move(r));
    } else if (RE2::PartialMatch(s, at_most, &b, &unit)) {
      Rule r = rule(RuleKind::length);
      r.max = num(b);
      r.unit = text::to_lower(unit) == "bytes" ? spec::LengthUnit::bytes : spec::LengthUnit::chars;
      add(std::move(r));
    } else if (RE2::PartialMatch(s, kb, &b)) {
      Rule r = rule(RuleKind::length);
      r.max = num(b) * 1024;
      r.unit = spec::LengthUnit::bytes;
      add(std::move(r));
    }
    static const RE2 not_empty(R"((?i)cannot be left empty|must not be empty|cannot be empty)");
    if (RE2::PartialMatch(s, not_empty)) {
      Rule r = rule(RuleKind::length);
      r.min = 1;
      add(std::move(r));
    }
  }

  void ranges() {
    std::string a, b;
    static const RE2 valid(R"((?i)(?:valid values|value range|valid range|values range)\s*:?\s*(-?\d[\d,]*)\s*(?:to|–|-|~)\s*(-?\d[\d,]*))");
    static const RE2 bracket(R"((?i)(?:^|[^h] )(?:it|value) must be in \[(-?\d+),\s*(-?\d+)\])");
    static const RE2 size(R"((?i)size must be in \[(\d+),\s*(\d+)\])");
    if ((RE2::PartialMatch(s, valid, &a, &b) || RE2::PartialMatch(s, bracket, &a, &b)) &&
        (numeric() || scope.type == spec::ParamType::Array)) {
      Rule r = rule(scope.type == spec::ParamType::Array ? RuleKind::range : RuleKind::range);
      r.min = num(a);
      r.max = num(b);
      add(std::move(r));
    }
    if (RE2::PartialMatch(s, size, &a, &b)) {
      Rule r = rule(RuleKind::items);
      r.min = num(a);
      r.max = num(b);
      add(std::move(r));
    }
    static const RE2 index(R"((?i)\bn ranges from (\d+) to (\d+))");
    static const RE2 index_max(R"((?i)maximum value of n\s*:\s*(\d+))");
    const auto dot_n = scope.param.find(".N.");
    if (dot_n != std::string::npos) {
      const std::string family = scope.param.substr(0, dot_n + 2);
      if (RE2::PartialMatch(s, index, &a, &b)) {
        Rule r = rule(RuleKind::index_max, {family});
        r.min = num(a);
        r.max = num(b);
        r.when.reset();
        add(std::move(r));
      } else if (RE2::PartialMatch(s, index_max, &b)) {
        Rule r = rule(RuleKind::index_max, {family});
        r.min = 1;
        r.max = num(b);
        r.when.reset();
        add(std::move(r));
      }
    }
    static const RE2 items(R"((?i)a maximum of (\d+) [\w\s]*?can be specified)");
    if (RE2::PartialMatch(s, items, &b)) {
      Rule r = rule(RuleKind::items);
      static const RE2 one_or_more(R"((?i)one or more)");
      if (RE2::PartialMatch(s, one_or_more)) r.min = 1;
      r.max = num(b);
      add(std::move(r));
    }
  }

  void enums() {
    std::string list;
    static const RE2 inline_valid(R"((?i)valid values\s*:\s*(.+?)\s*(?:if (\S+) is set to (\S+?)\.?)?$)");
    static const RE2 value(R"((?i)^value:\s*(\S+?)\.?$)");
    static const RE2 set_value(R"((?i)set the value to (\w+))");
    static const RE2 must_be_set(R"((?i)must be set to (.+?)\.?$)");
    static const RE2 only_supported(R"((?i)only (?:the )?(\w+) (?:\w+ )?(?:is|are) supported)");
    static const RE2 braced_if(R"((?i)^\{(.+)\}\s*if (\w+) is set to (\w+)\.?$)");
    static const RE2 value_can_be(R"((?i)(?:for an? (.+?),\s*)?the value can be (.+?)\.?$)");
    std::string when_param, when_value, kind;
    if (RE2::FullMatch(s, braced_if, &list, &when_param, &when_value)) {
      Rule r = rule(RuleKind::enum_if);
      r.values = list_values(list);
      r.when = spec::Condition{when_param, {when_value}, "", ""};
      add(std::move(r));
      return;
    }
    if (RE2::PartialMatch(s, value_can_be, &kind, &list) && !scope.param.empty()) {
      // "For a cluster DCS instance, the value can be 64, 128, ...": the condition names a
      // kind of instance, not a parameter, so the values join one enum and the spec says so.
      auto values = list_values(list);
      for (auto& r : sink.spec().rules) {
        if (r.kind != RuleKind::enumeration || r.params != std::vector<std::string>{scope.param}) continue;
        for (const auto& v : values)
          if (std::find(r.values.begin(), r.values.end(), v) == r.values.end()) r.values.push_back(v);
        r.source.quote += " " + s;
        rec.rules.push_back(r.id);
        values.clear();
      }
      if (!values.empty()) {
        Rule r = rule(RuleKind::enumeration);
        r.values = values;
        add(std::move(r));
      }
      if (!kind.empty()) {
        sink.spec().ambiguous.push_back({spec::Source{sink.file(), line, s, false},
                                         scope.param + ": the allowed values depend on \"" + kind +
                                             "\", which no parameter states; the spec takes the union of the lists"});
      }
      return;
    }
    if (RE2::PartialMatch(s, inline_valid, &list, &when_param, &when_value)) {
      std::string a, b;
      static const RE2 range_like(R"(^-?\d[\d,]*\s*(?:to|–|-|~)\s*-?\d[\d,]*)");
      if (list.empty() || RE2::PartialMatch(list, range_like)) return;
      auto values = list_values(list);
      if (values.empty() || scope.type == spec::ParamType::Boolean) return;
      Rule r = rule(when_param.empty() ? RuleKind::enumeration : RuleKind::enum_if);
      r.values = values;
      if (!when_param.empty()) r.when = spec::Condition{when_param, {when_value}, "", ""};
      add(std::move(r));
    } else if (RE2::PartialMatch(s, value, &list) || RE2::PartialMatch(s, set_value, &list)) {
      Rule r = rule(RuleKind::enumeration);
      r.values = {list};
      add(std::move(r));
    } else if (RE2::PartialMatch(s, must_be_set, &list) && !scope.param.empty()) {
      auto values = list_values(list);
      if (values.size() < 2) return;
      Rule r = rule(RuleKind::enumeration);
      r.values = values;
      add(std::move(r));
    } else if (RE2::PartialMatch(s, only_supported, &list)) {
      Rule r = rule(RuleKind::enumeration);
      r.values = {list};
      r.note = "read from \"only ... is supported\": the doc lists no other value";
      add(std::move(r));
    }
  }

  void characters() {
    std::string list;
    static const RE2 within(R"((?i)contain characters within \[([^\]]+)\])");
    static const RE2 contain(R"((?i)(?:can|may|must|that|and)\s+(?:only\s+)?contains?\s+(?:only\s+)?(.+?)(?:\s+and\s+(?:must|cannot|can)\b|\.\s|\.$|$))");
    static const RE2 including(R"((?i)characters?,? including (.+?)(?:\.$|$))");
    static const RE2 negative(R"((?i)(?:cannot|can't|must not) contain)");
    if (RE2::PartialMatch(s, within, &list)) {
      Rule r = rule(RuleKind::charset);
      r.charset = canonical_charset(list);
      add(std::move(r));
      return;
    }
    if (RE2::PartialMatch(s, negative)) return;
    if (RE2::PartialMatch(s, contain, &list) || RE2::PartialMatch(s, including, &list)) {
      const std::string cs = charset_from_list(list);
      if (cs.empty()) return;
      Rule r = rule(RuleKind::charset);
      r.charset = cs;
      if (text::to_lower(list).find("special characters") != std::string::npos)
        r.note = "special characters: see the list that follows in the doc";
      add(std::move(r));
    }
    // "no more than 64 ASCII characters in length" bounds the characters as well as the length.
    static const RE2 ascii(R"((?i)\d+\s+ASCII characters)");
    if (RE2::PartialMatch(s, ascii)) {
      Rule r = rule(RuleKind::charset);
      r.charset = canonical_charset("\\x00-\\x7F");
      add(std::move(r));
    }
    static const RE2 separated(R"((?i)can be separated by (.+?)\.?$)");
    if (RE2::PartialMatch(s, separated, &list)) {
      // "It can be separated by periods (.)": the separator joins the charset of the same scope.
      const std::string extra = escape_class(paren_chars(list));
      for (auto& r : sink.spec().rules) {
        const bool same_when = r.when.has_value() == scope.when.has_value() &&
                               (!r.when || (r.when->param == scope.when->param && r.when->equals == scope.when->equals));
        if (r.kind == RuleKind::charset && r.params == std::vector<std::string>{scope.param} && same_when && !extra.empty()) {
          r.charset = canonical_charset(r.charset + extra);
          r.source.quote += " " + s;
          rec.rules.push_back(r.id);
        }
      }
    }
  }

  void starts_and_ends() {
    std::string what;
    static const RE2 must_start(R"((?i)must (?:start|begin) with (?:a |an )?([\w\s]+?)(?:\.|,|$| and ))");
    static const RE2 cannot_start_num(R"((?i)(?:cannot|must not|can't) start with (?:a )?(?:number|digit|\[0-9\]))");
    static const RE2 cannot_start(R"((?i)(?:cannot|can't|must not|may not) start with (.+?)\.?$)");
    static const RE2 start_or_end(R"((?i)cannot start or end with (.+?)(?:\s+It\s|\.$|$))");
    static const RE2 consecutive(R"((?i)cannot contain consecutive (.+?)(?:\.$|$))");
    static const RE2 cannot_contain(R"((?i)cannot contain ([^.]+?\(.\))(?: or | and |\.|$))");
    static const RE2 only_digits(R"((?i)(?:or|cannot) contain only digits)");
    if (RE2::PartialMatch(s, start_or_end, &what)) {
      const std::string chars = paren_chars(what);
      std::vector<std::string> vals;
      for (char c : chars) vals.emplace_back(1, c);
      if (!vals.empty()) {
        Rule p = rule(RuleKind::forbidden_prefix);
        p.values = vals;
        add(p);
        Rule q = rule(RuleKind::forbidden_suffix);
        q.values = vals;
        add(std::move(q));
      }
    } else if (RE2::PartialMatch(s, cannot_start_num)) {
      Rule r = rule(RuleKind::first_char);
      r.charset = "^0-9";
      add(std::move(r));
    } else if (RE2::PartialMatch(s, cannot_start, &what)) {
      std::vector<std::string> vals;
      const std::string chars = paren_chars(what);
      if (what.find("://") != std::string::npos || chars.empty()) {
        vals = list_values(what);
      } else {
        for (char c : chars) vals.emplace_back(1, c);
      }
      if (!vals.empty()) {
        Rule r = rule(RuleKind::forbidden_prefix);
        r.values = vals;
        add(std::move(r));
      }
    }
    if (RE2::PartialMatch(s, must_start, &what)) {
      const std::string w = text::to_lower(what);
      std::string cs;
      if (w.find("letter") != std::string::npos) cs += w.find("uppercase") != std::string::npos ? "A-Z" : w.find("lowercase") != std::string::npos ? "a-z" : "A-Za-z";
      if (w.find("digit") != std::string::npos || w.find("number") != std::string::npos) cs += "0-9";
      if (w.find("underscore") != std::string::npos) cs += "_";
      if (!cs.empty()) {
        Rule r = rule(RuleKind::first_char);
        r.charset = cs;
        add(std::move(r));
      }
    }
    if (RE2::PartialMatch(s, consecutive, &what)) {
      std::vector<std::string> vals;
      for (char c : paren_chars(what)) vals.push_back(std::string(2, c));
      if (!vals.empty()) {
        Rule r = rule(RuleKind::forbidden_substring);
        r.values = vals;
        add(std::move(r));
      }
    } else if (RE2::PartialMatch(s, cannot_contain, &what)) {
      std::vector<std::string> vals;
      for (char c : paren_chars(what)) vals.emplace_back(1, c);
      if (!vals.empty()) {
        Rule r = rule(RuleKind::forbidden_substring);
        r.values = vals;
        add(std::move(r));
      }
    }
    if (RE2::PartialMatch(s, only_digits)) {
      Rule r = rule(RuleKind::pattern);
      r.pattern = ".*[^0-9].*";
      r.note = "\"cannot contain only digits\"";
      add(std::move(r));
    }
  }

  void formats() {
    std::string f;
    static const RE2 base64(R"((?i)encoded in base64)");
    static const RE2 format(R"((?i)^format:\s*([A-Za-z:\-]+?)\.?$)");
    if (RE2::PartialMatch(s, base64)) {
      Rule r = rule(RuleKind::format);
      r.format = "base64";
      add(std::move(r));
    }
    if (RE2::PartialMatch(s, format, &f)) {
      Rule r = rule(RuleKind::format);
      r.format = f;
      add(std::move(r));
    }
  }

  void cross() {
    std::string a, b;
    static const RE2 required_when(R"((?i)(?:this parameter|the parameter|it) is (?:required|mandatory) when \**(\w+)\** is set to \**([\w.]+?)\**\.?$)");
    static const RE2 valid_required(R"((?i)is valid and required only when `?(\w+)`? is set to `?(\w+)`?)");
    static const RE2 must_be_null(R"((?i)if (\w+) is specified, (\w+) must be null)");
    static const RE2 depends(R"((?i)`?([\w.]+)`? depends on `?([\w.]+)`?)");
    static const RE2 both_not(R"((?i)cannot specify both (?:of )?(?:the )?(\w+) (?:and|or) (?:the )?(\w+))");
    static const RE2 both_must(R"((?i)must specify both (?:of )?(?:the )?([\w.]+) and (?:the )?([\w.]+))");
    static const RE2 pairs(R"((?i)parameters \**(\w+)\** and \**(\w+)\** must be set in pairs)");
    if (RE2::PartialMatch(s, required_when, &a, &b) || RE2::PartialMatch(s, valid_required, &a, &b)) {
      Rule r = rule(RuleKind::required_if);
      r.when = spec::Condition{a, {b}, "", ""};
      add(std::move(r));
    } else if (RE2::PartialMatch(s, must_be_null, &a, &b)) {
      Rule r = rule(RuleKind::forbidden_with, {b});
      r.when = spec::Condition{a, {"true"}, "", ""};
      r.note = "\"is specified\" read as \"is true\" (the error table: \"should be null when passwdInherit is true\")";
      add(std::move(r));
    } else if (RE2::PartialMatch(s, depends, &a, &b)) {
      add(rule(RuleKind::requires_param, {a, b}));
    } else if (RE2::PartialMatch(s, both_not, &a, &b)) {
      add(rule(RuleKind::exclusive, {a, b}));
    } else if (RE2::PartialMatch(s, both_must, &a, &b) || RE2::PartialMatch(s, pairs, &a, &b)) {
      add(rule(RuleKind::pair, {a, b}));
    }
    static const RE2 valid_only(R"((?i)(?:is|are) valid only when `?(\w+)`? is set to `?(\w+)`?)");
    if (rec.rules.empty() && RE2::PartialMatch(s, valid_only, &a, &b)) {
      sink.spec().ambiguous.push_back(
          {spec::Source{sink.file(), line, s, false},
           scope.param + " is \"valid only when " + a + " is set to " + b +
               "\": the doc does not say whether another value of " + a + " makes the request fail or the parameter ignored; read as ignored (no rule)"});
      rec.outcome += "ambiguous: valid-only-when, read as ignored otherwise; ";
    }
    static const RE2 ignored(R"((?i)(?:is|are|will be) ignored)");
    if (rec.rules.empty() && RE2::PartialMatch(s, ignored)) rec.outcome += "the doc says the value is ignored: nothing to reject; ";
    static const RE2 old_password(R"((?i)different from the old)");
    if (RE2::PartialMatch(s, old_password)) rec.outcome += "does not apply to a create operation: there is no old value; ";
    static const RE2 unique_among(R"((?i)unique among)");
    if (RE2::PartialMatch(s, unique_among)) rec.outcome += "the client's duty: restates the idempotency token's contract; ";
    static const RE2 idem(R"((?i)idempoten)");
    if (RE2::PartialMatch(s, idem) && !scope.param.empty()) add(rule(RuleKind::idempotency));
  }
};

}  // namespace

void read_sentence(RuleSink& sink, const SentenceScope& scope, const std::string& sentence, int line,
                   SentenceRecord& rec) {
  Reader r{sink, scope, sentence, line, rec};
  if (!scope.param.empty()) {
    r.lengths();
    r.ranges();
    r.enums();
    r.characters();
    r.starts_and_ends();
    r.formats();
  }
  r.cross();
}

}  // namespace conform::import
