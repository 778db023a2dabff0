#include "transport/throttle.h"

#include <algorithm>
#include <charconv>

#include "transport/dialect.h"

namespace conform::transport {

bool is_throttling_code(const std::string& code) {
  return code == "Throttling" || code.rfind("Throttling.", 0) == 0 || code == "APIG.0308" || code == "APIGW.0308";
}

bool is_throttling(const HttpResponse& r) {
  if (r.status == 429) return true;
  if (r.status < 400 || r.body.empty()) return false;
  // The rpc reading covers {"Code"} JSON and <Error><Code> XML (roa's layout too);
  // the huawei reading {"error_code"}.
  for (Dialect d : {Dialect::aliyun_rpc, Dialect::huawei_rest}) {
    if (is_throttling_code(read_reply(d, r).code)) return true;
  }
  return false;
}

std::chrono::milliseconds backoff(int attempt, const HttpResponse& r, const BackoffPolicy& p) {
  long long wait = p.base_ms;
  for (int i = 1; i < attempt && wait < p.max_ms; ++i) wait *= 2;
  if (const std::string* after = r.header("Retry-After")) {
    long long seconds = 0;
    auto [ptr, ec] = std::from_chars(after->data(), after->data() + after->size(), seconds);
    if (ec == std::errc() && ptr == after->data() + after->size() && seconds >= 0) {
      wait = seconds > 86400 ? 86400000LL : seconds * 1000;  // the server's word beats our guess
    }
  }
  return std::chrono::milliseconds(std::clamp<long long>(wait, 0, p.max_ms));
}

}  // namespace conform::transport
