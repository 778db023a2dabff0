#include "spec/import/analyze.h"

#include <algorithm>

#include <re2/re2.h>

#include "core/text.h"
#include "spec/import/description.h"
#include "spec/import/examples.h"
#include "spec/import/link_errors.h"

namespace conform::import {

using spec::Param;
using spec::ParamType;
using spec::Rule;
using spec::RuleKind;

namespace {

// Resource types of the fixtures (DESIGN.md, "Fixtures") that a parameter can name
// by the aliyun convention <Type>, <Type>Id or <Type>Name.
constexpr const char* kResourceTypes[] = {"Zone", "Image", "InstanceType", "VSwitch", "SecurityGroup",
                                          "KeyPair", "DedicatedHost", "Cluster", "HpcCluster",
                                          "Snapshot", "DeploymentSet"};

std::string last_segment(const std::string& path) {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

std::string join_lines(const std::vector<TextLine>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l.text;
  return out;
}

bool secret_name(const std::string& name) {
  const std::string l = text::to_lower(name);
  return l.find("password") != std::string::npos || l.find("secret") != std::string::npos ||
         l.find("accesskey") != std::string::npos || l.find("privatekey") != std::string::npos;
}

struct Analyzer {
  const RawDoc& doc;
  const OperationInfo& info;
  Analysis out;
  std::vector<SentenceRecord>& log = out.sentences;
  RuleSink sink{out.spec, out.sentences};

  spec::Spec& spec() { return out.spec; }

  void header() {
    auto& s = spec();
    s.op = info.op;
    const auto dot = info.op.find('.');
    s.service = info.op.substr(0, dot);
    s.name = info.op.substr(dot + 1);
    s.title = doc.title;
    s.doc = doc.file;
    s.dialect = info.dialect;
    s.version = info.version;
    s.method = "GET";
    s.path = "/";
    s.success_status = 200;
    static const RE2 request_line(R"(^(GET|POST|PUT|DELETE|PATCH)\s+(?:https?://\S+?)?(/[^\s?]*)(?:\?(\S*))?\s*$)");
    static const RE2 status_line(R"((?i)\b(2\d\d) status code)");
    for (const auto& p : doc.prose) {
      std::string method, path, query, status;
      if (s.dialect != "aliyun-rpc" && RE2::FullMatch(std::string(text::trim(p.text)), request_line, &method, &path, &query)) {
        s.method = method;
        s.path = path;
        log.push_back({p.line, "", p.text, {}, "request line: " + method + " " + path});
      }
      if (RE2::PartialMatch(p.text, status_line, &status)) s.success_status = std::stoi(status);
    }
    for (const auto& e : doc.errors)
      if (e.status.size() == 3 && e.status[0] == '2') s.success_status = std::stoi(e.status);
  }

  spec::Location location_of(const RawParam& rp) {
    if (spec().dialect == "aliyun-rpc") return spec::Location::query;
    if (spec().path.find("{" + rp.name + "}") != std::string::npos && rp.path.empty()) return spec::Location::path;
    for (const auto& p : doc.prose) {
      if (p.text.find("?" + rp.name + "=") != std::string::npos ||
          p.text.find("&" + rp.name + "=") != std::string::npos)
        return spec::Location::query;
    }
    return spec::Location::body;
  }

  Param* insert(const RawParam& rp) {
    std::vector<Param>* list = &spec().params;
    for (const auto& parent : rp.path) {
      auto it = std::find_if(list->begin(), list->end(), [&](const Param& p) { return p.name == parent; });
      if (it == list->end()) return nullptr;
      if (it->type != ParamType::Object && it->type != ParamType::Array && it->type != ParamType::Json) {
        // A table of members under a parameter typed as a scalar: the members win.
        spec().ambiguous.push_back({it->source, parent + " is typed " + std::string(spec::to_string(it->type)) +
                                                    " but the doc lists members for it; read as Object"});
        it->type = ParamType::Object;
      }
      list = &it->members;
    }
    if (std::any_of(list->begin(), list->end(), [&](const Param& q) { return q.name == rp.name; })) {
      spec().ambiguous.push_back({spec::Source{doc.file, rp.line, rp.name, false},
                                  "the table lists " + rp.name + " twice; the first row is the one read"});
      return nullptr;
    }
    Param p;
    p.name = rp.name;
    p.in = location_of(rp);
    auto type = spec::parse_param_type(rp.type);
    p.type = type.value_or(ParamType::String);
    p.required = text::equals_ci(text::trim(rp.required), "yes");
    if (!rp.example.empty()) p.example = rp.example;
    p.description = join_lines(rp.description);
    p.secret = secret_name(rp.name);
    p.source = spec::Source{doc.file, rp.line, "", false};
    if (!type) {
      spec().ambiguous.push_back({p.source, "type \"" + rp.type + "\" of " + rp.name + " is not one we know; read as String"});
    }
    list->push_back(std::move(p));
    return &list->back();
  }

  std::string path_of(const RawParam& rp) {
    std::string path;
    for (const auto& seg : rp.path) path += seg + ".";
    return path + rp.name;
  }

  void params() {
    for (const auto& rp : doc.request) {
      Param* p = insert(rp);
      if (!p) {
        if (!rp.path.empty())
          spec().unparsed.push_back({spec::Source{doc.file, rp.line, rp.name, false},
                                     "nested parameter whose parent is not in the table"});
        continue;
      }
      const std::string path = path_of(rp);
      const spec::Source row{doc.file, rp.line, "", false};
      if (p->required) {
        Rule r = make_rule(RuleKind::required, {path}, doc.file, rp.line, "Required: " + rp.required);
        sink.add(std::move(r));
      }
      if (p->type != ParamType::String) {
        Rule r = make_rule(RuleKind::type, {path}, doc.file, rp.line, "Type: " + rp.type);
        sink.add(std::move(r));
      }
      read_description(sink, *p, path, rp.description);
      contradictions(*p, path, rp);
      conventions(*p, path, rp.line);
    }
  }

  // A row marked required whose note calls it optional: the spec says so and
  // reads the parameter as optional (the note is the more specific sentence).
  void contradictions(Param& p, const std::string& path, const RawParam& rp) {
    static const RE2 optional(R"((?i)the (\S+) parameter is optional)");
    for (const auto& l : rp.description) {
      std::string what;
      if (p.required && RE2::PartialMatch(l.text, optional, &what) && path.starts_with(what)) {
        p.required = false;
        auto& rules = spec().rules;
        rules.erase(std::remove_if(rules.begin(), rules.end(),
                                   [&](const Rule& r) { return r.kind == RuleKind::required && r.params[0] == path; }),
                    rules.end());
        spec().ambiguous.push_back({spec::Source{doc.file, l.line, l.text, false},
                                    path + ": the table says Required: Yes but the note says the " + what +
                                        " parameter is optional; read as optional, present only in pairs"});
        log.push_back({l.line, path, l.text, {}, "contradicts Required: Yes; the parameter is read as optional"});
      }
    }
  }

  // Rules that come from naming conventions rather than a sentence (inferred).
  void conventions(const Param& p, const std::string& path, int line) {
    const std::string name = last_segment(path);
    if (spec().dialect == "aliyun-rpc") {
      for (const char* type : kResourceTypes) {
        const std::string t(type);
        // An operation that creates the type does not refer to an existing one; only
        // key pairs are named by name.
        if (spec().name == "Create" + t) continue;
        if (name == t || name == t + "Id" || (t == "KeyPair" && name == t + "Name")) {
          Rule r = make_rule(RuleKind::reference, {path}, doc.file, line, "");
          r.resource = t;
          r.note = "convention: a parameter named " + name + " names an existing " + t;
          sink.add(std::move(r));
        }
      }
    }
    if (p.type == ParamType::String && !format_by_name(name).empty()) {
      Rule r = make_rule(RuleKind::format, {path}, doc.file, line, "");
      r.format = format_by_name(name);
      r.note = "convention: the parameter's name says it holds an " + r.format;
      sink.add(std::move(r));
    }
  }

  void prose() {
    for (const auto& p : doc.prose) {
      if (p.text.starts_with("UNPARSED: ")) {
        spec().unparsed.push_back({spec::Source{doc.file, p.line, p.text.substr(10), false},
                                   "the extractor could not split this table row"});
        continue;
      }
      for (const auto& sentence : split_sentences(p.text)) {
        if (!constraint_bearing(sentence)) continue;
        SentenceRecord rec{p.line, "", sentence, {}, ""};
        read_sentence(sink, SentenceScope{}, sentence, p.line, rec);
        if (rec.rules.empty()) rec.outcome = "no rule: prose outside the parameter table; no pattern reads it";
        log.push_back(std::move(rec));
      }
    }
  }

  void response() {
    for (const auto& rp : doc.response) {
      std::vector<spec::ResponseField>* list = &spec().response;
      bool ok = true;
      for (const auto& parent : rp.path) {
        auto it = std::find_if(list->begin(), list->end(), [&](const auto& f) { return f.name == parent; });
        if (it == list->end()) { ok = false; break; }
        list = &it->members;
      }
      if (!ok) continue;
      list->push_back({rp.name, spec::parse_param_type(rp.type).value_or(ParamType::String), {}});
    }
    for (const auto& ex : doc.examples)
      spec().examples.push_back({ex.kind, ex.text, spec::Source{doc.file, ex.line, "", false}});
  }
};

}  // namespace

Result<Analysis> analyze(const RawDoc& doc, const OperationInfo& info) {
  if (info.op.find('.') == std::string::npos) return fail(info.file, "operation id \"" + info.op + "\" is not <service>.<Name>");
  Analyzer a{doc, info, {}};
  a.header();
  a.params();
  a.prose();
  a.response();
  members_from_example(a.sink, doc);
  link_errors(a.sink, doc);
  resolve_names(a.sink);
  predict_expectations(a.sink);
  check_examples(a.sink);
  return std::move(a.out);
}

}  // namespace conform::import
