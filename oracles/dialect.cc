#include "oracles/dialect.h"

#include "core/text.h"

namespace conform::oracle {
namespace {

using nlohmann::json;
using spec::Confidence;

constexpr const char* kDialects = "docs/decisions.md, 3. Dialects";

Expectation answer(int status, std::vector<std::string> codes, Confidence conf, std::string rule,
                   std::string citation = kDialects) {
  Expectation e;
  e.status = status;
  e.codes = std::move(codes);
  e.confidence = conf;
  e.rule = std::move(rule);
  e.citation = std::move(citation);
  return e;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Runs of bytes other than '+' and '%' are appended whole.
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && s[j] != '+' && s[j] != '%') ++j;
    out.append(s, i, j - i);
    if (j == s.size()) break;
    i = j + 1;
    if (s[j] == '+') {
      out += ' ';
    } else if (j + 2 < s.size() && hex(s[j + 1]) >= 0 && hex(s[j + 2]) >= 0) {
      out += static_cast<char>(hex(s[j + 1]) * 16 + hex(s[j + 2]));
      i = j + 3;
    } else {
      out += '%';  // a stray '%' stays
    }
  }
  return out;
}

// The case's own value of a header, or nullptr when it sets none. A header set to
// the empty string is sent without (curl's -H 'Name:').
const std::string* case_header(const Case& c, std::string_view name) {
  for (const auto& [k, v] : c.headers) {
    if (text::equals_ci(k, name)) return &v;
  }
  return nullptr;
}

// The media type of a Content-Type value, lower-case, without parameters
// ("Application/X-WWW-Form-Urlencoded; charset=utf-8" is a form, "...urlencodedX" not).
std::string media_type(std::string_view content_type) {
  return text::to_lower(text::trim(content_type.substr(0, content_type.find(';'))));
}

// The method as the transport sends it (transport/dialect.h build_request):
// upper-cased, GET when the case names none.
std::string wire_method(const Case& c) {
  if (c.method.empty()) return "GET";
  std::string m = c.method;
  for (char& ch : m) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  return m;
}

// The path as the transport sends it: "/" when the case names none, and the whole
// of it (a '?' in a case's path is percent-encoded, not the start of a query).
std::string_view wire_path(const Case& c) { return c.path.empty() ? std::string_view("/") : c.path; }

