#!/usr/bin/env bash
# PostgreSQL for the bench's Conductor OSS on PostgreSQL (its data, queues and index), as teams deploy it.
#
#   postgres.sh start            find a PostgreSQL server (installing Debian's `postgresql` with
#                                apt-get update + apt-get install -y when none is found; needs root), start
#                                a fresh cluster in a temp dir on a free 127.0.0.1 port with the package's
#                                default settings, print PG_VERSION=..., PORT=... and STATE_FILE=...
#   postgres.sh createdb STATE   create a fresh database owned by the role conductor (password
#                                conductor); print JDBC_URL=..., DB_USER=... and DB_PASSWORD=...
#   postgres.sh stop STATE       stop that cluster (fast shutdown) and delete its temp dir
#
# Run as root, the cluster runs as the `postgres` system user the package creates (PostgreSQL refuses
# root); otherwise as the calling user. Nothing is left behind after stop.
#
# Environment: PG_BIN  directory of pg_ctl/initdb to use (default: the newest /usr/lib/postgresql/*/bin,
#              else PATH);  PG_START_TIMEOUT  seconds to wait for the cluster (default 60)
set -euo pipefail

TMPROOT="${TMPDIR:-/tmp}"
TMPROOT="${TMPROOT%/}"
START_TIMEOUT="${PG_START_TIMEOUT:-60}"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/pg_ctl" && -x "$PG_BIN/initdb" ]] || die "PG_BIN=$PG_BIN has no pg_ctl and initdb"
    printf '%s\n' "$PG_BIN"; return 0
  fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [[ -n "$d" && -x "$d/pg_ctl" && -x "$d/initdb" ]]; then printf '%s\n' "$d"; return 0; fi
  d="$(command -v pg_ctl 2>/dev/null || true)"
  if [[ -n "$d" && -x "$(dirname "$d")/initdb" ]]; then dirname "$d"; return 0; fi
  return 1
}

install_pg() {
  [[ "$(id -u)" == 0 ]] || die "no PostgreSQL server found and not root: install Debian's postgresql package or set PG_BIN"
  command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server found and no apt-get: install PostgreSQL or set PG_BIN"
  log "no PostgreSQL server found; installing Debian's postgresql package"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || die "apt-get install postgresql failed"
}

# as_owner CMD...: run CMD as the cluster's owner.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

cmd_start() {
  local bin dir port
  if [[ -n "${PG_BIN:-}" && ! ( -x "$PG_BIN/pg_ctl" && -x "$PG_BIN/initdb" ) ]]; then
    die "PG_BIN=$PG_BIN has no pg_ctl and initdb"
  fi
  bin="$(find_bin)" || { install_pg; bin="$(find_bin)" || die "postgresql installed but pg_ctl/initdb not found"; }
  if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no postgres user to run the cluster as"
  fi
  dir="$(mktemp -d "$TMPROOT/baton-postgres.XXXXXX")"
  [[ "$(id -u)" == 0 ]] && chown postgres: "$dir"
  port="$(free_port)"
  cat >"$dir/state" <<EOF
BIN=$bin
DIR=$dir
PORT=$port
EOF
  # Local connections (the socket in $dir) trust the owner; TCP asks for a password, as a server would.
  if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    tail -n 20 "$dir/initdb.log" >&2 || true
    rm -rf "$dir"
    die "initdb failed"
  fi
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$START_TIMEOUT" \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir" start >/dev/null; then
    tail -n 20 "$dir/server.log" >&2 || true
    rm -rf "$dir"
    die "the cluster did not start"
  fi
  psql_owner "$dir" "$port" postgres -c "CREATE ROLE conductor LOGIN PASSWORD 'conductor'" >/dev/null
  log "cluster $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port in $dir"
  printf 'PG_VERSION=%s\n' "$("$bin/postgres" --version | awk '{print $3}')"
  printf 'PORT=%s\n' "$port"
  printf 'STATE_FILE=%s\n' "$dir/state"
}

psql_owner() { # DIR PORT DB ARGS...
  local dir="$1" port="$2" db="$3"; shift 3
  as_owner psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d "$db" "$@"
}

read_state() {
  local state="${1:-}"
  [[ -n "$state" && -f "$state" ]] || die "no state file '$state' (already stopped?)"
  BIN="$(sed -n 's/^BIN=//p' "$state")"
  DIR="$(sed -n 's/^DIR=//p' "$state")"
  PORT="$(sed -n 's/^PORT=//p' "$state")"
  [[ -n "$BIN" && -n "$DIR" && -n "$PORT" ]] || die "malformed state file $state"
}

cmd_createdb() {
  local BIN DIR PORT db
  read_state "${1:-}"
  db="conductor_$(date +%s%N)"
  psql_owner "$DIR" "$PORT" postgres -c "CREATE DATABASE $db OWNER conductor" >/dev/null
  printf 'JDBC_URL=jdbc:postgresql://127.0.0.1:%s/%s\n' "$PORT" "$db"
  printf 'DB_USER=conductor\nDB_PASSWORD=conductor\n'
}

cmd_stop() {
  local BIN DIR PORT
  read_state "${1:-}"
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || log "warning: pg_ctl stop failed"
  case "$DIR" in
    "$TMPROOT"/baton-postgres.*) rm -rf "$DIR" ;;
    *) log "not removing unexpected dir '$DIR'" ;;
  esac
  log "stopped the cluster and removed $DIR"
}

case "${1:-}" in
  start) cmd_start ;;
  createdb) shift; cmd_createdb "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
