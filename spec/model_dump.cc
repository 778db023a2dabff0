// dump_spec: the canonical text of a spec file, written directly rather than
// built as an ordered_json tree (to_json, model_json.cc) and dumped. It is the
// same text, nlohmann's dump(2) of to_json(spec) plus a newline: members in
// to_json's order, 2-space indent, empty arrays and objects as [] and {}, UTF-8
// unescaped and invalid UTF-8 replaced (model_test compares the two on every
// project spec and on random ones). Building the tree was most of a load-and-dump
// round trip's cost.
#include <string>
#include <string_view>
#include <vector>

#include "core/json_text.h"
#include "spec/model_json.h"

namespace conform::spec {
namespace {

class Writer {
 public:
  std::string out;

  // Objects and arrays: open, then item() before each member or element.
  void open(char c) {
    out += c;
    fresh_.push_back(true);
  }
  void close(char c) {
    const bool empty = fresh_.back();
    fresh_.pop_back();
    if (!empty) {
      out += '\n';
      indent();
    }
    out += c;
  }
  void item() {
    out += fresh_.back() ? "\n" : ",\n";
    fresh_.back() = false;
    indent();
  }
  void key(std::string_view k) {
    item();
    str(k);
    out += ": ";
  }

  void str(std::string_view s) { append_json_string(out, s); }

  void field(std::string_view k, std::string_view v) {
    key(k);
    str(v);
  }
  void field(std::string_view k, int v) {
    key(k);
    out += std::to_string(v);
  }
  void field(std::string_view k, double v) {  // nlohmann's shortest round-trip form
    key(k);
    append_json_double(out, v);  // no json value, serializer and string per number
  }
  void field(std::string_view k, bool v) {
    key(k);
    out += v ? "true" : "false";
  }
  void field(std::string_view k, const char* v) { field(k, std::string_view(v)); }
  void strings(std::string_view k, const std::vector<std::string>& v) {
    key(k);
    open('[');
    for (const auto& s : v) {
      item();
      str(s);
    }
    close(']');
  }

