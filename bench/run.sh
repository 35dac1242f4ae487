#!/usr/bin/env bash
# Reproduces the load-generator figures of tools/loadgen/README.md on one machine:
#   1. builds (unless MESSENGER_SKIP_BUILD=1) and starts the stack with ./messenger up,
#   2. measures the raw limits (loadgen baseline: NATS, CQL, gRPC) on that same infrastructure,
#   3. runs the documented scenario (2,000 users, 1:1, 100 msg/s, 60 s), then 30 s of it again with JFR on the
#      session server and the router; the write path's CQL rows per message (by table, from the router's
#      counters), epoch reads and projection requests per message, of this run, of the sweep and of each group
#      run go to store-cost.txt,
#   4. sweeps the send rate with 2,000 users (every step, to show the curve) and reports the highest rate held
#      at delivery p99 <= 50 ms,
#   5. holds 50,000 idle device streams from one load-generator process and measures the session server's
#      heap per stream,
#   6. groups: the same users split into groups of 10, 100 and 500 members, GROUP_RATE group messages per second
#      in total (every send to the sender's group), then the documented 1:1 run with one busy 500-member group
#      beside it (GROUP_SHARE of the sends), to see what a large group does to 1:1 latency,
#   7. (unless SKIP_PUSH=1) offline users and push: loadgen push starts push instances and a mock FCM (HTTP/2)
#      on the stack's NATS and CQL store and hands messages over to push as routers do, once at PUSH_RATE
#      (latency) and once at PUSH_MAX_RATE (throughput of one instance, queue saturated),
#   8. prints the capacity plan for the default target,
# writes everything under bench/results/<UTC time>/ and stops the stack (also on Ctrl-C or failure).
# Knobs (environment): USERS RATE DURATION WARMUP SWEEP_RATES SWEEP_DURATION SWEEP_WARMUP STREAMS SKIP_SWEEP SKIP_STREAMS OUT
# GROUP_SIZES GROUP_RATE GROUP_SHARE SKIP_GROUPS ONLY_GROUPS (1: skip steps 2-5 and 7-8)
# SKIP_PUSH PUSH_RATE PUSH_MAX_RATE PUSH_DURATION PUSH_INSTANCES
# BASE_PORT (7000: the ports of ./messenger up; give e.g. 17000 when a development stack is already running).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

USERS="${USERS:-2000}"
RATE="${RATE:-100}"                        # total messages per second of the documented run
DURATION="${DURATION:-60s}"
WARMUP="${WARMUP:-120s}"
CONNECT_RATE="${CONNECT_RATE:-200}"
SWEEP_RATES="${SWEEP_RATES:-10,25,50,100,200,400}"
SWEEP_DURATION="${SWEEP_DURATION:-30s}"
SWEEP_WARMUP="${SWEEP_WARMUP:-60s}"        # each step starts 2,000 new users: let the JVMs and the store settle
STREAMS="${STREAMS:-50000}"
GROUP_SIZES="${GROUP_SIZES:-10,100,500}"
GROUP_RATE="${GROUP_RATE:-20}"
GROUP_SHARE="${GROUP_SHARE:-0.05}"
PUSH_RATE="${PUSH_RATE:-200}"              # messages handed over to push per second; half the recipients have a device
PUSH_MAX_RATE="${PUSH_MAX_RATE:-2000}"
PUSH_DURATION="${PUSH_DURATION:-30s}"
PUSH_INSTANCES="${PUSH_INSTANCES:-1}"
BASE_PORT="${BASE_PORT:-7000}"
OUT="${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
LOG="$OUT/bench.log"

