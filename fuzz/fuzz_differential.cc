// libFuzzer target: differential, the oracle against the emulator. The input is one
// line of the case format (core/case.h; a stateful case's steps run in order on one
// state), the way a person or `conform gen` writes it; libFuzzer mutates it with a
// dictionary of the specs' names, values and codes. Each step goes to the oracle
// (oracles/predict.h, step() on a fresh model) and, put on the wire the way the
// runner puts it (transport/dialect.h build_request), to the emulator's socket-free
// handler (emulator/handler.h); the answer is read the runner's way (read_reply).
// The two are independent readings of the specs and docs/decisions.md, so:
//  - the emulator never answers 5xx (no fault is switched on);
//  - success or error: they agree whatever the confidence (confidence is about
//    which error, not whether one: harness/verdict.cc);
//  - unless the deciding rule's confidence is `unknown`: the same status, and an
//    error code among the oracle's.
// A disagreement is a bug in one of them or a decision docs/decisions.md lacks.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/case.h"
#include "core/fixtures.h"
#include "core/json_text.h"
#include "emulator/fixtures.h"
#include "emulator/handler.h"
#include "fuzz/embedded.h"
#include "fuzz/fuzz_check.h"
#include "oracles/predict.h"
#include "transport/dialect.h"

namespace {

using nlohmann::json;
namespace emu = conform::emulator;
namespace oracle = conform::oracle;
namespace transport = conform::transport;

constexpr std::size_t kMaxSteps = 4;

struct World {
  std::unique_ptr<emu::Emulator> emulator;
  std::unique_ptr<oracle::Model> model;  // the fixtures alone; copied per input
};

World& world() {
  static World w = [] {
    World out;
    auto text = emu::default_fixtures_text();
    auto emu_fixtures = emu::parse_fixtures(text, "fixtures/default.json");
    auto core_fixtures = conform::parse_fixtures(text, "fixtures/default.json");
    if (!emu_fixtures || !core_fixtures) std::abort();
    auto made = emu::Emulator::create(conform::fuzz::project_specs(), std::move(*emu_fixtures));
    if (!made) {
      std::fprintf(stderr, "%s\n", made.error().message().c_str());
      std::abort();
    }
    out.emulator = std::move(*made);
    out.model = std::make_unique<oracle::Model>(conform::fuzz::project_specs(), std::move(*core_fixtures));
    return out;
  }();
  return w;
}

// "${g.Field}" -> the string Field of the body answered to step g, as the runner
// fills it in before sending (harness/runner_case.h); the oracle sees the
// placeholder and takes it for the id step g created (decisions.md section 2).
std::string fill(const std::string& s, const std::map<int, json>& bodies) {
  std::string out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t open = s.find("${", pos);
    const std::size_t dot = open == std::string::npos ? open : s.find('.', open);
    const std::size_t close = dot == std::string::npos ? dot : s.find('}', dot);
    if (close == std::string::npos) break;
    out.append(s, pos, open - pos);
    const std::string index = s.substr(open + 2, dot - open - 2);
    const std::string field = s.substr(dot + 1, close - dot - 1);
    const json* value = nullptr;
    if (!index.empty() && index.size() < 3 && index.find_first_not_of("0123456789") == std::string::npos) {
      auto b = bodies.find(std::stoi(index));
      if (b != bodies.end() && b->second.is_object()) {
        auto f = b->second.find(field);
        if (f != b->second.end() && f->is_string()) value = &*f;
      }
    }
    out += value ? value->get<std::string>() : s.substr(open, close - open + 1);
    pos = close + 1;
  }
  out.append(s, pos, std::string::npos);
  return out;
}

void fill_json(json& j, const std::map<int, json>& bodies) {
  if (j.is_string()) {
    j = fill(j.get<std::string>(), bodies);
  } else if (j.is_structured()) {
    for (auto& v : j) fill_json(v, bodies);
  }
}

conform::Case filled(const conform::Case& c, const std::map<int, json>& bodies) {
  if (bodies.empty()) return c;
  conform::Case out = c;
  for (auto& [k, v] : out.query) v = fill(v, bodies);
  if (out.body) {
    json b = *out.body;
    fill_json(b, bodies);
    out.set_body(std::move(b));
  }
  if (out.raw_body) out.raw_body = fill(*out.raw_body, bodies);
  return out;
}

