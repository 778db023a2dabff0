// Where a test finds the repo (apidocs/, specs/, fixtures/, corpus/) and the conform
// binary, found at run time: the build directory is the nearest ancestor of the
// running executable that holds CMakeCache.txt; the binary is its `conform` and the
// repo is the cache's CMAKE_HOME_DIRECTORY. CONFORM_SOURCE_DIR and CONFORM_BINARY in
// the environment take precedence. (They were compile definitions, which put the
// clone's path into every test object file: a clone in another directory, as a CI
// run's is, missed the compiler cache for all of them.) For tests only.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace conform::testing {
namespace detail {

inline std::string build_dir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  for (std::filesystem::path d = exe.parent_path(); !ec && !d.empty(); d = d.parent_path()) {
    if (std::filesystem::exists(d / "CMakeCache.txt", ec)) return d.string();
    if (d == d.root_path()) break;
  }
  std::fprintf(stderr, "test_paths: no CMakeCache.txt above %s; set CONFORM_SOURCE_DIR and CONFORM_BINARY\n",
               exe.empty() ? "this executable" : exe.c_str());
  return ".";
}

inline std::string cache_value(const std::string& build, const std::string& key) {
  std::ifstream in(build + "/CMakeCache.txt");
  const std::string prefix = key + ":";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    const std::size_t eq = line.find('=');
    if (eq != std::string::npos) return line.substr(eq + 1);
  }
  return "";
}

inline std::string from_env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::string();
}

}  // namespace detail

inline const std::string& source_dir() {
  static const std::string dir = [] {
    std::string d = detail::from_env("CONFORM_SOURCE_DIR");
    if (d.empty()) d = detail::cache_value(detail::build_dir(), "CMAKE_HOME_DIRECTORY");
    return d.empty() ? std::string(".") : d;
  }();
  return dir;
}

inline const std::string& conform_binary() {
  static const std::string bin = [] {
    std::string b = detail::from_env("CONFORM_BINARY");
    return b.empty() ? detail::build_dir() + "/conform" : b;
  }();
  return bin;
}

}  // namespace conform::testing

// The names the tests have always used; std::string values now, not literals.
#define CONFORM_SOURCE_DIR (::conform::testing::source_dir())
#define CONFORM_BINARY (::conform::testing::conform_binary())
