// The targets file (DESIGN.md "Targets file", issue 8): several targets in one
// run, each with its operations, dialect, region, credentials (the NAMES of
// environment variables, never the secrets), fixtures, rate, timeout, CA file and
// whether requests that create resources may be sent.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "transport/signing.h"
#include "transport/url.h"

namespace conform::targets {

// Which environment variables hold the credentials. Empty: not used.
struct CredentialEnv {
  std::string access_key_id_env;
  std::string access_key_secret_env;
  std::string security_token_env;  // STS token, optional
  std::string auth_token_env;      // huawei-rest IAM token (X-Auth-Token), instead of AK/SK
  bool any() const;
};

struct Target {
  std::string name;
  std::string url;
  transport::Endpoint endpoint;
  std::vector<std::string> ops;  // globs ("ecs.*"); empty: every operation
  std::string dialect;           // "" : the operations' own
  std::string region;            // "" : the fixtures' regions as they are
  std::optional<CredentialEnv> credentials;  // absent: requests are not signed
  std::string fixtures;          // path; "": the default fixtures
  double rate = 0;               // requests per second; 0: no limit
  int timeout_ms = 0;            // 0: --timeout or its default
  std::string ca_file;           // PEM; "": the system CA store
  bool allow_create = false;
  std::string where;             // "file#/targets/0", for later errors
};

// Reads and checks the file: a JSON object {"targets": [...]}, each target an
// object with the fields above, unique names, a parseable http(s) URL, a known
// dialect. Every error names the file and the JSON pointer.
Result<std::vector<Target>> load_targets(const std::string& path);

using GetEnv = std::function<const char*(const char*)>;

// The target's credentials from the environment variables it names. An unset or
// empty variable is an error naming the target and the variable (never a value).
Result<transport::Credentials> read_credentials(const Target& t, const GetEnv& getenv);

// The secret values among the credentials (for the redactor): everything but the
// AccessKeyId.
std::vector<std::string> secret_values(const transport::Credentials& c);

}  // namespace conform::targets
