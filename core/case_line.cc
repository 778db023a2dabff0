// to_json_line: a case's line of the case format (core/case.h), written
// directly rather than through a json tree.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/case.h"
#include "core/json_text.h"

namespace conform {

using nlohmann::json;

namespace {

// to_json_line writes the line directly rather than building a json tree and
// dumping it: the same text (an object's members sorted by name, as json keeps
// them; compact; invalid UTF-8 replaced), without copying the body or allocating
// a node per member. case_test compares the two.
struct LineWriter {
  std::string out;
  std::vector<const std::pair<std::string, std::string>*> sorted;  // pairs()'s scratch

  // A string as nlohmann's dump writes it (core/json_text.h).
  void str(std::string_view s) { append_json_string(out, s); }
  // A member; `first` for the first one of its object.
  void key(std::string_view k, bool first = false) {
    if (!first) out += ',';
    str(k);
    out += ':';
  }
  // pairs_to_json's text: an object sorted by name when the names are unique,
  // else the [name, value] pairs in order.
  void pairs(const Pairs& ps) {
    sorted.clear();  // one vector for every pairs() of the line
    for (const auto& p : ps) sorted.push_back(&p);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
    const bool unique =
        std::adjacent_find(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->first == b->first; }) ==
        sorted.end();
    if (unique) {
      out += '{';
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        key(sorted[i]->first, i == 0);
        str(sorted[i]->second);
      }
      out += '}';
      return;
    }
    out += '[';
    for (std::size_t i = 0; i < ps.size(); ++i) {
      if (i > 0) out += ',';
      out += '[';
      str(ps[i].first);
      out += ',';
      str(ps[i].second);
      out += ']';
    }
    out += ']';
  }
  // to_json(Case)'s members, in json's (sorted) order.
  void write(const Case& c) {
    out += '{';
    key("body", true);
    if (c.body) {
      out += c.body->dump(-1, ' ', false, json::error_handler_t::replace);
    } else {
      out += "null";
    }
    if (c.expect) {
      key("expect");
      out += '{';
      const auto& codes = c.expect->codes;
      if (codes.size() == 1) {
        key("code", true);
        str(codes[0]);
      } else if (codes.size() > 1) {
        key("codes", true);
        out += '[';
        for (std::size_t i = 0; i < codes.size(); ++i) {
          if (i > 0) out += ',';
          str(codes[i]);
        }
        out += ']';
      }
      key("status", codes.empty());
      out += std::to_string(c.expect->status);
      out += '}';
    }
    key("headers");
    pairs(c.headers);
    if (!c.id.empty()) {
      key("id");
      str(c.id);
    }
    key("method");
    str(c.method);
    key("op");
    str(c.op);
    key("path");
    str(c.path);
    key("query");
    pairs(c.query);
    if (c.raw_body) {
      key("raw_body");
      str(*c.raw_body);
    }
    if (c.target) {
      key("target");
      out += '{';
      key("rule", true);
      str(c.target->rule);
      key("side");
      str(to_string(c.target->side));
      out += '}';
    }
    out += '}';
  }
};

// About how long a case's line is (its texts, plus room for the member names and
// a small body), so that the line is allocated once or twice rather than doubling
// from empty: allocation is most of the cost of writing one (a fuzz target and the
// regression writer run this per case).
std::size_t line_size_hint(const Case& c) {
  std::size_t n = 160 + c.id.size() + c.op.size() + c.method.size() + c.path.size();
  for (const Pairs* ps : {&c.query, &c.headers})
    for (const auto& [k, v] : *ps) n += k.size() + v.size() + 8;
  if (c.raw_body) n += c.raw_body->size() + 16;
  if (c.body) n += 64;
  return n;
}

}  // namespace

std::string to_json_line(const Scenario& s) {
  LineWriter w;
  std::size_t hint = 16 + s.id.size();
  for (const Case& c : s.steps) hint += line_size_hint(c);
  w.out.reserve(hint);
  if (!s.stateful && s.steps.size() == 1) {
    w.write(s.steps[0]);
    return std::move(w.out);
  }
  w.out += '{';
  w.key("id", true);
  w.str(s.id);
  w.key("steps");
  w.out += '[';
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    if (i > 0) w.out += ',';
    w.write(s.steps[i]);
  }
  w.out += "]}";
  return std::move(w.out);
}

}  // namespace conform