const std::string* first(const Pairs& ps, std::string_view name) {
  for (const auto& [k, v] : ps) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::string rule_or(const spec::Spec& s, const std::string& id, const char* fallback) {
  return s.find_rule(id) ? id : fallback;
}

void read_rpc(const Case& c, const CompiledSpecs& all, Wire& w, bool json_labelled) {
  const spec::Spec& s = *w.cs->spec;
  // The path before the method, as for the JSON dialects: the path decides which
  // gateway answers (decisions.md section 1, phase 1).
  if (wire_path(c) != "/") {
    w.answer = answer(404, {}, Confidence::inferred, "dialect.path");
    return;
  }
  const std::string method = wire_method(c);
  if (method != "GET" && method != "POST") {
    w.answer = answer(405, {"UnsupportedHTTPMethod"}, Confidence::inferred, "dialect.method");
    return;
  }
  w.query = &c.query;
  // decisions.md: a POST body that is not form-encoded is read as no parameters;
  // the query still counts and comes first. A case with no Content-Type of its own
  // goes out as a form (transport/dialect.h build_request); one set to "" goes
  // out without any, and is not a form.
  // A case labelled with a JSON dialect's operation that the path takes here goes out
  // as that dialect sends it: a body, if any, as application/json (no form).
  const std::string* declared = case_header(c, "Content-Type");
  const bool json_sent = json_labelled && !declared && (c.body || c.raw_body);
  if (method == "POST" && !json_sent && (!declared || media_type(*declared) == "application/x-www-form-urlencoded")) {
    std::string body = c.raw_body ? *c.raw_body : (c.body && c.body->is_string() ? c.body->get<std::string>() : "");
    Pairs form = decode_form(body);
    if (!form.empty()) {
      w.params = c.query;
      for (auto& p : form) w.params.push_back(std::move(p));
      w.query = nullptr;
    }
  }
  const std::string* action = first(w.pairs(), "Action");
  if (!action || action->empty()) {
    w.answer = answer(400, {"MissingParameter"}, Confidence::unknown, rule_or(s, "Action.required", "dialect.action"));
    return;
  }
  if (*action != s.name || s.dialect != "aliyun-rpc") {
    const CompiledSpec* other = nullptr;
    // decisions.md section 3: Action picks among the aliyun-rpc specs by name.
    for (const CompiledSpec& o : all.compiled) {
      if (!other && o.spec->dialect == s.dialect && o.spec->name == *action) other = &o;
    }
    if (!other) {
      w.answer = answer(404, {"InvalidAction.NotFound"}, Confidence::inferred, rule_or(s, "Action.enum", "dialect.action"));
      return;
    }
    w.cs = other;
  }
  const std::string* version = first(w.pairs(), "Version");
  if (!version || version->empty()) {
    w.answer = answer(400, {"MissingParameter"}, Confidence::inferred, "dialect.version");
  } else if (*version != w.cs->spec->version) {
    w.answer = answer(400, {"InvalidVersion"}, Confidence::inferred, "dialect.version");
  }
}

// The JSON body as the service parses it; sets w.answer when it cannot.
void read_json_body(const Case& c, Wire& w, bool roa) {
  json parsed;
  if (c.raw_body) {
    parsed = parse_json_value(*c.raw_body);
  } else if (c.body && json_depth(*c.body) <= kMaxJsonDepth) {
    w.body = c.body;  // a case line nests at most kMaxJsonNesting levels, so the walk is bounded
  } else if (c.body) {
    parsed = json::value_t::discarded;  // deeper than the service parses
  } else {
    parsed = json::value_t::discarded;  // no body at all is no JSON
  }
  if (!w.body) {
    if (parsed.is_discarded()) {
      w.answer = roa ? answer(400, {"InvalidJsonFormat"}, Confidence::documented, "dialect.body")
                     : answer(400, {}, Confidence::unknown, "dialect.body");
      return;
    }
    w.body = std::make_shared<const json>(std::move(parsed));
  }
  if (!w.body->is_object()) {
    w.answer = roa ? answer(400, {"InvalidHttpBody"}, Confidence::documented, "dialect.body")
                   : answer(400, {}, Confidence::unknown, "dialect.body");
  }
}

// "/v1.0/{project_id}/instances" against the request path; the braces capture.
bool match_path(std::string_view tmpl, std::string_view path, std::map<std::string, std::string>& captures) {
  while (true) {
    std::size_t ts = tmpl.find('/'), ps = path.find('/');
    std::string_view t = tmpl.substr(0, ts), p = path.substr(0, ps);
    if (t.size() > 2 && t.front() == '{' && t.back() == '}') {
      captures[std::string(t.substr(1, t.size() - 2))] = percent_decode(p);
    } else if (t != p) {
      return false;
    }
    if ((ts == std::string_view::npos) != (ps == std::string_view::npos)) return false;
    if (ts == std::string_view::npos) return true;
    tmpl.remove_prefix(ts + 1);
    path.remove_prefix(ps + 1);
  }
}

// decisions.md section 3: a POST that goes without Content-Length and without
// chunked framing is 411 before anything else is read.
bool length_required(const Case& c) {
  const std::string* length = case_header(c, "Content-Length");
  const std::string* framing = case_header(c, "Transfer-Encoding");
  return wire_method(c) == "POST" && length && length->empty() &&
         !(framing && text::to_lower(*framing).find("chunked") != std::string::npos);
}

// decisions.md section 3: the media type a JSON dialect's body is declared with.
// Without a Content-Type of the case's own, the transport sends application/json;
// with an empty one, none. BatchCompute takes application/json and
// application/json-rpc (the default when absent); Huawei requires application/json.
std::optional<Expectation> content_type_answer(const Case& c, bool roa) {
  const bool has_body = c.raw_body ? !c.raw_body->empty() : c.body != nullptr;
  const std::string* declared = case_header(c, "Content-Type");
  if (!has_body || !declared) return std::nullopt;
  const std::string type = media_type(*declared);
  if (roa && !type.empty() && type != "application/json" && type != "application/json-rpc")
    return answer(400, {"InvalidJsonFormat"}, Confidence::inferred, "dialect.content_type");
  if (!roa && type != "application/json") return answer(415, {}, Confidence::unknown, "dialect.content_type");
  return std::nullopt;
}

// A case labelled with an aliyun-rpc operation that the path takes to a JSON
// dialect's operation (decisions.md section 3, "Routing") goes out as the labelled
// dialect sends it (transport build_request): its body text (`raw_body`, or a `body`
// that is a JSON string) verbatim with its query in the URL; else a POST's query as
// a form body and nothing in the URL (a JSON object `body` is not sent); with
// Content-Type application/x-www-form-urlencoded unless the case sets one. The JSON
// operation reads that wire. A form text is never JSON ('=' outside a string: the
// encoder escapes '"'), so "=" stands in for a non-empty one.
void read_rpc_labelled_rest(const Case& c, Wire& w, bool roa) {
  const std::string* text = c.raw_body ? &*c.raw_body : nullptr;
  if (!text && c.body && c.body->is_string()) text = &c.body->get_ref<const std::string&>();
  const bool form = !text && wire_method(c) == "POST";
  Case wire;
  wire.headers = c.headers;
  if ((text || form) && !case_header(c, "Content-Type")) wire.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  if (text) wire.raw_body = *text;
  else if (form) wire.raw_body = std::string(c.query.empty() ? 0 : 1, '=');
  if ((w.answer = content_type_answer(wire, roa))) return;
  if (form) {
    w.query = nullptr;  // the query went into the body: `params` stays empty
  } else {
    w.query = &c.query;
  }
  read_json_body(wire, w, roa);  // the body it parses is its own (w.body), not wire's
}

void read_rest(const Case& c, Wire& w, bool rpc_labelled) {
  const spec::Spec& s = *w.cs->spec;
  bool roa = s.dialect == "aliyun-roa";
  Confidence conf = roa ? Confidence::inferred : Confidence::unknown;
  if (!match_path(s.path, wire_path(c), w.path_params)) {
    w.answer = roa ? answer(404, {"InvalidAction.NotFound"}, conf, "dialect.path")
                   : answer(404, {}, conf, "dialect.path");
    return;
  }
  if (wire_method(c) != s.method) {
    w.answer = roa ? answer(405, {"UnsupportedHTTPMethod"}, conf, "dialect.method") : answer(405, {}, conf, "dialect.method");
    return;
  }
  if (rpc_labelled) return read_rpc_labelled_rest(c, w, roa);
  if ((w.answer = content_type_answer(c, roa))) return;
  w.query = &c.query;
  read_json_body(c, w, roa);
}

}  // namespace

