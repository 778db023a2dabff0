// A JSON reader that knows its JSON pointer, so every complaint names the place.
// Private to spec/ (and the loaders of other file formats); includes full nlohmann.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace conform::spec {

class JsonReader {
 public:
  JsonReader(const nlohmann::json& j, std::string_view file, std::string pointer)
      : j_(j), file_(file), pointer_(std::move(pointer)) {}

  const nlohmann::json& json() const { return j_; }
  const std::string& pointer() const { return pointer_; }
  std::string_view file() const { return file_; }

  tl::unexpected<Error> error(std::string_view key, std::string what) const;
  Result<void> expect_object() const;
  bool has(std::string_view key) const;
  // Keys of the object that are not in `known`: an error naming the first one.
  Result<void> only_keys(std::initializer_list<std::string_view> known) const;

  Result<std::string> str(std::string_view key) const;
  Result<std::string> str_or(std::string_view key, std::string fallback) const;
  Result<std::optional<std::string>> opt_str(std::string_view key) const;
  Result<int> integer(std::string_view key) const;
  Result<int> integer_or(std::string_view key, int fallback) const;
  Result<std::optional<double>> opt_number(std::string_view key) const;
  Result<bool> boolean_or(std::string_view key, bool fallback) const;
  Result<std::vector<std::string>> strings_or_empty(std::string_view key) const;
  // The member `key` as a reader (must exist); `array_of(key)` yields readers of its elements.
  Result<JsonReader> child(std::string_view key) const;
  Result<std::vector<JsonReader>> array_of(std::string_view key) const;

 private:
  std::string ptr(std::string_view key) const;
  // The member `key` when this is an object that has it and it is not null.
  const nlohmann::json* get(std::string_view key) const;
  Result<std::string> string_of(std::string_view key, const nlohmann::json& v) const;
  const nlohmann::json& j_;
  std::string_view file_;
  std::string pointer_;
};

// RFC 6901 escaping of one reference token.
std::string json_pointer_token(std::string_view key);

}  // namespace conform::spec
