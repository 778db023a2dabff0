#include "tests/e2e/signed_service.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <map>

#include <gtest/gtest.h>

#include "core/test_paths.h"
#include "emulator/fixtures.h"
#include "spec/loader.h"

namespace conform::e2e {
namespace {

const std::string kSpecs = std::string(CONFORM_SOURCE_DIR) + "/specs";


std::string rfc3986(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() + 0 && i + 2 <= s.size() - 1) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> split_params(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!s.empty()) {
    std::size_t amp = s.find('&');
    std::string_view item = s.substr(0, amp);
    std::size_t eq = item.find('=');
    if (!item.empty()) {
      out.emplace_back(unescape(item.substr(0, eq)), eq == std::string_view::npos ? "" : unescape(item.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    s.remove_prefix(amp + 1);
  }
  return out;
}

std::string hmac_sha1_base64(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &len);
  std::string b64(4 * ((len + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), mac, static_cast<int>(len));
  b64.resize(static_cast<std::size_t>(n));
  return b64;
}

// The request's parameters (query, and a form body), or why it is not signed right.
struct Verdict {
  std::string error_code;  // empty: signed right
  std::string signature;
  std::string nonce;
  bool dry_run = false;
};

Verdict verify(const transport::HttpRequest& r) {
  std::size_t q = r.target.find('?');
  auto params = split_params(q == std::string::npos ? "" : std::string_view(r.target).substr(q + 1));
  const std::string* ct = r.header("Content-Type");
  if (r.method == "POST" && ct && ct->find("x-www-form-urlencoded") != std::string::npos) {
    for (auto& p : split_params(r.body)) params.push_back(p);
  }
  Verdict v;
  std::map<std::string, std::string> first;
  for (const auto& [k, val] : params) first.emplace(k, val);
  auto get = [&](const char* k) { return first.count(k) ? first[k] : std::string(); };
  v.signature = get("Signature");
  v.nonce = get("SignatureNonce");
  v.dry_run = get("DryRun") == "true";
  if (v.signature.empty()) return v.error_code = "IncompleteSignature", v;
  if (get("AccessKeyId") != kKeyId) return v.error_code = "InvalidAccessKeyId.NotFound", v;
  if (get("SignatureMethod") != "HMAC-SHA1" || get("SignatureVersion") != "1.0" || v.nonce.empty() ||
      get("Timestamp").size() != 20 || get("SecurityToken") != kToken) {
    return v.error_code = "IncompleteSignature", v;
  }
  std::vector<std::pair<std::string, std::string>> signed_params;
  for (const auto& [k, val] : params) {
    if (k != "Signature") signed_params.emplace_back(rfc3986(k), rfc3986(val));
  }
  std::sort(signed_params.begin(), signed_params.end());
  std::string canonical;
  for (const auto& [k, val] : signed_params) canonical += (canonical.empty() ? "" : "&") + k + "=" + val;
  std::string to_sign = r.method + "&" + rfc3986("/") + "&" + rfc3986(canonical);
  if (hmac_sha1_base64(kSecret + "&", to_sign) != v.signature) v.error_code = "SignatureDoesNotMatch";
  return v;
}

transport::HttpResponse error_answer(const std::string& code, int status = 400) {
  transport::HttpResponse r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json;charset=utf-8"}};
  r.body = R"({"RequestId":"6D3B3E1A-0000-4000-8000-000000000000","HostId":"ecs.aliyuncs.com","Code":")" + code +
           R"(","Message":"rejected by the test's verifier","Recommend":""})";
  return r;
}

}  // namespace

Service::Service(const testing::TestCert& cert, std::vector<std::string> faults, int throttle_every)
      : throttle_every_(throttle_every) {
    auto specs = spec::load_specs(kSpecs);
    EXPECT_TRUE(specs.has_value());
    emulator::EmulatorOptions eo;
    eo.faults = std::move(faults);
    auto emu = emulator::Emulator::create(std::move(*specs), *emulator::default_fixtures(), eo);
    EXPECT_TRUE(emu.has_value()) << emu.error().message();
    emu_ = std::move(*emu);
    server_ = std::make_unique<testing::TlsServer>(cert, [this](const transport::HttpRequest& r) { return handle(r); });
  }


transport::HttpResponse Service::handle(const transport::HttpRequest& r) {
    if (r.target.empty() || r.target[0] != '/') {  // a service answers the origin form only
      ++bad_;
      return error_answer("InvalidAction.NotFound", 404);
    }
    Verdict v = verify(r);
    {
      std::lock_guard lock(mu_);
      if (!v.signature.empty()) signatures_.insert(v.signature);
      if (v.error_code.empty() && !nonces_.insert(v.nonce).second) v.error_code = "SignatureNonceUsed";
    }
    if (!v.error_code.empty()) {
      ++bad_;
      return error_answer(v.error_code);
    }
    if (throttle_every_ > 0 && ++count_ % throttle_every_ == 0) {
      ++throttled_;
      auto t = error_answer("Throttling.User");
      t.headers.emplace_back("Retry-After", "0");
      return t;
    }
    emulator::HttpRequest er{r.method, r.target, r.headers, r.body, true};
    emulator::HttpResponse res = emu_->handle(er);
    if (res.status >= 200 && res.status < 300) ++successes_;
    if (v.dry_run && res.body.find("DryRunOperation") != std::string::npos) ++dry_runs_;
    transport::HttpResponse out;
    out.status = res.status;
    out.headers = res.headers;
    out.headers.emplace_back("X-Echo-Token", kToken);  // a careless service echoing a secret
    out.body = res.body;
    return out;
  }


}  // namespace conform::e2e
