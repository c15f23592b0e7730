#!/usr/bin/env bash
# A throw-away PostgreSQL 15 for tests (docs/architecture.md, "A throw-away PostgreSQL for tests").
#
#   scripts/with-postgres.sh npx vitest run src/modules/dossiers   # runs the command with DATABASE_URL set
#   npm run test:pg -- test/some.test.ts                           # the same, via package.json
#
# Starts a server from /usr/lib/postgresql/15/bin in a temporary directory (as the `postgres`
# user when run as root: initdb refuses root), on 127.0.0.1 from port 54329 (or EGOV_CI_PG_PORT)
# up to the first free one, runs the command with
# DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres, then stops the server and removes
# the directory, whatever happens. Exits with the command's status.
#
# Sourced (as .ci/run does) it only defines start_postgres / stop_postgres and sets PG_PORT and
# PG_DIR; the caller owns the trap that calls stop_postgres.

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DIR=""
PG_PORT=""

_pg_is_root() { [[ "$(id -u)" == 0 ]]; }
_pg_as_postgres() {
  if _pg_is_root; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
_pg_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts the server; on success PG_PORT, PG_DIR are set and 0 is returned.
start_postgres() {
  if [[ ! -x "$PG_BIN/initdb" ]]; then
    echo "PostgreSQL 15 is not installed in $PG_BIN" >&2
    return 1
  fi
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/egov-pg.XXXXXX")"
  if _pg_is_root; then chown postgres "$PG_DIR"; fi
  if ! _pg_as_postgres "$PG_BIN/initdb -D '$PG_DIR/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$PG_DIR/initdb.log" 2>&1; then
    cat "$PG_DIR/initdb.log" >&2
    return 1
  fi
  local port="${EGOV_CI_PG_PORT:-54329}" tries=0
  while ((tries < 20)); do
    if ! _pg_port_busy "$port"; then
      # Durability off (fsync, full pages): the data is thrown away, and CREATE DATABASE per
      # test file gets several times faster. Enough connections for parallel test files.
      if _pg_as_postgres "$PG_BIN/pg_ctl -D '$PG_DIR/data' -l '$PG_DIR/log' -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >/dev/null 2>&1; then
        PG_PORT="$port"
        return 0
      fi
      echo "PostgreSQL did not start on port $port:" >&2
      tail -n 5 "$PG_DIR/log" >&2 2>/dev/null || true
    fi
    port=$((port + 1))
    tries=$((tries + 1))
  done
  return 1
}

# Stops the server (if any) and removes its directory. Quiet; safe to call twice.
stop_postgres() {
  if [[ -n "$PG_DIR" ]]; then
    if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
      _pg_as_postgres "$PG_BIN/pg_ctl -D '$PG_DIR/data' -m fast -w -t 30 stop" >/dev/null 2>&1 ||
        _pg_as_postgres "$PG_BIN/pg_ctl -D '$PG_DIR/data' -m immediate -w -t 30 stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
    PG_DIR=""
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  if (($# == 0)); then
    echo "usage: $0 command [args...]" >&2
    exit 2
  fi
  trap stop_postgres EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  start_postgres
  echo "PostgreSQL on 127.0.0.1:$PG_PORT (throw-away, in $PG_DIR)" >&2
  rc=0
  DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres" "$@" || rc=$?
  exit "$rc"
fi
