#include "harness/targets.h"

#include <cstdint>
#include <set>
#include <string>

#include "harness/runner_cli.h"
#include "spec/json_reader.h"
#include "spec/loader.h"
#include "transport/dialect.h"

namespace conform::targets {
namespace {

using spec::JsonReader;

Result<std::string> opt_string(const JsonReader& r, std::string_view key) {
  CONFORM_TRY(v, r.opt_str(key));
  return v.value_or("");
}

Result<CredentialEnv> read_credential_env(const JsonReader& r) {
  CONFORM_CHECK(r.expect_object());
  CONFORM_CHECK(r.only_keys({"access_key_id_env", "access_key_secret_env", "security_token_env", "auth_token_env"}));
  CredentialEnv c;
  CONFORM_TRY(id, opt_string(r, "access_key_id_env"));
  CONFORM_TRY(secret, opt_string(r, "access_key_secret_env"));
  CONFORM_TRY(token, opt_string(r, "security_token_env"));
  CONFORM_TRY(auth, opt_string(r, "auth_token_env"));
  c.access_key_id_env = id;
  c.access_key_secret_env = secret;
  c.security_token_env = token;
  c.auth_token_env = auth;
  if (c.auth_token_env.empty() && (c.access_key_id_env.empty() || c.access_key_secret_env.empty())) {
    return r.error("", "expected access_key_id_env and access_key_secret_env (or auth_token_env): the names "
                       "of environment variables, never the secrets themselves");
  }
  return c;
}

Result<Target> read_target(const JsonReader& r) {
  CONFORM_CHECK(r.expect_object());
  CONFORM_CHECK(r.only_keys({"name", "url", "ops", "dialect", "region", "credentials", "fixtures", "rate",
                             "timeout_ms", "ca_file", "allow_create"}));
  Target t;
  t.where = std::string(r.file()) + "#" + r.pointer();
  CONFORM_TRY(name, r.str("name"));
  if (name.empty()) return r.error("name", "expected a non-empty name");
  t.name = name;
  CONFORM_TRY(url, r.str("url"));
  auto endpoint = transport::parse_url(url);
  if (!endpoint) return r.error("url", endpoint.error().message());
  t.url = url;
  t.endpoint = *endpoint;
  CONFORM_TRY(ops, r.strings_or_empty("ops"));
  t.ops = ops;
  CONFORM_TRY(dialect, opt_string(r, "dialect"));
  if (!dialect.empty()) {
    if (auto d = transport::parse_dialect(dialect); !d) {
      return r.error("dialect", "expected aliyun-rpc, aliyun-roa or huawei-rest, got \"" + dialect + "\"");
    }
  }
  t.dialect = dialect;
  CONFORM_TRY(region, opt_string(r, "region"));
  t.region = region;
  if (r.has("credentials")) {
    CONFORM_TRY(creds, r.child("credentials"));
    CONFORM_TRY(env, read_credential_env(creds));
    t.credentials = env;
  }
  CONFORM_TRY(fixtures, opt_string(r, "fixtures"));
  t.fixtures = fixtures;
  CONFORM_TRY(rate, r.opt_number("rate"));
  if (rate && (*rate < 0 || (*rate > 0 && *rate < 0.001) || *rate > 1e6)) {
    return r.error("rate", "expected requests per second: 0 (no limit) or 0.001 to 1000000");
  }
  t.rate = rate.value_or(0);
  CONFORM_TRY(timeout, r.integer_or("timeout_ms", 0));
  // As --timeout (0: the command line's, or the default).
  if (timeout < 0 || static_cast<std::uint64_t>(timeout) > cli::kMaxTimeoutMs) {
    return r.error("timeout_ms", "expected milliseconds from 1 to " + std::to_string(cli::kMaxTimeoutMs));
  }
  t.timeout_ms = timeout;
  CONFORM_TRY(ca, opt_string(r, "ca_file"));
  t.ca_file = ca;
  CONFORM_TRY(allow, r.boolean_or("allow_create", false));
  t.allow_create = allow;
  return t;
}

}  // namespace

bool CredentialEnv::any() const {
  return !access_key_id_env.empty() || !access_key_secret_env.empty() || !auth_token_env.empty();
}

Result<std::vector<Target>> load_targets(const std::string& path) {
  CONFORM_TRY(j, spec::read_json_file(path));
  JsonReader root(j, path, "");
  CONFORM_CHECK(root.expect_object());
  CONFORM_CHECK(root.only_keys({"targets"}));
  CONFORM_TRY(list, root.array_of("targets"));
  if (list.empty()) return root.error("targets", "expected at least one target");
  std::vector<Target> out;
  std::set<std::string> names;
  for (const JsonReader& r : list) {
    CONFORM_TRY(t, read_target(r));
    if (!names.insert(t.name).second) return r.error("name", "duplicate target name \"" + t.name + "\"");
    out.push_back(std::move(t));
  }
  return out;
}

Result<transport::Credentials> read_credentials(const Target& t, const GetEnv& getenv) {
  transport::Credentials c;
  if (!t.credentials) return c;
  auto take = [&](const std::string& var, std::string& into, bool required) -> Result<void> {
    if (var.empty()) return {};
    const char* v = getenv(var.c_str());
    if (v && *v) {
      into = v;
      return {};
    }
    if (!required) return {};
    return fail(t.where + "/credentials", "target \"" + t.name + "\": the environment variable " + var +
                                              " is not set (or empty); export it before the run");
  };
  const CredentialEnv& e = *t.credentials;
  // A token and AK/SK may both be named; each one that is named must be set.
  CONFORM_CHECK(take(e.access_key_id_env, c.access_key_id, true));
  CONFORM_CHECK(take(e.access_key_secret_env, c.access_key_secret, true));
  CONFORM_CHECK(take(e.security_token_env, c.security_token, true));
  CONFORM_CHECK(take(e.auth_token_env, c.auth_token, true));
  return c;
}

std::vector<std::string> secret_values(const transport::Credentials& c) {
  std::vector<std::string> out;
  for (const std::string* s : {&c.access_key_secret, &c.security_token, &c.auth_token}) {
    if (!s->empty()) out.push_back(*s);
  }
  return out;
}

}  // namespace conform::targets
