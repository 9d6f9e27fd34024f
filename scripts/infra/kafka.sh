#!/usr/bin/env bash
# A real single-node Apache Kafka 3.9 (KRaft: broker and controller in one JVM) on 127.0.0.1,
# run from Kafka's own jars on Maven Central: these machines have no Docker engine and no Kafka
# package.
#
#   scripts/infra/kafka.sh fetch     download the jars once (mvn, cached in ~/.m2; a no-op after)
#   scripts/infra/kafka.sh start     fetch if needed, format storage once, start, wait until a
#                                    produce/consume round trip works; harmless when running
#   scripts/infra/kafka.sh stop      SIGTERM, up to 30 s, then SIGKILL; harmless when stopped
#   scripts/infra/kafka.sh status    exit 0 when running and answering metadata, 1 when not
#   scripts/infra/kafka.sh restart   stop + start
#   scripts/infra/kafka.sh reset     stop + delete the broker's data (topics, offsets, groups)
#
# Everything it fetches or writes is under .local/kafka (git-ignored): libs/ (jars), data/
# (KRaft storage), server.properties, admin.properties (Kafka's tools as admin), scram-users (each
# SCRAM user and a digest of its password, as the storage holds them), kafka.log (the broker's
# log; the previous run's is kafka.log.1), kafka.pid, kafka.jsa (below).
#
# Environment: KAFKA_DIR (.local/kafka: the folder of one broker's data, log, pid and properties,
# so that a second broker, e.g. the tests' own, runs beside the system's; the jars stay in
# .local/kafka/libs), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP (768m, the -Xmx),
# KAFKA_START_TIMEOUT (120 s), KAFKA_MAVEN_REPO (a Maven local repository instead of ~/.m2),
# KAFKA_CDS (1, or 0 when CI=true: the class-data archive kafka.jsa, below), KAFKA_JVM_OPTS (extra
# JVM flags), KAFKA_GROUP_PREFIX (recert-: the consumer groups the ACLs name, as the services read it).
#
# Authentication and ACLs (issue 13): no client gets in without a principal, and a principal may
# do only what the topic registry grants it.
#   - The client listener (KAFKA_PORT) is SASL_PLAINTEXT with SCRAM-SHA-512 only: every service and
#     every upstream system is a user of its own, plus `admin` (super user: provisioning, tests'
#     own topics) and `broker` (super user: the broker's own inter-broker connections).
#   - The controller listener (KAFKA_CONTROLLER_PORT) is SASL_PLAINTEXT with PLAIN and one user,
#     `controller` (super user), known only to this broker's configuration: KRaft controllers cannot
#     check SCRAM, whose credentials live in the metadata log they serve. ANONYMOUS gets nowhere.
#   - StandardAuthorizer, allow.everyone.if.no.acl.found=false: what no ACL allows is refused.
#   - Passwords: KAFKA_PASSWORD_<PRINCIPAL> (upper case, dashes as underscores, e.g.
#     KAFKA_PASSWORD_ADMIN, KAFKA_PASSWORD_CEU_VERIFICATION, KAFKA_PASSWORD_PAYMENT_PROCESSOR);
#     unset, the development password `<principal>-dev-password`. The list of principals and their
#     passwords comes from tools/kafka-access.ts (the topic registry), so `start` needs npm ci.
#     The SCRAM users are created when the storage is formatted; a password changed later (or a
#     principal added to the registry) is applied at the next start with Kafka's ConfigCommand
#     (admin's own cannot change that way: reset). Storage formatted before authentication existed
#     is refused: `reset` it.
#   - After every start (and when already running) the registry's topics and ACLs are provisioned
#     as admin (tools/kafka-access.ts provision): services cannot create topics themselves.
# Development only: the passwords reach the formatting JVM and ConfigCommand on their command lines,
# and server.properties and admin.properties (mode 600) hold the broker's and admin's.
#
# Warm boots: the first start records which classes the broker loads, and the JVM writes them to
# kafka.jsa when the broker stops cleanly (a stop takes a few seconds longer that
# once); every later start maps that archive instead of loading the classes from 105 jars, which
# cuts the boot by about a third. A fetch deletes it; an archive the JVM rejects is deleted too.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONF="$ROOT/scripts/infra/kafka"
POM="$CONF/pom.xml"
LOG4J="$CONF/log4j.properties"
SMOKE="$ROOT/scripts/infra/kafka-smoke.js"
KDIR="${KAFKA_DIR:-$ROOT/.local/kafka}"
case "$KDIR" in /*) ;; *) KDIR="$ROOT/$KDIR" ;; esac
JARS_DIR="$ROOT/.local/kafka" # shared by every KAFKA_DIR
LIBS="$JARS_DIR/libs"
FETCH_LOCK="$JARS_DIR/.fetch.lock"
DATA="$KDIR/data"
LOG="$KDIR/kafka.log"
PIDFILE="$KDIR/kafka.pid"
PROPS="$KDIR/server.properties"
ADMIN_PROPS="$KDIR/admin.properties"
SCRAM_USERS="$KDIR/scram-users"
LOCK="$KDIR/.lock"
JSA="$KDIR/kafka.jsa"
HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
HEAP="${KAFKA_HEAP:-768m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
# Class-data sharing archive of the broker's classes: on by default, off in CI (one boot per clone).
if [ "${CI:-}" = true ]; then CDS="${KAFKA_CDS:-0}"; else CDS="${KAFKA_CDS:-1}"; fi
VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")"
[ -n "$VERSION" ] || { echo "kafka: no <kafka.version> in $POM" >&2; exit 1; }

say() { echo "kafka: $*"; }
fail() { echo "kafka: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
rel() { echo "${1#"$ROOT"/}"; } # a path as the README shows it, relative to the repo root

mkdir -p "$KDIR" "$JARS_DIR"

# ---------------------------------------------------------------------------------------------
# Processes

# Alive and not a zombie (a killed broker whose parent has not reaped it yet still answers kill -0).
alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]; }

# This checkout's broker: a kafka.Kafka JVM started with this checkout's server.properties.
is_our_broker() {
  alive "$1" && tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF kafka.Kafka &&
    tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF "$PROPS"
}

# Sets BROKER_PID to the running broker's pid, or "" (returns 1). Removes a stale pid file, and
# adopts a broker whose pid file was lost.
find_broker() {
  BROKER_PID=""
  if [ -f "$PIDFILE" ]; then
    local pid; pid="$(cat "$PIDFILE" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_broker "$pid"; then BROKER_PID="$pid"; return 0; fi
    say "removing stale pid file $(rel "$PIDFILE") (pid ${pid:-?} is gone, or is no longer this checkout's broker)"
    rm -f "$PIDFILE"
  fi
  local f pid
  for f in $(grep -lzxF -- "$PROPS" /proc/[0-9]*/cmdline 2>/dev/null || true); do
    pid="${f#/proc/}"; pid="${pid%/cmdline}"
    if is_our_broker "$pid"; then
      say "found this checkout's broker (pid $pid) without a pid file: adopting it"
      echo "$pid" >"$PIDFILE"
      BROKER_PID="$pid"
      return 0
    fi
  done
  return 1
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

