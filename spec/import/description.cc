#include "spec/import/description.h"

#include <re2/re2.h>

#include "core/text.h"

namespace conform::import {

using spec::Rule;
using spec::RuleKind;

namespace {

enum class ListKind { none, values, fields, char_classes, special_chars };

bool is_item(const std::string& s) { return s.starts_with("- "); }

// "cloud: basic disk." -> "cloud"; "PL1 (default value): ..." -> "PL1"; "none." -> "none".
std::string item_key(const std::string& item) {
  std::string v = item.substr(2);
  const auto stop = v.find_first_of(":(");
  if (stop != std::string::npos) v = v.substr(0, stop);
  v = std::string(text::trim(v));
  while (!v.empty() && v.back() == '.') v.pop_back();
  return v;
}

bool plausible_value(const std::string& v) {
  static const RE2 re(R"([A-Za-z0-9_.\-]{1,64})");
  return RE2::FullMatch(v, re);
}

void note_default(spec::Param& param, const std::string& text) {
  static const RE2 def(R"((?i)(?:default value(?: is)?|the default value is)\s*:?\s*`?([^`\s]+?)`?\.?$)");
  static const RE2 used(R"((?i)the default value `?([^`\s]+?)`? is used)");
  std::string v;
  if ((RE2::PartialMatch(text, def, &v) || RE2::PartialMatch(text, used, &v)) && text::to_lower(v) != "null" &&
      !param.default_value)
    param.default_value = v;
}

struct DescriptionReader {
  RuleSink& sink;
  spec::Param& param;
  std::string path;
  SentenceScope scope;
  ListKind list = ListKind::none;
  int list_line = 0;
  std::string list_quote;
  std::vector<std::string> values;
  std::vector<std::pair<std::string, std::pair<double, double>>> ranged;  // "cloud: 5 to 2,000."
  std::vector<std::string> classes;

  void flush_list() {
    if (list == ListKind::values) {
      if (!ranged.empty()) {
        // Ranges by the value of a sibling whose enum holds these keys (DataDisk.N.Category).
        for (const auto& [key, bounds] : ranged) {
          Rule r = make_rule(RuleKind::range_if, {path}, sink.file(), list_line, list_quote);
          r.min = bounds.first;
          r.max = bounds.second;
          r.when = spec::Condition{"?" + key, {key}, "", ""};  // resolved by the analyzer
          record(sink.add(std::move(r)));
        }
      } else if (!values.empty() && param.type != spec::ParamType::Boolean) {
        Rule r = make_rule(RuleKind::enumeration, {path}, sink.file(), list_line, list_quote);
        r.values = values;
        r.when = scope.when;
        record(sink.add(std::move(r)));
      }
    } else if (list == ListKind::char_classes && !classes.empty()) {
      Rule r = make_rule(RuleKind::char_classes, {path}, sink.file(), list_line, list_quote);
      r.values = classes;
      static const RE2 n(R"((?i)at least (one|two|three|four|\d))");
      std::string w;
      RE2::PartialMatch(list_quote, n, &w);
      const std::string words[] = {"one", "two", "three", "four"};
      double min = 1;
      for (int i = 0; i < 4; ++i)
        if (w == words[i]) min = i + 1;
      if (!w.empty() && std::isdigit(static_cast<unsigned char>(w[0]))) min = w[0] - '0';
      r.min = min;
      if (min > static_cast<double>(classes.size())) {
        sink.spec().ambiguous.push_back({r.source, path + ": asks for at least " + std::to_string(static_cast<int>(min)) +
                                                       " character types but lists " + std::to_string(classes.size()) + "; no rule"});
      } else {
        record(sink.add(std::move(r)));
      }
    }
    list = ListKind::none;
    values.clear();
    ranged.clear();
    classes.clear();
  }

  void record(const std::string& id) {
    if (id.empty()) return;
    SentenceRecord rec{list_line, path, list_quote, {id}, ""};
    sink.log().push_back(std::move(rec));
  }

