#!/usr/bin/env bash
# Starts the whole system on this machine: dependencies, PostgreSQL/Redis checks, the Kafka
# broker, a build of every service, then each service (each migrates its own schema at start).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

started=$(now_s)
[ -d node_modules ] || { say "installing dependencies (npm ci)"; npm ci --no-audit --no-fund; }
say "PostgreSQL and Redis"
scripts/infra/services.sh ensure
scripts/infra/services.sh databases
say "Kafka"
# Authenticated (issue 13): each principal's password is KAFKA_PASSWORD_<PRINCIPAL> or the
# development one; the start provisions the topics and ACLs as admin.
scripts/infra/kafka.sh start
# RECERT_PROCESSES=one (the default): the six services in one Node process (apps/one-process),
# each still with its own port, schema, consumer group, queues and Kafka principal. On this
# 2-core machine it decided more per second, idled lower and answered sooner than a process per
# service (issue 16; README, "Measuring it"). RECERT_PROCESSES=two: two such hosts, applications
# and the gateway in one, the other four in the other (two event loops). RECERT_PROCESSES=each: a
# process per service, as Kubernetes runs them.
# Each process: its name (its pid file and log), what it runs, and the services it hosts.
processes="${RECERT_PROCESSES:-one}"
declare -A HOSTS=()
case "$processes" in
  each) builds=("${SERVICES[@]}"); for service in "${SERVICES[@]}"; do HOSTS[$service]=""; done ;;
  one) builds=(one-process); HOSTS[one-process]="" ;;
  two) builds=(one-process)
       HOSTS[one-process-1]="applications,gateway"
       HOSTS[one-process-2]="ceu-verification,petitions,payments,audits" ;;
  *) echo "RECERT_PROCESSES is '$processes': 'one' (one process for all services), 'two' or 'each'"; exit 2 ;;
esac
# The process each service runs in.
declare -A SERVICE_PROCESS=()
for process in "${!HOSTS[@]}"; do
  for service in "${SERVICES[@]}"; do
    case ",${HOSTS[$process]}," in
      ,,) [ "$process" = one-process ] || [ "$process" = "$service" ] && SERVICE_PROCESS[$service]=$process ;;
      *",$service,"*) SERVICE_PROCESS[$service]=$process ;;
    esac
  done