port_owner() {
  local owner
  owner="$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:.*' | head -1 || true)"
  echo "${owner:-an unknown process}"
}

# One probe of the broker as admin, bounded by $2 seconds. $1: roundtrip (create smoke.v1,
# produce, consume back) or metadata (describeCluster).
probe() {
  local mode="$1" secs="$2"
  local args=(--broker "$HOST:$PORT" --timeout "$secs")
  [ "$mode" = metadata ] && args+=(--metadata-only)
  KAFKA_PASSWORD_ADMIN="${PASSWORD[admin]}" timeout "$((secs + 5))" node "$SMOKE" "${args[@]}" 2>&1
}

# ---------------------------------------------------------------------------------------------
# Principals (issue 13)

# PASSWORD[principal] for every principal (the broker's own, admin, services, upstream systems)
# and SCRAM_NAMES (all but `controller`, which is PLAIN), from the topic registry.
declare -A PASSWORD=()
SCRAM_NAMES=()
load_credentials() {
  [ "${#PASSWORD[@]}" -gt 0 ] && return 0
  [ -f "$ROOT/node_modules/kafkajs/package.json" ] && [ -f "$ROOT/node_modules/@swc-node/register/package.json" ] ||
    fail "node_modules is incomplete: run npm ci (the broker's principals come from tools/kafka-access.ts)"
  local out name password
  out="$(cd "$ROOT" && SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/kafka-access.ts credentials 8>&- 9>&-)" ||
    fail "tools/kafka-access.ts credentials failed"
  while read -r name password; do
    [ -n "$name" ] || continue
    # Kafka's tools read passwords inside JAAS quotes and `[password=...]` lists.
    [[ "$password" =~ ^[A-Za-z0-9._~+/@%:-]+$ ]] ||
      fail "the password of $name: use letters, digits and ._~+/@%:- only (Kafka's tools parse it)"
    PASSWORD[$name]="$password"
    [ "$name" = controller ] || SCRAM_NAMES+=("$name")
  done <<<"$out"
  [ -n "${PASSWORD[admin]:-}" ] && [ -n "${PASSWORD[broker]:-}" ] && [ -n "${PASSWORD[controller]:-}" ] ||
    fail "tools/kafka-access.ts credentials named no admin, broker or controller"
}

