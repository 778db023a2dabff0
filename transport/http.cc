#include "transport/http.h"

#include "core/text.h"

namespace conform::transport {
namespace {

const std::string* find_header(const Pairs& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (text::equals_ci(k, name)) return &v;
  }
  return nullptr;
}

}  // namespace

const std::string* HttpRequest::header(std::string_view name) const { return find_header(headers, name); }
const std::string* HttpResponse::header(std::string_view name) const { return find_header(headers, name); }

}  // namespace conform::transport
