#!/usr/bin/env bash
# A PostgreSQL for the sample app on loopback: its cluster mode's database, and the one the
# PostgreSQL tests run against (.ci/run starts it). Debian's package, installed if missing.
#
#   scripts/postgres.sh start    initialises the cluster if needed, starts it, creates the 'chat'
#                                user and database, prints the JDBC URL
#   scripts/postgres.sh stop     stops it (the data stays; remove CHAT_POSTGRES_DIR to start over)
#   scripts/postgres.sh status   says whether it runs; exit code 0 if it does, 3 if not
#   scripts/postgres.sh url      prints the JDBC URL
#
# Then: java -jar sample-app/target/sample-app-*.jar --spring.profiles.active=postgres
# (the profile's defaults match this script's: user and password 'chat', database 'chat').
#
# Environment: CHAT_POSTGRES_PORT (55432: not Debian's 5432, so a packaged server may run beside
# it), CHAT_POSTGRES_DIR (${TMPDIR:-/tmp}/supervision-postgres: data, socket and log).
# The server listens on 127.0.0.1 only; its Unix socket is in CHAT_POSTGRES_DIR. Run as root, it
# runs as the 'postgres' system user (PostgreSQL refuses to run as root); otherwise as the caller.
# A new cluster only accepts password (SCRAM) logins over TCP; the superuser logs in over the
# socket only.
set -euo pipefail

readonly PORT=${CHAT_POSTGRES_PORT:-55432}
readonly DIR=${CHAT_POSTGRES_DIR:-${TMPDIR:-/tmp}/supervision-postgres}
readonly DATA=$DIR/data
readonly LOG=$DIR/postgres.log
readonly START_TIMEOUT=60 # seconds
readonly DATABASE=chat
readonly USER_NAME=chat
readonly PASSWORD=chat
readonly URL="jdbc:postgresql://127.0.0.1:$PORT/$DATABASE"

log() { printf '[postgres] %s\n' "$*" >&2; }
die() { printf '[postgres] FAILED: %s\n' "$*" >&2; exit 1; }

usage() {
  echo "usage: $0 start|stop|status|url" >&2
  exit 2
}

# The newest Debian PostgreSQL's bin directory, or nothing.
bin_dir() {
  local newest=
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] || continue
    if [ -z "$newest" ] || [ "${dir//[!0-9]/}" -gt "${newest//[!0-9]/}" ]; then newest=$dir; fi
  done
  printf '%s' "$newest"
}

install_postgresql() {
  [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed and installing it needs root: apt-get install postgresql"
  log "installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; } \
    || die "apt-get install postgresql failed"
}

BIN=
RUN_AS=()
setup() {
  BIN=$(bin_dir)
  if [ -z "$BIN" ]; then
    install_postgresql
    BIN=$(bin_dir)
    [ -n "$BIN" ] || die "no /usr/lib/postgresql/*/bin/pg_ctl after installing postgresql"
  fi
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' system user (Debian's package creates it)"
    RUN_AS=(runuser -u postgres --)
  fi
}

as_owner() { "${RUN_AS[@]}" "$@"; }

running() { [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

psql_super() {
  as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" -U postgres -d postgres "$@"
}

start() {
  if running; then
    log "already running on 127.0.0.1:$PORT (data in $DATA)"
    echo "$URL"
    return 0
  fi
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  if [ ${#RUN_AS[@]} -gt 0 ]; then chown postgres: "$DIR"; fi
  if [ ! -f "$DATA/PG_VERSION" ]; then
    log "initialising a cluster in $DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; die "initdb failed (log above)"; }
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "127.0.0.1:$PORT is in use by another program: set CHAT_POSTGRES_PORT"
  fi
  log "starting PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
  if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$START_TIMEOUT" \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR" start >/dev/null; then
    tail -n 30 "$LOG" >&2 || true
    die "PostgreSQL did not start within ${START_TIMEOUT}s (log above, $LOG)"
  fi
  if [ "$(psql_super -tAc "select 1 from pg_roles where rolname = '$USER_NAME'")" != 1 ]; then
    psql_super -c "create role $USER_NAME login password '$PASSWORD'"
  fi
  if [ "$(psql_super -tAc "select 1 from pg_database where datname = '$DATABASE'")" != 1 ]; then
    psql_super -c "create database $DATABASE owner $USER_NAME encoding 'UTF8'"
  fi
  log "database '$DATABASE', user '$USER_NAME', password '$PASSWORD'"
  echo "$URL"
}

stop() {
  if ! running; then
    log "not running"
    return 0
  fi
  as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t "$START_TIMEOUT" stop >/dev/null
  log "stopped"
}

status() {
  if running; then
    log "running on 127.0.0.1:$PORT (data in $DATA)"
    echo "$URL"
    return 0
  fi
  log "not running"
  return 3
}

[ $# = 1 ] || usage
case $1 in
  start) setup; start ;;
  stop) setup; stop ;;
  status) setup; status ;;
  url) echo "$URL" ;;
  *) usage ;;
esac