  // A list item under an open list; false when the item ends the list.
  bool take_item(const TextLine& line) {
    const std::string& s = line.text;
    list_quote += " " + s;
    if (list == ListKind::values) {
      const std::string key = item_key(s);
      std::string a, b;
      static const RE2 range(R"(:\s*(\d[\d,]*)\s*to\s*(\d[\d,]*))");
      if (RE2::PartialMatch(s, range, &a, &b)) {
        ranged.push_back({key, {static_cast<double>(text::parse_integer(a).value_or(0)),
                                static_cast<double>(text::parse_integer(b).value_or(0))}});
      } else if (plausible_value(key)) {
        values.push_back(key);
      }
      static const RE2 def(R"((?i)\(default value\)|this is the default value)");
      if (RE2::PartialMatch(s, def) && !param.default_value) param.default_value = key;
      return true;
    }
    if (list == ListKind::char_classes) {
      const std::string l = text::to_lower(s);
      if (l.find("lowercase") != std::string::npos) classes.push_back("a-z");
      else if (l.find("uppercase") != std::string::npos) classes.push_back("A-Z");
      else if (l.find("digit") != std::string::npos) classes.push_back("0-9");
      else if (l.find("special") != std::string::npos) {
        const auto open = s.find('(');
        const auto close = s.rfind(')');
        std::string chars = open != std::string::npos && close > open ? s.substr(open + 1, close - open - 1) : "";
        std::string cls;
        for (char c : chars) {
          if (c == '\\' || c == ']' || c == '[' || c == '^' || c == '-') cls.push_back('\\');
          cls.push_back(c);
        }
        if (!cls.empty()) classes.push_back(cls);
      }
      return true;
    }
    return false;
  }

  // Under "The following fields are supported:", a bare identifier item opens a
  // member of a Json/Object parameter, and the sentences after it are about it.
  bool take_field(const TextLine& line) {
    static const RE2 ident(R"(- ([A-Za-z][A-Za-z0-9_]*))");
    std::string name;
    if (!RE2::FullMatch(line.text, ident, &name)) return false;
    if (param.type != spec::ParamType::Object && param.type != spec::ParamType::Array &&
        param.type != spec::ParamType::Json) {
      sink.spec().ambiguous.push_back({param.source, path + " is typed " + std::string(spec::to_string(param.type)) +
                                                         " but the doc lists fields for it; read as Json"});
      param.type = spec::ParamType::Json;
    }
    spec::Param m;
    m.name = name;
    m.in = param.in;
    m.type = spec::ParamType::Integer;
    m.source = spec::Source{sink.file(), line.line, line.text, false};
    m.description = "";
    param.members.push_back(std::move(m));
    scope.param = path + "." + name;
    scope.type = spec::ParamType::Integer;
    log_unread(sink, path, line.text, line.line,
               "member " + scope.param + " (type Integer: its values are numeric ranges)");
    return true;
  }

  void read_line(const TextLine& line) {
    const std::string& s = line.text;
    if (list == ListKind::fields) {
      if (is_item(s) && take_field(line)) return;
      if (!param.members.empty()) {
        auto& d = param.members.back().description;
        d += (d.empty() ? "" : "\n") + s;
      }
      for (const auto& sentence : split_sentences(s)) read_one(sentence, line.line);
      return;
    }
    if (list != ListKind::none && is_item(s) && take_item(line)) return;
    if (list == ListKind::special_chars) {
      // The line after "The following special characters can be used:" lists them.
      const std::string chars = charset_from_list(s);
      if (!chars.empty()) {
        for (auto& r : sink.spec().rules)
          if (r.kind == RuleKind::charset && r.params == std::vector<std::string>{path} &&
              r.note.find("special characters") != std::string::npos) {
            r.charset += chars;
            r.source.quote += " " + s;
            r.note = "special characters from the list at line " + std::to_string(line.line);
          }
        list = ListKind::none;
        return;
      }
    }
    if (list != ListKind::none) flush_list();
    std::string body = is_item(s) ? s.substr(2) : s;
    // "For Windows:" / "For other operating systems:" scope what follows on the line.
    scope.when.reset();
    scope.param = path;
    scope.type = param.type;
    static const RE2 for_os(R"((?i)^for (windows|linux|other operating systems)\s*[:,]\s*(.*)$)");
    std::string os, rest;
    if (RE2::FullMatch(body, for_os, &os, &rest)) {
      const std::string o = text::to_lower(os);
      scope.when = spec::Condition{"ImageId", {o == "other operating systems" ? "linux" : o}, "os", ""};
      body = rest;
    }
    for (const auto& sentence : text::trim(body).empty() ? std::vector<std::string>{} : split_sentences(body)) {
      read_one(sentence, line.line);
    }
  }

