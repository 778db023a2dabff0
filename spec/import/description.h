// Reads one parameter's description, line by line: plain sentences go to
// read_sentence; lists introduced by "Valid values:", "Options:", "The following
// fields are supported:" or "the following character types:" are read as a whole.
#pragma once

#include "spec/import/sentences.h"

namespace conform::import {

void read_description(RuleSink& sink, spec::Param& param, const std::string& path,
                      const std::vector<TextLine>& lines);

// Logs a sentence that no pattern turned into anything (when it bears a constraint).
void log_unread(RuleSink& sink, const std::string& param, const std::string& sentence, int line,
                const std::string& why);

}  // namespace conform::import
