#include "reports/redact.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/text.h"
#include "reports/redact_spellings.h"
#include "transport/url.h"

namespace conform::report {
namespace {

using nlohmann::json;

// Credentials and signature material of the three dialects (DESIGN.md
// "Dialects", issue 8) and the usual spellings of passwords and tokens.
const char* const kBuiltin[] = {
    "password",        "passwd",         "signature",          "accesskeysecret", "access_key_secret",
    "secretaccesskey", "securitytoken",  "security_token",     "authorization",   "x-auth-token",
    "x-acs-security-token", "x-security-token", "proxy-authorization", "cookie", "set-cookie",
    "token",           "secret",         "privatekey",         "private_key",     "sk",
};

constexpr std::size_t kMinValue = 4;

unsigned char lower_byte(char c) { return static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c))); }

std::string last_segment(std::string_view name) {
  std::size_t dot = name.rfind('.');
  return text::to_lower(dot == std::string_view::npos ? name : name.substr(dot + 1));
}

void replace_all(std::string& s, const std::string& from, std::string_view to) {
  if (from.empty()) return;
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

}  // namespace

Redactor::Redactor(std::vector<std::string> secret_names) {
  for (const char* n : kBuiltin) names_.insert(n);
  for (const std::string& n : secret_names) names_.insert(last_segment(n));
  for (const std::string& n : names_) {
    max_name_ = std::max(max_name_, n.size());
    quoted_name_ = quoted_name_ || n.find('"') != std::string::npos;
    if (n.empty()) {
      empty_name_ = true;
    } else {
      shapes_[lower_byte(n.front())] |= 1ull << std::min<std::size_t>(n.size(), 63);
      tails_[lower_byte(n.back())] |= 1ull << std::min<std::size_t>(n.size(), 63);
    }
  }
}

Redactor Redactor::for_specs(const std::vector<spec::Spec>& specs) {
  std::vector<std::string> names;
  std::vector<const spec::Param*> stack;
  for (const spec::Spec& s : specs) {
    for (const spec::Param& p : s.params) stack.push_back(&p);
  }
  while (!stack.empty()) {
    const spec::Param* p = stack.back();
    stack.pop_back();
    if (p->secret) names.push_back(p->name);
    for (const spec::Param& m : p->members) stack.push_back(&m);
  }
  return Redactor(std::move(names));
}

void Redactor::add_secret_value(std::string value) {
  if (value.size() >= kMinValue) values_.insert(std::move(value));
}

bool Redactor::is_secret_name(std::string_view name) const {
  std::size_t dot = name.rfind('.');
  return is_name(dot == std::string_view::npos ? name : name.substr(dot + 1));
}

// `segment` lower-cased, in a stack buffer when it is short (as all names are).
bool Redactor::is_name(std::string_view segment) const {
  if (segment.size() > max_name_) return false;
  if (segment.empty()) return empty_name_;
  const std::size_t bit = std::min<std::size_t>(segment.size(), 63);
  if (((shapes_[lower_byte(segment.front())] >> bit) & 1) == 0) return false;
  if (((tails_[lower_byte(segment.back())] >> bit) & 1) == 0) return false;
  if (segment.size() > kShortName) return names_.count(text::to_lower(segment)) > 0;
  char buf[kShortName];
  for (std::size_t i = 0; i < segment.size(); ++i) {
    buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(segment[i])));
  }
  return names_.count(std::string_view(buf, segment.size())) > 0;
}

bool Redactor::may_name_secret(std::string_view text) const {
  if (quoted_name_ || text.find('\\') != std::string_view::npos) return true;
  // A secret name is a whole last segment: inside a JSON string it comes right
  // after the opening quote or a dot, and right before the closing quote. No
  // name holds a quote or a dot, so the one candidate ending at a quote starts
  // after the nearest quote or dot before it: one pass, no copy.
  std::size_t from = std::string_view::npos;  // just after the last quote or dot
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      if (from != std::string_view::npos && is_name(text.substr(from, i - from))) return true;
      from = i + 1;
    } else if (c == '.') {
      from = i + 1;
    }
  }
  return false;
}

namespace {

struct Pass {
  const Redactor& r;
  std::set<std::string> found;  // secret values met by name
  bool changed = false;

