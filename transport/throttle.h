// Throttling answers (issue 8): a target that says "slow down" is retried after a
// bounded exponential backoff, and an answer that stays throttled is reported
// apart from conformance failures, never as one. Pure functions, tested alone.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "transport/http.h"

namespace conform::transport {

// HTTP 429, or an error body (any of the three dialects' layouts, JSON or XML)
// whose code says throttling: Throttling, Throttling.* (User, Api, Resource, ...),
// Huawei APIG.0308 / APIGW.0308 (the API gateway's flow control).
bool is_throttling(const HttpResponse& r);
bool is_throttling_code(const std::string& code);

struct BackoffPolicy {
  int retries = 4;             // throttling answers retried per request, at most
  int base_ms = 500;           // the first wait; doubled each time
  int max_ms = 20000;          // no wait is longer, Retry-After included
};

// The wait before retry number `attempt` (1-based): what Retry-After asks, else
// base * 2^(attempt-1); at most max_ms. Retry-After is delta-seconds or an HTTP
// date; a date counts from the response's Date header when it has one, else from
// `now`, and one already past is no wait.
std::chrono::milliseconds backoff(int attempt, const HttpResponse& r, const BackoffPolicy& p,
                                  std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// An HTTP date (RFC 9110 section 5.6.7: IMF-fixdate and the obsolete RFC 850 and
// asctime forms); nullopt for anything else.
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view s);

}  // namespace conform::transport
