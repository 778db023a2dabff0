// Shared by the fuzz targets that feed raw HTTP bytes to the emulator or the
// runner's response reading: request bytes parsed by Beast's request parser with the limits the server sets
// (emulator/server.h: 64 KiB of header, 1 MiB of body), into the socket-free
// request the handler takes. Beast stays out of every other header.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "emulator/http.h"
#include "transport/http.h"

namespace conform::fuzz {

struct ParsedRequest {
  emulator::HttpRequest request;
  std::size_t consumed = 0;  // bytes of the input this request took
  bool keep_alive = true;
};

// The first request in `bytes`, or nullopt when they hold no complete, valid one
// (the server answers those 400, 413 or 431 without calling the handler).
std::optional<ParsedRequest> parse_request(std::string_view bytes);

// A response the way the runner's client reads one (transport/client.cc: Beast's
// response parser, 64 KiB of header, 8 MiB of body, a body without a length ends
// with the connection), or nullopt where the client reports a transport error.
std::optional<transport::HttpResponse> parse_response(std::string_view bytes);

}  // namespace conform::fuzz