digest() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# `name digest` per SCRAM user: what the storage holds once formatted or synced.
scram_record() {
  local name
  for name in "${SCRAM_NAMES[@]}"; do echo "$name $(digest "${PASSWORD[$name]}")"; done
}

write_admin_properties() {
  (
    umask 077
    cat >"$ADMIN_PROPS" <<EOF
# Written by scripts/infra/kafka.sh: Kafka's own tools as the admin principal (--command-config).
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${PASSWORD[admin]}";
EOF
  )
}

# The storage's SCRAM users as the registry and the environment have them now: a principal added
# since the format, or a password changed, is written with Kafka's ConfigCommand (one JVM each).
sync_scram_users() {
  [ "$(sed -n 's/^admin //p' "$SCRAM_USERS")" = "$(digest "${PASSWORD[admin]}")" ] ||
    fail "KAFKA_PASSWORD_ADMIN is not the one $(rel "$DATA") was formatted with: set that one, or reset the broker"
  local name want have changed=0
  for name in "${SCRAM_NAMES[@]}"; do
    want="$(digest "${PASSWORD[$name]}")"
    have="$(awk -v n="$name" '$1 == n { print $2 }' "$SCRAM_USERS")"
    [ "$want" = "$have" ] && continue
    java -cp "$LIBS/*" -Dlog4j.configuration="file:$LOG4J" kafka.admin.ConfigCommand \
      --bootstrap-server "$HOST:$PORT" --command-config "$ADMIN_PROPS" --alter --entity-type users \
      --entity-name "$name" --add-config "SCRAM-SHA-512=[password=${PASSWORD[$name]}]" >>"$LOG" 2>&1 8>&- 9>&- ||
      fail "could not set the SCRAM credentials of $name (see $(rel "$LOG"))"
    if [ -n "$have" ]; then say "SCRAM user $name: password changed"; else say "SCRAM user $name: added"; fi
    changed=1
  done
  if [ "$changed" = 1 ]; then scram_record >"$SCRAM_USERS"; fi
}

# The registry's topics and ACLs, as admin (services may not create topics).
provision() {
  local out
  out="$(cd "$ROOT" && KAFKA_BROKERS="$HOST:$PORT" KAFKA_PASSWORD_ADMIN="${PASSWORD[admin]}" \
    SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/kafka-access.ts provision 2>&1 8>&- 9>&-)" ||
    fail "provisioning topics and ACLs failed: $out"
  say "$out"
}

print_log_tail() {
  echo "---- last 40 lines of $(rel "$LOG") ----" >&2
  tail -n 40 "$LOG" >&2 2>/dev/null || true
  echo "----" >&2
}

