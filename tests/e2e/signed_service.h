// Test helper for tls_e2e_test: a TLS front of the emulator that checks every
// request's Alibaba Cloud RPC signature with its own small verifier (RFC 3986
// canonical query, HMAC-SHA1, base64: written from the signature doc, not a call
// into transport/signing), refuses reused nonces and absolute-form targets, can
// throttle every Nth request, and echoes the planted token in a header (a
// careless service) so that the redaction test has something to catch.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "emulator/handler.h"
#include "transport/tls_server.h"

namespace conform::e2e {

inline const std::string kKeyId = "LTAI5tTestKeyId0000001";
inline const std::string kSecret = "PlantedSecret-7f3a9c1e5b2d4a6f8e0c";   // must never appear in any output
inline const std::string kToken = "PlantedStsToken-CAIS9a8b7c6d5e4f3a2b";  // nor this

class Service {
 public:
  explicit Service(const testing::TestCert& cert, std::vector<std::string> faults = {}, int throttle_every = 0);

  std::uint16_t port() const { return server_->port(); }
  int requests() const { return server_->requests(); }
  int bad_signatures() const { return bad_.load(); }
  int successes() const { return successes_.load(); }
  int dry_runs() const { return dry_runs_.load(); }
  int throttled() const { return throttled_.load(); }
  std::vector<std::string> signatures() const {
    std::lock_guard lock(mu_);
    return std::vector<std::string>(signatures_.begin(), signatures_.end());
  }

 private:
  transport::HttpResponse handle(const transport::HttpRequest& r);

  std::unique_ptr<emulator::Emulator> emu_;
  std::unique_ptr<testing::TlsServer> server_;
  int throttle_every_;
  std::atomic<int> count_{0}, bad_{0}, successes_{0}, dry_runs_{0}, throttled_{0};
  mutable std::mutex mu_;
  std::set<std::string> signatures_, nonces_;
};


}  // namespace conform::e2e
