#!/usr/bin/env bash
# Soak of `conform emulate` under wrk (issue 5, "Robustness"): 64 connections for
# 30 s over a mix of requests of all three dialects (valid creates, validation
# errors, malformed bodies, unknown actions), with a state reset every 20000
# requests per wrk thread. Passes when no answer is a 5xx and the resident set,
# sampled every second, stays flat: after the first 5 s of warm-up, the maximum is
# within GROWTH_PCT (default 20) percent of the sample at 5 s. Prints the first,
# last and maximum RSS. Not a ctest (it takes 30 s and wants a quiet machine).
#
#   bench/emulator_soak.sh [BUILD_DIR]       # default build-bench; needs its conform
#   DURATION=30 CONNECTIONS=64 THREADS=2 GROWTH_PCT=20 bench/emulator_soak.sh build-emu
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-$ROOT/build-bench}
CONFORM=${CONFORM:-$BUILD/conform}
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
GROWTH_PCT=${GROWTH_PCT:-20}
command -v wrk >/dev/null || { echo "emulator_soak: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[[ -x $CONFORM ]] || { echo "emulator_soak: no $CONFORM; build the conform target first" >&2; exit 2; }

WORK=$(mktemp -d)
EMU_PID=""
SAMPLER_PID=""
cleanup() {
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  [[ -n $EMU_PID ]] && kill "$EMU_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$CONFORM" emulate --specs "$ROOT/specs" --port 0 >"$WORK/emu.out" 2>"$WORK/emu.err" &
EMU_PID=$!
PORT=""
for _ in $(seq 100); do
  PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$WORK/emu.out")
  [[ -n $PORT ]] && break
  sleep 0.1
done
[[ -n $PORT ]] || { echo "emulator_soak: conform emulate did not start: $(cat "$WORK/emu.err")" >&2; exit 2; }

# The request mix; every entry is METHOD, path, content type, body.
cat >"$WORK/soak.lua" <<'LUA'
local ecs = "/?Version=2014-05-26&RegionId=cn-hangzhou&Action="
local cluster = '{"Name":"soak","ImageId":"m-2309yqb5n","InstanceType":"bcs.a2.large",' ..
                '"Groups":{"g":{"DesiredVMCount":1,"ResourceType":"OnDemand"}}}'
local dcs = '{"name":"dcs-soak","engine":"Redis","engine_version":"3.0","capacity":2,"password":"Abcdef12!",' ..
            '"vpc_id":"v","security_group_id":"s","subnet_id":"n","available_zones":["z"],"product_id":"OTC_DCS_SINGLE"}'
local mix = {
  {"GET", ecs .. "CreateDeploymentSet&DeploymentSetName=soak"},
  {"GET", ecs .. "CreateDeploymentSet&Description=x"},
  {"GET", ecs .. "CreateInstance&ImageId=ubuntu_18_04_64_20G_alibase_20190624.vhd&InstanceType=ecs.g5.large&DataDisk.1.Size=40"},
  {"GET", ecs .. "CreateInstance&ImageId=nope&InstanceType=ecs.g5.large&Format=XML"},
  {"POST", "/", "application/x-www-form-urlencoded", "Action=CreateDeploymentSet&Version=2014-05-26&RegionId=cn-hangzhou"},
  {"GET", "/?Version=2019-09-10&Action=CreateStackInstances&RegionId=cn-hangzhou&StackGroupName=G&" ..
          "AccountIds=%5B%221%22%5D&RegionIds=%5B%22cn-hangzhou%22%5D"},
  {"POST", "/clusters", "application/json", cluster},
  {"POST", "/clusters", "application/json", "{\"Name\": "},
  {"POST", "/v1.0/p1/instances", "application/json", dcs},
  {"POST", "/v1.0/p1/instances", "text/plain", dcs},
  {"GET", "/?Action=NoSuchAction&Version=2014-05-26"},
  {"DELETE", "/clusters"},
}
local n = 0
local counts = {}
request = function()
  n = n + 1
  if n % 20000 == 0 then return wrk.format("POST", "/_conform/reset") end
  local m = mix[(n % #mix) + 1]
  local headers = {}
  if m[3] then headers["Content-Type"] = m[3] end
  return wrk.format(m[1], m[2], headers, m[4])
end
-- wrk's response() runs per thread; done() sees only the main thread's copy, so
-- each thread also keeps its own table in a global that done() reads through.
local threads = {}
setup = function(thread) table.insert(threads, thread) end
response = function(status)
  local class = math.floor(status / 100) .. "xx"
  counts[class] = (counts[class] or 0) + 1
  _G.counts = counts
end
done = function(summary)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    if c then for k, v in pairs(c) do total[k] = (total[k] or 0) + v end end
  end
  for _, k in ipairs({"2xx", "3xx", "4xx", "5xx"}) do io.write(string.format("status %s %d\n", k, total[k] or 0)) end
  io.write(string.format("socket_errors connect %d read %d write %d timeout %d\n", summary.errors.connect,
           summary.errors.read, summary.errors.write, summary.errors.timeout))
end
LUA

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$EMU_PID/status" 2>/dev/null || echo 0; }
( for _ in $(seq $((DURATION + 2))); do rss_kib; sleep 1; done ) >"$WORK/rss" &
SAMPLER_PID=$!

wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s -s "$WORK/soak.lua" "http://127.0.0.1:$PORT/" >"$WORK/wrk.out"
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""

cat "$WORK/wrk.out"
read -r first warm last max samples < <(awk 'NR == 1 {f = $1} NR == 6 {w = $1} {l = $1; if ($1 > m) m = $1} END {print f, w, l, m, NR}' "$WORK/rss")
echo "RSS (KiB, $samples samples, one a second): first $first, at 5 s $warm, last $last, max $max"
status=0
fivexx=$(awk '$1 == "status" && $2 == "5xx" {print $3}' "$WORK/wrk.out")
if [[ ${fivexx:-0} != 0 ]]; then echo "emulator_soak: FAIL: $fivexx answers were 5xx" >&2; status=1; fi
if ! kill -0 "$EMU_PID" 2>/dev/null; then echo "emulator_soak: FAIL: conform emulate died" >&2; status=1; fi
if awk -v w="$warm" -v m="$max" -v p="$GROWTH_PCT" 'BEGIN {exit !(m > w * (1 + p / 100))}'; then
  echo "emulator_soak: FAIL: RSS grew from $warm KiB to $max KiB after warm-up (more than $GROWTH_PCT%)" >&2
  status=1
fi
[[ $status == 0 ]] && echo "emulator_soak: PASS (no 5xx, RSS flat within $GROWTH_PCT% after warm-up)"
exit $status
