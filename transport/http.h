// The HTTP exchange as plain data: what the client sends, what came back, and how
// it went wrong. No Beast or Asio here: this header is included by the runner, the
// verdicts and every report listener.
#pragma once

#include <optional>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/case.h"

namespace conform::transport {

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";  // origin-form: path and query, already encoded
  // In order; Host and Content-Length are the client's. A header whose value is
  // empty is not sent at all, whoever would add it (curl's -H 'Name:'):
  // {"Content-Length", ""} sends a POST without framing.
  Pairs headers;
  std::string body;

  const std::string* header(std::string_view name) const;  // case-insensitive
};

// Whether the request can be written without injecting bytes into the stream: no
// CR, LF or NUL in method, target or headers, no space in method or target, no
// ':' in a header name.
bool sendable(const HttpRequest& r);

// Whether `s` holds `lower` (lower-case ASCII) in any case: a media type in a
// Content-Type value ("application/JSON;charset=utf-8" holds "json"), without
// a lower-cased copy.
bool contains_ci(std::string_view s, std::string_view lower);

struct HttpResponse {
  int status = 0;
  std::string reason;
  Pairs headers;
  std::string body;
  // Bytes that had already come after this answer on its connection, before any
  // other request (a second answer to one request): a framing error of the
  // target's; the connection is not reused. 0 normally.
  std::size_t unsolicited_bytes = 0;

  const std::string* header(std::string_view name) const;  // case-insensitive
};

// Why an exchange produced no usable response. Each is an `error` finding.
enum class FailureKind {
  refused,     // connection refused: nobody listens
  unreachable, // name did not resolve, network unreachable
  reset,       // the peer reset or closed the connection before a full response
  timeout,     // the whole-exchange deadline passed
  malformed,   // bytes that are not an HTTP/1.x response
  too_large,   // body over --max-response-bytes
  header_too_large,
  truncated,   // the body ended before its announced length
  tls,         // TLS handshake failed: certificate not trusted, wrong name, protocol
  proxy,       // the proxy refused or broke the tunnel
  other,
};

struct TransportError {
  FailureKind kind = FailureKind::other;
  std::string message;  // what happened, for a person: "no response within 2000 ms"
  bool silent = false;  // not one byte of a response came back (a timeout or a close before any)
};

std::string_view to_string(FailureKind k);

// One request and its fate. Exactly one of response and error is set.
struct Exchange {
  HttpRequest request;
  std::optional<HttpResponse> response;
  std::optional<TransportError> error;
  double elapsed_ms = 0;
  // Throttling answers this request got (transport/throttle.h), the retried ones
  // and, when retries ran out, the final one in `response`.
  int throttled = 0;
  bool ok() const { return response.has_value(); }
};

}  // namespace conform::transport
