#include "spec/json_reader.h"

namespace conform::spec {

namespace {

void append_pointer_token(std::string& out, std::string_view key) {
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
}

}  // namespace

std::string json_pointer_token(std::string_view key) {
  std::string out;
  append_pointer_token(out, key);
  return out;
}

// One allocation, as a rule: every child reader of a spec's objects gets one.
std::string JsonReader::ptr(std::string_view key) const {
  std::string out;
  out.reserve(pointer_.size() + 1 + key.size());
  out += pointer_;
  out += '/';
  append_pointer_token(out, key);
  return out;
}

tl::unexpected<Error> JsonReader::error(std::string_view key, std::string what) const {
  const std::string p = key.empty() ? pointer_ : ptr(key);
  return fail(std::string(file_) + "#" + (p.empty() ? "/" : p), std::move(what));
}

Result<void> JsonReader::expect_object() const {
  if (!j_.is_object()) return error("", std::string("expected an object, found ") + j_.type_name());
  return {};
}

// No key copy. The objects of a spec hold a dozen members at most, and most keys
// asked for are absent: a scan that compares lengths first reads a key's bytes
// about once a lookup, where the tree's search compared them at every node (a
// memcmp each, which ASan and libFuzzer intercept: a twelfth of loading a spec
// under the fuzzer).
const nlohmann::json* JsonReader::get(std::string_view key) const {
  if (!j_.is_object()) return nullptr;
  const auto& members = j_.get_ref<const nlohmann::json::object_t&>();
  const nlohmann::json* found = nullptr;
  if (members.size() <= 16) {
    for (const auto& [k, v] : members) {
      if (k.size() == key.size() && k == key) {
        found = &v;
        break;
      }
    }
  } else if (auto it = members.find(key); it != members.end()) {
    found = &it->second;
  }
  return found == nullptr || found->is_null() ? nullptr : found;
}

bool JsonReader::has(std::string_view key) const { return get(key) != nullptr; }

Result<void> JsonReader::only_keys(std::initializer_list<std::string_view> known) const {
  if (!j_.is_object()) return expect_object();
  for (const auto& [k, v] : j_.items()) {
    bool ok = false;
    for (auto n : known) ok = ok || n == k;
    if (!ok) return error(k, "unknown field \"" + k + "\"");
  }
  return {};
}

Result<std::string> JsonReader::string_of(std::string_view key, const nlohmann::json& v) const {
  if (!v.is_string()) return error(key, std::string("expected a string, found ") + v.type_name());
  return v.get_ref<const std::string&>();
}

Result<std::string> JsonReader::str(std::string_view key) const {
  const nlohmann::json* v = get(key);
  if (!v) return error(key, "missing required string");
  return string_of(key, *v);
}

Result<std::string> JsonReader::str_or(std::string_view key, std::string fallback) const {
  const nlohmann::json* v = get(key);
  if (!v) return fallback;
  return string_of(key, *v);
}

Result<std::optional<std::string>> JsonReader::opt_str(std::string_view key) const {
  const nlohmann::json* v = get(key);
  if (!v) return std::optional<std::string>{};
  if (!v->is_string()) return error(key, std::string("expected a string, found ") + v->type_name());
  return std::optional<std::string>(v->get_ref<const std::string&>());
}

Result<int> JsonReader::integer(std::string_view key) const {
  const nlohmann::json* found = get(key);
  if (!found) return error(key, "missing required integer");
  const auto& v = *found;
  if (!v.is_number_integer()) return error(key, std::string("expected an integer, found ") + v.type_name());
  const auto n = v.get<long long>();
  if (n < -1'000'000'000LL || n > 1'000'000'000LL) return error(key, "integer out of range");
  return static_cast<int>(n);
}

Result<int> JsonReader::integer_or(std::string_view key, int fallback) const {
  if (!has(key)) return fallback;
  return integer(key);
}

Result<std::optional<double>> JsonReader::opt_number(std::string_view key) const {
  const nlohmann::json* found = get(key);
  if (!found) return std::optional<double>{};
  const auto& v = *found;
  if (!v.is_number()) return error(key, std::string("expected a number, found ") + v.type_name());
  return std::optional<double>(v.get<double>());
}

Result<bool> JsonReader::boolean_or(std::string_view key, bool fallback) const {
  const nlohmann::json* found = get(key);
  if (!found) return fallback;
  const auto& v = *found;
  if (!v.is_boolean()) return error(key, std::string("expected true or false, found ") + v.type_name());
  return v.get<bool>();
}

Result<std::vector<std::string>> JsonReader::strings_or_empty(std::string_view key) const {
  std::vector<std::string> out;
  const nlohmann::json* found = get(key);
  if (!found) return out;
  const auto& v = *found;
  if (!v.is_array()) return error(key, std::string("expected an array of strings, found ") + v.type_name());
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string())
      return fail(std::string(file_) + "#" + ptr(key) + "/" + std::to_string(i),
                  std::string("expected a string, found ") + v[i].type_name());
    out.push_back(v[i].get_ref<const std::string&>());
  }
  return out;
}

Result<JsonReader> JsonReader::child(std::string_view key) const {
  const nlohmann::json* v = get(key);
  if (!v) return error(key, "missing required field");
  return JsonReader(*v, file_, ptr(key));
}

Result<std::vector<JsonReader>> JsonReader::array_of(std::string_view key) const {
  std::vector<JsonReader> out;
  const nlohmann::json* found = get(key);
  if (!found) return out;
  const auto& v = *found;
  if (!v.is_array()) return error(key, std::string("expected an array, found ") + v.type_name());
  out.reserve(v.size());
  const std::string base = ptr(key) + "/";
  for (std::size_t i = 0; i < v.size(); ++i) out.emplace_back(v[i], file_, base + std::to_string(i));
  return out;
}

}  // namespace conform::spec
