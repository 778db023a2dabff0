// Internal to the client: how a Beast/Asio error becomes a TransportError that a
// person can act on. Not included by anything outside transport/.
#pragma once

#include <boost/system/error_code.hpp>

#include "transport/client.h"

namespace conform::transport {

// got_bytes: some of the response had arrived (a reset then is a truncation).
TransportError classify(const boost::system::error_code& ec, bool got_bytes, const ClientOptions& options);

}  // namespace conform::transport
