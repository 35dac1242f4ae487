#!/usr/bin/env bash
# The fault suite (#14) on a fresh local stack, as `./messenger loadgen chaos` runs it:
#   1. starts the stack (StackMain, its own ports and data) with two session servers and two routers, or with
#      CLUSTER=1 the three-node cluster (--cluster: three etcd members, NATS servers and Cassandra nodes; there
#      `nats:kill` kills and restarts all three NATS servers at once, `nats-2:kill` one of them),
#   2. warms its JVMs up with WARM_RUN of the same load (a fresh stack spends its first minutes compiling),
#   3. runs `loadgen chaos` over FAULTS (default: one fault of each kind, with the cluster's node names in
#      cluster mode) ROUNDS times; per fault: lost, duplicated, out of order, unanswered (must be 0), History
#      read back (must hold every acknowledged message once, at its place), recovery time and p99,
#   4. stops the stack; exits with the suite's code (3 when a promise broke).
# Knobs (environment): FAULTS ROUNDS CLUSTER USERS RATE WARM_RUN BASE_PORT OUT MESSENGER_SKIP_BUILD
# The whole script is one block, read before it runs: editing the file meanwhile cannot break a run.
{
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CLUSTER="${CLUSTER:-0}"
ROUNDS="${ROUNDS:-1}"
USERS="${USERS:-500}"
RATE="${RATE:-100}"
WARM_RUN="${WARM_RUN:-60s}"
BASE_PORT="${BASE_PORT:-17000}"
SERVICES="session:kill,router:kill,history:kill,presence:kill,push:kill,router:pause=12,router:etcd-cut=15,session:term"
if [ "$CLUSTER" = "1" ]; then
  FAULTS="${FAULTS:-$SERVICES,nats-2:kill,etcd-1:kill,cassandra-3:kill,cassandra-2:cut=15,nats-2:cut=30,etcd-2:cut=30,router-2:kill,nats:kill}"
  STACK_ARGS=(--cluster)
else
  FAULTS="${FAULTS:-$SERVICES,nats:kill,etcd:kill,cassandra:kill}"
  STACK_ARGS=(--sessions=2 --routers=2)
fi
OUT="${OUT:-bench/results/chaos-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
LOG="$OUT/bench.log"

say() { printf '[chaos] %s\n' "$*" | tee -a "$LOG" >&2; }
pid_on_port() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }

for port in $((BASE_PORT + 100)) $((BASE_PORT + 101)) $((BASE_PORT + 200)) $((BASE_PORT + 300)) $((BASE_PORT + 1900)); do
  if [ -n "$(pid_on_port "$port")" ]; then say "port $port is in use: give another BASE_PORT"; exit 1; fi
done
if [ "${MESSENGER_SKIP_BUILD:-}" != "1" ]; then
  say "building (mvn install -DskipTests)"
  mvn -B -q -DskipTests install 2>&1 | tee -a "$LOG"
fi

STACK_PID=""
cleanup() {
  if [ -n "$STACK_PID" ] && kill -0 "$STACK_PID" 2>/dev/null; then
    say "stopping the stack"
    kill -TERM "$STACK_PID" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 1; done
  fi
}
trap cleanup EXIT

say "starting the stack (${STACK_ARGS[*]}, base port $BASE_PORT), log in $OUT/stack.log"
setsid java -cp "tools/stack/target/classes:$(cat tools/stack/target/runtime.classpath)" \
  dev.messenger.stack.StackMain "$ROOT" --base-port="$BASE_PORT" --run-dir="$OUT/stack-run" "${STACK_ARGS[@]}" \
  > "$OUT/stack.log" 2>&1 &
STACK_PID=$!
for _ in $(seq 1 420); do
  grep -qs "messenger is ready" "$OUT/stack.log" && break
  kill -0 "$STACK_PID" 2>/dev/null || { say "the stack failed to start:"; tail -30 "$OUT/stack.log"; exit 1; }
  sleep 1
done
grep -q "messenger is ready" "$OUT/stack.log" || { say "the stack did not get ready in 420 s"; exit 1; }

loadgen() {
  java -Dlogback.configurationFile=loadgen-logback.xml \
    -cp "tools/loadgen/target/classes:$(cat tools/loadgen/target/runtime.classpath)" dev.messenger.loadgen.LoadgenMain \
    "$@" --target "127.0.0.1:$((BASE_PORT + 100))" --target "127.0.0.1:$((BASE_PORT + 101))"
}
if [ "$WARM_RUN" != "0s" ]; then
  say "warming the stack up: $WARM_RUN at $RATE msg/s"
  loadgen run --users "$USERS" --total-rate "$RATE" --duration "$WARM_RUN" --warmup 0s --drain 10s \
    --out "$OUT/warm-up" > "$OUT/warm-up.log" 2>&1 || say "the warm-up run reported failed checks (see warm-up.log)"
fi
say "faults: $FAULTS ($ROUNDS round(s))"
set +e
loadgen chaos --faults "$FAULTS" --rounds "$ROUNDS" --users "$USERS" --total-rate "$RATE" \
  --control "http://127.0.0.1:$((BASE_PORT + 1900))" --history "127.0.0.1:$((BASE_PORT + 300))" --out "$OUT" \
  2>&1 | tee "$OUT/chaos.log" | grep -v '^\(warmup\|measure\|ramp\|drain\) '
CODE=${PIPESTATUS[0]}
set -e
say "chaos exited with $CODE; table and per-fault reports in $OUT"
exit "$CODE"
}
