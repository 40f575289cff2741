#!/usr/bin/env bash
# System check of the Grafana dashboards against a real Prometheus scraping the built sample app.
#
# CI runs it after ./mvnw verify (.ci/run). Locally:
#   ./mvnw -pl sample-app -am package -DskipTests && src/it/run.sh
#
# 1. static: src/it/check-dashboards.py (structure; its own tests first), the JSON Schema of
#    @grafana/schema's Dashboard type when npm is there, promtool check config
#    grafana/prometheus.yml, promtool check rules on every query (PromQL syntax);
# 2. starts sample-app/target/sample-app-*.jar with a JDK 21+ and a Prometheus scraping it every
#    2 s, both on 127.0.0.1, and drives a short workload with curl;
# 3. evaluates every panel and variable query of grafana/dashboards/*.json through Prometheus'
#    HTTP API: a query that is invalid or returns no series fails the check.
#
# Needs bash, curl, python3 and root for apt-get when prometheus/promtool are missing.
# Environment: SAMPLE_APP_JAR=path runs that jar instead; IT_SCHEMA=0 skips the npm schema check.
set -euo pipefail
cd "$(dirname "$0")/../.."

readonly SCRAPE_INTERVAL=2            # seconds between scrapes of the app
readonly APP_START_TIMEOUT=120        # seconds until /actuator/health answers
readonly PROMETHEUS_START_TIMEOUT=60  # seconds until /-/ready answers
readonly ROUNDS=5                     # workload rounds, ROUND_PAUSE apart (~20 s in all)
readonly ROUND_PAUSE=4
readonly GRAFANA_SCHEMA_NPM=(@grafana/schema@13.2.3 ts-json-schema-generator@2.9.0 ajv-cli@5.0.0)

log() { printf '[it] %s\n' "$*"; }
die() { printf '[it] FAILED: %s\n' "$*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/supervision-it.XXXXXX")
app_pid=
prometheus_pid=