# Waits until the broker with pid $1 is usable: its port is open AND a produce/consume round trip
# works. Sets BOOT_NOTE. On failure: prints why and the log's tail, stops the broker, exits 1.
wait_usable() {
  local pid="$1" t0="$2" deadline=$((SECONDS + START_TIMEOUT)) out="" left
  until port_open "$PORT"; do
    alive "$pid" || { print_log_tail; rm -f "$PIDFILE"; fail "the broker (pid $pid) died while starting; see the log above"; }
    if [ "$SECONDS" -ge "$deadline" ]; then
      print_log_tail; stop_pid "$pid"
      fail "the broker did not open $HOST:$PORT within $START_TIMEOUT s (KAFKA_START_TIMEOUT); stopped it"
    fi
    sleep 0.2
  done
  local port_s; port_s="$(since "$t0")"
  while :; do
    left=$((deadline - SECONDS)); [ "$left" -gt 30 ] && left=30; [ "$left" -lt 5 ] && left=5
    if out="$(probe roundtrip "$left")"; then break; fi
    alive "$pid" || { print_log_tail; rm -f "$PIDFILE"; fail "the broker (pid $pid) died while starting; see the log above"; }
    if [ "$SECONDS" -ge "$deadline" ]; then
      print_log_tail; stop_pid "$pid"
      fail "no produce/consume round trip within $START_TIMEOUT s (last attempt: ${out:-no output}); stopped the broker"
    fi
    sleep 0.5
  done
  BOOT_NOTE="port open after $port_s s; ${out##*$'\n'}"
}

# SIGTERM (a controlled shutdown), up to 30 s, then SIGKILL.
stop_pid() {
  local pid="$1" t0 _; t0="$(now)"
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true # a stopped (SIGSTOP) JVM would never see the SIGTERM
  for _ in $(seq 1 150); do alive "$pid" || break; sleep 0.2; done
  if alive "$pid"; then
    say "the broker (pid $pid) did not stop within 30 s: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
  fi
  alive "$pid" && fail "the broker (pid $pid) survived SIGKILL"
  rm -f "$PIDFILE"
  say "stopped (pid $pid) in $(since "$t0") s"
}

# Serializes start/stop/reset of one broker (KAFKA_DIR): parallel callers wait their turn. fd 9;
# fetch takes fd 8 on the jars folder, which every KAFKA_DIR shares.
take_lock() {
  exec 9>"$LOCK"
  flock -w $((START_TIMEOUT + 120)) 9 || fail "another scripts/infra/kafka.sh is still busy (lock $(rel "$LOCK"))"
}

# ---------------------------------------------------------------------------------------------
# Commands

jar_count() { find "$LIBS" -maxdepth 1 -name '*.jar' | wc -l; }

# The Kafka version of the jars in libs/ (the POM's, unless a fetch was held back, below).
libs_version() {
  local jar
  jar="$(find "$LIBS" -maxdepth 1 -name 'kafka_2.13-*.jar' -printf '%f\n' 2>/dev/null | head -n 1)"
  jar="${jar#kafka_2.13-}"; echo "${jar%.jar}"
}

# Pids of JVMs that run from libs/ (a broker of any KAFKA_DIR, or a tool).
libs_users() {
  local f pid
  for f in $(grep -lzxF -- "$LIBS/*" /proc/[0-9]*/cmdline 2>/dev/null || true); do
    pid="${f#/proc/}"; pid="${pid%/cmdline}"
    alive "$pid" && echo "$pid"
  done
}

