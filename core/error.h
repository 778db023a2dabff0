// Errors as values: every parser of outside input returns Result<T>.
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace conform {

// An error names the thing it is about (file:line, file#/json/pointer, a case id)
// and what was expected there.
struct Error {
  std::string where;
  std::string what;

  // "where: what", or just "what" when there is no place to name.
  std::string message() const;
};

template <class T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(std::string where, std::string what) {
  return tl::unexpected<Error>(Error{std::move(where), std::move(what)});
}

// Exit codes of the conform CLI (DESIGN.md, "Command line").
enum ExitCode : int {
  kExitOk = 0,
  kExitFindings = 1,
  kExitUsage = 2,  // usage, spec or config error
  kExitUnreachable = 3,
};

}  // namespace conform

// Unwraps a Result into `var` or returns its error from the enclosing function.
#define CONFORM_TRY(var, expr)                                  \
  auto var##_result_ = (expr);                                  \
  if (!var##_result_) return tl::unexpected(var##_result_.error()); \
  auto var = std::move(*var##_result_)
// The same for Result<void>.
#define CONFORM_CHECK(expr)                                     \
  do {                                                          \
    auto check_result_ = (expr);                                \
    if (!check_result_) return tl::unexpected(check_result_.error()); \
  } while (0)
