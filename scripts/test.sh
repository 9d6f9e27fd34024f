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
results="$LOCAL/test-results.json"
status=0
npx jest --ci --maxWorkers=2 --coverage --json --outputFile="$results" || status=$?
node -e '
  const r = require(process.argv[1]);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results"
[ "$status" -eq 0 ] || exit "$status"
# Faults (kill -9 of each service, broker and PostgreSQL restarts, FLUSHALL) on a system of its
# own ports and data, then the invariants from its databases; npm run faults is the long version.
# One sandbox covers both deadline paths: first BullMQ alone on the system clock (PostgreSQL down
# and Redis flushed across a due time; needs libfaketime, Debian's faketime), then time travel.
say "fault suite (short): the production deadline path, then time travel"
npm run --silent faults -- --short
say "all tests passed in $(elapsed "$started") s"
