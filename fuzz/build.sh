#!/usr/bin/env bash
# Builds every fuzz target the OSS-Fuzz / ClusterFuzzLite way: the compiler and
# its flags from $CC, $CXX, $CFLAGS, $CXXFLAGS (sanitizer and coverage flags
# included), the engine from $LIB_FUZZING_ENGINE, and into $OUT each <target>
# binary with <target>.dict, <target>.options (libFuzzer flags, e.g. max_len, as
# ClusterFuzz reads them) and <target>_seed_corpus.zip beside it.
#
#   bash fuzz/build.sh                  # locally: clang-14, ASan+UBSan, libFuzzer, OUT=build-fuzz/out
#   OUT=/out WORK=/work bash fuzz/build.sh   # what an OSS-Fuzz build.sh calls, env already set
#
# The CMake tree goes to $WORK/conform-fuzz (default build-fuzz/work). Regressions
# (corpus/fuzz/<target>/regressions/) go into the seed zip too, so ClusterFuzz
# starts from every input that once crashed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CC=${CC:-clang-14}
export CXX=${CXX:-clang++-14}
export CFLAGS=${CFLAGS:--O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -fsanitize=fuzzer-no-link}
export CXXFLAGS=${CXXFLAGS:-$CFLAGS}
# The same coverage ignorelist as the CMake fuzz build (fuzz/std.ignorelist: no
# counters in libstdc++'s out-of-line template code), on top of whatever flags came.
if "$CXX" --version 2>/dev/null | grep -q clang; then
  export CXXFLAGS="$CXXFLAGS -fsanitize-coverage-ignorelist=$ROOT/fuzz/std.ignorelist"
fi
LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}
OUT=${OUT:-$ROOT/build-fuzz/out}
WORK=${WORK:-$ROOT/build-fuzz/work}
JOBS=${JOBS:-2}
BUILD=$WORK/conform-fuzz

# zip_flat ZIP: the files named on stdin, stored without their directories
# (ClusterFuzz unpacks a seed zip into one directory); python3 where zip is missing.
zip_flat() {
  if command -v zip >/dev/null; then
    zip -q -j -X "$1" -@
  else
    python3 -c 'import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for f in sys.stdin.read().split():
        z.write(f, os.path.basename(f))' "$1"
  fi
}

mkdir -p "$OUT" "$BUILD"
# CXXFLAGS reaches the link too (CMake links with CMAKE_CXX_FLAGS), as OSS-Fuzz
# expects; CONFORM_FUZZ stays OFF so that the top level adds no sanitizer of its
# own (the build's sanitizer is whatever CXXFLAGS says: address, memory, ...).
cmake -S "$ROOT" -B "$BUILD" -G Ninja \
  -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCONFORM_FUZZ=OFF -DCONFORM_TESTS=OFF -DCONFORM_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
ninja -C "$BUILD" -j"$JOBS" fuzz_targets

for src in "$ROOT"/fuzz/fuzz_*.cc; do
  target=$(basename "$src" .cc)
  cp "$BUILD/fuzz/$target" "$OUT/$target"
  if [[ -f $ROOT/fuzz/$target.options ]]; then
    cp "$ROOT/fuzz/$target.options" "$OUT/$target.options"
  fi
  if [[ -f $ROOT/corpus/fuzz/$target.dict ]]; then
    cp "$ROOT/corpus/fuzz/$target.dict" "$OUT/$target.dict"
  fi
  if [[ -d $ROOT/corpus/fuzz/$target ]]; then
    rm -f "$OUT/${target}_seed_corpus.zip"
    (cd "$ROOT/corpus/fuzz/$target" && find . -type f -print | sort | zip_flat "$OUT/${target}_seed_corpus.zip")
  fi
  echo "fuzz/build.sh: $OUT/$target" >&2
done
