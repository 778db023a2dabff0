#!/usr/bin/env bash
# Installs what conform needs on Debian 12 (with apt, only what is missing; as root),
# then configures build/ (Ninja, RelWithDebInfo, warnings as errors, ccache) and
# builds it with two jobs.
#
#   bash scripts/setup.sh [TARGET...]     # default: every target
#
# scripts/main.sh and scripts/test.sh source it, so that they share its ccache
# settings and its configure_build function.
set -euo pipefail

CONFORM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

CONFORM_PACKAGES=(
  librapidcheck-dev libgtest-dev libgmock-dev nlohmann-json3-dev libboost1.81-dev libssl-dev
  clang-14 libfuzzer-14-dev libclang-rt-14-dev cmake ninja-build libcmark-gfm-dev
  libcmark-gfm-extensions-dev libgumbo-dev libcli11-dev libfmt-dev libexpected-dev libre2-dev
  libpugixml-dev libbenchmark-dev libmimalloc-dev ccache pkg-config g++
  # The blind servers of tests/blind (ctest label blind; standard library only).
  python3
)

# The compiler cache lives outside the repo, so that fresh clones (CI's among them)
# share it; CCACHE_BASEDIR makes their different paths hit the same entries.
export CCACHE_DIR=${CCACHE_DIR:-/var/cache/conform-ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$CONFORM_ROOT}
# With -g, ccache hashes the build directory too unless told not to, and every clone
# (CI's included) has another one: without this, no clone hits another's entries.
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

install_missing_packages() {
  local missing=() package info
  for package in "${CONFORM_PACKAGES[@]}"; do
    info=$(dpkg -s "$package" 2>/dev/null) || info=""
    if ! grep -q '^Status: install ok installed' <<<"$info"; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  echo "setup: installing ${missing[*]}" >&2
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "setup: run as root to install: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}

# configure_build DIR CMAKE_ARGS...: configures DIR with Ninja; a cache left there
# by another generator is dropped first, since CMake refuses to switch.
configure_build() {
  local dir=$1
  shift
  if [[ -f $dir/CMakeCache.txt ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$dir/CMakeCache.txt"; then
    rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
  fi
  cmake -S "$CONFORM_ROOT" -B "$dir" -G Ninja "$@"
}

conform_setup() {
  install_missing_packages
  mkdir -p "$CCACHE_DIR"
  configure_build "$CONFORM_ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONFORM_WERROR=ON
  ninja -C "$CONFORM_ROOT/build" -j2 "$@"
}

conform_setup "$@"
