// Writing a Spec as JSON (spec/model_json.h): canonical, so that re-import over
// unchanged docs is byte-identical. Reading is model_json.cc.
#include <nlohmann/json.hpp>

#include "spec/model_json.h"

namespace conform::spec {

using ojson = nlohmann::ordered_json;

namespace {

ojson source_json(const Source& s, std::string_view doc) {
  ojson j = ojson::object();
  if (!s.file.empty() && s.file != doc) j["file"] = s.file;
  if (s.line > 0) j["line"] = s.line;
  if (!s.quote.empty()) j["quote"] = s.quote;
  if (s.overlay) j["overlay"] = true;
  return j;
}

ojson field_json(const ResponseField& f) {
  ojson j;
  j["name"] = f.name;
  j["type"] = std::string(to_string(f.type));
  if (!f.members.empty()) {
    j["members"] = ojson::array();
    for (const auto& m : f.members) j["members"].push_back(field_json(m));
  }
  return j;
}

// A condition as `when` and `valid_when` write it (`attr` and `equals` only when set).
ojson condition_json(const Condition& c) {
  ojson j;
  j["param"] = c.param;
  if (!c.attr.empty()) j["attr"] = c.attr;
  if (!c.equals.empty()) j["equals"] = c.equals;
  if (!c.unless.empty()) j["unless"] = c.unless;
  return j;
}

}  // namespace

ojson to_json(const Param& p, std::string_view doc) {
  ojson j;
  j["name"] = p.name;
  j["in"] = std::string(to_string(p.in));
  j["type"] = std::string(to_string(p.type));
  if (p.item_type) j["item_type"] = std::string(to_string(*p.item_type));
  j["required"] = p.required;
  if (p.example) j["example"] = *p.example;
  if (p.default_value) j["default"] = *p.default_value;
  if (p.secret) j["secret"] = true;
  if (p.deprecated) j["deprecated"] = true;
  j["description"] = p.description;
  if (!p.members.empty()) {
    j["members"] = ojson::array();
    for (const auto& m : p.members) j["members"].push_back(to_json(m, doc));
  }
  if (p.valid_when) j["valid_when"] = condition_json(*p.valid_when);
  j["source"] = source_json(p.source, doc);
  return j;
}

ojson to_json(const Rule& r, std::string_view doc) {
  ojson j;
  j["id"] = r.id;
  j["kind"] = std::string(to_string(r.kind));
  j["params"] = r.params;
  if (r.min) j["min"] = *r.min;
  if (r.max) j["max"] = *r.max;
  if (r.kind == RuleKind::length) j["unit"] = std::string(to_string(r.unit));
  if (!r.values.empty()) j["values"] = r.values;
  if (r.case_insensitive) j["case_insensitive"] = true;
  if (!r.charset.empty()) j["charset"] = r.charset;
  if (!r.pattern.empty()) j["pattern"] = r.pattern;
  if (!r.format.empty()) j["format"] = r.format;
  if (!r.resource.empty()) j["resource"] = r.resource;
  if (!r.quota.empty()) j["quota"] = r.quota;
  if (!r.attr.empty()) j["attr"] = r.attr;
  if (r.when) j["when"] = condition_json(*r.when);
  j["expect"]["status"] = r.expect.status;
  j["expect"]["codes"] = r.expect.codes;
  j["expect"]["confidence"] = std::string(to_string(r.expect.confidence));
  j["source"] = source_json(r.source, doc);
  if (!r.note.empty()) j["note"] = r.note;
  return j;
}

ojson to_json(const Spec& s) {
  ojson j;
  j["conform_spec"] = 1;
  j["op"] = s.op;
  j["service"] = s.service;
  j["name"] = s.name;
  j["title"] = s.title;
  j["doc"] = s.doc;
  j["dialect"] = s.dialect;
  if (!s.version.empty()) j["version"] = s.version;
  j["http"]["method"] = s.method;
  j["http"]["path"] = s.path;
  j["http"]["success_status"] = s.success_status;
  j["params"] = ojson::array();
  for (const auto& p : s.params) j["params"].push_back(to_json(p, s.doc));
  j["rules"] = ojson::array();
  for (const auto& r : s.rules) j["rules"].push_back(to_json(r, s.doc));
  j["errors"] = ojson::array();
  for (const auto& e : s.errors) {
    ojson ej;
    ej["status"] = e.status;
    ej["code"] = e.code;
    ej["message"] = e.message;
    ej["description"] = e.description;
    ej["rules"] = e.rules;
    if (!e.unlinked_reason.empty()) ej["unlinked"] = e.unlinked_reason;
    ej["source"] = source_json(e.source, s.doc);
    j["errors"].push_back(std::move(ej));
  }
  j["response"] = ojson::array();
  for (const auto& f : s.response) j["response"].push_back(field_json(f));
  j["examples"] = ojson::array();
  for (const auto& ex : s.examples) {
    ojson xj;
    xj["kind"] = ex.kind;
    xj["text"] = ex.text;
    xj["source"] = source_json(ex.source, s.doc);
    j["examples"].push_back(std::move(xj));
  }
  for (const auto* key : {"unparsed", "ambiguous"}) {
    const auto& list = std::string_view(key) == "unparsed" ? s.unparsed : s.ambiguous;
    j[key] = ojson::array();
    for (const auto& u : list) {
      ojson uj;
      uj["source"] = source_json(u.source, s.doc);
      uj["reason"] = u.reason;
      j[key].push_back(std::move(uj));
    }
  }
  return j;
}

}  // namespace conform::spec