 private:
  void indent() { out.append(2 * fresh_.size(), ' '); }
  std::vector<bool> fresh_;  // per open container: nothing written in it yet
};

void source(Writer& w, const Source& s, std::string_view doc) {
  w.key("source");
  w.open('{');
  if (!s.file.empty() && s.file != doc) w.field("file", s.file);
  if (s.line > 0) w.field("line", s.line);
  if (!s.quote.empty()) w.field("quote", s.quote);
  if (s.overlay) w.field("overlay", true);
  w.close('}');
}

void param(Writer& w, const Param& p, std::string_view doc) {
  w.open('{');
  w.field("name", p.name);
  w.field("in", to_string(p.in));
  w.field("type", to_string(p.type));
  if (p.item_type) w.field("item_type", to_string(*p.item_type));
  w.field("required", p.required);
  if (p.example) w.field("example", *p.example);
  if (p.default_value) w.field("default", *p.default_value);
  if (p.secret) w.field("secret", true);
  if (p.deprecated) w.field("deprecated", true);
  w.field("description", p.description);
  if (!p.members.empty()) {
    w.key("members");
    w.open('[');
    for (const auto& m : p.members) {
      w.item();
      param(w, m, doc);
    }
    w.close(']');
  }
  if (p.valid_when) {
    w.key("valid_when");
    w.open('{');
    w.field("param", p.valid_when->param);
    w.strings("equals", p.valid_when->equals);
    if (!p.valid_when->unless.empty()) w.field("unless", p.valid_when->unless);
    w.close('}');
  }
  source(w, p.source, doc);
  w.close('}');
}

void rule(Writer& w, const Rule& r, std::string_view doc) {
  w.open('{');
  w.field("id", r.id);
  w.field("kind", to_string(r.kind));
  w.strings("params", r.params);
  if (r.min) w.field("min", *r.min);
  if (r.max) w.field("max", *r.max);
  if (r.kind == RuleKind::length) w.field("unit", to_string(r.unit));
  if (!r.values.empty()) w.strings("values", r.values);
  if (r.case_insensitive) w.field("case_insensitive", true);
  if (!r.charset.empty()) w.field("charset", r.charset);
  if (!r.pattern.empty()) w.field("pattern", r.pattern);
  if (!r.format.empty()) w.field("format", r.format);
  if (!r.resource.empty()) w.field("resource", r.resource);
  if (!r.quota.empty()) w.field("quota", r.quota);
  if (!r.attr.empty()) w.field("attr", r.attr);
  if (r.when) {
    w.key("when");
    w.open('{');
    w.field("param", r.when->param);
    if (!r.when->attr.empty()) w.field("attr", r.when->attr);
    if (!r.when->equals.empty()) w.strings("equals", r.when->equals);
    if (!r.when->unless.empty()) w.field("unless", r.when->unless);
    w.close('}');
  }
  w.key("expect");
  w.open('{');
  w.field("status", r.expect.status);
  w.strings("codes", r.expect.codes);
  w.field("confidence", to_string(r.expect.confidence));
  w.close('}');
  source(w, r.source, doc);
  if (!r.note.empty()) w.field("note", r.note);
  w.close('}');
}

void response_field(Writer& w, const ResponseField& f) {
  w.open('{');
  w.field("name", f.name);
  w.field("type", to_string(f.type));
  if (!f.members.empty()) {
    w.key("members");
    w.open('[');
    for (const auto& m : f.members) {
      w.item();
      response_field(w, m);
    }
    w.close(']');
  }
  w.close('}');
}

// An array member, one element a call of `each`.
template <typename List, typename Each>
void array(Writer& w, std::string_view k, const List& list, Each each) {
  w.key(k);
  w.open('[');
  for (const auto& e : list) {
    w.item();
    each(e);
  }
  w.close(']');
}

}  // namespace

std::string dump_spec(const Spec& s) {
  Writer w;
  w.out.reserve(4096);
  w.open('{');
  w.field("conform_spec", 1);
  w.field("op", s.op);
  w.field("service", s.service);
  w.field("name", s.name);
  w.field("title", s.title);
  w.field("doc", s.doc);
  w.field("dialect", s.dialect);
  if (!s.version.empty()) w.field("version", s.version);
  w.key("http");
  w.open('{');
  w.field("method", s.method);
  w.field("path", s.path);
  w.field("success_status", s.success_status);
  w.close('}');
  array(w, "params", s.params, [&](const Param& p) { param(w, p, s.doc); });
  array(w, "rules", s.rules, [&](const Rule& r) { rule(w, r, s.doc); });
  array(w, "errors", s.errors, [&](const ErrorRow& e) {
    w.open('{');
    w.field("status", e.status);
    w.field("code", e.code);
    w.field("message", e.message);
    w.field("description", e.description);
    w.strings("rules", e.rules);
    if (!e.unlinked_reason.empty()) w.field("unlinked", e.unlinked_reason);
    source(w, e.source, s.doc);
    w.close('}');
  });
  array(w, "response", s.response, [&](const ResponseField& f) { response_field(w, f); });
  array(w, "examples", s.examples, [&](const Example& x) {
    w.open('{');
    w.field("kind", x.kind);
    w.field("text", x.text);
    source(w, x.source, s.doc);
    w.close('}');
  });
  for (const auto* list : {&s.unparsed, &s.ambiguous}) {
    array(w, list == &s.unparsed ? "unparsed" : "ambiguous", *list, [&](const Spec::Remark& u) {
      w.open('{');
      source(w, u.source, s.doc);
      w.field("reason", u.reason);
      w.close('}');
    });
  }
  w.close('}');
  w.out += '\n';
  return std::move(w.out);
}

}  // namespace conform::spec
