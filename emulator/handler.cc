// Routing and the dialects' transport phase (docs/decisions.md §1 phase 1, §3):
// which operation a request is, and how its parameters are read.
#include "emulator/handler.h"

#include <mutex>

#include "core/json_text.h"
#include "core/text.h"
#include "emulator/handler_impl.h"
#include "emulator/wire.h"

namespace conform::emulator {
namespace {

HttpResponse plain(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json;charset=utf-8");
  r.body = std::move(body);
  return r;
}

HttpResponse control(Emulator::Impl& impl, const HttpRequest& req, std::string_view path) {
  if (!req.from_loopback) return plain(404, R"({"error":"not found"})");
  if (path == "/_conform/health") {
    if (req.method != "GET") return plain(405, R"({"error":"use GET"})");
    return plain(200, R"({"status":"ok"})");
  }
  if (path == "/_conform/reset") {
    if (req.method != "POST") return plain(405, R"({"error":"use POST"})");
    std::lock_guard<std::mutex> lock(impl.state.mutex());
    impl.state.reset();
    return plain(200, R"({"status":"reset"})");
  }
  return plain(404, R"({"error":"not found"})");
}

// Deeper JSON than any spec describes is refused as malformed: printing or walking
// it recursively would exhaust the stack (docs/decisions.md §2).
constexpr int kMaxJsonDepth = 64;

// A NUL byte is no JSON text either (nlohmann would stop there: "{}\0garbage").
nlohmann::json parse_json(std::string_view text) { return parse_json_bounded(text, kMaxJsonDepth); }

void parse_json_texts(const spec::Spec& spec, Params& p) {
  for (const auto& param : spec.params) {
    if (param.type != spec::ParamType::Json || param.in != spec::Location::query) continue;
    auto it = p.query.find(param.name);
    if (it == p.query.end()) continue;
    auto j = parse_json(it->second);
    if (!j.is_discarded()) p.json_texts.emplace(param.name, std::move(j));
  }
}

HttpResponse rpc(Emulator::Impl& impl, const HttpRequest& req, std::string_view query) {
  Params p;
  add_first(p.query, parse_query(query));
  // A POST body that is not form-encoded is read as no parameters (decisions.md §3).
  if (req.method == "POST" && media_type(req.header("Content-Type")) == "application/x-www-form-urlencoded")
    add_first(p.query, parse_query(req.body));
  RenderContext ctx{"aliyun-rpc", "", "", "", false, &impl.faults};
  auto fmt = p.query.find("Format");
  ctx.xml = fmt != p.query.end() && fmt->second == "XML";
  if (req.method != "GET" && req.method != "POST")
    return error_response(ctx, {405, "UnsupportedHTTPMethod", "This http method is not supported."});
  auto action = p.query.find("Action");
  if (action == p.query.end() || action->second.empty())
    return error_response(ctx, {400, "MissingParameter", "Action is mandatory for this action."});
  std::vector<const OpModel*> candidates;
  for (const auto& m : impl.models)
    if (m->spec->dialect == "aliyun-rpc" && m->spec->name == action->second) candidates.push_back(m.get());
  ctx.action = action->second;
  if (candidates.empty())
    return error_response(ctx, {404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."});
  ctx.service = candidates[0]->spec->service;
  auto version = p.query.find("Version");
  if (version == p.query.end() || version->second.empty())
    return error_response(ctx, {400, "MissingParameter", "Version is mandatory for this action."});
  const OpModel* op = nullptr;
  for (const OpModel* c : candidates)
    if (c->spec->version == version->second) op = c;
  if (!op) return error_response(ctx, {400, "InvalidVersion", "Specified parameter Version is not valid."});
  ctx.op = op->spec->op;
  ctx.service = op->spec->service;
  parse_json_texts(*op->spec, p);
  return operate(impl, *op, p, ctx);
}

HttpResponse json_dialect(Emulator::Impl& impl, const HttpRequest& req, const OpModel& op,
                          std::map<std::string, std::string> vars, std::string_view query) {
  const spec::Spec& spec = *op.spec;
  RenderContext ctx{spec.dialect, spec.op, spec.service, spec.name, false, &impl.faults};
  const bool roa = spec.dialect == "aliyun-roa";
  if (req.method != spec.method)
    return error_response(ctx, {405, roa ? "UnsupportedHTTPMethod" : generic_code(ctx, 405), "This http method is not supported."});
  // A body declared as something other than JSON (decisions.md §3): BatchCompute
  // reads only application/json and application/json-rpc, the default when the
  // header is absent; Huawei requires application/json and answers 415.
  if (!req.body.empty()) {
    const std::string type = media_type(req.header("Content-Type"));
    if (roa && !type.empty() && type != "application/json" && type != "application/json-rpc")
      return error_response(ctx, {400, "InvalidJsonFormat", "The request body has an invalid json format."});
    if (!roa && type != "application/json")
      return error_response(ctx, {415, generic_code(ctx, 415), "The media type of the request body must be application/json."});
  }
  Params p;
  p.path = std::move(vars);
  add_first(p.query, parse_query(query));
  auto body = parse_json(req.body);
  if (body.is_discarded()) {
    if (impl.faults.for_op(spec.op, FaultKind::json_crash))
      return error_response(ctx, {500, "InternalError", "The request processing has failed due to some unknown error."});
    return error_response(ctx, {400, roa ? "InvalidJsonFormat" : generic_code(ctx, 400), "The request body has an invalid json format."});
  }
  if (!body.is_object())
    return error_response(ctx, {400, roa ? "InvalidHttpBody" : generic_code(ctx, 400), "Specified parameter HttpBody is not valid. Its type must be object."});
  p.body = std::move(body);
  return operate(impl, op, p, ctx);
}

// A request no operation has: 404 in the dialect whose paths it resembles.
HttpResponse not_found(Emulator::Impl& impl, std::string_view path) {
  auto first = [](std::string_view s) { return s.substr(0, s.find('/', 1)); };
  for (const auto& m : impl.models) {
    if (m->spec->dialect != "huawei-rest" || first(m->spec->path) != first(path)) continue;
    RenderContext ctx{"huawei-rest", "", m->spec->service, "", false, &impl.faults};
    return error_response(ctx, {404, "APIGW.0101", "The API does not exist or has not been published in the environment."});
  }
  RenderContext ctx{"aliyun-roa", "", "", "", false, &impl.faults};
  return error_response(ctx, {404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."});
}

// The HTTP layer's refusals (docs/decisions.md section 3, "HTTP level"): the docs
// give no code, so aliyun's is the status's reason phrase; Huawei's API gateway
// answers them all APIGW.0201.
ErrorAnswer http_refusal(int status, bool huawei) {
  const char* code = "BadRequest";
  const char* message = "The request could not be read.";
  switch (status) {
    case 411: code = "LengthRequired"; message = "A POST must carry Content-Length or chunked framing."; break;
    case 413: code = "PayloadTooLarge"; message = "Request entity too large."; break;
    case 414: code = "URITooLong"; message = "Request URI too large."; break;
    case 431: code = "RequestHeaderFieldsTooLarge"; message = "Request headers too large."; break;
    default: break;
  }
  return {status, huawei ? "APIGW.0201" : code, message};
}

// Which dialect answers for a path, as routing and not_found pick it: "/" is the
// aliyun-rpc gateway, an operation's path its own dialect, a huawei-rest spec's
// first segment Huawei's gateway, anything else aliyun-roa.
RenderContext context_for(const Emulator::Impl& impl, std::string_view path, std::string_view query) {
  if (path.empty() || path == "/") {
    Params p;
    add_first(p.query, parse_query(query));
    auto fmt = p.query.find("Format");
    return {"aliyun-rpc", "", "", "", fmt != p.query.end() && fmt->second == "XML", &impl.faults};
  }
  auto first = [](std::string_view s) { return s.substr(0, s.find('/', 1)); };
  const OpModel* huawei = nullptr;
  for (const auto& m : impl.models) {
    if (m->spec->dialect == "aliyun-rpc") continue;
    if (match_path(m->spec->path, path)) return {m->spec->dialect, m->spec->op, m->spec->service, m->spec->name, false, &impl.faults};
    if (!huawei && m->spec->dialect == "huawei-rest" && first(m->spec->path) == first(path)) huawei = m.get();
  }
  if (huawei) return {"huawei-rest", "", huawei->spec->service, "", false, &impl.faults};
  return {"aliyun-roa", "", "", "", false, &impl.faults};
}

}  // namespace

HttpResponse Emulator::refuse(int status, std::string_view target) const {
  const auto qmark = target.find('?');
  const std::string_view query = qmark == std::string_view::npos ? std::string_view() : target.substr(qmark + 1);
  const RenderContext ctx = context_for(*impl_, target.substr(0, qmark), query);
  HttpResponse r = error_response(ctx, http_refusal(status, ctx.dialect == "huawei-rest"));
  r.close = true;
  return r;
}

std::string_view HttpRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (text::equals_ci(k, name)) return v;
  return {};
}

std::string_view HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (text::equals_ci(k, name)) return v;
  return {};
}

Emulator::Emulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Emulator::~Emulator() = default;
EmulatorState& Emulator::state() { return impl_->state; }

Result<std::unique_ptr<Emulator>> Emulator::create(std::vector<spec::Spec> specs, Fixtures fixtures,
                                                    const EmulatorOptions& options) {
  auto impl = std::make_unique<Impl>(std::move(specs), std::move(fixtures), options.max_entries);
  CONFORM_TRY(faults, FaultSet::from_names(options.faults));
  impl->faults = std::move(faults);
  for (const auto& s : impl->specs) {
    CONFORM_TRY(model, build_op_model(s));
    impl->models.push_back(std::move(model));
  }
  return std::unique_ptr<Emulator>(new Emulator(std::move(impl)));
}

HttpResponse Emulator::handle(const HttpRequest& req) {
  std::string_view target = req.target;
  const auto qmark = target.find('?');
  const std::string_view path = target.substr(0, qmark);
  const std::string_view query = qmark == std::string_view::npos ? std::string_view() : target.substr(qmark + 1);
  if (path.starts_with("/_conform/")) return control(*impl_, req, path);
  // RFC 9112 §6.3: a POST without Content-Length or chunked framing has no body, so
  // the bytes of its body would be read as the next request: 411 and close
  // (decisions.md §3). The control endpoints above take no body.
  if (!req.framed && req.method == "POST") return refuse(411, req.target);
  if (path == "/") return rpc(*impl_, req, query);
  for (const auto& m : impl_->models) {
    if (m->spec->dialect == "aliyun-rpc") continue;
    if (auto vars = match_path(m->spec->path, path)) return json_dialect(*impl_, req, *m, std::move(*vars), query);
  }
  return not_found(*impl_, path);
}

}  // namespace conform::emulator
