// libFuzzer target: the targets file loader (harness/targets.h, `conform run
// --targets FILE`). load_targets reads a path, so the input goes into an in-memory
// file (memfd) and is read back through /proc/self/fd: nothing touches the disk or
// the working directory. Beyond no crash: an error names the file; a file that
// loads has named, distinct targets with an http(s) endpoint and a place
// ("file#/targets/N") for later errors; credentials read from a fake environment
// hand every secret to the redactor, and an error never carries a secret value.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "harness/targets.h"

namespace {

constexpr const char* kSecret = "fuzz-secret-value";

const char* fake_env(const char* name) {
  if (std::strstr(name, "UNSET")) return nullptr;
  if (std::strstr(name, "ID")) return "fuzz-access-key-id";
  return kSecret;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const int fd = memfd_create("targets.json", 0);
  if (fd < 0) std::abort();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) std::abort();
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  auto targets = conform::targets::load_targets(path);
  if (!targets) {
    FUZZ_CHECK(targets.error().message().find(path) != std::string::npos, targets.error().message());
    return 0;
  }
  FUZZ_CHECK(!targets->empty());
  std::set<std::string> names;
  for (const auto& t : *targets) {
    FUZZ_CHECK(names.insert(t.name).second, t.name);
    FUZZ_CHECK(t.endpoint.scheme == "http" || t.endpoint.scheme == "https", t.url);
    FUZZ_CHECK(!t.endpoint.host.empty(), t.url);
    FUZZ_CHECK(t.where.starts_with(path), t.where);
    auto creds = conform::targets::read_credentials(t, fake_env);
    if (!creds) {
      // The file's own text may hold the secret's letters (in a variable's name,
      // which an error names): only a secret read from the environment must not show.
      const bool in_file = std::string_view(reinterpret_cast<const char*>(data), size).find(kSecret) != std::string_view::npos;
      FUZZ_CHECK(in_file || creds.error().message().find(kSecret) == std::string::npos, creds.error().message());
      continue;
    }
    // The redactor gets every secret that was read.
    const auto secrets = conform::targets::secret_values(*creds);
    for (const std::string* s : {&creds->access_key_secret, &creds->security_token, &creds->auth_token}) {
      if (s->empty()) continue;
      bool listed = false;
      for (const std::string& x : secrets) listed = listed || x == *s;
      FUZZ_CHECK(listed, t.name);
    }
  }
  return 0;
}
