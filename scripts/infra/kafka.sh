#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft: broker and controller in one JVM) on 127.0.0.1, from
# Kafka's own jars on Maven Central: these machines have no Docker engine and no Kafka package.
#
#   scripts/infra/kafka.sh fetch | start | stop | restart | status | reset
#
# Everything it fetches or writes is under .local/kafka (git-ignored): libs/ (jars), data/
# (KRaft storage), kafka.log (the broker's log), kafka.pid, server.properties.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/infra/kafka"
# KAFKA_DIR lets the tests run a broker of their own beside the system's (see scripts/test.sh).
KDIR="${KAFKA_DIR:-$ROOT/.local/kafka}"
LIBS="$ROOT/.local/kafka/libs"
DATA="$KDIR/data"
LOG="$KDIR/kafka.log"
PIDFILE="$KDIR/kafka.pid"
PROPS="$KDIR/server.properties"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
HEAP="${KAFKA_HEAP:-768m}"
VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")"

mkdir -p "$KDIR"
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

fetch() {
  # The marker names the version and the POM's checksum: a changed POM fetches again.
  local marker="$LIBS/.fetched-$VERSION-$(sha1sum "$HERE/pom.xml" | cut -c1-12)"
  [ -f "$marker" ] && return 0
  local t0; t0=$(date +%s.%N)
  echo "fetching Apache Kafka $VERSION jars from Maven Central into .local/kafka/libs"
  rm -rf "$LIBS"
  mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS"
  touch "$marker"
  echo "fetched $(ls "$LIBS"/*.jar | wc -l) jars ($(du -sh "$LIBS" | cut -f1)) in $(seconds_since "$t0") s"
}

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null && grep -q 'kafka.Kafka' "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
    return 0
  fi
  rm -f "$PIDFILE" # stale: the process is gone (or the pid was reused by another program)
  return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Usable means more than an open port: the broker answers metadata, creates and serves a topic.
wait_usable() {
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-120}))
  until port_open "$PORT"; do
    if ! running_pid >/dev/null; then echo "Kafka died while starting; end of $LOG:"; tail -40 "$LOG"; return 1; fi
    [ $SECONDS -lt $deadline ] || { echo "Kafka did not open port $PORT in time; end of $LOG:"; tail -40 "$LOG"; return 1; }
    sleep 0.2
  done
  until node "$ROOT/scripts/infra/kafka-smoke.js" "127.0.0.1:$PORT" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "Kafka is not answering a produce/consume round trip; end of $LOG:"; tail -40 "$LOG"; return 1; }
    sleep 0.5
  done
}

write_properties() {
  cat >"$PROPS" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
EOF
}

start() {
  local pid
  if pid=$(running_pid); then
    if port_open "$PORT"; then echo "Kafka is already running (pid $pid) on 127.0.0.1:$PORT"; return 0; fi
    echo "Kafka (pid $pid) is not answering: restarting it"
    stop
  fi
  if port_open "$PORT"; then
    echo "Port $PORT is taken by a process that is not this project's broker; stop it or set KAFKA_PORT." >&2
    return 1
  fi
  fetch
  write_properties
  local t0; t0=$(date +%s.%N)
  if [ ! -f "$DATA/meta.properties" ]; then
    mkdir -p "$DATA"
    local cluster_id; cluster_id=$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    java -cp "$LIBS/*" -Dlog4j.configuration="file:$HERE/log4j.properties" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS" >>"$LOG" 2>&1
  fi
  # setsid: the broker outlives the shell that started it; its pid is the JVM's own.
  setsid nohup java "-Xms256m" "-Xmx$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Dlog4j.configuration="file:$HERE/log4j.properties" \
    -cp "$LIBS/*" kafka.Kafka "$PROPS" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  wait_usable
  echo "Kafka $VERSION ready on 127.0.0.1:$PORT (pid $(cat "$PIDFILE")) in $(seconds_since "$t0") s; log: ${LOG#"$ROOT"/}"
}

stop() {
  local pid
  if ! pid=$(running_pid); then echo "Kafka is not running"; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "Kafka did not stop in 30 s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  echo "Kafka stopped"
}

status() {
  local pid
  if pid=$(running_pid) && port_open "$PORT"; then
    echo "Kafka is running (pid $pid) on 127.0.0.1:$PORT"
  else
    echo "Kafka is not running"
    return 1
  fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  status) status ;;
  reset) stop && rm -rf "$DATA" && echo "Kafka data removed" ;;
  *) echo "usage: $0 fetch|start|stop|restart|status|reset" >&2; exit 2 ;;
esac
