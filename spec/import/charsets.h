// Character classes and value lists written in prose, read into RE2 class bodies and
// value lists: shared by the sentence patterns (sentences.cc) and their users.
#pragma once

#include <string>
#include <vector>

namespace conform::import {

// Parses a character list ("letters, digits, colons (:), and hyphens (-)") into an
// RE2 class body ("A-Za-z0-9:\-"); "" when nothing was recognised.
std::string charset_from_list(const std::string& list);

// The same class in one spelling (ASCII ranges in order, escapes where needed), so
// that two sentences naming the same characters give the same rule.
std::string canonical_charset(const std::string& cls);

// Values of a list written in prose: "Week and Month", "{"1", "2"}",
// "22:00:00, 02:00:00, or 18:00:00" -> each value.
std::vector<std::string> list_values(std::string s);

// Characters in parentheses: "colons (:), underscores (_)" -> ":_".
std::string paren_chars(const std::string& s);

// Escapes the characters that are special inside an RE2 class ("\", "]", "[", "^", "-").
std::string escape_class(const std::string& chars);

}  // namespace conform::import