fetch() {
  local marker
  marker="$LIBS/.fetched-$VERSION-$(sha1sum "$POM" | cut -c1-12)"
  if [ ! -f "$marker" ]; then
    exec 8>"$FETCH_LOCK"
    flock -w 900 8 || fail "another scripts/infra/kafka.sh is still fetching (lock $(rel "$FETCH_LOCK"))"
  fi
  if [ -f "$marker" ]; then
    say "Kafka $VERSION jars already in $(rel "$LIBS") ($(jar_count) jars): nothing to download"
    return 0
  fi
  # Other jars (an older POM) that a running JVM still uses: replacing them under it would break
  # its next class load. Keep them until every broker is stopped.
  local users
  users="$(libs_users | tr '\n' ' ')"
  if [ -n "$users" ] && [ -n "$(libs_version)" ]; then
    say "WARNING: $(rel "$POM") (Kafka $VERSION) changed since the jars in $(rel "$LIBS") (Kafka" \
      "$(libs_version)) were fetched, but JVMs (pids ${users% }) run from them: keeping them for now;" \
      "stop every broker, then run $0 fetch"
    return 0
  fi
  command -v mvn >/dev/null || fail "mvn is not installed (Debian: apt-get install -y maven); it fetches Kafka's jars"
  command -v java >/dev/null || fail "java is not installed (Debian: apt-get install -y openjdk-17-jdk-headless)"
  local t0 tmp; t0="$(now)"; tmp="$JARS_DIR/libs.tmp.$$"
  rm -rf "$tmp"
  say "fetching Apache Kafka $VERSION jars (Maven Central, cached in ${KAFKA_MAVEN_REPO:-~/.m2}) into $(rel "$LIBS")"
  local repo=(); [ -n "${KAFKA_MAVEN_REPO:-}" ] && repo=("-Dmaven.repo.local=$KAFKA_MAVEN_REPO")
  # Maven 3.8 prints stray ANSI resets even with -q -B: keep its output for when it fails.
  if ! mvn -q -B -Dstyle.color=never -f "$POM" "${repo[@]}" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$JARS_DIR/mvn.log" 2>&1 8>&- 9>&-; then
    sed 's/\x1b\[[0-9;]*m//g' "$JARS_DIR/mvn.log" | tail -n 40 >&2
    rm -rf "$tmp"
    fail "mvn could not fetch Kafka's jars (its output above, whole in $(rel "$JARS_DIR/mvn.log"))"
  fi
  rm -f "$JARS_DIR/mvn.log"
  [ -f "$tmp/kafka_2.13-$VERSION.jar" ] || { rm -rf "$tmp"; fail "mvn ran but kafka_2.13-$VERSION.jar is missing"; }
  echo "Kafka $VERSION, fetched $(date -u +%FT%TZ) from $(rel "$POM")" >"$tmp/$(basename "$marker")"
  # Swap in whole: an interrupted fetch never leaves a half folder behind a marker.
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  rm -f "$JSA" # archived classes of the old jars (another KAFKA_DIR's is rejected, then renewed)
  say "fetched $(jar_count) jars ($(du -sh "$LIBS" | cut -f1)) in $(since "$t0") s"
}

write_properties() {
  (
    umask 077 # it holds the broker's and the controller's passwords
    cat >"$PROPS.tmp" <<EOF
# Written by scripts/infra/kafka.sh at each start; edit the script, not this file.
# One node in KRaft mode: broker and controller in the same JVM.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=CLIENT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=CLIENT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
log.dirs=$DATA

# Every connection authenticates (issue 13). Clients: SCRAM-SHA-512, one user per principal
# (created when the storage is formatted). The controller listener: PLAIN (KRaft controllers cannot
# check SCRAM), with its one user defined here, for this broker alone.
listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="${PASSWORD[broker]}";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="${PASSWORD[controller]}" user_controller="${PASSWORD[controller]}";

# What no ACL allows is refused; the ACLs come from the topic registry (tools/kafka-access.ts).
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:broker;User:controller

# Topics are created explicitly, with the partition counts the project chooses.
auto.create.topics.enable=false
num.partitions=3
default.replication.factor=1
min.insync.replicas=1

# One node: internal topics with one replica, fewer partitions (created faster on first use).
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=12

# A dev/test broker: consumers join at once, small memory, short history.
group.initial.rebalance.delay.ms=0
auto.leader.rebalance.enable=false
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=2
log.cleaner.dedupe.buffer.size=33554432
log.retention.hours=24
log.retention.check.interval.ms=300000
delete.topic.enable=true

# At rest (issue 16): the active controller appends a no-op record to the metadata log every
# 500 ms by default (KIP-835, to show it is alive), a write, an fsync and a fetch each time; one
# node has no other controller to show it to. Every 5 s is plenty for one node.
metadata.max.idle.interval.ms=5000
EOF
  )
  mv "$PROPS.tmp" "$PROPS"
}

