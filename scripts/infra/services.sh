#!/usr/bin/env bash
# PostgreSQL and Redis run on these machines already. This checks that they answer, starts them
# with the machine's own commands when they do not, and creates the project's databases.
#
#   scripts/infra/services.sh ensure      PostgreSQL and Redis answer (started if needed)
#   scripts/infra/services.sh databases   the databases `recert` (the system) and `recert_test` exist
set -euo pipefail

PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
DATABASES=(recert recert_test)

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER"; }
redis_up() { [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

wait_for() {
  local what=$1 check=$2
  for _ in $(seq 1 60); do "$check" && return 0; sleep 0.5; done
  echo "$what does not answer after being started" >&2
  return 1
}

ensure() {
  if ! pg_up; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      echo "PostgreSQL is down: starting it"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
      wait_for PostgreSQL pg_up
    else
      echo "PostgreSQL does not answer on $PG_HOST:$PG_PORT and this machine has no pg_ctlcluster to start it" >&2
      return 1
    fi
  fi
  if ! redis_up; then
    if command -v redis-server >/dev/null; then
      echo "Redis is down: starting it"
      mkdir -p /var/lib/redis /var/log/redis
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
      wait_for Redis redis_up
    else
      echo "Redis does not answer on $REDIS_HOST:$REDIS_PORT and this machine has no redis-server to start it" >&2
      return 1
    fi
  fi
  echo "PostgreSQL ($PG_HOST:$PG_PORT) and Redis ($REDIS_HOST:$REDIS_PORT) answer"
}

databases() {
  for db in "${DATABASES[@]}"; do
    if ! psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -c "CREATE DATABASE $db"
      echo "created database $db"
    fi
  done
}

case "${1:-}" in
  ensure) ensure ;;
  databases) databases ;;
  *) echo "usage: $0 ensure|databases" >&2; exit 2 ;;
esac
