#include "spec/import/examples.h"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "core/json_text.h"
#include "core/text.h"

namespace conform::import {

using spec::Param;
using spec::ParamType;
using spec::RuleKind;

namespace {

ParamType type_of(const nlohmann::json& v) {
  if (v.is_boolean()) return ParamType::Boolean;
  if (v.is_number_integer()) return ParamType::Integer;
  if (v.is_number()) return ParamType::Float;
  if (v.is_array()) return ParamType::Array;
  if (v.is_object()) return ParamType::Object;
  return ParamType::String;
}

bool is_map(const RawDoc& doc, const std::string& path) {
  const std::string key = path + ".{key}";
  for (const auto& e : doc.errors)
    if (e.code.find(key) != std::string::npos || e.message.find(key) != std::string::npos) return true;
  return false;
}

void add_members(Param& p, const nlohmann::json& value, const std::string& path, const RawDoc& doc,
                 const spec::Source& src, int depth);

Param member(const std::string& name, const nlohmann::json& value, const std::string& path, const RawDoc& doc,
             const spec::Source& src, int depth) {
  Param m;
  m.name = name;
  m.in = spec::Location::body;
  m.type = type_of(value);
  if (value.is_array() && !value.empty()) m.item_type = type_of(value.front());
  if (value.is_string() && !value.get<std::string>().empty()) m.example = value.get<std::string>();
  // A number, a boolean or a list of scalars: its JSON text (the example is the
  // only value the doc shows for a member no table row describes).
  if (value.is_number() || value.is_boolean()) m.example = value.dump();
  if (value.is_array() && std::none_of(value.begin(), value.end(), [](const nlohmann::json& e) { return e.is_structured(); })) {
    m.example = value.dump();
  }
  m.source = src;
  m.description = "from the request example";
  const std::string l = text::to_lower(name);
  m.secret = l.find("secret") != std::string::npos || l.find("password") != std::string::npos ||
             l.find("accesskey") != std::string::npos || l.find("token") != std::string::npos;
  add_members(m, value, path, doc, src, depth + 1);
  return m;
}

// Members from an example get the conventions table rows get (formats by name).
void member_conventions(RuleSink& sink, const std::vector<Param>& members, const std::string& prefix) {
  for (const auto& m : members) {
    const std::string path = prefix + m.name;
    if (m.type == ParamType::String) {
      const std::string f = format_by_name(m.name);
      if (!f.empty()) {
        spec::Rule r = make_rule(RuleKind::format, {path}, sink.file(), m.source.line, "");
        r.format = f;
        r.note = "convention: the parameter's name says it holds an " + f;
        sink.add(std::move(r));
      }
    }
    member_conventions(sink, m.members, path + ".");
  }
}

void add_members(Param& p, const nlohmann::json& value, const std::string& path, const RawDoc& doc,
                 const spec::Source& src, int depth) {
  if (depth > 8 || !p.members.empty()) return;
  const nlohmann::json* obj = &value;
  if (value.is_array() && !value.empty() && value.front().is_object()) obj = &value.front();
  if (!obj->is_object()) return;
  if (is_map(doc, path)) {
    // Every entry stands for all: the member "{key}" holds the union of their members.
    nlohmann::json merged = nlohmann::json::object();
    bool objects = false;
    nlohmann::json sample;
    for (const auto& [k, v] : obj->items()) {
      sample = v;
      if (v.is_object()) {
        objects = true;
        for (const auto& [mk, mv] : v.items()) merged[mk] = mv;
      }
    }
    p.members.push_back(member("{key}", objects ? merged : sample, path + ".{key}", doc, src, depth));
    return;
  }
  // An empty key names no member (a spec refuses a parameter without a name).
  for (const auto& [k, v] : obj->items()) {
    if (!k.empty()) p.members.push_back(member(k, v, path + "." + k, doc, src, depth));
  }
}

// Each member's doc line: where its key first appears in the example after its
// parent's key (the example is JSON in doc order, the parsed object is not).
void locate(std::vector<Param>& members, const std::string& text, std::size_t from, int first_line) {
  for (auto& m : members) {
    // A map's "{key}" stands for its entries: the first entry's key, inside the parent's braces.
    const std::size_t open = m.name == "{key}" ? text.find('{', from) : from;
    const std::size_t at = m.name == "{key}" ? text.find('"', open == std::string::npos ? from : open)
                                             : text.find("\"" + m.name + "\"", from);
    if (at == std::string::npos) continue;
    m.source.line = first_line + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    locate(m.members, text, at, first_line);
  }
}

}  // namespace

void members_from_example(RuleSink& sink, const RawDoc& doc) {
  auto& spec = sink.spec();
  if (spec.dialect == "aliyun-rpc") return;
  for (const auto& ex : doc.examples) {
    if (ex.kind != "request") continue;
    // The body starts at a line that opens with '{' (a request line may hold "{Token}").
    const auto brace = ex.text.starts_with("{") ? 0 : ex.text.find("\n{");
    if (brace == std::string::npos) continue;
    const auto body = parse_json_bounded(std::string_view(ex.text).substr(brace));
    if (body.is_discarded() || !body.is_object()) continue;
    const spec::Source src{doc.file, ex.line, "", false};
    for (auto& p : spec.params) {
      if (!body.contains(p.name)) continue;
      const auto& v = body.at(p.name);
      if (p.type == ParamType::Array && v.is_array() && !v.empty() && !p.item_type) p.item_type = type_of(v.front());
      if ((p.type != ParamType::Object && p.type != ParamType::Json && p.type != ParamType::Array) || !p.members.empty())
        continue;
      add_members(p, v, p.name, doc, src, 0);
      const auto key = ex.text.find("\"" + p.name + "\"", brace);
      locate(p.members, ex.text, key == std::string::npos ? brace : key, ex.line);
      member_conventions(sink, p.members, p.name + ".");
      if (!p.members.empty())
        sink.log().push_back({ex.line, p.name, "request example", {},
                              std::to_string(p.members.size()) + " member(s) of " + p.name + " read from the example"});
    }
    return;  // the first request example with a JSON body is the one
  }
}

namespace {

std::string check(const Param& p, const spec::Rule& r) {
  const std::string& v = *p.example;
  switch (r.kind) {
    case RuleKind::enumeration:
      if (std::find(r.values.begin(), r.values.end(), v) == r.values.end()) return "is not one of the valid values";
      break;
    case RuleKind::length: {
      const double n = static_cast<double>(r.unit == spec::LengthUnit::bytes ? v.size() : text::utf8_length(v));
      if ((r.min && n < *r.min) || (r.max && n > *r.max)) return "has a length outside the documented range";
      break;
    }
    case RuleKind::charset: {
      RE2 re("[" + r.charset + "]*");
      if (re.ok() && !RE2::FullMatch(v, re)) return "has a character outside the documented set";
      break;
    }
    case RuleKind::first_char: {
      RE2 re("[" + r.charset + "].*");
      if (re.ok() && !RE2::FullMatch(v, re)) return "starts with a character the doc does not allow";
      break;
    }
    case RuleKind::range: {
      const auto n = text::parse_integer(v);
      if (!n) return "is not a plain number";
      if (v.find(',') != std::string::npos) return "is written with a thousands separator, which no integer parameter takes on the wire";
      if ((r.min && *n < *r.min) || (r.max && *n > *r.max)) return "is outside the documented range";
      break;
    }
    case RuleKind::format:
      if (r.format == "ipv4") {
        static const RE2 ip(R"((\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}))");
        if (!RE2::FullMatch(v, ip)) return "is not an IPv4 address";
      }
      break;
    default:
      break;
  }
  return "";
}

}  // namespace

void check_examples(RuleSink& sink) {
  auto& spec = sink.spec();
  for (const auto& r : spec.rules) {
    if (r.params.size() != 1 || r.when) continue;
    const Param* p = spec.find_param(r.params[0]);
    if (!p || !p->example || p->type == ParamType::Boolean) continue;
    const std::string why = check(*p, r);
    if (why.empty()) continue;
    spec.ambiguous.push_back({spec::Source{spec.doc, p->source.line, *p->example, false},
                              r.params[0] + ": the doc's example \"" + *p->example + "\" " + why + " (rule " + r.id +
                                  "); the rule stands, so the example is no valid value"});
  }
}

std::string format_by_name(const std::string& name) {
  static const RE2 ip(R"((?i).*ipaddress$)");
  static const RE2 cidr(R"((?i).*cidr(block)?$)");
  if (RE2::FullMatch(name, ip)) return "ipv4";
  if (RE2::FullMatch(name, cidr)) return "cidr";
  return "";
}

}  // namespace conform::import