say() { printf '[bench] %s\n' "$*" | tee -a "$LOG" >&2; }
# The load generator runs from a private copy of its classpath (taken after the build), so that someone
# rebuilding the tree meanwhile cannot pull classes from under a running benchmark. Same as ./messenger loadgen.
LOADGEN_CP=""
snapshot_loadgen() {
  local lib="$OUT/.loadgen-lib" entry copy cp=""
  mkdir -p "$lib"
  cp -r tools/loadgen/target/classes "$lib/classes"
  cp="$lib/classes"
  IFS=":" read -r -a entries < tools/loadgen/target/runtime.classpath || true
  for entry in "${entries[@]}"; do
    case "$entry" in
      "$ROOT"/*) copy="$lib/$(echo "${entry#"$ROOT"/}" | tr '/' '_')"; cp -r "$entry" "$copy"; cp="$cp:$copy" ;;
      *) cp="$cp:$entry" ;;
    esac
  done
  LOADGEN_CP="$cp"
}
# The load generator shares the cores with the stack it measures: as root it is started at a higher priority, so
# that its own scheduling delay (reported as "loadgen lag") stays out of the servers' latencies.
# Where sessions are scheduled as groups (sched_autogroup_enabled=1) this nice does nothing against the stack,
# which runs in a session of its own (setsid): see bench/README.md. Kept so that runs stay comparable.
PRIORITY=()
[ "$(id -u)" = "0" ] && PRIORITY=(nice -n -10)
loadgen() {
  local code
  "${PRIORITY[@]}" java -Dlogback.configurationFile=loadgen-logback.xml -cp "$LOADGEN_CP" dev.messenger.loadgen.LoadgenMain "$@" 2>&1 \
    | tee -a "$LOG"
  code="${PIPESTATUS[0]}"
  [ "$code" = "0" ] || say "loadgen $1 exited with $code"
  return "$code"
}
pid_on_port() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
port_of() { echo "${1##*:}" | tr -dc '0-9'; }

STACK_PID=""
stop_stack() {
  if [ -n "$STACK_PID" ] && kill -0 "$STACK_PID" 2>/dev/null; then
    say "stopping the stack (pid $STACK_PID)"
    kill -TERM "$STACK_PID" 2>/dev/null || true
    for _ in $(seq 1 90); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 1; done
    if kill -0 "$STACK_PID" 2>/dev/null; then say "stack still running after 90 s"; fi
  fi
  for port in "${PORTS[@]}"; do
    if [ -n "$(pid_on_port "$port")" ]; then say "WARNING: port $port still in use after the stack stopped"; fi
  done
}
PORTS=()
for offset in 100 200 300 400 500; do PORTS+=("$((BASE_PORT + offset))" "$((BASE_PORT + 2000 + offset))"); done
for port in "${PORTS[@]}"; do
  if [ -n "$(pid_on_port "$port")" ]; then
    say "port $port is in use: is a stack already running? stop it, or use BASE_PORT=17000"; exit 1
  fi
done
trap 'say "interrupted (SIGINT)"; exit 130' INT
trap 'say "terminated (SIGTERM)"; exit 143' TERM
trap stop_stack EXIT

if [ "${MESSENGER_SKIP_BUILD:-}" != "1" ]; then
  say "building (mvn install -DskipTests)"
  mvn -B -q -DskipTests install 2>&1 | tee -a "$LOG"
fi

[ -f tools/loadgen/target/runtime.classpath ] || { say "build first: mvn -B install -DskipTests"; exit 1; }
snapshot_loadgen

# What ./messenger up runs, with its own ports and run directory (data starts empty) when BASE_PORT is given.
say "starting the stack (./messenger up, base port $BASE_PORT), log in $OUT/stack.log"
if [ "$BASE_PORT" = "7000" ]; then
  MESSENGER_SKIP_BUILD=1 setsid ./messenger up > "$OUT/stack.log" 2>&1 &
else
  setsid java -cp "tools/stack/target/classes:$(cat tools/stack/target/runtime.classpath)" \
    dev.messenger.stack.StackMain "$ROOT" --base-port="$BASE_PORT" --run-dir="$OUT/stack-run" > "$OUT/stack.log" 2>&1 &
fi
STACK_PID=$!
RUN_DIR="$ROOT/.messenger/run"; [ "$BASE_PORT" = "7000" ] || RUN_DIR="$OUT/stack-run"
SESSION="127.0.0.1:$((BASE_PORT + 100))"
for _ in $(seq 1 240); do
  grep -q "messenger is ready" "$OUT/stack.log" && break
  kill -0 "$STACK_PID" 2>/dev/null || { say "the stack failed to start:"; tail -30 "$OUT/stack.log"; exit 1; }
  sleep 1
done
grep -q "messenger is ready" "$OUT/stack.log" || { say "the stack did not get ready in 240 s"; exit 1; }
NATS_URL="$(awk '$1 == "nats" {print $2}' "$OUT/stack.log" | head -1)"
CQL="$(awk '$1 == "cql" {print $2}' "$OUT/stack.log" | head -1 | tr -d '[]/')"
export MESSENGER_NATS_URL="$NATS_URL" MESSENGER_CQL_CONTACT_POINTS="$CQL"
SESSION_PID="$(pid_on_port $((BASE_PORT + 100)))"; ROUTER_PID="$(pid_on_port $((BASE_PORT + 200)))"
HISTORY_PID="$(pid_on_port $((BASE_PORT + 300)))"; PRESENCE_PID="$(pid_on_port $((BASE_PORT + 400)))"
PUSH_PID="$(pid_on_port $((BASE_PORT + 500)))"; CASSANDRA_PID="$(pid_on_port "$(port_of "$CQL")")"
NATS_PID="$(pid_on_port "$(port_of "$NATS_URL")")"
ETCD_PID="$(pid_on_port "$(port_of "$(awk '$1 == "etcd" {print $2}' "$OUT/stack.log" | head -1)")")"
METRICS="http://127.0.0.1:$((BASE_PORT + 2100))/metrics,http://127.0.0.1:$((BASE_PORT + 2200))/metrics"
# Every process of the stack, for the whole system's CPU per acknowledged message over each measured window.
CPU_PIDS="session=$SESSION_PID,router=$ROUTER_PID,history=$HISTORY_PID,presence=$PRESENCE_PID,push=$PUSH_PID"
CPU_PIDS="$CPU_PIDS,cassandra=$CASSANDRA_PID,nats=$NATS_PID,etcd=$ETCD_PID"
say "stack ready: nats $NATS_URL, cql $CQL, session pid $SESSION_PID, router pid $ROUTER_PID, cassandra pid $CASSANDRA_PID"
{
  echo "date: $(date -u +%FT%TZ)"; echo "host: $(uname -srm), $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB"
  echo "java: $(java -version 2>&1 | head -1)"; echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "other java processes on the machine: $(( $(pgrep -c java) - 6 ))"
} > "$OUT/machine.txt"

# Stop-the-world GC pauses between two dates (date -u +%FT%T) of the session server, the router and the store,
# from their GC logs: a latency tail of a few tens of milliseconds is often just these.
gc_pauses() {
  local name file
  for name in session router cassandra; do
    file="$RUN_DIR/logs/$name-gc.log"; [ "$name" = "cassandra" ] && file="$RUN_DIR/data/cassandra/gc.log"
    [ -f "$file" ] || { echo "  $name: no GC log"; continue; }
    awk -v from="[$1" -v to="[$2" -v n="$name" '
      $1 >= from && $1 <= to && / Pause / && $NF ~ /ms$/ { v = substr($NF, 1, length($NF) - 2) + 0; c++; t += v; if (v > m) m = v }
      END { printf "  %-10s %4d pauses, %7.1f ms in total, mean %5.1f ms, max %6.1f ms\n", n, c, t, c ? t / c : 0, m }' "$file"
  done
}

# The router's counters of rows written by the write path (log and projection, by table), of messages
# committed, of projection requests and of epoch reads, as "table rows" lines and "committed n", "requests n",
# "epoch_reads n" lines.
ROUTER_METRICS="http://127.0.0.1:$((BASE_PORT + 2200))/metrics"
store_counters() {
  curl -s "$ROUTER_METRICS" | awk '
    /^messenger_history_cql_rows_written_total\{/ { match($0, /table="[^"]*"/); t = substr($0, RSTART + 7, RLENGTH - 8); rows[t] += $NF }
    /^messenger_router_messages_committed_total / { committed += $NF }
    /^messenger_history_projection_requests_total / { requests += $NF }
    /^messenger_history_cql_read_duration_seconds_count\{op="shard_epoch"/ { epoch_reads += $NF }
    END {
      for (t in rows) printf "%s %d\n", t, rows[t]
      printf "committed %d\nrequests %d\nepoch_reads %d\n", committed, requests, epoch_reads
    }'
}
# Rows per committed message between two store_counters snapshots (files), by table and in total, and
# epoch reads and projection requests per committed message.
store_cost() {
  awk 'NR == FNR { before[$1] = $2; next } { after[$1] = $2 }
    END {
      n = after["committed"] - before["committed"]
      if (n <= 0) { print "  no message committed"; exit }
      for (t in after) if (t !~ /^(committed|requests|epoch_reads)$/) { d = after[t] - before[t]; total += d; line = line sprintf("  %s %.1f", t, d / n) }
      printf "  %d messages committed, %.1f CQL row writes per message:%s\n", n, total / n, line
      printf "  requests per message: epoch reads %.2f, projection %.2f (the log: one per commit)\n", \
        (after["epoch_reads"] - before["epoch_reads"]) / n, (after["requests"] - before["requests"]) / n
    }' "$1" "$2"
}

group_runs() {
  local size
  for size in ${GROUP_SIZES//,/ }; do
    say "groups of $size: $USERS users, $GROUP_RATE group messages/s in total, $DURATION after 30 s warm-up"
    store_counters > "$OUT/store-before-$size.txt"
    loadgen run --target "$SESSION" --users "$USERS" --total-rate "$GROUP_RATE" --group-share 1 --group-size "$size" \
      --duration "$DURATION" --warmup 30s --drain 20s --connect-rate "$CONNECT_RATE" --metrics "$METRICS" \
      --cpu-pids "$CPU_PIDS" --out "$OUT/groups-$size" || true
    store_counters > "$OUT/store-after-$size.txt"
    { echo "groups of $size (write path: log and projection):"
      store_cost "$OUT/store-before-$size.txt" "$OUT/store-after-$size.txt"; } | tee -a "$OUT/store-cost.txt" | tee -a "$LOG"
  done
  say "1:1 beside a busy 500-member group: $RATE msg/s, $GROUP_SHARE of them to groups of 500"
  loadgen run --target "$SESSION" --users "$USERS" --total-rate "$RATE" --group-share "$GROUP_SHARE" --group-size 500 \
    --duration "$DURATION" --warmup 30s --drain 20s --connect-rate "$CONNECT_RATE" --metrics "$METRICS" \
    --cpu-pids "$CPU_PIDS" --out "$OUT/direct-beside-group" || true
}
if [ "${ONLY_GROUPS:-}" = "1" ]; then
  group_runs
  say "done: group reports in $OUT"
  exit 0
fi

say "baseline: raw NATS, CQL and gRPC limits on this infrastructure"
loadgen baseline --warmup 15s --duration 10s --out "$OUT/baseline.json"

say "documented run: $USERS users, 1:1, $RATE msg/s in total, $DURATION after $WARMUP warm-up (no profiler)"
PROCESSES=(SESSION ROUTER HISTORY PRESENCE PUSH CASSANDRA NATS ETCD)
declare -A BEFORE
for name in "${PROCESSES[@]}"; do pid_var="${name}_PID"; BEFORE[$name]="$(cpu_ticks "${!pid_var}")"; done
START_S=$(date +%s)
RUN_FROM="$(date -u +%FT%T)"
store_counters > "$OUT/store-before-run.txt"
set +e
loadgen run --target "$SESSION" --users "$USERS" --total-rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" \
  --drain 15s --connect-rate "$CONNECT_RATE" --metrics "$METRICS" --cpu-pids "$CPU_PIDS" --baseline "$OUT/baseline.json" \
  --out "$OUT/run"
RUN_CODE=$?
set -e
store_counters > "$OUT/store-after-run.txt"
{ echo "GC pauses during the documented run (incl. ramp and drain):"; gc_pauses "$RUN_FROM" "$(date -u +%FT%T)"; } \
  | tee "$OUT/gc.txt" | tee -a "$LOG"
{ echo "1:1, the documented run (write path: log and projection):"
  store_cost "$OUT/store-before-run.txt" "$OUT/store-after-run.txt"; } | tee -a "$OUT/store-cost.txt" | tee -a "$LOG"
ELAPSED=$(( $(date +%s) - START_S ))
{
  echo "CPU seconds per process during the documented run (${ELAPSED} s wall, incl. ramp and drain):"
  for name in "${PROCESSES[@]}"; do
    pid_var="${name}_PID"
    ticks=$(( $(cpu_ticks "${!pid_var}") - ${BEFORE[$name]} ))
    awk -v n="$name" -v t="$ticks" -v h="$(getconf CLK_TCK)" 'BEGIN { printf "  %-10s %6.1f s\n", n, t / h }'
  done
} | tee "$OUT/cpu.txt" | tee -a "$LOG"

# The profiler costs the services a large share of this small machine, so the profile comes from a run of
# its own, not from the documented one.
say "profiled run: the same scenario for 30 s with JFR on the session server and the router"
jcmd "$SESSION_PID" JFR.start name=bench settings=profile filename="$OUT/session.jfr" > /dev/null
jcmd "$ROUTER_PID" JFR.start name=bench settings=profile filename="$OUT/router.jfr" > /dev/null
loadgen run --target "$SESSION" --users "$USERS" --total-rate "$RATE" --duration 30s --warmup 15s \
  --drain 10s --connect-rate "$CONNECT_RATE" --out "$OUT/profiled-run" > /dev/null || true
jcmd "$SESSION_PID" JFR.stop name=bench > /dev/null
jcmd "$ROUTER_PID" JFR.stop name=bench > /dev/null
loadgen profile "$OUT/session.jfr" > "$OUT/profile-session.txt"
loadgen profile "$OUT/router.jfr" > "$OUT/profile-router.txt"

if [ "${SKIP_SWEEP:-}" != "1" ]; then
  store_counters > "$OUT/store-before-sweep.txt"
  say "sweep: $USERS users at $SWEEP_RATES msg/s, $SWEEP_DURATION each, highest rate held at delivery p99 <= 50 ms (${SWEEP_WARMUP} warm-up per step)"
  loadgen sweep --target "$SESSION" --users "$USERS" --rates "$SWEEP_RATES" --duration "$SWEEP_DURATION" \
    --warmup "$SWEEP_WARMUP" --drain 10s --connect-rate "$CONNECT_RATE" --p99-limit-ms 50 --keep-going --metrics "$METRICS" \
    --cpu-pids "$CPU_PIDS" \
    --baseline "$OUT/baseline.json" --out "$OUT/sweep" || true
  store_counters > "$OUT/store-after-sweep.txt"
  { echo "1:1, the sweep (all steps and their warm-ups together):"
    store_cost "$OUT/store-before-sweep.txt" "$OUT/store-after-sweep.txt"; } | tee -a "$OUT/store-cost.txt" | tee -a "$LOG"
fi

if [ "${SKIP_STREAMS:-}" != "1" ]; then
  say "streams: $STREAMS idle device streams from one process, 100 per TCP connection; session heap per stream"
  loadgen run --target "$SESSION" --users "$STREAMS" --rate 0 --duration 20s --warmup 0s --drain 1s --streams-per-connection 100 \
    --connect-rate 500 --max-pending-connects 300 --server-pid "$SESSION_PID" --out "$OUT/streams" || true
fi

[ "${SKIP_GROUPS:-}" = "1" ] || group_runs

if [ "${SKIP_PUSH:-}" != "1" ]; then
  say "push: 2,000 users, half with an FCM device and no stream, $PUSH_RATE msg/s, $PUSH_INSTANCES instance(s)"
  loadgen push --users 2000 --offline-share 0.5 --rate "$PUSH_RATE" --instances "$PUSH_INSTANCES" --warmup 20s \
    --duration "$PUSH_DURATION" --drain 30s --out "$OUT/push" || true
  say "push throughput: $PUSH_MAX_RATE msg/s offered (more than one instance sends), $PUSH_INSTANCES instance(s)"
  loadgen push --users 2000 --offline-share 0.5 --rate "$PUSH_MAX_RATE" --instances "$PUSH_INSTANCES" --warmup 20s \
    --duration "$PUSH_DURATION" --drain 5s --out "$OUT/push-max" || true
fi

say "capacity plan for the default target (500M daily users, 40 messages a day)"
PLAN_FROM="$OUT/run/report.json"
if grep -q '"report"' "$OUT/sweep/sweep.json" 2>/dev/null && ! grep -q '"highest_rate_held": {}' "$OUT/sweep/sweep.json"; then
  PLAN_FROM="$OUT/sweep/sweep.json"
fi
STREAMS_ARG=()
[ -f "$OUT/streams/report.json" ] && STREAMS_ARG=(--streams-report "$OUT/streams/report.json")
loadgen plan --report "$PLAN_FROM" "${STREAMS_ARG[@]}" --baseline "$OUT/baseline.json" --out "$OUT/plan.json" \
  > "$OUT/plan.txt" || true
cat "$OUT/plan.txt" >> "$LOG"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
say "done: reports in $OUT (documented run exit code $RUN_CODE)"
