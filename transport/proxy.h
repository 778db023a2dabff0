// Which proxy, if any, a request to a target goes through: the curl conventions
// of HTTPS_PROXY, HTTP_PROXY and NO_PROXY (lower-case spellings too). Plain data
// and a pure function, so the choice is tested without a network.
#pragma once

#include <optional>
#include <string>

#include "core/error.h"
#include "transport/url.h"

namespace conform::transport {

struct ProxyEnv {
  std::string https_proxy;  // for https:// targets (a CONNECT tunnel)
  std::string http_proxy;   // for http:// targets (absolute-form request targets)
  std::string no_proxy;     // "host,.domain,10.0.0.1,*": these go direct

  // HTTPS_PROXY / https_proxy, HTTP_PROXY / http_proxy, NO_PROXY / no_proxy.
  static ProxyEnv from_environment();
};

// The proxy for `target`, or nullopt for a direct connection. Loopback targets are
// never proxied; NO_PROXY entries match the host or any of its subdomains
// ("example.com" and ".example.com" both match api.example.com), an optional
// ":port" must match too, and "*" matches everything. A proxy URL without a scheme
// is taken as http://; a proxy URL that does not parse is an error naming the
// variable (a typo must not send traffic around the proxy silently).
Result<std::optional<Endpoint>> proxy_for(const Endpoint& target, const ProxyEnv& env);

}  // namespace conform::transport
