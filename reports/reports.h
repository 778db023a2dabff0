// The report formats, each a Listener (reports/event.h). Files are written on
// flush(), except the NDJSON log, which streams.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "reports/event.h"

namespace conform::report {

// JUnit XML for Jenkins, GitLab and GitHub: a testsuite per target and operation,
// a testcase per rule and side, a failure per non-passing exchange (expected vs
// observed, curl, the regenerating conform command).
std::unique_ptr<Listener> junit_listener(std::string path);
// One self-contained HTML page: summary, rules x outcome per operation, failure
// details, a filter by outcome; no external assets.
std::unique_ptr<Listener> html_listener(std::string path);
// One JSON object per exchange per line (DESIGN.md "Command line"); opened at
// run start, flushed line by line.
std::unique_ptr<Listener> ndjson_listener(std::string path);
// Progress on `out`: a live line redrawn in place on a terminal, plain lines (each
// failure, a summary every 500 exchanges) otherwise.
std::unique_ptr<Listener> console_listener(std::ostream& out, bool live);

// Whether the console should draw a live line: a terminal, and CI is not "true".
bool console_is_live(int fd);

}  // namespace conform::report
