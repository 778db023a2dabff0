#include "emulator/render.h"

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "emulator/wire.h"

namespace conform::emulator {
namespace {

using ojson = nlohmann::ordered_json;

bool xml_wanted(const RenderContext& ctx) {
  return ctx.xml && ctx.dialect == "aliyun-rpc" && !(ctx.faults && ctx.faults->for_op(ctx.op, FaultKind::xml_ignored));
}

std::string host_id(const RenderContext& ctx) {
  return (ctx.service.empty() ? std::string("conform") : ctx.service) + ".aliyuncs.com";
}

// A JSON string literal; bytes that are not UTF-8 become U+FFFD, like dump's
// replace handler. Errors are flat objects of strings: written directly, as the
// error path is the emulator's hot path under a fuzzer.
void append_string(std::string& out, std::string_view s) {
  if (!text::valid_utf8(s)) {
    out += ojson(std::string(s)).dump(-1, ' ', false, ojson::error_handler_t::replace);
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

void set_flat_json(HttpResponse& r, const std::vector<std::pair<const char*, std::string>>& fields) {
  r.headers.emplace_back("Content-Type", "application/json;charset=utf-8");
  std::string out = "{";
  for (const auto& [k, v] : fields) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += k;
    out += "\":";
    append_string(out, v);
  }
  r.body = out + "}";
}

void set_json(HttpResponse& r, const ojson& body) {
  r.headers.emplace_back("Content-Type", "application/json;charset=utf-8");
  // Messages may carry a map key or a parameter name from the request: never throw
  // on a byte that is not UTF-8.
  r.body = body.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

void set_xml(HttpResponse& r, const std::string& root, const ojson& body) {
  r.headers.emplace_back("Content-Type", "text/xml;charset=utf-8");
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + root + ">";
  for (const auto& [k, v] : body.items())
    x += "<" + k + ">" + xml_escape(v.is_string() ? v.get<std::string>() : v.dump()) + "</" + k + ">";
  r.body = x + "</" + root + ">";
}

ojson field_value(const spec::ResponseField& f, const Answer& answer) {
  if (!f.members.empty()) {
    ojson obj = ojson::object();
    for (const auto& m : f.members) obj[m.name] = field_value(m, answer);
    if (f.type == spec::ParamType::Object) return obj;
    return ojson::array({obj});
  }
  auto it = answer.find(f.name);
  const std::string v = it == answer.end() ? "" : it->second;
  switch (f.type) {
    case spec::ParamType::Integer:
    case spec::ParamType::Long: return 0;
    case spec::ParamType::Boolean: return false;
    case spec::ParamType::Array: return ojson::array();
    default: return v;
  }
}

}  // namespace

std::string generic_code(const RenderContext& ctx, int status) {
  if (ctx.dialect == "huawei-rest") {
    std::string svc = ctx.service.empty() ? "APIGW" : ctx.service;
    for (auto& c : svc) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return svc + "." + std::to_string(status) + "0";
  }
  return status == 500 ? "InternalError" : "InvalidParameter";
}

HttpResponse error_response(const RenderContext& ctx, const ErrorAnswer& e) {
  HttpResponse r;
  r.status = e.status;
  const std::string rid = new_request_id();
  if (ctx.dialect == "huawei-rest") {
    r.headers.emplace_back("X-Request-Id", rid);
    set_flat_json(r, {{"error_code", e.code}, {"error_msg", e.message}});
    return r;
  }
  std::vector<std::pair<const char*, std::string>> fields;
  const bool drop_rid = ctx.dialect == "aliyun-rpc" && ctx.faults && ctx.faults->for_op(ctx.op, FaultKind::error_request_id);
  if (ctx.dialect == "aliyun-roa") {
    r.headers.emplace_back("x-acs-request-id", rid);
    fields = {{"Code", e.code}, {"Message", e.message}, {"RequestId", rid}, {"HostId", host_id(ctx)}};
  } else {
    if (!drop_rid) fields.emplace_back("RequestId", rid);
    fields.emplace_back("HostId", host_id(ctx));
    fields.emplace_back("Code", e.code);
    fields.emplace_back("Message", e.message);
    fields.emplace_back("Recommend", "https://api.aliyun.com/troubleshoot?q=" + e.code);
  }
  if (xml_wanted(ctx)) {
    ojson body = ojson::object();
    for (const auto& [k, v] : fields) body[k] = v;
    set_xml(r, "Error", body);
  } else {
    set_flat_json(r, fields);
  }
  return r;
}

HttpResponse success_response(const RenderContext& ctx, const spec::Spec& spec, const Answer& answer) {
  HttpResponse r;
  r.status = spec.success_status;
  if (auto f = ctx.faults ? ctx.faults->for_op(ctx.op, FaultKind::success_status) : nullptr) r.status = f->status;
  const std::string rid = new_request_id();
  ojson body = ojson::object();
  if (ctx.dialect == "aliyun-rpc") body["RequestId"] = rid;
  for (const auto& f : spec.response)
    if (f.name != "RequestId") body[f.name] = field_value(f, answer);
  if (ctx.faults)
    for (const Fault* f : ctx.faults->active())
      if (f->kind == FaultKind::drop_field && f->op == ctx.op) body.erase(std::string(f->value));
  const char* header = ctx.dialect == "aliyun-roa" ? "x-acs-request-id" : ctx.dialect == "huawei-rest" ? "X-Request-Id" : nullptr;
  const Fault* drop = ctx.faults ? ctx.faults->for_op(ctx.op, FaultKind::drop_header) : nullptr;
  if (header && !(drop && text::equals_ci(drop->value, header))) r.headers.emplace_back(header, rid);
  if (xml_wanted(ctx)) {
    set_xml(r, ctx.action + "Response", body);
  } else {
    set_json(r, body);
  }
  return r;
}

}  // namespace conform::emulator
