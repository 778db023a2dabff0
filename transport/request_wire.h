// The bytes of a request as the client writes them, without Beast's message and
// serializer (fewer instructions per exchange on the client's I/O thread). Only
// for the usual shape; anything Beast treats specially is left to it.
#pragma once

#include <string>
#include <string_view>

#include "transport/http.h"

namespace conform::transport {

// Appends to `out` the start line and header block Beast writes for the client's
// message (Connection::build_request: Host, User-Agent "conform", the headers in
// order, Content-Length as prepare_payload sets it; the body follows as is), and
// returns true. Returns false, with `out` unchanged, when Beast's rules would do
// more than that: a header whose value is empty (erased with every namesake), a
// header named Host, User-Agent, Content-Length, Transfer-Encoding or Connection
// (replaced, rewritten or dropped by prepare_payload and keep_alive), a name or
// value over 60,000 bytes (Beast throws), or TRACE. Values are written trimmed of
// spaces and tabs, as Beast stores them.
bool request_head(const HttpRequest& r, std::string_view target, std::string_view host, std::string& out);

}  // namespace conform::transport
