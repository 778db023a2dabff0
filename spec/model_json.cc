// Reading a Spec from JSON (spec/model_json.h); writing is model_json_write.cc.
#include "spec/model_json.h"

#include <nlohmann/json.hpp>

#include "spec/json_reader.h"

namespace conform::spec {

namespace {

Result<Source> source_from(const JsonReader& r, std::string_view doc) {
  Source s;
  if (!r.has("source")) {
    s.file = std::string(doc);
    return s;
  }
  CONFORM_TRY(c, r.child("source"));
  CONFORM_CHECK(c.only_keys({"file", "line", "quote", "overlay"}));
  CONFORM_TRY(file, c.str_or("file", std::string(doc)));
  CONFORM_TRY(line, c.integer_or("line", 0));
  CONFORM_TRY(quote, c.str_or("quote", ""));
  CONFORM_TRY(overlay, c.boolean_or("overlay", false));
  if (line < 0) return c.error("line", "line must be >= 0");
  s.file = std::move(file);
  s.line = line;
  s.quote = std::move(quote);
  s.overlay = overlay;
  return s;
}

Result<ParamType> type_from(const JsonReader& r, std::string_view key) {
  CONFORM_TRY(s, r.str(key));
  auto t = parse_param_type(s);
  if (!t) return r.error(key, "unknown type \"" + s + "\" (String, Integer, Long, Float, Double, Boolean, Json, Array, Object)");
  return *t;
}

// A rule's `when`, or (without `attr`) a parameter's `valid_when`.
Result<Condition> condition_from(const JsonReader& w, bool with_attr) {
  if (with_attr) {
    CONFORM_CHECK(w.only_keys({"param", "equals", "attr", "unless"}));
  } else {
    CONFORM_CHECK(w.only_keys({"param", "equals", "unless"}));
  }
  CONFORM_TRY(param, w.str("param"));
  CONFORM_TRY(equals, w.strings_or_empty("equals"));
  CONFORM_TRY(attr, w.str_or("attr", ""));
  CONFORM_TRY(unless, w.str_or("unless", ""));
  return Condition{std::move(param), std::move(equals), std::move(attr), std::move(unless)};
}

Result<ResponseField> field_from(const JsonReader& r) {
  CONFORM_CHECK(r.only_keys({"name", "type", "members"}));
  ResponseField f;
  CONFORM_TRY(name, r.str("name"));
  CONFORM_TRY(type, type_from(r, "type"));
  f.name = std::move(name);
  f.type = type;
  CONFORM_TRY(members, r.array_of("members"));
  for (const auto& m : members) {
    CONFORM_TRY(mf, field_from(m));
    f.members.push_back(std::move(mf));
  }
  return f;
}

}  // namespace

Result<Param> param_from_json(const nlohmann::json& json, std::string_view file, std::string pointer,
                              std::string_view doc) {
  JsonReader r(json, file, std::move(pointer));
  CONFORM_CHECK(r.only_keys({"name", "in", "type", "item_type", "required", "example", "default",
                             "secret", "deprecated", "description", "members", "valid_when", "source"}));
  Param p;
  CONFORM_TRY(name, r.str("name"));
  if (name.empty()) return r.error("name", "parameter name must not be empty");
  p.name = std::move(name);
  CONFORM_TRY(in, r.str_or("in", "query"));
  auto loc = parse_location(in);
  if (!loc) return r.error("in", "unknown location \"" + in + "\" (query, path, body, header)");
  p.in = *loc;
  CONFORM_TRY(type, type_from(r, "type"));
  p.type = type;
  if (r.has("item_type")) {
    CONFORM_TRY(it, type_from(r, "item_type"));
    p.item_type = it;
  }
  CONFORM_TRY(required, r.boolean_or("required", false));
  CONFORM_TRY(example, r.opt_str("example"));
  CONFORM_TRY(def, r.opt_str("default"));
  CONFORM_TRY(secret, r.boolean_or("secret", false));
  CONFORM_TRY(deprecated, r.boolean_or("deprecated", false));
  CONFORM_TRY(description, r.str_or("description", ""));
  p.required = required;
  p.example = std::move(example);
  p.default_value = std::move(def);
  p.secret = secret;
  p.deprecated = deprecated;
  p.description = std::move(description);
  CONFORM_TRY(members, r.array_of("members"));
  for (const auto& m : members) {
    CONFORM_TRY(mp, param_from_json(m.json(), file, m.pointer(), doc));
    p.members.push_back(std::move(mp));
  }
  if (r.has("valid_when")) {
    CONFORM_TRY(w, r.child("valid_when"));
    CONFORM_TRY(when, condition_from(w, /*with_attr=*/false));
    if (when.param.empty()) return w.error("param", "names no parameter");
    if (when.equals.empty()) return w.error("equals", "needs at least one value");
    p.valid_when = std::move(when);
  }
  CONFORM_TRY(src, source_from(r, doc));
  p.source = std::move(src);
  return p;
}

Result<Rule> rule_from_json(const nlohmann::json& json, std::string_view file, std::string pointer,
                            std::string_view doc) {
  JsonReader r(json, file, std::move(pointer));
  CONFORM_CHECK(r.only_keys({"id", "kind", "params", "min", "max", "unit", "values",
                             "case_insensitive", "charset", "pattern", "format", "resource",
                             "quota", "attr", "when", "expect", "source", "note"}));
  Rule rule;
  CONFORM_TRY(id, r.str("id"));
  if (id.empty()) return r.error("id", "rule id must not be empty");
  rule.id = std::move(id);
  CONFORM_TRY(kind, r.str("kind"));
  auto k = parse_rule_kind(kind);
  if (!k) return r.error("kind", "unknown rule kind \"" + kind + "\"");
  rule.kind = *k;
  CONFORM_TRY(params, r.strings_or_empty("params"));
  rule.params = std::move(params);
  CONFORM_TRY(mn, r.opt_number("min"));
  CONFORM_TRY(mx, r.opt_number("max"));
  rule.min = mn;
  rule.max = mx;
  CONFORM_TRY(unit, r.str_or("unit", "chars"));
  auto u = parse_length_unit(unit);
  if (!u) return r.error("unit", "unknown length unit \"" + unit + "\" (chars, bytes)");
  rule.unit = *u;
  CONFORM_TRY(values, r.strings_or_empty("values"));
  rule.values = std::move(values);
  CONFORM_TRY(ci, r.boolean_or("case_insensitive", false));
  rule.case_insensitive = ci;
  CONFORM_TRY(charset, r.str_or("charset", ""));
  CONFORM_TRY(pattern, r.str_or("pattern", ""));
  CONFORM_TRY(format, r.str_or("format", ""));
  CONFORM_TRY(resource, r.str_or("resource", ""));
  CONFORM_TRY(quota, r.str_or("quota", ""));
  CONFORM_TRY(note, r.str_or("note", ""));
  CONFORM_TRY(attr, r.str_or("attr", ""));
  rule.attr = std::move(attr);
  rule.charset = std::move(charset);
  rule.pattern = std::move(pattern);
  rule.format = std::move(format);
  rule.resource = std::move(resource);
  rule.quota = std::move(quota);
  rule.note = std::move(note);
  if (r.has("when")) {
    CONFORM_TRY(w, r.child("when"));
    CONFORM_TRY(when, condition_from(w, /*with_attr=*/true));
    rule.when = std::move(when);
  }
  CONFORM_TRY(e, r.child("expect"));
  CONFORM_CHECK(e.only_keys({"status", "codes", "confidence"}));
  CONFORM_TRY(status, e.integer("status"));
  CONFORM_TRY(codes, e.strings_or_empty("codes"));
  CONFORM_TRY(conf, e.str("confidence"));
  auto c = parse_confidence(conf);
  if (!c) return e.error("confidence", "unknown confidence \"" + conf + "\" (documented, inferred, unknown)");
  rule.expect = Expectation{status, std::move(codes), *c};
  CONFORM_TRY(src, source_from(r, doc));
  rule.source = std::move(src);
  return rule;
}

namespace {

Result<void> read_errors(const JsonReader& r, Spec& s) {
  CONFORM_TRY(rows, r.array_of("errors"));
  for (const auto& e : rows) {
    CONFORM_CHECK(e.only_keys({"status", "code", "message", "description", "rules", "unlinked", "source"}));
    ErrorRow row;
    CONFORM_TRY(status, e.integer("status"));
    CONFORM_TRY(code, e.str_or("code", ""));
    CONFORM_TRY(message, e.str_or("message", ""));
    CONFORM_TRY(description, e.str_or("description", ""));
    CONFORM_TRY(rules, e.strings_or_empty("rules"));
    CONFORM_TRY(unlinked, e.str_or("unlinked", ""));
    CONFORM_TRY(src, source_from(e, s.doc));
    row.status = status;
    row.code = std::move(code);
    row.message = std::move(message);
    row.description = std::move(description);
    row.rules = std::move(rules);
    row.unlinked_reason = std::move(unlinked);
    row.source = std::move(src);
    s.errors.push_back(std::move(row));
  }
  return {};
}

Result<void> read_extras(const JsonReader& r, Spec& s) {
  CONFORM_TRY(fields, r.array_of("response"));
  for (const auto& f : fields) {
    CONFORM_TRY(rf, field_from(f));
    s.response.push_back(std::move(rf));
  }
  CONFORM_TRY(examples, r.array_of("examples"));
  for (const auto& x : examples) {
    CONFORM_CHECK(x.only_keys({"kind", "text", "source"}));
    Example ex;
    CONFORM_TRY(kind, x.str("kind"));
    CONFORM_TRY(text, x.str("text"));
    CONFORM_TRY(src, source_from(x, s.doc));
    ex.kind = std::move(kind);
    ex.text = std::move(text);
    ex.source = std::move(src);
    s.examples.push_back(std::move(ex));
  }
  for (const auto* key : {"unparsed", "ambiguous"}) {
    auto& list = std::string_view(key) == "unparsed" ? s.unparsed : s.ambiguous;
    CONFORM_TRY(items, r.array_of(key));
    for (const auto& u : items) {
      CONFORM_CHECK(u.only_keys({"source", "reason"}));
      CONFORM_TRY(src, source_from(u, s.doc));
      CONFORM_TRY(reason, u.str("reason"));
      list.push_back(Spec::Remark{std::move(src), std::move(reason)});
    }
  }
  return {};
}

}  // namespace

Result<Spec> spec_from_json(const nlohmann::json& json, std::string_view file) {
  JsonReader r(json, file, "");
  CONFORM_CHECK(r.expect_object());
  CONFORM_CHECK(r.only_keys({"conform_spec", "op", "service", "name", "title", "doc", "dialect",
                             "version", "http", "params", "rules", "errors", "response",
                             "examples", "unparsed", "ambiguous"}));
  CONFORM_TRY(format, r.integer("conform_spec"));
  if (format != 1) return r.error("conform_spec", "unsupported spec format " + std::to_string(format) + " (this conform reads 1)");
  Spec s;
  CONFORM_TRY(op, r.str("op"));
  CONFORM_TRY(service, r.str("service"));
  CONFORM_TRY(name, r.str("name"));
  CONFORM_TRY(title, r.str_or("title", ""));
  CONFORM_TRY(doc, r.str("doc"));
  CONFORM_TRY(dialect, r.str("dialect"));
  CONFORM_TRY(version, r.str_or("version", ""));
  s.op = std::move(op);
  s.service = std::move(service);
  s.name = std::move(name);
  s.title = std::move(title);
  s.doc = std::move(doc);
  s.dialect = std::move(dialect);
  s.version = std::move(version);
  CONFORM_TRY(http, r.child("http"));
  CONFORM_CHECK(http.only_keys({"method", "path", "success_status"}));
  CONFORM_TRY(method, http.str("method"));
  CONFORM_TRY(path, http.str("path"));
  CONFORM_TRY(success, http.integer("success_status"));
  s.method = std::move(method);
  s.path = std::move(path);
  s.success_status = success;
  CONFORM_TRY(params, r.array_of("params"));
  for (const auto& p : params) {
    CONFORM_TRY(param, param_from_json(p.json(), file, p.pointer(), s.doc));
    s.params.push_back(std::move(param));
  }
  CONFORM_TRY(rules, r.array_of("rules"));
  for (const auto& rj : rules) {
    CONFORM_TRY(rule, rule_from_json(rj.json(), file, rj.pointer(), s.doc));
    s.rules.push_back(std::move(rule));
  }
  CONFORM_CHECK(read_errors(r, s));
  CONFORM_CHECK(read_extras(r, s));
  return s;
}

}  // namespace conform::spec
