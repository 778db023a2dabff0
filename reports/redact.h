// The one redaction function every output goes through. The dispatcher
// (Listeners) applies it to each event before any listener sees it, so a new
// listener cannot forget it: secret parameters (spec Param.secret), passwords,
// signatures, AccessKey secrets and tokens never reach a report, a log, a curl
// command, the console or a saved case.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "reports/event.h"

namespace conform::report {

inline constexpr const char* kRedacted = "***";

class Redactor {
 public:
  // Secret names besides the built-in ones (Password, Signature, AccessKeySecret,
  // SecurityToken, Authorization, X-Auth-Token, ...). Compared case-insensitively
  // with the last dotted segment of a parameter name or a JSON member name.
  explicit Redactor(std::vector<std::string> secret_names = {});
  static Redactor for_specs(const std::vector<spec::Spec>& specs);

  // A value that must never appear anywhere (a credential read from the
  // environment, issue 8). Values shorter than 4 bytes are ignored: redacting
  // every "1" would destroy reports without protecting anything.
  void add_secret_value(std::string value);

  bool is_secret_name(std::string_view name) const;
  // False when no member or pair of the JSON `text` can have a secret name: no
  // secret name in it as a string's last dotted segment (compared
  // case-insensitively) and no escape that could spell one. Spares parsing most
  // bodies.
  bool may_name_secret(std::string_view text) const;

  // The event with secrets replaced by "***": the request's query, form body,
  // JSON body and headers by name; and every value so found (and the registered
  // ones) wherever else it appears: the response, the messages, the case line.
  ExchangeDone redact(ExchangeDone e) const;
  // Replaces the registered secret values (and `extra`) in free text.
  std::string redact_text(std::string text, const std::set<std::string>& extra = {}) const;

 private:
  static constexpr std::size_t kShortName = 64;
  bool is_name(std::string_view segment) const;  // a secret last segment, any case

  std::set<std::string, std::less<>> names_;  // lower case
  std::size_t max_name_ = 0;                  // the longest name's length
  // A quick no for is_name: per (lower-case) first byte, bit min(length, 63) set
  // for each name that starts with it.
  std::array<std::uint64_t, 256> shapes_{};
  // The same by last byte: "Server" has the shape of "secret", not its tail.
  std::array<std::uint64_t, 256> tails_{};
  bool empty_name_ = false;
  bool quoted_name_ = false;                  // a name with a '"': may_name_secret always true
  std::set<std::string> values_;
};

}  // namespace conform::report
