// Shared by the fuzz targets that feed raw HTTP request bytes to the emulator: the
// bytes parsed by Beast's request parser with the limits the server sets
// (emulator/server.h: 64 KiB of header, 1 MiB of body), into the socket-free
// request the handler takes. Beast stays out of every other header.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "emulator/http.h"

namespace conform::fuzz {

struct ParsedRequest {
  emulator::HttpRequest request;
  std::size_t consumed = 0;  // bytes of the input this request took
  bool keep_alive = true;
};

// The first request in `bytes`, or nullopt when they hold no complete, valid one
// (the server answers those 400, 413 or 431 without calling the handler).
std::optional<ParsedRequest> parse_request(std::string_view bytes);

}  // namespace conform::fuzz
