#include "fuzz/http_request_bytes.h"

#include <boost/beast/http.hpp>

namespace conform::fuzz {

namespace http = boost::beast::http;

std::optional<ParsedRequest> parse_request(std::string_view bytes) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(64 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!ec && !parser.is_done() && used < bytes.size()) {
    const std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (n == 0) break;  // needs more bytes than there are
    used += n;
  }
  if (ec || !parser.is_done()) return std::nullopt;
  ParsedRequest out;
  out.consumed = used;
  auto req = parser.release();
  out.request.method = std::string(req.method_string());
  out.request.target = std::string(req.target());
  for (const auto& field : req) out.request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.request.body = std::move(req.body());
  out.keep_alive = req.keep_alive();
  return out;
}

std::optional<transport::HttpResponse> parse_response(std::string_view bytes) {
  http::response_parser<http::string_body> parser;
  parser.header_limit(64 * 1024);
  parser.body_limit(8ull << 20);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!ec && !parser.is_done() && used < bytes.size()) {
    const std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (n == 0) break;
    used += n;
  }
  if (ec == http::error::need_more) ec = {};
  if (!ec && !parser.is_done()) parser.put_eof(ec);  // the connection closes here
  if (ec || !parser.is_done()) return std::nullopt;
  auto& res = parser.get();
  transport::HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  out.reason = std::string(res.reason());
  for (const auto& field : res) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = std::move(res.body());
  return out;
}

}  // namespace conform::fuzz
