#!/usr/bin/env bash
# Three sample-app instances on loopback forming one cluster (the 'cluster' profile):
#
#   scripts/cluster.sh start    starts node 1-3 (HTTP 8081-8083, cluster 5701-5703) and waits until
#                               each sees all three members in its 'cluster' health
#   scripts/cluster.sh status   each node: pid, alive or not, its cluster health
#   scripts/cluster.sh stop     stops the three (SIGTERM, then SIGKILL after 30 s)
#
# Logs, pids and each node's H2 database are under $CLUSTER_RUN_DIR (default run/cluster):
# node-N/app.log, node-N/pid, node-N/data/. Build the jar first:
#   ./mvnw -pl sample-app -am package -DskipTests
# Environment: SAMPLE_APP_JAR (default the newest sample-app/target/sample-app-*.jar),
# CLUSTER_START_TIMEOUT (seconds, default 180), JAVA_HOME (a JDK 21+; else /usr/lib/jvm/* or PATH).
# Needs bash and curl.
set -euo pipefail

cd "$(dirname "$0")/.."
run_dir=${CLUSTER_RUN_DIR:-run/cluster}
timeout=${CLUSTER_START_TIMEOUT:-180}
nodes=(1 2 3)

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

http_port() { echo $((8080 + $1)); }
cluster_port() { echo $((5700 + $1)); }

pid_of() {
  local file=$run_dir/node-$1/pid
  [ -f "$file" ] && cat "$file"
}

alive() {
  local pid
  pid=$(pid_of "$1") || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# The 'cluster' health of node N as JSON text, empty when it does not answer.
cluster_health() {
  curl -s --max-time 2 "http://127.0.0.1:$(http_port "$1")/actuator/health/cluster" || true
}

# Whether node N's health lists all three members.
sees_all() {
  local health count=0 n
  health=$(cluster_health "$1")
  for n in "${nodes[@]}"; do
    case "$health" in *"127.0.0.1]:$(cluster_port "$n")"*) count=$((count + 1)) ;; esac
  done
  # its own address is in "member" as well as "members": all three means each once at least
  [ "$count" -eq "${#nodes[@]}" ] && case "$health" in *'"status":"UP"'*) true ;; *) false ;; esac
}

find_java() {
  local home major best=0 java_bin=
  for home in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
    [ -x "$home/bin/java" ] || continue
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null | head -n 1)
    if [ "${major:-0}" -ge 21 ] && [ "${major:-0}" -gt "$best" ]; then
      java_bin=$home/bin/java
      best=$major
    fi
  done
  if [ -z "$java_bin" ] && command -v java >/dev/null 2>&1; then java_bin=java; fi
  [ -n "$java_bin" ] || die "no JDK 21+ (looked at \$JAVA_HOME, /usr/lib/jvm/*/release and PATH)"
  echo "$java_bin"
}

find_jar() {
  local jar=${SAMPLE_APP_JAR:-} candidate
  if [ -z "$jar" ]; then
    for candidate in sample-app/target/sample-app-*.jar; do
      case "$candidate" in *-sources.jar | *-javadoc.jar | *-tests.jar | *-plain.jar) continue ;; esac
      if [ -f "$candidate" ] && { [ -z "$jar" ] || [ "$candidate" -nt "$jar" ]; }; then jar=$candidate; fi
    done
  fi
  [ -n "$jar" ] && [ -f "$jar" ] || die "no sample-app jar: build it with
    ./mvnw -pl sample-app -am package -DskipTests"
  echo "$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
}

start() {
  command -v curl >/dev/null 2>&1 || die "curl is required"
  local java_bin jar n dir deadline
  java_bin=$(find_java)
  jar=$(find_jar)
  for n in "${nodes[@]}"; do
    if alive "$n"; then die "node $n runs already (pid $(pid_of "$n")): scripts/cluster.sh stop first"; fi
  done
  for n in "${nodes[@]}"; do
    dir=$run_dir/node-$n
    mkdir -p "$dir"
    # Each node in its own directory, so that its H2 file database (./data) is its own.
    (
      cd "$dir"
      exec nohup "$java_bin" -jar "$jar" \
        --spring.profiles.active=cluster \
        --server.port="$(http_port "$n")" \
        --supervision.cluster.port="$(cluster_port "$n")" \
        >app.log 2>&1
    ) &
    echo $! >"$dir/pid"
    echo "node $n: pid $!, http://127.0.0.1:$(http_port "$n"), cluster port $(cluster_port "$n"), log $dir/app.log"
  done
  deadline=$((SECONDS + timeout))
  while :; do
    local formed=0
    for n in "${nodes[@]}"; do
      alive "$n" || die "node $n exited; see $run_dir/node-$n/app.log"
      if sees_all "$n"; then formed=$((formed + 1)); fi
    done
    if [ "$formed" -eq "${#nodes[@]}" ]; then
      echo "cluster formed: 3 members, seen by every node (${SECONDS}s)"
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      status
      die "no single cluster of 3 after ${timeout}s (nodes left running: scripts/cluster.sh stop)"
    fi
    sleep 1
  done
}

status() {
  local n
  for n in "${nodes[@]}"; do
    if alive "$n"; then
      echo "node $n: running (pid $(pid_of "$n")) $(cluster_health "$n")"
    else
      echo "node $n: not running"
    fi
  done
}

stop() {
  local n pid waited
  for n in "${nodes[@]}"; do
    alive "$n" && kill -TERM "$(pid_of "$n")"
  done
  for n in "${nodes[@]}"; do
    pid=$(pid_of "$n") || continue
    waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 30 ]; do
      sleep 1
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "node $n did not stop in 30 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$run_dir/node-$n/pid"
    echo "node $n: stopped"
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: scripts/cluster.sh start|stop|status" ;;
esac