bool is_success(int status) { return status >= 200 && status < 300; }

std::string describe(const conform::Scenario& sc, std::size_t step, const oracle::Expectation& e,
                     const transport::Reply& r, const emu::HttpResponse& res) {
  json ej;
  oracle::to_json(ej, e);
  return "case: " + conform::to_json_line(sc) + "\nstep " + std::to_string(step) + ": oracle " + ej.dump() +
         "\nemulator " + std::to_string(r.status) + " code=" + r.code + " " + res.body.substr(0, 400);
}

// A case header set to "" is left off the request (docs/decisions.md section 3,
// 411): with Content-Length so, and no chunked Transfer-Encoding, the POST goes
// without framing, which the server reports to the handler as `framed`.
bool framed(const transport::HttpRequest& wire) {
  const std::string* length = wire.header("Content-Length");
  std::string encoding = wire.header("Transfer-Encoding") ? *wire.header("Transfer-Encoding") : "";
  for (char& ch : encoding) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return !(length && length->empty()) || encoding.find("chunked") != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // As read_cases reads a case line: a text nested past kMaxJsonNesting is refused
  // before a tree is built (printing such a tree would exhaust the stack).
  const json j = conform::parse_json_bounded(std::string_view(reinterpret_cast<const char*>(data), size));
  if (j.is_discarded()) return 0;
  auto sc = conform::scenario_from_json(j, "fuzz");
  if (!sc || sc->steps.empty() || sc->steps.size() > kMaxSteps) return 0;
  World& w = world();
  for (const conform::Case& c : sc->steps) {
    if (!w.model->find_spec(c.op)) return 0;  // an unknown op has no prediction to compare
  }
  oracle::Model model = *w.model;
  {
    std::lock_guard<std::mutex> lock(w.emulator->state().mutex());
    w.emulator->state().reset();
  }
  std::map<int, json> bodies;  // model step -> the body the emulator answered
  for (std::size_t i = 0; i < sc->steps.size(); ++i) {
    const conform::Case& c = sc->steps[i];
    const conform::spec::Spec& spec = *model.find_spec(c.op);
    const auto dialect = transport::parse_dialect(spec.dialect);
    FUZZ_CHECK(dialect.has_value(), spec.op);
    const int model_step = model.steps;
    const oracle::Expectation e = oracle::step(c, model);
    FUZZ_CHECK(e.error.empty(), e.error, conform::to_json_line(*sc));

    const transport::HttpRequest wire = transport::build_request(filled(c, bodies), *dialect, transport::Endpoint{});
    emu::HttpRequest req;
    req.method = wire.method;
    req.target = wire.target;
    for (const auto& h : wire.headers) req.headers.push_back(h);
    req.body = wire.body;
    req.framed = framed(wire);
    const emu::HttpResponse res = w.emulator->handle(req);
    transport::HttpResponse got;
    got.status = res.status;
    for (const auto& h : res.headers) got.headers.push_back(h);
    got.body = res.body;
    transport::Reply r = transport::read_reply(*dialect, got);
    // The gateway that answers is the one the path reaches, whose dialect may not be
    // the case's (decisions.md section 3, "Routing" and "Not found"): read an error
    // body without a code in this dialect in the others too.
    for (auto other : {transport::Dialect::aliyun_rpc, transport::Dialect::huawei_rest}) {
      if (r.status >= 400 && r.code.empty() && other != *dialect) r.code = transport::read_reply(other, got).code;
    }

    FUZZ_CHECK(r.status < 500, describe(*sc, i, e, r, res));
    FUZZ_CHECK(is_success(r.status) == is_success(e.status), describe(*sc, i, e, r, res));
    if (e.confidence != conform::spec::Confidence::unknown) {
      FUZZ_CHECK(r.status == e.status, describe(*sc, i, e, r, res));
      if (!is_success(e.status) && !e.codes.empty()) {
        bool listed = false;
        for (const std::string& code : e.codes) listed = listed || transport::code_is(r, code);
        FUZZ_CHECK(listed, describe(*sc, i, e, r, res));
      }
    }
    if (is_success(r.status) && r.body) bodies[model_step] = *r.body;
  }
  return 0;
}
