#include "emulator/wire.h"

#include "core/text.h"

namespace conform::emulator {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string_view> segments(std::string_view p) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= p.size()) {
    auto slash = p.find('/', start);
    if (slash == std::string_view::npos) slash = p.size();
    out.push_back(p.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

}  // namespace

// Runs of bytes other than '+' and '%' are appended whole.
std::string url_decode(std::string_view s) {
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
      out += '%';
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!s.empty()) {
    auto amp = s.find('&');
    std::string_view piece = s.substr(0, amp);
    s = amp == std::string_view::npos ? std::string_view() : s.substr(amp + 1);
    if (piece.empty()) continue;
    auto eq = piece.find('=');
    out.emplace_back(url_decode(piece.substr(0, eq)),
                     eq == std::string_view::npos ? std::string() : url_decode(piece.substr(eq + 1)));
  }
  return out;
}

void add_first(QueryMap& out, const std::vector<std::pair<std::string, std::string>>& pairs) {
  for (const auto& [k, v] : pairs) out.try_emplace(k, v);
}

void add_first(QueryMap& out, std::vector<std::pair<std::string, std::string>>&& pairs) {
  for (auto& [k, v] : pairs) out.try_emplace(std::move(k), std::move(v));
}

std::optional<std::map<std::string, std::string>> match_path(std::string_view tmpl, std::string_view path) {
  auto t = segments(tmpl);
  auto p = segments(path);
  if (t.size() != p.size()) return std::nullopt;
  std::map<std::string, std::string> vars;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].size() > 2 && t[i].front() == '{' && t[i].back() == '}') {
      vars[std::string(t[i].substr(1, t[i].size() - 2))] = url_decode(p[i]);
    } else if (t[i] != p[i]) {
      return std::nullopt;
    }
  }
  return vars;
}

std::string media_type(std::string_view content_type) {
  return text::to_lower(text::trim(content_type.substr(0, content_type.find(';'))));
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace conform::emulator