done
for pidfile in "$RUN_DIR"/*.pid; do
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null || continue
  case "$(basename "$pidfile" .pid)" in
    one-process) started_as=one ;;
    one-process-*) started_as=two ;;
    *) started_as=each ;;
  esac
  [ "$started_as" = "$processes" ] || { echo "Recert runs with RECERT_PROCESSES=$started_as: npm stop first"; exit 2; }
done

say "building the services"
# The staff console (React, built by Vite) is served by the gateway from dist/apps/staff-console.
npx nx run-many -t build --projects="$(IFS=,; echo "${builds[*]}"),staff-console" --parallel=2 --output-style=static >"$LOG_DIR/build.log" 2>&1 \
  || { tail -40 "$LOG_DIR/build.log"; exit 1; }

# Development secrets: made once per machine, never committed (.local is git-ignored); the feeder reads them too.
secrets="$LOCAL/dev-secrets.env"
if [ ! -f "$secrets" ] || ! grep -q '^API_TOKENS=dev:upstream/' "$secrets"; then
  (umask 077; node -e '
    const { randomBytes, createHash } = require("crypto");
    const token = randomBytes(24).toString("hex");
    console.log(`PAYMENTS_WEBHOOK_SECRET=${randomBytes(24).toString("hex")}`);
    // One developer caller with every role, speaking for every upstream system (the systems of
    // UPSTREAM_SYSTEMS in libs/contracts/src/lib/topics.ts); the services keep only its digest.
    const systems = ["exam-system", "learning-platform", "provider-registry", "cpr-aed-providers",
      "payment-processor", "document-store", "student-portal"];
    const roles = [...systems.map((s) => `upstream/${s}`), "reviewer", "ops", "admin"].join("+");
    console.log(`DEV_API_TOKEN=${token}`);
    console.log(`API_TOKENS=dev:${roles}:${createHash("sha256").update(token).digest("hex")}`);
  ' >"$secrets")
fi
# The secret the gateway signs signed-in staff's identities with and every service verifies (issue 14).
grep -q '^STAFF_IDENTITY_SECRET=' "$secrets" \
  || (umask 077; node -e 'console.log(`STAFF_IDENTITY_SECRET=${require("crypto").randomBytes(32).toString("hex")}`)' >>"$secrets")
set -a; source "$secrets"; set +a
# PostgreSQL on this machine: over its Unix socket, unless DATABASE_URL says otherwise. Each
# statement is a round trip, and the socket costs the services' one event loop about 30 % less CPU
# per round trip than TCP loopback (issue 16; README, "Measuring it").
if [ -z "${DATABASE_URL:-}" ] && [ -S /var/run/postgresql/.s.PGSQL.5432 ]; then
  export DATABASE_URL='postgres://postgres@localhost/recert?host=/var/run/postgresql'
fi

for process in "${!HOSTS[@]}"; do
  pidfile="$RUN_DIR/$process.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "$process already running (pid $(cat "$pidfile"))"
    continue
  fi
  program=$([ -z "${HOSTS[$process]}" ] && echo "$process" || echo one-process)
  # Each service holds its own Kafka password only (KAFKA_PASSWORD_<SERVICE>, or the development
  # one): any other principal's password set in this shell is kept from it (the one-process host
  # hands each service its own, apps/one-process/src/main.ts).
  own="KAFKA_PASSWORD_$(echo "$process" | tr 'a-z-' 'A-Z_')"
  others=()
  for variable in $(compgen -e | grep '^KAFKA_PASSWORD_' || true); do
    [ "$program" = one-process ] || [ "$variable" = "$own" ] || others+=(-u "$variable")
  done
  # NODE_FLAGS: flags for each service's node, e.g. NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"
  # to profile them (node refuses --cpu-prof in NODE_OPTIONS).
  # The development system is fed by one token playing many callers (npm run bench, npm run feed):
  # its rate limit is far above the production default of 600 a minute.
  # Two partitions at a time per consumer instead of four: here every consumer shares two cores
  # with PostgreSQL and the broker, and four meant twenty transactions at once, many of them
  # waiting on each other's payable and audit locks (figures: README, "Measuring it"). In k8s/
  # each service keeps the default (4).
  NODE_ENV="${NODE_ENV:-development}" RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-1000000}" \
    CONSUMER_CONCURRENCY="${CONSUMER_CONCURRENCY:-2}" \
    RECERT_HOST_SERVICES="${HOSTS[$process]}" \
    setsid nohup env "${others[@]}" node ${NODE_FLAGS:-} "dist/apps/$program/main.js" >"$LOG_DIR/$process.log" 2>&1 &
  echo $! >"$pidfile"
done

say "waiting for every service to be ready"
for service in "${SERVICES[@]}"; do
  url="http://127.0.0.1:${SERVICE_PORT[$service]}/health/ready"
  process=${SERVICE_PROCESS[$service]}
  for _ in $(seq 1 120); do
    curl -fsS "$url" >/dev/null 2>&1 && break
    kill -0 "$(cat "$RUN_DIR/$process.pid")" 2>/dev/null || { echo "$process died; its log:"; tail -30 "$LOG_DIR/$process.log"; exit 1; }
    sleep 0.5
  done
  curl -fsS "$url" >/dev/null || { echo "$service is not ready: $url"; tail -30 "$LOG_DIR/$process.log"; exit 1; }
  printf '  %-17s http://127.0.0.1:%s  (log: .local/logs/%s.log)\n' "$service" "${SERVICE_PORT[$service]}" "$process"
done
say "Recert is up in $(elapsed "$started") s. Public API: http://127.0.0.1:3000  Stop with: npm stop"