  void read_one(const std::string& sentence, int line) {
    const std::string l = text::to_lower(sentence);
    // Under "The following fields are supported:", a default belongs to the member the
    // sentence is written under ("If the FailureToleranceCount parameter is not
    // specified, the default value 0 is used."), not to the Json parameter holding it.
    spec::Param& owner =
        (list == ListKind::fields && scope.param != path && !param.members.empty()) ? param.members.back() : param;
    note_default(owner, sentence);
    if (l.find("will be removed in the future") != std::string::npos || l.find("has been discarded") != std::string::npos)
      param.deprecated = true;
    static const RE2 opens_values(R"((?i)(?:valid values|options|value range)\s*:\s*$)");
    static const RE2 opens_fields(R"((?i)following fields are supported:\s*$)");
    static const RE2 opens_classes(R"((?i)at least \w+ of the following character types:?\s*$)");
    static const RE2 opens_special(R"((?i)following special characters can be used:?\s*$)");
    ListKind opens = ListKind::none;
    if (RE2::PartialMatch(sentence, opens_values)) opens = ListKind::values;
    else if (RE2::PartialMatch(sentence, opens_classes)) opens = ListKind::char_classes;
    else if (RE2::PartialMatch(sentence, opens_fields)) opens = ListKind::fields;
    SentenceRecord rec{line, path, sentence, {}, ""};
    read_sentence(sink, scope, sentence, line, rec);
    // A sentence about two fields, written under a field it does not name, is most
    // likely copied from a neighbour: the spec says so rather than guessing.
    const std::string member = scope.param.size() > path.size() ? scope.param.substr(path.size() + 1) : "";
    static const RE2 both(R"((?i)specify both)");
    if (list == ListKind::fields && !member.empty() && RE2::PartialMatch(sentence, both) &&
        sentence.find(member) == std::string::npos) {
      sink.spec().ambiguous.push_back({spec::Source{sink.file(), line, sentence, false},
                                       "stated under " + scope.param + ", which it does not name: probably copied "
                                       "from another field's text; read only as the rule it states"});
    }
    if (RE2::PartialMatch(sentence, opens_special)) opens = ListKind::special_chars;
    if (opens != ListKind::none && list != ListKind::fields) {
      list = opens;
      list_line = line;
      list_quote = sentence;
      if (opens == ListKind::fields) rec.outcome += "the fields listed next are read as members of " + path + "; ";
      else if (rec.rules.empty()) return;  // logged with its list when the list closes
    }
    static const RE2 null_default(R"((?i)default value:?\s*null)");
    if (RE2::PartialMatch(sentence, null_default)) rec.outcome += "no default value (null); ";
    else if (owner.default_value && text::to_lower(sentence).find("default") != std::string::npos)
      rec.outcome += "default value " + *owner.default_value + "; ";
    if (param.deprecated && (l.find("removed") != std::string::npos || l.find("discarded") != std::string::npos))
      rec.outcome += "marks the parameter deprecated; ";
    if (rec.rules.empty() && rec.outcome.empty() && !constraint_bearing(sentence)) return;
    if (rec.rules.empty() && rec.outcome.empty()) rec.outcome = "no rule: no pattern reads this sentence";
    sink.log().push_back(std::move(rec));
  }
};

}  // namespace

void log_unread(RuleSink& sink, const std::string& param, const std::string& sentence, int line,
                const std::string& why) {
  sink.log().push_back(SentenceRecord{line, param, sentence, {}, why});
}

void read_description(RuleSink& sink, spec::Param& param, const std::string& path,
                      const std::vector<TextLine>& lines) {
  SentenceScope scope;
  scope.param = path;
  scope.type = param.type;
  DescriptionReader reader{sink, param, path, scope, ListKind::none, 0, "", {}, {}, {}};
  for (const auto& line : lines) reader.read_line(line);
  reader.flush_list();
}

}  // namespace conform::import