  void pairs(Pairs& ps) {
    for (auto& [k, v] : ps) {
      if (!r.is_secret_name(k) || v == kRedacted) continue;
      if (v.size() >= kMinValue) found.insert(v);
      v = kRedacted;
    }
  }

  // Objects by member name, and [name, value] pairs (the case format's query
  // when names repeat) by their first element.
  void json_value(json& j) {
    if (j.is_object()) {
      for (auto& [k, v] : j.items()) {
        if (r.is_secret_name(k) && !v.is_structured()) {
          if (v.is_string() && v.get<std::string>().size() >= kMinValue) found.insert(v.get<std::string>());
          v = kRedacted;
          changed = true;
        } else {
          json_value(v);
        }
      }
    } else if (j.is_array()) {
      if (j.size() == 2 && j[0].is_string() && !j[1].is_structured() && r.is_secret_name(j[0].get<std::string>())) {
        if (j[1].is_string() && j[1].get<std::string>().size() >= kMinValue) found.insert(j[1].get<std::string>());
        j[1] = kRedacted;
        changed = true;
        return;
      }
      for (json& e : j) json_value(e);
    }
  }

  // A [name, value] pair that json_value redacts.
  bool secret_pair(const json& j) const {
    return j.size() == 2 && j[0].is_string() && !j[1].is_structured() && r.is_secret_name(j[0].get_ref<const std::string&>());
  }

  // Whether json_value would redact anything in j.
  bool has_secret(const json& j) const {
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it->is_structured() ? has_secret(*it) : r.is_secret_name(it.key())) return true;
      }
    } else if (j.is_array()) {
      if (secret_pair(j)) return true;
      for (const json& e : j) {
        if (e.is_structured() && has_secret(e)) return true;
      }
    }
    return false;
  }

  // j as json_value would leave it, dumped as json_text dumps it: what json_value
  // would find goes to `seen`. False (a secret value that is not valid UTF-8,
  // which the text holds replaced): the text must be parsed instead.
  bool write_redacted(const json& j, std::string& out, std::vector<std::string>& seen) const {
    auto secret = [&](const json& v) {
      out.append("\"***\"");
      if (!v.is_string()) return true;
      const std::string& value = v.get_ref<const std::string&>();
      if (!text::valid_utf8(value)) return false;
      if (value.size() >= kMinValue) seen.push_back(value);
      return true;
    };
    switch (j.type()) {
      case json::value_t::object: {
        out += '{';
        for (auto it = j.begin(); it != j.end(); ++it) {
          if (it != j.begin()) out += ',';
          append_json_string(out, it.key());
          out += ':';
          bool ok = !it->is_structured() && r.is_secret_name(it.key()) ? secret(*it) : write_redacted(*it, out, seen);
          if (!ok) return false;
        }
        out += '}';
        return true;
      }
      case json::value_t::array: {
        out += '[';
        if (secret_pair(j)) {
          append_json_string(out, j[0].get_ref<const std::string&>());
          out += ',';
          if (!secret(j[1])) return false;
        } else {
          for (std::size_t i = 0; i < j.size(); ++i) {
            if (i > 0) out += ',';
            if (!write_redacted(j[i], out, seen)) return false;
          }
        }
        out += ']';
        return true;
      }
      case json::value_t::string: append_json_string(out, j.get_ref<const std::string&>()); return true;
      default: out += j.dump(-1, ' ', false, json::error_handler_t::replace); return true;
    }
  }

  // A JSON text: redacted by name when it parses; left to the value pass if not.
  // `parsed`, when given, is the text's value (ExchangeDone::request_json).
  void json_text(std::string& s, const json* parsed = nullptr) {
    if (parsed) {
      // The value tells as much as the text scan would (a secret member's
      // name is in the text, escaped or not), for fewer names looked up.
      if (!parsed->is_structured() || !has_secret(*parsed)) return;
      std::string out;
      out.reserve(s.size());
      std::vector<std::string> seen;
      if (write_redacted(*parsed, out, seen)) {
        s = std::move(out);
        for (std::string& v : seen) found.insert(std::move(v));
        return;
      }
    }
    if (!parsed && !r.may_name_secret(s)) return;
    json j = parse_json_bounded(s);
    if (j.is_discarded() || !j.is_structured()) return;
    changed = false;
    json_value(j);
    // Re-serialised only when something was redacted, so that the body a report
    // shows keeps its original layout otherwise.
    if (changed) s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  }

  // Whether a name of the form `s` can be secret, without decoding it: a name
  // with '%' or '+' is decoded to tell.
  bool form_may_name_secret(std::string_view s) const {
    std::size_t start = 0;  // of the current item (its name first)
    while (start < s.size()) {
      std::size_t i = start;
      for (; i < s.size() && s[i] != '=' && s[i] != '&'; ++i) {
        if (s[i] == '%' || s[i] == '+') return true;
      }
      if (r.is_secret_name(s.substr(start, i - start))) return true;
      i = s.find('&', i);  // past the value
      if (i == std::string_view::npos) break;
      start = i + 1;
    }
    return false;
  }

  void form_text(std::string& s) {
    if (!form_may_name_secret(s)) return;
    Pairs ps = transport::decode_pairs(s);
    bool any = false;
    for (const auto& [k, v] : ps) any = any || r.is_secret_name(k);
    if (!any) return;
    pairs(ps);
    s = transport::encode_pairs(ps);
  }

  void request(transport::HttpRequest& req, const json* parsed) {
    std::size_t q = req.target.find('?');
    if (q != std::string::npos && form_may_name_secret(std::string_view(req.target).substr(q + 1))) {
      std::string query = req.target.substr(q + 1);
      form_text(query);
      req.target = req.target.substr(0, q + 1) + query;
    }
    for (auto& [k, v] : req.headers) {
      if (r.is_secret_name(k)) {
        if (v.size() >= kMinValue) found.insert(v);
        // The signature inside an Authorization value, which a service may echo
        // alone: "acs <AccessKeyId>:<signature>" (aliyun ROA), "...,
        // Signature=<hex>" (Huawei).
        std::string_view sig;
        if (std::size_t at = v.find("Signature="); at != std::string::npos) {
          sig = std::string_view(v).substr(at + 10);
          sig = sig.substr(0, sig.find(','));
        } else if (v.rfind("acs ", 0) == 0 && v.rfind(':') != std::string::npos) {
          sig = std::string_view(v).substr(v.rfind(':') + 1);
        }
        if (sig.size() >= kMinValue) found.insert(std::string(sig));
        v = kRedacted;
      }
    }
    const std::string* ct = req.header("Content-Type");
    std::string type = ct ? text::to_lower(*ct) : "";
    if (type.find("json") != std::string::npos) json_text(req.body, parsed);
    if (type.find("x-www-form-urlencoded") != std::string::npos) form_text(req.body);
  }
};


