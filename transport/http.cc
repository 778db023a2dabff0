#include "transport/http.h"

#include "core/text.h"

namespace conform::transport {
namespace {

const std::string* find_header(const Pairs& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (text::equals_ci(k, name)) return &v;
  }
  return nullptr;
}

bool has_control(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return true;
  }
  return false;
}

}  // namespace

bool sendable(const HttpRequest& r) {
  if (r.method.empty() || has_control(r.method) || r.method.find(' ') != std::string::npos) return false;
  if (r.target.empty() || has_control(r.target) || r.target.find(' ') != std::string::npos) return false;
  for (const auto& [name, value] : r.headers) {
    if (name.empty() || has_control(name) || has_control(value) || name.find(':') != std::string::npos) {
      return false;
    }
  }
  return true;
}

bool contains_ci(std::string_view s, std::string_view lower) {
  auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i + lower.size() <= s.size(); ++i) {
    std::size_t k = 0;
    while (k < lower.size() && low(s[i + k]) == lower[k]) ++k;
    if (k == lower.size()) return true;
  }
  return false;
}

const std::string* HttpRequest::header(std::string_view name) const { return find_header(headers, name); }
const std::string* HttpResponse::header(std::string_view name) const { return find_header(headers, name); }

}  // namespace conform::transport