# Stops a process this script started: TERM, up to 20 s, then KILL.
# shellcheck disable=SC2317 # called from the EXIT trap
stop() {
  local pid=$1
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
  local rc=$?
  stop "$app_pid"
  stop "$prometheus_pid"
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------- tools

missing=()
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    die "cannot install ${missing[*]} (apt-get install -y ${missing[*]} needs root)"
  fi
fi
command -v python3 >/dev/null 2>&1 || die "python3 is required"
# Debian's package starts a prometheus service on install; this check runs its own on loopback.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
  systemctl stop prometheus
elif command -v service >/dev/null 2>&1 && service prometheus status >/dev/null 2>&1; then
  service prometheus stop >/dev/null 2>&1 || true
fi

# --------------------------------------------------------------------------------- static checks

export PYTHONDONTWRITEBYTECODE=1
python3 -m unittest discover -s src/it -p 'check_dashboards_test.py'
python3 src/it/check-dashboards.py

if [ "${IT_SCHEMA:-1}" != 0 ] && command -v npm >/dev/null 2>&1; then
  log "validating the dashboards against the JSON Schema of @grafana/schema's Dashboard type"
  mkdir "$work/npm"
  (cd "$work/npm" && npm init -y >/dev/null && npm install --no-audit --no-fund "${GRAFANA_SCHEMA_NPM[@]}") \
    >"$work/npm.log" 2>&1 || { cat "$work/npm.log"; die "npm install ${GRAFANA_SCHEMA_NPM[*]} failed"; }
  "$work/npm/node_modules/.bin/ts-json-schema-generator" --no-type-check --additional-properties \
    --path "$work/npm/node_modules/@grafana/schema/dist/types/raw/dashboard/x/types.gen.d.ts" \
    --type Dashboard -o "$work/dashboard.schema.json" >/dev/null
  schema_args=()
  for dashboard in grafana/dashboards/*.json; do schema_args+=(-d "$dashboard"); done
  "$work/npm/node_modules/.bin/ajv" validate --spec=draft7 --strict=false --all-errors \
    -s "$work/dashboard.schema.json" "${schema_args[@]}"
fi

promtool check config grafana/prometheus.yml
# Every query as a recording rule: promtool parses the PromQL.
python3 src/it/check-dashboards.py rules "$work/dashboards.rules.yml"
promtool check rules "$work/dashboards.rules.yml"

# ------------------------------------------------------------------------------ the sample app

jar=${SAMPLE_APP_JAR:-}
if [ -z "$jar" ]; then
  # The newest, should a version change have left an older one behind.
  for candidate in sample-app/target/sample-app-*.jar; do
    case "$candidate" in *-sources.jar | *-javadoc.jar | *-tests.jar | *-plain.jar) continue ;; esac
    if [ -f "$candidate" ] && { [ -z "$jar" ] || [ "$candidate" -nt "$jar" ]; }; then jar=$candidate; fi
  done
  [ -n "$jar" ] || die "no sample-app/target/sample-app-*.jar: build it first with
    ./mvnw -pl sample-app -am package -DskipTests   (CI runs ./mvnw verify before this check)"
fi
[ -f "$jar" ] || die "SAMPLE_APP_JAR=$jar is not a file"

# The major version in a JDK's release file (JAVA_VERSION="21.0.5" -> 21), 0 if unknown.
release_major() {
  local version
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n 1)
  echo "${version:-0}"
}
java_bin=
best=0
for home in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
  [ -x "$home/bin/java" ] || continue
  major=$(release_major "$home")
  if [ "$major" -ge 21 ] && [ "$major" -gt "$best" ]; then
    java_bin=$home/bin/java
    best=$major
  fi
done
if [ -z "$java_bin" ] && command -v java >/dev/null 2>&1; then
  major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  if [ "${major:-0}" -ge 21 ]; then java_bin=java; fi
fi
[ -n "$java_bin" ] || die "no JDK 21+ (looked at \$JAVA_HOME, /usr/lib/jvm/*/release and java on PATH)"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Polls URL until it answers 2xx, for at most TIMEOUT seconds, failing early if PID exits.
# Returns 0 when it answered, 1 on timeout, 2 when the process exited.
wait_for() {
  local url=$1 deadline=$((SECONDS + $2)) pid=$3
  while [ "$SECONDS" -lt "$deadline" ]; do
    kill -0 "$pid" 2>/dev/null || return 2
    curl -fsS --max-time 2 -o /dev/null "$url" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}

app_port=$(free_port)
app=http://127.0.0.1:$app_port
log "starting $jar with $java_bin on $app"
started=$SECONDS
mkdir -p "$work/db"
"$java_bin" -Xmx384m -jar "$jar" \
  --server.address=127.0.0.1 --server.port="$app_port" \
  --spring.datasource.url="jdbc:h2:file:$work/db/chat" \
  >"$work/app.log" 2>&1 &
app_pid=$!
wait_for "$app/actuator/health" "$APP_START_TIMEOUT" "$app_pid" || case $? in
  2) tail -n 60 "$work/app.log" >&2; die "the sample app exited during start-up (log above)" ;;
  *) tail -n 60 "$work/app.log" >&2; die "the sample app did not answer $app/actuator/health within ${APP_START_TIMEOUT}s (log above)" ;;
esac
log "the sample app is up after $((SECONDS - started))s"
curl -fsS --max-time 10 -o /dev/null "$app/actuator/prometheus" \
  || die "$app/actuator/prometheus does not answer: expose it (management.endpoints.web.exposure.include)"

# ------------------------------------------------------------------------------------ Prometheus

prometheus_port=$(free_port)
prometheus_url=http://127.0.0.1:$prometheus_port
# The job and metrics path of grafana/prometheus.yml, this app as target, scraped every 2 s.
cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: ${SCRAPE_INTERVAL}s
  evaluation_interval: ${SCRAPE_INTERVAL}s
scrape_configs:
  - job_name: sample-app
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ["127.0.0.1:$app_port"]
EOF
promtool check config "$work/prometheus.yml" >/dev/null
log "starting prometheus on $prometheus_url"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
  --web.listen-address="127.0.0.1:$prometheus_port" --log.level=warn \
  >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!
