// Small text helpers shared by the report formats.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reports/event.h"

namespace conform::report {

// Escapes for XML text and attributes; drops the bytes XML 1.0 cannot carry at all
// (control characters other than tab, LF and CR), and replaces invalid UTF-8.
std::string xml_escape(std::string_view s);
// Same rules suit HTML.
inline std::string html_escape(std::string_view s) { return xml_escape(s); }
// At most `max` bytes, cut on a UTF-8 boundary, with a note of what was cut.
std::string clip(std::string_view s, std::size_t max);

// Creates the folders a report path names, so that `--junit out/junit.xml` needs no mkdir.
void make_parent_dirs(const std::string& path);

// "400 MissingParameter" / "400 (any code)" / "no response".
std::string status_and_codes(int status, const std::vector<std::string>& codes);
// The lines a person reads about one non-passing exchange: expected vs observed,
// each finding, the response body (clipped), the curl command and the conform
// command that regenerates it.
std::string failure_text(const ExchangeDone& e);
// "target.op": a JUnit suite, an HTML section.
inline std::string suite_name(const ExchangeDone& e) { return e.target + "." + e.op; }
inline std::string case_name(const ExchangeDone& e) { return e.rule + " [" + e.side + "]"; }

}  // namespace conform::report
