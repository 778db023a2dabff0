// The dialects' wire shape (DESIGN.md "Dialects", docs/decisions.md section 3):
// how a Case becomes an HTTP request, and where status, error code, message and
// request id sit in a response. The differ never hard-codes a dialect's layout;
// it reads a Reply.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/case.h"
#include "core/error.h"
#include "spec/model.h"
#include "transport/http.h"
#include "transport/url.h"

namespace conform::transport {

enum class Dialect { aliyun_rpc, aliyun_roa, huawei_rest };

Result<Dialect> parse_dialect(std::string_view name);  // the spec's "dialect" field
std::string_view to_string(Dialect d);

// The common parameters are the dialect's business, not the generators': for
// aliyun-rpc, Action (the spec's name), Version (the spec's) and Format=JSON are
// added when the case lacks them. A case that targets a rule on one of them
// (`Action.required`) keeps it as written, so that it can go without. Run this
// before predicting: the oracle must see what is sent.
Case with_common_params(const Case& c, const spec::Spec& spec, Dialect d);
// The same, in place.
void add_common_params(Case& c, const spec::Spec& spec, Dialect d);

// The request as it goes on the wire: aliyun-rpc GET carries the parameters in
// the query, POST as a form body on the same target; the JSON dialects carry the
// query in the URL and the body as JSON. raw_body, when present, is sent verbatim.
// The endpoint's base path prefixes the case's path.
HttpRequest build_request(const Case& c, Dialect d, const Endpoint& endpoint);

// What a response says, read the dialect's way.
struct Reply {
  enum class Format { empty, json, xml, other };
  int status = 0;
  Format format = Format::empty;
  std::string content_type;
  std::string code;        // error code; empty when the body names none; cut past kMaxCodeBytes
  std::size_t code_size = 0;  // the code's length as sent, before any cut
  std::string message;
  std::string request_id;  // from the body, or the dialect's header
  // The parsed body: JSON as is; XML as JSON (the root element's children become
  // members, repeated ones an array, text leaves strings). Null when not parsed.
  std::shared_ptr<const nlohmann::json> body;
  std::string xml_root;     // root element name of an XML body ("Error", "CreateInstanceResponse")
  std::string parse_error;  // the body is not well-formed in its format
};

// No documented code is long; a hostile one of megabytes would be copied into every
// finding and report line about the exchange: read_reply keeps this much, and says so.
inline constexpr std::size_t kMaxCodeBytes = 1024;

Reply read_reply(Dialect d, const HttpResponse& response);
// Whether the reply's code is `expected`, also when read_reply cut it (a code made of
// a long request value, InvalidGroups.<a 2 KB key>): then its kept part and length match.
bool code_is(const Reply& r, std::string_view expected);

// Whether the dialect promises a request id on every answer (aliyun-rpc and -roa).
bool has_request_id(Dialect d);

std::string_view to_string(Reply::Format f);

// XML text -> the JSON shape Reply.body uses; an error names the byte offset.
// Nesting deeper than 64 elements is an error rather than a deep recursion.
Result<nlohmann::json> xml_to_json(std::string_view xml, std::string* root_name);

}  // namespace conform::transport
