// What the three table extractors (markdown, HTML, flattened text) read out of a
// doc, before any prose is interpreted. The analyzer (analyze.h) turns a RawDoc
// into a Spec; the extractors know nothing of rules.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace conform::import {

// One line of a cell or paragraph as plain text (markup, escapes and entities
// resolved), with the 1-based line of the doc it came from. A list item keeps a
// leading "- ".
struct TextLine {
  std::string text;
  int line = 0;
};

// One row of a parameter table.
struct RawParam {
  std::string name;               // cleaned: "DataDisk.N.Size", "begin_at" (tree marks such as └ and » removed)
  std::vector<std::string> path;  // enclosing parameters for nested rows, outermost first; empty at top level
  std::string type;               // as written: "String", "Integer", "JSON", "object", "Array"
  std::string required;           // as written: "Yes", "No", "" when the table has no such column
  std::string example;            // as written, unescaped; "" when absent
  std::vector<TextLine> description;
  int line = 0;                   // line where the row starts
};

// One row of an error-code table.
struct RawError {
  std::string status;  // "400"; "" when the table gives none
  std::string code;
  std::string message;
  std::string description;
  int line = 0;
};

// A fenced or indented example (request URL, request body, response body).
struct RawExample {
  std::string kind;  // "request" or "response"
  std::string text;
  int line = 0;
};

struct RawDoc {
  std::string file;    // path as given, e.g. "apidocs/aliyun-ecs-CreateInstance.md"
  std::string format;  // "markdown", "html", "text"
  std::string title;
  std::vector<RawParam> request;   // request parameters, URI/path parameters included
  std::vector<RawParam> response;  // response parameters
  std::vector<RawError> errors;
  std::vector<RawExample> examples;
  std::vector<TextLine> prose;     // text outside the tables (description sections, notes)
};

// Each extractor reads a whole doc. A doc with no parameter table, a truncated
// table, binary garbage or an empty file is an Error naming file and line.
Result<RawDoc> extract_markdown(std::string_view file, std::string_view content);
Result<RawDoc> extract_html(std::string_view file, std::string_view content);
Result<RawDoc> extract_text(std::string_view file, std::string_view content);

// Picks the extractor: a markdown file whose tables are HTML <table> elements
// goes to extract_html, a .txt file to extract_text, other .md to extract_markdown.
Result<RawDoc> extract(std::string_view file, std::string_view content);

}  // namespace conform::import
