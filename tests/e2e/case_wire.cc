#include "tests/e2e/case_wire.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/test_paths.h"
#include "core/text.h"
#include "tests/e2e/emulator_client.h"

namespace conform::e2e {
namespace {

using nlohmann::json;

// "${N.Field}" -> Field of step N's answer, when that answer has it as a string.
std::string fill(const std::string& s, const std::vector<Exchanged>& done) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t open = s.find("${", pos);
    std::size_t close = open == std::string::npos ? open : s.find('}', open);
    if (close == std::string::npos) break;
    out += s.substr(pos, open - pos);
    std::string inner = s.substr(open + 2, close - open - 2);
    std::size_t dot = inner.find('.');
    std::string value = s.substr(open, close - open + 1);
    if (dot != std::string::npos && dot > 0 && inner.find_first_not_of("0123456789") == dot) {
      std::size_t step = std::stoul(inner.substr(0, dot));
      std::string field = inner.substr(dot + 1);
      if (step < done.size() && done[step].reply.body && done[step].reply.body->is_object()) {
        const json& b = *done[step].reply.body;
        if (b.contains(field) && b[field].is_string()) value = b[field].get<std::string>();
      }
    }
    out += value;
    pos = close + 1;
  }
  return out + s.substr(pos);
}

void fill_json(json& j, const std::vector<Exchanged>& done) {
  if (j.is_string()) {
    j = fill(j.get<std::string>(), done);
  } else if (j.is_structured()) {
    for (auto& v : j) fill_json(v, done);
  }
}

std::string binary() {
  const char* env = std::getenv("CONFORM_EMULATE_BINARY");
  return env && *env ? env : CONFORM_BINARY;
}

}  // namespace

const spec::Spec* find_spec(const std::vector<spec::Spec>& specs, const std::string& op) {
  for (const auto& s : specs)
    if (s.op == op) return &s;
  return nullptr;
}

Exchanged exchange(int port, const spec::Spec& spec, const Case& c) {
  Exchanged out;
  auto dialect = transport::parse_dialect(spec.dialect);
  if (!dialect) return out;
  out.sent = transport::with_common_params(c, spec, *dialect);
  transport::Endpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = static_cast<std::uint16_t>(port);
  transport::HttpRequest req = transport::build_request(out.sent, *dialect, endpoint);
  std::string wire = req.method + " " + req.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  bool own_length = false;
  for (const auto& [k, v] : req.headers) {
    if (text::equals_ci(k, "Content-Length") || text::equals_ci(k, "Transfer-Encoding")) own_length = true;
    if (!v.empty()) wire += k + ": " + v + "\r\n";
  }
  if (!own_length && (!req.body.empty() || req.method != "GET"))
    wire += "Content-Length: " + std::to_string(req.body.size()) + "\r\n";
  Connection conn(port);
  if (!conn.ok() || !conn.send_raw(wire + "\r\n" + req.body)) return out;
  Reply r = conn.read();
  if (!r.answered) return out;
  transport::HttpResponse resp;
  resp.status = r.status;
  for (const auto& [k, v] : r.headers) resp.headers.emplace_back(k, v);
  resp.body = r.body;
  out.reply = transport::read_reply(*dialect, resp);
  out.answered = true;
  return out;
}

std::vector<Exchanged> run_scenario(int port, const std::vector<spec::Spec>& specs, const Scenario& s) {
  std::vector<Exchanged> done;
  for (const Case& step : s.steps) {
    Case c = step;
    for (auto& [k, v] : c.query) v = fill(v, done);
    if (c.body) {
      json b = *c.body;
      fill_json(b, done);
      c.set_body(std::move(b));
    }
    const spec::Spec* spec = find_spec(specs, c.op);
    done.push_back(spec ? exchange(port, *spec, c) : Exchanged{c, {}, false});
  }
  return done;
}

std::vector<Scenario> generated_cases(const std::string& args, std::string& error) {
  std::vector<Scenario> out;
  std::string cmd = binary() + " gen --specs " + std::string(CONFORM_SOURCE_DIR) + "/specs " + args;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
  if (!pipe) {
    error = "cannot run " + cmd;
    return out;
  }
  std::string text;
  char buf[65536];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) text.append(buf, n);
  std::istringstream in(text);
  for (auto& line : read_cases(in, "conform gen")) {
    if (!line.scenario) {
      error = line.scenario.error().message();
      return {};
    }
    out.push_back(std::move(*line.scenario));
  }
  if (out.empty()) error = "`" + cmd + "` wrote no cases";
  return out;
}

}  // namespace conform::e2e