# A cluster id as `kafka.tools.StorageTool random-uuid` makes one (16 random bytes, URL-safe
# base64 without padding, not starting with '-'), without starting a JVM for it: `reset` + `start`
# (scripts/test.sh, every run) formats each time.
random_uuid() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{21}$ ]] && [ "$id" != AAAAAAAAAAAAAAAAAAAAAA ] && [ "$id" != AAAAAAAAAAAAAAAAAAAAAQ ] && break
  done
  echo "$id"
}

# Formats the storage once, with every SCRAM user (KIP-900: the broker must find them in the
# metadata log before any client can log in). Storage formatted before authentication has none.
format_storage() {
  if [ -f "$DATA/meta.properties" ]; then
    [ -f "$SCRAM_USERS" ] && return 0
    fail "$(rel "$DATA") was formatted without SCRAM users (before the broker required authentication):" \
      "run $0 reset (it deletes this broker's topics, offsets and groups), then start"
  fi
  local t0 id name cds=() users=(); t0="$(now)"
  mkdir -p "$DATA"
  id="$(random_uuid)"
  for name in "${SCRAM_NAMES[@]}"; do users+=(--add-scram "SCRAM-SHA-512=[name=$name,password=${PASSWORD[$name]}]"); done
  [ "$CDS" = 1 ] && [ -s "$JSA" ] && cds=("-XX:SharedArchiveFile=$JSA")
  if ! java "${cds[@]}" -cp "$LIBS/*" -Dlog4j.configuration="file:$LOG4J" kafka.tools.StorageTool format \
    -t "$id" -c "$PROPS" "${users[@]}" >>"$LOG" 2>&1 8>&- 9>&-; then
    print_log_tail
    fail "formatting KRaft storage in $(rel "$DATA") failed"
  fi
  scram_record >"$SCRAM_USERS"
  say "formatted KRaft storage in $(rel "$DATA") (cluster id $id, ${#SCRAM_NAMES[@]} SCRAM users) in $(since "$t0") s"
}

# The broker's users as the environment has them, then the registry's topics and ACLs.
grant_access() {
  write_admin_properties
  sync_scram_users
  provision
}

