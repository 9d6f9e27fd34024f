#!/usr/bin/env bash
# Stops every service started by scripts/start.sh (a process each, or the one or two hosts), then
# the Kafka broker.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
for service in one-process one-process-1 one-process-2 "${SERVICES[@]}"; do
  pidfile="$RUN_DIR/$service.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $service"
  fi
  rm -f "$pidfile"
done
scripts/infra/kafka.sh stop
