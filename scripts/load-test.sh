#!/usr/bin/env bash
# Load benchmark of the sample app: supervised endpoints beside plain Spring MVC baselines doing
# the same work without processes, so that the cost of supervision is a measured ratio.
#
#   ./mvnw -pl sample-app -am package -DskipTests && scripts/load-test.sh
#
# Starts sample-app/target/sample-app-*.jar on 127.0.0.1 (a fresh H2 file database in a temp
# directory, the per-user rate limit off so that it measures throughput, not the limiter) and
# drives it with wrk (Debian's package, installed if missing): each scenario gets a warm-up, then
# DURATION of load from THREADS threads over CONNECTIONS connections. Prints requests per second,
# p50 and p99 latency per scenario, and the supervised/baseline ratios, as a Markdown table.
#
# Scenarios:
#   counter increment   POST /api/counters/bench/increment            a cast to the counter's server
#   baseline increment  POST /api/baseline/counters/bench/increment   an AtomicLong in a map
#   message post        POST /api/rooms/bench/messages                user manager call, room call,
#                                                                     writer pool call, JPA insert
#   baseline post       POST /api/baseline/rooms/bench/messages       the same JPA insert, in the
#                                                                     request thread
#   message post, 16 rooms   POST /api/rooms/bench-{0..15}/messages   as above, spread over rooms
#   baseline post, 16 rooms  POST /api/baseline/rooms/bench-{0..15}/messages
#
# Environment: DURATION (10s), WARMUP (15s), THREADS (2), CONNECTIONS (16), SAMPLE_APP_JAR, JAVA.
# The warm-up matters: until the JIT has compiled the supervised path (which runs more code than
# the baselines, on 2 cores shared with wrk), it measures the interpreter, not supervision; 3 s of
# warm-up made the supervised counter look 4 times slower than it is.
# Traffic goes to 127.0.0.1 only, and every run is bounded by its duration.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}

log() { printf '[load] %s\n' "$*" >&2; }
die() { printf '[load] FAILED: %s\n' "$*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/supervision-load.XXXXXX")
app_pid=
cleanup() {
  local rc=$?
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM "$app_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------- tools

if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk from Debian"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; } \
    || die "cannot install wrk (apt-get install -y wrk needs root)"
fi
command -v curl >/dev/null 2>&1 || die "curl is required"
command -v python3 >/dev/null 2>&1 || die "python3 is required"

jar=${SAMPLE_APP_JAR:-}
if [ -z "$jar" ]; then
  for candidate in sample-app/target/sample-app-*.jar; do
    case "$candidate" in *-sources.jar | *-javadoc.jar | *-tests.jar | *-plain.jar) continue ;; esac
    if [ -f "$candidate" ] && { [ -z "$jar" ] || [ "$candidate" -nt "$jar" ]; }; then jar=$candidate; fi
  done
fi
if [ -z "$jar" ] || [ ! -f "$jar" ]; then die "no sample-app jar: ./mvnw -pl sample-app -am package -DskipTests"; fi

# A JDK 21+: $JAVA, else the newest under $JAVA_HOME or /usr/lib/jvm.
java_bin=${JAVA:-}
if [ -z "$java_bin" ]; then
  best=0
  for home in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
    [ -x "$home/bin/java" ] || continue
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null | head -n 1)
    if [ "${major:-0}" -ge 21 ] && [ "${major:-0}" -gt "$best" ]; then
      java_bin=$home/bin/java
      best=$major
    fi
  done
fi
[ -n "$java_bin" ] || die "no JDK 21+ found (set JAVA=/path/to/java)"

# ----------------------------------------------------------------------------------- the app

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
app=http://127.0.0.1:$port
log "starting $jar on $app with $java_bin"
"$java_bin" -Xmx1g -jar "$jar" \
  --server.address=127.0.0.1 --server.port="$port" \
  --spring.datasource.url="jdbc:h2:file:$work/db/chat" \
  --chat.rate-limit.enabled=false \
  --logging.level.root=WARN \
  >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do
  kill -0 "$app_pid" 2>/dev/null || { tail -n 40 "$work/app.log" >&2; die "the app exited during start-up"; }
  curl -fsS --max-time 2 -o /dev/null "$app/actuator/health" 2>/dev/null && break
  sleep 1
done
curl -fsS --max-time 2 -o /dev/null "$app/actuator/health" || die "the app did not start"