Pairs decode_form(std::string_view body) {
  Pairs out;
  while (!body.empty()) {
    std::size_t amp = body.find('&');
    std::string_view item = body.substr(0, amp);
    if (!item.empty()) {
      std::size_t eq = item.find('=');
      out.emplace_back(percent_decode(item.substr(0, eq)),
                       eq == std::string_view::npos ? "" : percent_decode(item.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return out;
}

// decisions.md section 3, "Routing": the operation the request reaches is the one
// its path names, whatever the case's label says: "/" is the aliyun-rpc gateway
// (Action then picks the operation), any other path the first spec whose path
// template matches it. Null when nothing matches.
const CompiledSpec* route(const Case& c, const CompiledSpecs& specs, const CompiledSpec& cs) {
  const std::string_view path = wire_path(c);
  std::map<std::string, std::string> captures;
  auto reaches = [&](const CompiledSpec& o) {
    return o.spec->dialect == "aliyun-rpc" ? path == "/" : match_path(o.spec->path, path, captures);
  };
  if (reaches(cs)) return &cs;
  for (const CompiledSpec& o : specs.compiled) {
    if (reaches(o)) return &o;
  }
  return nullptr;
}

// decisions.md section 3, "Not found": a path no spec has, under a huawei-rest
// spec's first segment ("/v1.0/..."), is the Huawei API gateway's 404.
bool under_huawei_gateway(std::string_view path, const CompiledSpecs& specs) {
  auto first = [](std::string_view p) { return p.substr(0, p.find('/', 1)); };
  for (const CompiledSpec& o : specs.compiled) {
    if (o.spec->dialect == "huawei-rest" && first(o.spec->path) == first(path)) return true;
  }
  return false;
}

Wire read_wire(const Case& c, const CompiledSpecs& specs, const CompiledSpec& labelled) {
  Wire w;
  const CompiledSpec* reached = route(c, specs, labelled);
  // Nothing matches: the labelled operation answers its dialect's 404.
  w.cs = reached ? reached : &labelled;
  if (length_required(c)) {
    w.answer = answer(411, {}, Confidence::inferred, "dialect.length");
  } else if (!reached && under_huawei_gateway(wire_path(c), specs)) {
    w.answer = answer(404, {"APIGW.0101"}, Confidence::inferred, "dialect.path");
  } else if (w.cs->spec->dialect == "aliyun-rpc") {
    read_rpc(c, specs, w, labelled.spec->dialect != "aliyun-rpc");
  } else {
    read_rest(c, w, labelled.spec->dialect == "aliyun-rpc");
  }
  return w;
}

}  // namespace conform::oracle
