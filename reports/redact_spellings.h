// What a secret value looks like in the texts a service may echo it in
// (reports/redact.cc replaces each of them): private to reports/.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace conform::report {

// Every spelling of each value of `values` and `extra`, the value itself first.
std::vector<std::string> spellings(const std::set<std::string>& values, const std::set<std::string>& extra);

}  // namespace conform::report