json() { curl -fsS --max-time 10 -o /dev/null -H 'Content-Type: application/json' -X POST "$app$1" --data "$2"; }
json /api/users '{"username":"bench"}'
json /api/rooms '{"name":"bench"}'
for i in $(seq 0 15); do json /api/rooms "{\"name\":\"bench-$i\"}"; done
curl -fsS --max-time 10 -o /dev/null -X POST "$app/api/counters/bench/increment"

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"user":"bench","content":"a message of about sixty characters, as a chat has them"}'
LUA
cat >"$work/empty-post.lua" <<'LUA'
wrk.method = "POST"
LUA
# Posts to /<prefix>/bench-0 .. bench-15/messages in turn ("prefix" is the first argument).
cat >"$work/rooms-post.lua" <<'LUA'
local prefix, n = "", 0
local body = '{"user":"bench","content":"a message of about sixty characters, as a chat has them"}'
local headers = { ["Content-Type"] = "application/json" }
init = function(args) prefix = args[1] or "" end
request = function()
  n = n + 1
  return wrk.format("POST", prefix .. "/rooms/bench-" .. (n % 16) .. "/messages", headers, body)
end
LUA

# run NAME PATH SCRIPT [SCRIPT-ARG]: warm-up, then the measured run; prints
# "NAME rps p50 p99 non-2xx socket-errors answered"
run() {
  local name=$1 path=$2 script=$3 out
  shift 3
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$script" "$app$path" -- "$@" >"$work/$name.warmup.txt"
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$app$path" -- "$@")
  printf '%s\n' "$out" >"$work/$name.txt"
  python3 - "$name" "$work/$name.txt" "$work/$name.warmup.txt" <<'PY'
import re, sys
name, path, warmup = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
def answered(t):
    total = int(re.search(r"(\d+) requests in", t).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
    return total - (int(bad.group(1)) if bad else 0)
ok = answered(text) + answered(open(warmup).read())
def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
lat = {m.group(1): ms(m.group(2), m.group(3)) for m in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
failed = sum(int(n) for n in errors.groups()) if errors else 0
print(name, rps, lat.get("50", 0.0), lat.get("99", 0.0), int(bad.group(1)) if bad else 0, failed, ok)
PY
}

log "scenarios: warm-up $WARMUP, then $DURATION each, $THREADS threads, $CONNECTIONS connections"
results=$(
  run counter /api/counters/bench/increment "$work/empty-post.lua"
  run counter-baseline /api/baseline/counters/bench/increment "$work/empty-post.lua"
  run message /api/rooms/bench/messages "$work/post.lua"
  run message-baseline /api/baseline/rooms/bench/messages "$work/post.lua"
  run rooms /api "$work/rooms-post.lua" /api
  run rooms-baseline /api "$work/rooms-post.lua" /api/baseline
)
value=$(curl -fsS --max-time 10 "$app/api/counters/bench")
workers=$(curl -fsS --max-time 10 "$app/api/workers")
cores=$(nproc 2>/dev/null || echo '?')
jdk=$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')

python3 - "$results" "$value" "$workers" "$cores" "$jdk" "$THREADS" "$CONNECTIONS" "$DURATION" <<'PY'
import json, sys
results, value, workers, cores, jdk, threads, connections, duration = sys.argv[1:9]
rows = {}
for line in results.strip().splitlines():
    parts = line.split()
    rows[parts[0]] = dict(rps=float(parts[1]), p50=float(parts[2]), p99=float(parts[3]), bad=int(parts[4]), sock=int(parts[5]), ok=int(parts[6]))
print(f"wrk {threads} threads, {connections} connections, {duration} per scenario after a warm-up; "
      f"{cores} cores shared by wrk and the app; JDK {jdk}")
print()
print("| scenario | requests/s | p50 ms | p99 ms | non-2xx | socket errors |")
print("|---|---:|---:|---:|---:|---:|")
labels = {
    "counter": "counter increment (cast to a supervised server)",
    "counter-baseline": "baseline increment (AtomicLong)",
    "message": "message post (user manager, room, writer pool, JPA)",
    "message-baseline": "baseline post (JPA in the request thread)",
    "rooms": "message post over 16 rooms",
    "rooms-baseline": "baseline post over 16 rooms",
}
for key in ["counter", "counter-baseline", "message", "message-baseline", "rooms", "rooms-baseline"]:
    r = rows[key]
    print(f"| {labels[key]} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['bad']} | {r['sock']} |")
print()
for kind in ["counter", "message", "rooms"]:
    s, b = rows[kind], rows[kind + "-baseline"]
    print(f"- {kind}: supervised/baseline throughput {s['rps'] / b['rps']:.2f}, p99 {s['p99'] / b['p99']:.2f}x")
print(f"- counter 'bench': value {json.loads(value)['value']} after {rows['counter']['ok'] + 1} increments"
      " answered 202 (warm-up included; requests wrk gave up on may still have counted)")
pool = json.loads(workers)
print(f"- writer dispatches ({rows['message']['ok'] + rows['rooms']['ok']} messages answered 201, warm-up included): " + ", ".join(f"{w['id']}={w['dispatches']}" for w in pool["workers"]))
if any(r["bad"] or r["sock"] for r in rows.values()):
    print("- WARNING: some requests failed (non-2xx answers or socket errors, such as wrk's 2 s timeout)")
PY
