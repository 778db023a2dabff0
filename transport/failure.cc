#include "transport/failure.h"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace conform::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string_view to_string(FailureKind k) {
  switch (k) {
    case FailureKind::refused: return "refused";
    case FailureKind::unreachable: return "unreachable";
    case FailureKind::reset: return "reset";
    case FailureKind::timeout: return "timeout";
    case FailureKind::malformed: return "malformed";
    case FailureKind::too_large: return "too_large";
    case FailureKind::header_too_large: return "header_too_large";
    case FailureKind::truncated: return "truncated";
    case FailureKind::tls: return "tls";
    case FailureKind::proxy: return "proxy";
    case FailureKind::other: return "other";
  }
  return "other";
}

namespace {

TransportError closed_early(bool got_bytes, const std::string& detail) {
  if (got_bytes) {
    return {FailureKind::truncated, "the connection ended in the middle of the response (" + detail + ")"};
  }
  return {FailureKind::reset, "the connection was closed before any response (" + detail + ")"};
}

TransportError classify_kind(const boost::system::error_code& ec, bool got_bytes, const ClientOptions& options) {
  const std::string detail = ec.message();
  if (ec == beast::error::timeout) {
    return {FailureKind::timeout, "no complete response within " + std::to_string(options.timeout_ms) +
                                      " ms (--timeout covers connect, send and the whole response)"};
  }
  if (ec == asio::error::connection_refused) return {FailureKind::refused, "connection refused: " + detail};
  if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable ||
      ec == asio::error::host_not_found) {
    return {FailureKind::unreachable, "cannot reach the target: " + detail};
  }
  if (ec == http::error::body_limit) {
    return {FailureKind::too_large, "the response body exceeds --max-response-bytes (" +
                                        std::to_string(options.max_response_bytes) + "); cut off"};
  }
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
    return {FailureKind::header_too_large, "the status line and headers (or a chunked body's trailer) exceed " +
                                               std::to_string(options.max_header_bytes) + " bytes; cut off"};
  }
  if (ec == http::error::partial_message) {
    return {FailureKind::truncated, "the response ended before its announced length (" + detail + ")"};
  }
  if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::ssl::error::stream_truncated || ec == asio::error::connection_reset ||
      ec == asio::error::broken_pipe || ec == asio::error::connection_aborted) {
    return closed_early(got_bytes, detail);
  }
  // Every other parser error: the bytes are not an HTTP response.
  if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
    return {FailureKind::malformed, "the answer is not an HTTP/1.x response: " + detail};
  }
  return {FailureKind::other, detail};
}

}  // namespace

TransportError classify(const boost::system::error_code& ec, bool got_bytes, const ClientOptions& options) {
  TransportError e = classify_kind(ec, got_bytes, options);
  e.silent = !got_bytes && (e.kind == FailureKind::timeout || e.kind == FailureKind::reset);
  return e;
}

TransportError tls_failure(const boost::system::error_code& ec, ssl_st* ssl, const ClientOptions& options,
                           const Endpoint& endpoint) {
  if (ec == beast::error::timeout) return classify(ec, false, options);
  std::string what = ec.message();
  long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) what += ": " + std::string(X509_verify_cert_error_string(verify));
  std::string trust = options.ca_file.empty() ? "the system CA store" : "ca_file " + options.ca_file;
  return {FailureKind::tls, "TLS handshake with " + endpoint.origin() + " failed (" + what +
                                "); the certificate was checked against " + trust + " and the host name '" +
                                endpoint.host + "'"};
}

}  // namespace conform::transport
