#include <filesystem>
#include "reports/format.h"

#include "core/text.h"

namespace conform::report {

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool utf8 = text::valid_utf8(s);
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 has no escape for these
        } else if (c >= 0x80 && !utf8) {
          out += "\xEF\xBF\xBD";
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string clip(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "... [" + std::to_string(s.size() - cut) + " more bytes]";
}

std::string status_and_codes(int status, const std::vector<std::string>& codes) {
  if (status == 0) return "no response";
  std::string out = std::to_string(status);
  if (codes.empty()) return out;
  out += " ";
  for (std::size_t i = 0; i < codes.size(); ++i) out += (i ? "|" : "") + codes[i];
  return out;
}

std::string failure_text(const ExchangeDone& e) {
  std::string out = "case " + e.case_id + " (" + e.op + ", " + case_name(e) + ")\n";
  std::vector<std::string> observed;
  if (!e.observed_code.empty()) observed.push_back(e.observed_code);
  out += "expected: " + status_and_codes(e.expected.status, e.expected.codes) + " (" +
         std::string(spec::to_string(e.expected.confidence)) +
         (e.expected.rule.empty() ? "" : ", rule " + e.expected.rule) + ")\n";
  out += "observed: " + status_and_codes(e.response ? e.response->status : 0, observed) + "\n";
  for (const Finding& f : e.findings) {
    if (f.outcome == Outcome::pass) continue;
    out += "- " + std::string(to_string(f.outcome)) + (f.baselined ? " (baselined)" : "") + " [" + f.check +
           "] " + f.message + "\n";
  }
  if (!e.shrunk.empty()) out += e.shrunk + "\n";
  if (!e.expected.citation.empty()) out += "doc: " + clip(e.expected.citation, 300) + "\n";
  if (e.response) out += "response body: " + clip(e.response->body, 2000) + "\n";
  out += "reproduce: " + e.curl + "\n";
  if (!e.reproduce.empty()) out += "regenerate: " + e.reproduce + "\n";
  return out;
}

void make_parent_dirs(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
}

}  // namespace conform::report
