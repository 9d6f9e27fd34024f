#!/usr/bin/env bash
# Runs every test (type check, lint, unit, integration, end to end, the short fault suite) against
# the real PostgreSQL, Redis and Kafka of this machine. Starts what is not running and stops what
# it started.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

started=$(now_s)
scripts/infra/services.sh ensure
scripts/infra/services.sh databases
scripts/infra/test-packages.sh ensure
# The tests get a broker of their own, empty at every run, beside any broker `npm start` runs:
# new consumer groups read topics from the start, so a broker's history would slow them down.
export KAFKA_DIR="$LOCAL/kafka-test" KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093
export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
# The broker requires authentication (issue 13). kafka.sh, the tests and the fault suite read each
# principal's password from the same KAFKA_PASSWORD_<PRINCIPAL> (unset: the development one), and
# kafka.sh provisions the topics and the ACLs of the groups KAFKA_GROUP_PREFIX<service> (recert-).
trap 'scripts/infra/kafka.sh stop' EXIT
scripts/infra/kafka.sh reset >/dev/null
scripts/infra/kafka.sh start

say "type check"
npx tsc -p tsconfig.typecheck.json
say "lint"
npx nx run-many -t lint --parallel=2 --output-style=static
say "the staff console"
# Served by the gateway from dist/apps/staff-console; its browser tests build it too (nx caches it).
npx nx run staff-console:build --output-style=static >/dev/null
say "unit and integration tests"
status=0
npx jest --ci --maxWorkers=2 --coverage --ignoreProjects e2e --json --outputFile="$LOCAL/test-results.json" || status=$?
say "end-to-end tests"
# Each end-to-end file boots the whole system (six services) on the shared test database: one file
# at a time, in a run of their own, rather than queueing for the system lock beside the unit tests.
# The memory limit makes jest use a worker process even for one file at a time (instead of its own
# process), and one so low that every file gets a fresh one: a system a file failed to stop (a hook
# timed out) dies with its worker, releasing the system lock, instead of failing every later file.
npx jest --ci --maxWorkers=1 --workerIdleMemoryLimit=1MB --selectProjects e2e \
  --json --outputFile="$LOCAL/test-results-e2e.json" || status=$?
node -e '
  const runs = process.argv.slice(1).map((f) => require(f));
  const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
  console.log(`${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed` + (sum("numPendingTests") ? `, ${sum("numPendingTests")} skipped` : ""));
' "$LOCAL/test-results.json" "$LOCAL/test-results-e2e.json"
[ "$status" -eq 0 ] || exit "$status"
# Faults (kill -9 of each service, broker and PostgreSQL restarts, FLUSHALL) on a system of its
# own ports and data, then the invariants from its databases; npm run faults is the long version.
# One sandbox covers both deadline paths: first BullMQ alone on the system clock (PostgreSQL down
# and Redis flushed across a due time; needs libfaketime, Debian's faketime), then time travel.
say "fault suite (short): the production deadline path, then time travel"
npm run --silent faults -- --short
say "all tests passed in $(elapsed "$started") s"
