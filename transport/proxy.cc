#include "transport/proxy.h"

#include <cstdlib>
#include <string_view>

#include "core/text.h"

namespace conform::transport {
namespace {

std::string env_var(const char* upper, const char* lower) {
  const char* v = std::getenv(upper);
  if (!v || !*v) v = std::getenv(lower);
  return v ? v : "";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// One NO_PROXY entry against the target's host and port.
bool entry_matches(std::string_view entry, const std::string& host, std::uint16_t port) {
  if (entry == "*") return true;
  std::string_view want_port;
  if (entry.front() != '[' && entry.find(':') == entry.rfind(':')) {  // "host:port", not an IPv6 literal
    if (std::size_t c = entry.find(':'); c != std::string_view::npos) {
      want_port = entry.substr(c + 1);
      entry = entry.substr(0, c);
    }
  }
  if (!want_port.empty() && want_port != std::to_string(port)) return false;
  if (entry.size() > 2 && entry.front() == '[' && entry.back() == ']') entry = entry.substr(1, entry.size() - 2);
  if (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
  if (entry.empty()) return false;
  std::string e = text::to_lower(entry);
  return host == e || ends_with(host, "." + e);
}

}  // namespace

ProxyEnv ProxyEnv::from_environment() {
  ProxyEnv env;
  env.https_proxy = env_var("HTTPS_PROXY", "https_proxy");
  env.http_proxy = env_var("HTTP_PROXY", "http_proxy");
  env.no_proxy = env_var("NO_PROXY", "no_proxy");
  return env;
}

Result<std::optional<Endpoint>> proxy_for(const Endpoint& target, const ProxyEnv& env) {
  if (target.loopback()) return std::optional<Endpoint>();
  const bool https = target.scheme == "https";
  const std::string& value = https ? env.https_proxy : env.http_proxy;
  const char* name = https ? "HTTPS_PROXY" : "HTTP_PROXY";
  std::string_view proxy = trim(value);
  if (proxy.empty()) return std::optional<Endpoint>();
  std::string host = text::to_lower(target.host);
  std::string_view list = env.no_proxy;
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view entry = trim(list.substr(0, comma));
    if (!entry.empty() && entry_matches(entry, host, target.port)) return std::optional<Endpoint>();
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  std::string url(proxy);
  if (url.find("://") == std::string::npos) url = "http://" + url;
  auto parsed = parse_url(url);
  if (!parsed) return fail(name, "not a proxy URL (" + parsed.error().message() + ")");
  if (parsed->scheme != "http") {
    return fail(name, "only http:// proxies are supported (a CONNECT tunnel carries the TLS), got '" + value + "'");
  }
  if (parsed->host.find('@') != std::string::npos) {
    return fail(name, "proxy credentials in the URL are not supported (they would reach logs)");
  }
  parsed->base_path.clear();
  return std::optional<Endpoint>(*parsed);
}

}  // namespace conform::transport