if ! wait_for "$prometheus_url/-/ready" "$PROMETHEUS_START_TIMEOUT" "$prometheus_pid"; then
  tail -n 40 "$work/prometheus.log" >&2
  die "prometheus did not get ready within ${PROMETHEUS_START_TIMEOUT}s (log above)"
fi

# The first sample's value of an instant query, empty when there is none.
prom_value() {
  curl -fsS --max-time 5 --get --data-urlencode "query=$1" "$prometheus_url/api/v1/query" 2>/dev/null \
    | python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' \
    2>/dev/null || true
}
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 >= b + 0) }'; }

# -------------------------------------------------------------------------------------- workload

requests=0
unexpected=()
# request EXPECTED_STATUS_REGEX METHOD PATH [JSON_BODY]
request() {
  local expect=$1 method=$2 path=$3 body=${4-} status
  local args=(-sS -o /dev/null -w '%{http_code}' --max-time 10 -X "$method")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
  status=$(curl "${args[@]}" "$app$path" 2>/dev/null) || status=000
  requests=$((requests + 1))
  [[ $status =~ ^($expect)$ ]] || unexpected+=("$method $path -> $status, expected $expect")
}

log "workload: $ROUNDS rounds, ${ROUND_PAUSE}s apart"
for round in $(seq 1 "$ROUNDS"); do
  if [ "$round" = 1 ]; then
    request '2..' POST /api/users '{"username":"alice"}'
    request '2..' POST /api/users '{"username":"bob"}'
    request '2..' POST /api/rooms '{"name":"lobby"}'
    request '2..' POST /api/rooms '{"name":"random"}'
  fi
  request '2..' POST /api/rooms/lobby/messages "{\"user\":\"alice\",\"content\":\"hi $round\"}"
  request '2..' POST /api/rooms/lobby/messages "{\"user\":\"bob\",\"content\":\"hello $round\"}"
  request '2..' POST /api/rooms/random/messages "{\"user\":\"alice\",\"content\":\"round $round\"}"
  for _ in 1 2 3; do request '2..' POST /api/counters/c1/increment; done
  request '2..' POST /api/counters/c2/increment
  request '2..' GET /api/counters/c1
  for _ in 1 2 3 4; do request '2..' GET /api/workers; done
  request '404' GET /api/rooms/nope
  if [ "$round" = 2 ] || [ "$round" = 4 ]; then
    # Any answer will do: the point is the restart the supervisor does behind it.
    request '[1-5]..' POST /api/counters/c1/crash
    request '[1-5]..' POST /api/rooms/lobby/crash
  fi
  sleep "$ROUND_PAUSE"
done
workload_end=$(date +%s)
log "workload: $requests requests, ${#unexpected[@]} answered unexpectedly"
for line in "${unexpected[@]}"; do log "  unexpected: $line"; done

# Enough scrapes for rate(), and one that started after the workload ended.
deadline=$((SECONDS + 60))
until [ "$(prom_value 'up{job="sample-app"}')" = 1 ] \
  && at_least "$(prom_value 'count_over_time(up{job="sample-app"}[1m])')" 8 \
  && at_least "$(prom_value 'timestamp(up{job="sample-app"})')" $((workload_end + 1)); do
  if [ "$SECONDS" -ge "$deadline" ]; then
    curl -fsS --max-time 5 "$prometheus_url/api/v1/targets" >&2 || true
    die "prometheus did not scrape $app/actuator/prometheus successfully (targets above)"
  fi
  sleep 1
done
log "prometheus has $(prom_value 'count_over_time(up{job="sample-app"}[1m])') scrapes in the last minute"

# ------------------------------------------------------------------------ the dashboards' queries

status=0
python3 src/it/check-dashboards.py query "$prometheus_url" || status=1
if [ ${#unexpected[@]} -gt 0 ]; then
  log "FAILED: ${#unexpected[@]} of $requests workload requests answered unexpectedly (listed above)"
  status=1
fi
exit "$status"