void replace_spellings(std::string& text, const std::vector<std::string>& spellings) {
  for (const std::string& s : spellings) replace_all(text, s, kRedacted);
}

}  // namespace

std::string Redactor::redact_text(std::string text, const std::set<std::string>& extra) const {
  replace_spellings(text, spellings(values_, extra));
  return text;
}

ExchangeDone Redactor::redact(ExchangeDone e) const {
  Pass pass{*this, {}};
  pass.request(e.request, e.request_json.get());
  if (!e.case_json.empty()) pass.json_text(e.case_json);
  if (e.response) {
    pass.json_text(e.response->body, e.response_json.get());
    for (auto& [k, v] : e.response->headers) {
      if (is_secret_name(k)) v = kRedacted;
    }
  }
  // Then every secret value found, wherever it went: echoed in a response,
  // under another name, in a message.
  const std::vector<std::string> secrets = spellings(values_, pass.found);
  if (secrets.empty()) return e;
  auto scrub = [&secrets](std::string& s) { replace_spellings(s, secrets); };
  scrub(e.request.target);
  scrub(e.request.body);
  for (auto& h : e.request.headers) scrub(h.second);
  if (e.response) {
    scrub(e.response->body);
    for (auto& h : e.response->headers) scrub(h.second);
  }
  if (e.error) scrub(e.error->message);
  for (Finding& f : e.findings) scrub(f.message);
  scrub(e.case_json);
  scrub(e.reproduce);
  scrub(e.curl);
  return e;
}

}  // namespace conform::report
