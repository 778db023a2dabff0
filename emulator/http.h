// The socket-free request and response the emulator's handler works on. The server
// (server.cc) converts Beast messages to and from these; tests and fuzz targets build
// them directly, so the whole request path runs without a network.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace conform::emulator {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // origin form: "/?Action=...", "/clusters?IdempotentToken=x"
  Headers headers;
  std::string body;
  // The control endpoints (/_conform/*) answer only a loopback peer.
  bool from_loopback = true;
  // The request came with Content-Length or chunked framing. The server sets it;
  // a socket-free caller that models a POST sent without Content-Length clears it.
  bool framed = true;

  // The first header named `name` (case-insensitive), or empty.
  std::string_view header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
  // A fault may make the server hold the answer this long (a slow path); the
  // handler itself never sleeps.
  std::chrono::milliseconds delay{0};
  // The server closes the connection after this answer.
  bool close = false;

  std::string_view header(std::string_view name) const;
};

}  // namespace conform::emulator
