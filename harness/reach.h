// Whether a target ever sent a byte back, for `run` and `fuzz` alike: one that
// took every connection and then reset, closed or said nothing, however few the
// requests, could not be reached (exit 3), DESIGN.md "Command line".
#pragma once

#include <string>

#include "transport/http.h"

namespace conform::runner {

class Reach {
 public:
  // An answer came (any status, throttling too).
  void answered() { heard_ = true; }
  // A transport error: silent ones (nothing came back) are remembered, the
  // others but refused and unreachable mean the target did speak.
  void failed(const transport::TransportError& e) {
    if (e.silent) {
      last_silence_ = e.message;
    } else if (e.kind != transport::FailureKind::refused && e.kind != transport::FailureKind::unreachable) {
      heard_ = true;
    }
  }
  // Why the target counts as unreachable after `requests` sent, or "" if it spoke
  // (or no request got as far as a silence).
  std::string never_answered(long long requests) const {
    if (heard_ || last_silence_.empty()) return "";
    return "the target never answered: " + std::to_string(requests) + " request(s), not one byte back (last: " +
           last_silence_ + ")";
  }

 private:
  bool heard_ = false;
  std::string last_silence_;
};

}  // namespace conform::runner