start() {
  load_credentials
  if find_broker; then
    if port_open "$PORT"; then
      if probe metadata 10 >/dev/null; then
        say "already running (pid $BROKER_PID) on $HOST:$PORT"
        grant_access
        return 0
      fi
      say "the broker (pid $BROKER_PID) has $HOST:$PORT open but does not answer (hung): restarting it"
      stop_pid "$BROKER_PID"
    else
      local age; age="$(ps -o etimes= -p "$BROKER_PID" | tr -d ' ')"
      if [ "${age:-0}" -lt "$START_TIMEOUT" ]; then
        say "the broker (pid $BROKER_PID) is still starting (${age} s old): waiting for it"
        wait_usable "$BROKER_PID" "$(now)"
        say "Kafka $(libs_version) ready on $HOST:$PORT (pid $BROKER_PID): $BOOT_NOTE"
        grant_access
        return 0
      fi
      say "the broker (pid $BROKER_PID) has not opened $HOST:$PORT in ${age} s: restarting it"
      stop_pid "$BROKER_PID"
    fi
  fi
  local p
  for p in "$PORT" "$CONTROLLER_PORT"; do
    if port_open "$p"; then
      fail "port $HOST:$p is taken by $(port_owner "$p"), which is not this checkout's broker" \
        "($(rel "$PIDFILE")). Stop that process, or run this broker on free ports (clients then need the" \
        "same port, e.g. KAFKA_BROKERS): KAFKA_PORT=<port> KAFKA_CONTROLLER_PORT=<port> $0 start"
    fi
  done

  fetch
  write_properties
  if [ -f "$LOG" ]; then mv -f "$LOG" "$LOG.1"; fi
  format_storage

  local cds=() cds_note=""
  if [ "$CDS" = 1 ]; then
    if [ -s "$JSA" ]; then
      cds=("-XX:SharedArchiveFile=$JSA"); cds_note="class-data archive $(rel "$JSA")"
    else
      rm -f "$JSA"
      cds=("-XX:ArchiveClassesAtExit=$JSA"); cds_note="recording $(rel "$JSA") at the next clean stop"
    fi
  fi
  local extra=(); read -ra extra <<<"${KAFKA_JVM_OPTS:-}"
  local xms=256m
  if [[ "$HEAP" =~ ^([0-9]+)[mM]$ ]] && [ "${BASH_REMATCH[1]}" -lt 256 ]; then xms="$HEAP"; fi
  local t0; t0="$(now)"
  say "starting Kafka $(libs_version) on $HOST:$PORT (controller $HOST:$CONTROLLER_PORT, heap $HEAP); log: $(rel "$LOG")"
  # setsid + nohup: the broker outlives the shell (and the terminal) that started it. fds 8 and 9
  # (the locks) are closed so the broker does not hold them. Without job control the subshell execs
  # setsid, which execs nohup, which execs java: $! is the JVM's own pid.
  (
    cd "$KDIR"
    exec setsid nohup java "-Xms$xms" "-Xmx$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
      -Djava.awt.headless=true -Dkafka.logs.dir="$KDIR" -Dlog4j.configuration="file:$LOG4J" \
      "${cds[@]}" "${extra[@]}" -cp "$LIBS/*" kafka.Kafka "$PROPS" >>"$LOG" 2>&1 </dev/null 8>&- 9>&-
  ) &
  local pid=$! _
  for _ in $(seq 1 50); do is_our_broker "$pid" && break; sleep 0.1; done
  if ! is_our_broker "$pid"; then
    # setsid forked after all (job control on): find the JVM by its command line.
    rm -f "$PIDFILE"
    find_broker >/dev/null || { print_log_tail; fail "the broker exited at once; see the log above"; }
    pid="$BROKER_PID"
  fi
  echo "$pid" >"$PIDFILE"
  wait_usable "$pid" "$t0"
  say "Kafka $(libs_version) ready on $HOST:$PORT (pid $pid): booted in $(since "$t0") s ($BOOT_NOTE)${cds_note:+; $cds_note}"
  if [ "${cds[0]:-}" = "-XX:SharedArchiveFile=$JSA" ] && grep -qiE '\[(warning|error)\]\[cds|shared archive' "$LOG"; then
    rm -f "$JSA"
    say "the JVM rejected $(rel "$JSA") (another JDK or other jars): deleted it; the next start records a new one (written when that broker stops)"
  fi
  grant_access
}

stop() {
  if ! find_broker; then
    rm -f "$PIDFILE"
    say "not running: nothing to stop"
    return 0
  fi
  say "stopping the broker (pid $BROKER_PID)"
  stop_pid "$BROKER_PID"
}

status() {
  load_credentials
  if find_broker; then
    if port_open "$PORT"; then
      if probe metadata 10 >/dev/null; then
        say "running (pid $BROKER_PID) on $HOST:$PORT, Kafka $(libs_version); log: $(rel "$LOG")"
        return 0
      fi
      say "not usable: the broker (pid $BROKER_PID) has $HOST:$PORT open but does not answer (hung); 'start' restarts it"
      return 1
    fi
    say "not running: the broker process (pid $BROKER_PID) exists but $HOST:$PORT is closed (starting, or hung)"
    return 1
  fi
  say "not running"
  return 1
}

reset() {
  stop
  rm -rf "$DATA" "$SCRAM_USERS"
  say "deleted $(rel "$DATA"): the next start formats a fresh, empty broker"
}

case "${1:-}" in
  fetch) take_lock; fetch ;;
  start) take_lock; start ;;
  stop) take_lock; stop ;;
  restart) take_lock; stop; start ;;
  status) status ;;
  reset) take_lock; reset ;;
  *) echo "usage: $0 fetch|start|stop|status|restart|reset" >&2; exit 2 ;;
esac
