#include "spec/import/sentences.h"

#include <algorithm>

#include <re2/re2.h>

#include "core/text.h"

namespace conform::import {

using spec::Rule;
using spec::RuleKind;

namespace {

double num(std::string s) {
  while (!s.empty() && (s.back() == ',' || s.back() == '.')) s.pop_back();
  return static_cast<double>(text::parse_integer(s).value_or(0));
}

bool same_rule(const Rule& a, const Rule& b) {
  return a.kind == b.kind && a.params == b.params && a.min == b.min && a.max == b.max &&
         a.values == b.values && a.charset == b.charset && a.pattern == b.pattern &&
         a.format == b.format && a.unit == b.unit && a.attr == b.attr && a.quota == b.quota &&
         a.when.has_value() == b.when.has_value() &&
         (!a.when || (a.when->param == b.when->param && a.when->equals == b.when->equals &&
                      a.when->attr == b.when->attr));
}

// Values of a list written in prose: "Week and Month", "{“1”, “2”}", "22:00:00, 02:00:00, or 18:00:00".
std::vector<std::string> list_values(std::string s) {
  for (const char* junk : {"\xe2\x80\x9c", "\xe2\x80\x9d", "\"", "{", "}", "\\"}) {
    for (auto p = s.find(junk); p != std::string::npos; p = s.find(junk)) s.erase(p, std::string(junk).size());
  }
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string v(text::trim(cur));
    if (v.starts_with("and ")) v = v.substr(4);
    if (v.starts_with("or ")) v = v.substr(3);
    while (!v.empty() && (v.back() == '.' || v.back() == ',')) v.pop_back();
    v = std::string(text::trim(v));
    if (!v.empty()) out.push_back(v);
    cur.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ',') { flush(); continue; }
    if (s.compare(i, 5, " and ") == 0 || s.compare(i, 4, " or ") == 0) {
      flush();
      i += s.compare(i, 5, " and ") == 0 ? 3 : 2;
      continue;
    }
    cur.push_back(s[i]);
  }
  flush();
  return out;
}

// Characters in parentheses: "colons (:), underscores (_)" -> ":_".
std::string paren_chars(const std::string& s) {
  std::string out;
  re2::StringPiece in(s);
  std::string c;
  static const RE2 re(R"(\((\S{1,3})\))");
  while (RE2::FindAndConsume(&in, re, &c)) {
    if (c == "()") c = "()";
    out += c;
  }
  return out;
}

std::string escape_class(const std::string& chars) {
  std::string out;
  for (char c : chars) {
    if (c == '\\' || c == ']' || c == '[' || c == '^' || c == '-') out.push_back('\\');
    out.push_back(c);
  }
  return out;
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

std::string canonical_charset(const std::string& cls) {
  RE2 re("[" + cls + "]");
  if (!re.ok()) return cls;
  std::string out;
  auto emit = [&](int a, int b) {
    auto one = [&](int c) {
      const char ch = static_cast<char>(c);
      if (ch == '\\' || ch == ']' || ch == '[' || ch == '^' || ch == '-') out.push_back('\\');
      if (c < 0x20 || c == 0x7f) {
        static const char* hex = "0123456789ABCDEF";
        out += "\\x";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
        return;
      }
      out.push_back(ch);
    };
    one(a);
    if (b > a + 1) out.push_back('-');
    if (b > a) one(b);
  };
  int start = -1;
  for (int c = 0; c <= 128; ++c) {
    const bool in = c < 128 && RE2::FullMatch(std::string(1, static_cast<char>(c)), re);
    if (in && start < 0) start = c;
    if (!in && start >= 0) {
      emit(start, c - 1);
      start = -1;
    }
  }
  // What lies beyond ASCII (\p{Han}, U+2032) is kept as written.
  for (std::size_t i = 0; i < cls.size(); ++i) {
    if (cls.compare(i, 2, "\\p") == 0) {
      const auto close = cls.find('}', i);
      if (close != std::string::npos) {
        out += cls.substr(i, close - i + 1);
        i = close;
      }
    } else if (static_cast<unsigned char>(cls[i]) >= 0x80) {
      out.push_back(cls[i]);
    }
  }
  return out;
}

std::string charset_from_list(const std::string& list) {
  const std::string l = text::to_lower(list);
  std::string out;
  const bool upper = l.find("uppercase") != std::string::npos;
  const bool lower = l.find("lowercase") != std::string::npos;
  if (l.find("letters") != std::string::npos) {
    if (upper && !lower) out += "A-Z";
    else if (lower && !upper) out += "a-z";
    else out += "A-Za-z";
  }
  if (l.find("digits") != std::string::npos || l.find("numbers") != std::string::npos) out += "0-9";
  if (l.find("chinese characters") != std::string::npos) out += "\\p{Han}";
  if (l.find("ascii characters") != std::string::npos) out += "\\x00-\\x7F";
  // Punctuation named without its character in parentheses.
  const std::pair<const char*, const char*> named[] = {{"underscores", "_"}, {"hyphens", "\\-"},
                                                       {"periods", "."}, {"colons", ":"}};
  for (const auto& [word, ch] : named) {
    const auto at = l.find(word);
    if (at != std::string::npos && (at + std::string(word).size() >= l.size() || l[at + std::string(word).size()] != ' ' ||
                                    l.compare(at + std::string(word).size(), 2, " (") != 0))
      out += ch;
  }
  out += escape_class(paren_chars(list));
  return out.empty() ? out : canonical_charset(out);
}

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
      r.when = spec::Condition{when_param, {when_value}, ""};
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
      if (!when_param.empty()) r.when = spec::Condition{when_param, {when_value}, ""};
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
      r.when = spec::Condition{a, {b}, ""};
      add(std::move(r));
    } else if (RE2::PartialMatch(s, must_be_null, &a, &b)) {
      Rule r = rule(RuleKind::forbidden_with, {b});
      r.when = spec::Condition{a, {"true"}, ""};
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
