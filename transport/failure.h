// Internal to the client: how a Beast/Asio error becomes a TransportError that a
// person can act on. Not included by anything outside transport/.
#pragma once

#include <boost/system/error_code.hpp>

#include "transport/client.h"

struct ssl_st;  // OpenSSL's SSL

namespace conform::transport {

// got_bytes: some of the response had arrived (a reset then is a truncation).
TransportError classify(const boost::system::error_code& ec, bool got_bytes, const ClientOptions& options);

// A failed TLS handshake on `ssl`: what failed (the verification result too),
// what the certificate was checked against, and the host name.
TransportError tls_failure(const boost::system::error_code& ec, ssl_st* ssl, const ClientOptions& options,
                           const Endpoint& endpoint);

}  // namespace conform::transport
