// What the doc's examples add to a spec, and where they contradict it.
#pragma once

#include "spec/import/sentences.h"

namespace conform::import {

// For JSON-body dialects: members of Object parameters that the parameter table
// leaves out, read from the request example (types from the JSON values). A
// parameter the error table writes as "<P>.{key}" is a map: it gets one member
// "{key}" standing for every entry.
void members_from_example(RuleSink& sink, const RawDoc& doc);

// Each parameter's documented example checked against the parameter's own simple
// rules (enum, length, charset, first character, prefix, numeric range): a doc
// whose example breaks its own rule is recorded as ambiguous.
void check_examples(RuleSink& sink);

// The format a parameter's name promises ("PrivateIpAddress" -> "ipv4", "CidrBlock" -> "cidr"), or "".
std::string format_by_name(const std::string& name);

}  // namespace conform::import
