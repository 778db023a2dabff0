// libFuzzer target: the emulator's whole request path, every dialect. Raw HTTP
// request bytes (one or more pipelined requests) are parsed by Beast as the server
// parses them (fuzz/http_request_bytes.h) and handed to the socket-free handler
// (emulator/handler.h) with the project's specs and default fixtures; the state is
// reset for each input, so an input is a self-contained sequence. Properties of
// every answer, the ones `conform fuzz` checks from outside: no 5xx (no fault is
// switched on), header values a server can send (no CR, LF or NUL), and a
// well-formed body in the dialect the path routes to (JSON, or XML for aliyun-rpc
// with Format=XML) that names an error code for an error status and carries the
// request id the aliyun dialects promise.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "emulator/fixtures.h"
#include "emulator/handler.h"
#include "fuzz/embedded.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/http_request_bytes.h"
#include "transport/dialect.h"

namespace {

using conform::transport::Dialect;

conform::emulator::Emulator& emulator() {
  static std::unique_ptr<conform::emulator::Emulator> e = [] {
    auto fixtures = conform::emulator::default_fixtures();
    if (!fixtures) std::abort();
    auto made = conform::emulator::Emulator::create(conform::fuzz::project_specs(), std::move(*fixtures));
    if (!made) {
      std::fprintf(stderr, "%s\n", made.error().message().c_str());
      std::abort();
    }
    return std::move(*made);
  }();
  return *e;
}

std::string_view first_segment(std::string_view path) { return path.substr(0, path.find('/', 1)); }

// The dialect the handler answers a path in: "/" is aliyun-rpc; a path under a
// huawei-rest spec's first segment is huawei-rest; anything else aliyun-roa.
Dialect dialect_of(std::string_view path) {
  if (path == "/") return Dialect::aliyun_rpc;
  for (const auto& s : conform::fuzz::project_specs()) {
    if (s.dialect == "huawei-rest" && first_segment(s.path) == first_segment(path)) return Dialect::huawei_rest;
  }
  return Dialect::aliyun_roa;
}

std::string describe(const conform::emulator::HttpRequest& req, const conform::emulator::HttpResponse& res) {
  return req.method + " " + req.target + "\n" + req.body.substr(0, 300) + "\n-> " + std::to_string(res.status) +
         " " + res.body.substr(0, 600);
}

void check_answer(const conform::emulator::HttpRequest& req, const conform::emulator::HttpResponse& res) {
  FUZZ_CHECK(res.status >= 200 && res.status < 500, describe(req, res));
  for (const auto& [k, v] : res.headers) {
    FUZZ_CHECK(!k.empty() && k.find_first_of(":\r\n ", 0) == std::string::npos, describe(req, res));
    FUZZ_CHECK(v.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos, k + ": " + v);
  }
  const std::string_view target = req.target;
  const std::string_view path = target.substr(0, target.find('?'));
  if (path.starts_with("/_conform/")) return;  // the control endpoints answer plain JSON
  conform::transport::HttpResponse wire;
  wire.status = res.status;
  for (const auto& [k, v] : res.headers) wire.headers.emplace_back(k, v);
  wire.body = res.body;
  const Dialect d = dialect_of(path);
  const auto reply = conform::transport::read_reply(d, wire);
  FUZZ_CHECK(reply.parse_error.empty(), reply.parse_error, describe(req, res));
  const bool xml = reply.format == conform::transport::Reply::Format::xml;
  FUZZ_CHECK(reply.format == conform::transport::Reply::Format::json || (xml && d == Dialect::aliyun_rpc),
             describe(req, res));
  if (res.status >= 400) FUZZ_CHECK(!reply.code.empty(), describe(req, res));
  if (conform::transport::has_request_id(d)) FUZZ_CHECK(!reply.request_id.empty(), describe(req, res));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& emu = emulator();
  {
    std::lock_guard<std::mutex> lock(emu.state().mutex());
    emu.state().reset();
  }
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (int i = 0; i < 8 && !rest.empty(); ++i) {
    auto parsed = conform::fuzz::parse_request(rest);
    if (!parsed) break;
    const auto res = emu.handle(parsed->request);
    check_answer(parsed->request, res);
    if (!parsed->keep_alive || res.close) break;
    rest.remove_prefix(parsed->consumed);
  }
  return 0;
}
