// libFuzzer target: the runner's response reading. Raw HTTP response bytes go
// through Beast's response parser as the client reads them (fuzz/http_request_bytes.h)
// and then read_reply (transport/dialect.h) in each dialect: where the status,
// error code, message and request id sit, with JSON bodies and XML bodies
// (xml_to_json, aliyun-rpc with Format=XML). Beyond no crash, leak or hang (deep
// XML, huge bodies): a body that parses is kept and one that does not says why;
// a code or request id read from the body comes from a parsed body; and the XML
// reading agrees with itself (xml_to_json of the body gives what read_reply kept).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_check.h"
#include "fuzz/http_request_bytes.h"
#include "transport/dialect.h"

namespace {

using conform::transport::Dialect;
using conform::transport::Reply;

// `printed`: the last body dumped, so that a body every dialect reads alike (a JSON
// one) is dumped once, not three times over the same serializer paths.
void check(Dialect d, const conform::transport::HttpResponse& res, std::shared_ptr<const nlohmann::json>& printed) {
  const Reply r = conform::transport::read_reply(d, res);
  FUZZ_CHECK(r.status == res.status);
  const bool parsed_format = r.format == Reply::Format::json || r.format == Reply::Format::xml;
  if (!parsed_format) FUZZ_CHECK(!r.body && r.parse_error.empty() && r.code.empty(), res.body);
  if (parsed_format) FUZZ_CHECK(static_cast<bool>(r.body) == r.parse_error.empty(), r.parse_error, res.body);
  if (!r.code.empty() || !r.message.empty()) FUZZ_CHECK(r.body != nullptr, res.body);
  if (r.format == Reply::Format::xml && r.body) {
    std::string root;
    auto again = conform::transport::xml_to_json(res.body, &root);
    FUZZ_CHECK(again.has_value() && *again == *r.body && root == r.xml_root, res.body);
  }
  if (r.body && !(printed && *printed == *r.body)) {
    // What the reports do with a body: print it (invalid UTF-8 must not throw).
    const std::string text = r.body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    FUZZ_CHECK(!text.empty());
    printed = r.body;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto res = conform::fuzz::parse_response(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!res) return 0;
  std::shared_ptr<const nlohmann::json> printed;
  for (Dialect d : {Dialect::aliyun_rpc, Dialect::aliyun_roa, Dialect::huawei_rest}) check(d, *res, printed);
  return 0;
}
