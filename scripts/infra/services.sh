#!/usr/bin/env bash
# PostgreSQL and Redis run on these machines already (no Docker). This checks that they answer,
# starts them with the machine's own commands when they do not, and creates the project's
# databases.
#
#   scripts/infra/services.sh check       PostgreSQL and Redis answer? (exit 1 if not; starts nothing)
#   scripts/infra/services.sh ensure      they answer, started first when they are down
#   scripts/infra/services.sh databases   the databases `recert` (the running system) and
#                                         `recert_test` (the tests) exist
#
# Environment: PG_HOST (127.0.0.1), PG_PORT (5432), PG_USER (postgres, trust auth),
# REDIS_HOST (127.0.0.1), REDIS_PORT (6379).
set -euo pipefail

PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
DATABASES=(recert recert_test)

say() { echo "services: $*"; }
fail() { echo "services: $*" >&2; exit 1; }

need() { command -v "$1" >/dev/null || fail "$1 is not installed (Debian: apt-get install -y $2)"; }
is_local() { case "$1" in 127.* | localhost | ::1) return 0 ;; *) return 1 ;; esac; }

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -t 3; }
redis_up() { [ "$(timeout 5 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

wait_for() { # name check seconds
  local _
  for _ in $(seq 1 $(($3 * 2))); do "$2" && return 0; sleep 0.5; done
  return 1
}

start_pg() {
  is_local "$PG_HOST" || fail "PostgreSQL does not answer on $PG_HOST:$PG_PORT, which is not this machine: start it there"
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    fail "PostgreSQL does not answer on $PG_HOST:$PG_PORT and this machine has no pg_ctlcluster / /etc/postgresql to start it (Debian: apt-get install -y postgresql)"
  fi
  local version; version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
  say "PostgreSQL does not answer on $PG_HOST:$PG_PORT: starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
    fail "pg_ctlcluster could not start PostgreSQL $version/main (see /var/log/postgresql/)"
  wait_for PostgreSQL pg_up 30 || fail "PostgreSQL $version/main was started but does not answer on $PG_HOST:$PG_PORT within 30 s"
  say "PostgreSQL started"
}

start_redis() {
  is_local "$REDIS_HOST" || fail "Redis does not answer on $REDIS_HOST:$REDIS_PORT, which is not this machine: start it there"
  command -v redis-server >/dev/null ||
    fail "Redis does not answer on $REDIS_HOST:$REDIS_PORT and this machine has no redis-server to start it (Debian: apt-get install -y redis-server)"
  say "Redis does not answer on $REDIS_HOST:$REDIS_PORT: starting redis-server"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log ||
    fail "redis-server could not start (see /var/log/redis/ci.log)"
  wait_for Redis redis_up 15 || fail "redis-server was started but does not answer on $REDIS_HOST:$REDIS_PORT within 15 s (see /var/log/redis/ci.log)"
  say "Redis started"
}

check() {
  need pg_isready postgresql-client
  need redis-cli redis-tools
  local ok=0
  if pg_up; then say "PostgreSQL answers on $PG_HOST:$PG_PORT"; else say "PostgreSQL does NOT answer on $PG_HOST:$PG_PORT"; ok=1; fi
  if redis_up; then say "Redis answers on $REDIS_HOST:$REDIS_PORT"; else say "Redis does NOT answer on $REDIS_HOST:$REDIS_PORT"; ok=1; fi
  return "$ok"
}

ensure() {
  need pg_isready postgresql-client
  need redis-cli redis-tools
  pg_up || start_pg
  redis_up || start_redis
  say "PostgreSQL ($PG_HOST:$PG_PORT) and Redis ($REDIS_HOST:$REDIS_PORT) answer"
}

db_exists() {
  [ "$(psql -X -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

databases() {
  need psql postgresql-client
  need pg_isready postgresql-client
  pg_up || fail "PostgreSQL does not answer on $PG_HOST:$PG_PORT (run: $0 ensure)"
  local db created=()
  for db in "${DATABASES[@]}"; do
    db_exists "$db" && continue
    # A parallel caller may create it in between: only a still-missing database is an error.
    psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "CREATE DATABASE \"$db\"" 2>/dev/null ||
      db_exists "$db" || fail "could not create database $db as $PG_USER on $PG_HOST:$PG_PORT"
    created+=("$db")
  done
  if [ "${#created[@]}" -gt 0 ]; then
    say "created database(s) ${created[*]}"
  else
    say "databases ${DATABASES[*]} exist"
  fi
}

case "${1:-}" in
  check) check ;;
  ensure) ensure ;;
  databases) databases ;;
  *) echo "usage: $0 check|ensure|databases" >&2; exit 2 ;;
esac
