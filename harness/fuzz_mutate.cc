#include "harness/fuzz_mutate.h"

#include <random>
#include <vector>

#include <nlohmann/json.hpp>

namespace conform::fuzz {
namespace {

using json = nlohmann::json;

// JSON text that never throws: a mutated string may be invalid UTF-8 on purpose
// (the wire gets the same replacement, transport/dialect_request.cc).
std::string text_of(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(engine_() % n); }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

 private:
  std::mt19937_64 engine_;
};

const std::vector<std::string>& limit_values() {
  static const std::vector<std::string> v = {
      "", " ", "0", "-1", "-0", "1.5", "2147483647", "2147483648", "-2147483649", "4294967296",
      "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
      "1e309", "-1e309", "1e-400", "NaN", "Infinity", "0x10", "00010", "1,000", "+1", "1 ", " 1", "true", "null"};
  return v;
}

const std::vector<std::string>& encoded_values() {
  static const std::vector<std::string> v = {
      "%41%42", "%", "%z", "%zz", "%2541", "%252F", "%00", "+", "a+b", "a&b=c", "a=b", "?#", "%E4%B8", "%C0%AF",
      "\r\nX-Injected: 1", "a\tb", "..%2F..%2Fetc%2Fpasswd", "${0.Id}", "{{x}}", "'\"<>`", "\\", "\\u0000"};
  return v;
}

const std::vector<std::string>& unicode_values() {
  static const std::vector<std::string> v = {
      "\xC3\xA9", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", "\xF0\x9F\x98\x80", "\xC3\x28", "\xED\xA0\x80",
      "\xEF\xBB\xBFvalue", "\xE2\x80\xAE" "abc", "e\xCC\x81", "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93", "\xFF\xFE",
      "\xC0\x80", "\xF4\x90\x80\x80", std::string("a\0z", 3), "\x7F", std::string(1, '\x01')};
  return v;
}

const std::vector<std::string>& broken_bodies() {
  static const std::vector<std::string> v = {
      "", "{", "}", "[]", "null", "true", "0", "\"text\"", "{\"a\":}", "{\"a\" 1}", "{'a': 1}", "{\"a\":1,}",
      "\xEF\xBB\xBF{}", "{\"a\":\"\xC3\x28\"}", "not json at all", "a=b&c=d", "<xml/>", std::string(1, '\0'),
      "{\"a\":1}{\"b\":2}", "{\"a\":1e999999}", "{\"a\":-}", "[" + std::string(5000, '[')};
  return v;
}

// A JSON value of another type than `v` (type confusion), or a deep nesting.
json confused(const json& v, Rng& rng) {
  std::vector<json> options = {json::array(), json::object(), true, nullptr, 1.5, -1, "x", json::array({json::array()}),
                               json{{"a", json::object()}}, 1e308, "[]"};
  json out = rng.pick(options);
  if (out == v) out = json::array({v});
  return out;
}

// The names of a case's parameters: query pairs, then top-level body members.
struct Params {
  std::vector<std::size_t> query;  // indices into c.query (common ones too)
  std::vector<std::string> body;   // members of a JSON object body
};

Params params_of(const Case& c) {
  Params p;
  for (std::size_t i = 0; i < c.query.size(); ++i) p.query.push_back(i);
  if (c.body && c.body->is_object() && !c.raw_body) {
    for (const auto& item : c.body->items()) p.body.push_back(item.key());
  }
  return p;
}

// Sets one parameter (query value or body member) to `text`, or to `j` when the
// parameter is a body member and a JSON value is given.
void set_value(Case& c, Rng& rng, const std::string& text, const json* j, std::string& detail) {
  Params p = params_of(c);
  std::size_t n = p.query.size() + p.body.size();
  if (n == 0) {
    c.query.emplace_back("Fuzz", text);
    detail = "Fuzz = " + text.substr(0, 40);
    return;
  }
  std::size_t at = rng.below(n);
  if (at < p.query.size()) {
    c.query[at].second = text;
    detail = c.query[at].first + " = " + text.substr(0, 40);
    return;
  }
  const std::string& name = p.body[at - p.query.size()];
  json b = *c.body;
  b[name] = j ? *j : json(text);
  detail = name + " = " + text_of(b[name]).substr(0, 40);
  c.set_body(std::move(b));
}

std::string repeat(char ch, std::size_t n) { return std::string(n, ch); }

void mutate_once(Mutation& m, Rng& rng) {
  Case& c = m.mutated;
  std::string detail;
  static const std::vector<std::string> kinds = {"limit", "type", "encoding", "unicode", "duplicate", "unknown",
                                                 "huge",  "many", "body",     "method",  "index"};
  std::string kind = rng.pick(kinds);
  if (kind == "limit") {
    static const std::vector<std::size_t> lengths = {1, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1024, 1025, 4097};
    std::string v = rng.below(2) ? rng.pick(limit_values()) : repeat('a', rng.pick(lengths));
    set_value(c, rng, v, nullptr, detail);
  } else if (kind == "type") {
    Params p = params_of(c);
    json j = confused(p.body.empty() ? json() : (*c.body)[rng.pick(p.body)], rng);
    set_value(c, rng, text_of(j), &j, detail);
  } else if (kind == "encoding") {
    set_value(c, rng, rng.pick(encoded_values()), nullptr, detail);
  } else if (kind == "unicode") {
    std::string v = rng.pick(unicode_values());
    if (rng.below(2)) v = repeat('a', rng.below(300)) + v;
    set_value(c, rng, v, nullptr, detail);
  } else if (kind == "duplicate") {
    if (!c.query.empty()) {
      auto pair = c.query[rng.below(c.query.size())];
      pair.second = rng.below(2) ? pair.second : rng.pick(limit_values());
      c.query.insert(c.query.begin() + static_cast<std::ptrdiff_t>(rng.below(c.query.size() + 1)), pair);
      detail = "twice: " + pair.first;
    } else if (c.body && c.body->is_object() && !c.body->empty()) {
      // A JSON object with a duplicate member can only be written as raw text.
      std::string text = text_of(*c.body);
      std::string first = c.body->begin().key();
      text.insert(1, text_of(json(first)) + ":" + text_of(json(rng.pick(limit_values()))) + ",");
      c.raw_body = text;
      detail = "twice: " + first;
    }
  } else if (kind == "unknown") {
    std::string name = rng.pick(std::vector<std::string>{"ConformUnknown", "x", "RegionId ", "regionid", "Action.1",
                                                         "__proto__", "constructor", "a[b]", "a.b.c", ""});
    std::string value = rng.pick(limit_values());
    if (c.body && c.body->is_object() && !c.raw_body && rng.below(2)) {
      json b = *c.body;
      b[name] = value;
      c.set_body(std::move(b));
    } else {
      c.query.emplace_back(name, value);
    }
    detail = "unknown parameter '" + name + "'";
  } else if (kind == "huge") {
    // Under a megabyte: a body over the server's limit may be refused before it
    // is read, and the refusal then races the client's writing (a reset, not a
    // finding about the service).
    static const std::vector<std::size_t> sizes = {16 << 10, 40 << 10, 900 << 10};
    std::size_t n = rng.pick(sizes);
    Params p = params_of(c);
    if (n > (40u << 10) && p.body.empty()) n = 40 << 10;  // a query that size is a header limit, not a value
    set_value(c, rng, repeat('A', n), nullptr, detail);
    detail = detail.substr(0, detail.find(" = ")) + " = " + std::to_string(n) + " bytes";
  } else if (kind == "many") {
    std::size_t n = rng.pick(std::vector<std::size_t>{100, 1000, 2000});
    if (c.body && c.body->is_object() && !c.raw_body) {
      json b = *c.body;
      for (std::size_t i = 0; i < n; ++i) b["p" + std::to_string(i)] = i;
      c.set_body(std::move(b));
    } else {
      for (std::size_t i = 0; i < n; ++i) c.query.emplace_back("P" + std::to_string(i), "v");
    }
    detail = std::to_string(n) + " extra parameters";
  } else if (kind == "body") {
    std::string text = rng.pick(broken_bodies());
    if (c.body && rng.below(3) == 0) {
      std::string whole = text_of(*c.body);
      text = whole.substr(0, rng.below(whole.size()));  // truncated
    }
    c.raw_body = text;
    if (c.method == "GET") c.method = "POST";
    detail = "body " + text_of(json(text.substr(0, 40)));
  } else if (kind == "index") {
    // An indexed parameter (DataDisk.1.Size) at and past its documented bounds.
    std::vector<std::size_t> indexed;
    for (std::size_t i = 0; i < c.query.size(); ++i) {
      if (c.query[i].first.find(".1") != std::string::npos) indexed.push_back(i);
    }
    std::string n = rng.pick(std::vector<std::string>{"0", "2", "16", "17", "64", "65", "100", "-1", "1.5", "01", "x"});
    if (indexed.empty()) {
      c.query.emplace_back("Tag." + n + ".Key", "k");
      detail = "Tag." + n + ".Key";
    } else {
      const std::string& name = c.query[rng.pick(indexed)].first;
      std::size_t at = name.find(".1");
      std::string prefix = name.substr(0, at + 1);
      // Every parameter of that index family moves together, like a real client's.
      for (auto& [k, v] : c.query) {
        if (k.rfind(prefix + "1", 0) == 0 && (k.size() == prefix.size() + 1 || k[prefix.size() + 1] == '.')) {
          k = prefix + n + k.substr(prefix.size() + 1);
        }
      }
      detail = prefix + "N with N = " + n;
    }
  } else {  // method
    std::vector<std::string> others;
    for (const char* m : {"PUT", "DELETE", "PATCH", "OPTIONS", "POST", "GET"}) {
      if (c.method != m) others.push_back(m);
    }
    c.method = rng.pick(others);
    detail = "method " + c.method;
  }
  m.kind = m.kind.empty() ? kind : m.kind + "+" + kind;
  m.detail = m.detail.empty() ? detail : m.detail + "; " + detail;
}

}  // namespace

Mutation mutate(const Case& base, std::uint64_t seed) {
  Rng rng(seed);
  Mutation m{base, "", ""};
  m.mutated.expect.reset();
  m.mutated.target.reset();
  std::size_t n = 1 + (rng.below(4) == 0 ? 1 + rng.below(2) : 0);
  for (std::size_t i = 0; i < n; ++i) mutate_once(m, rng);
  return m;
}

}  // namespace conform::fuzz
