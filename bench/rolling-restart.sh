#!/usr/bin/env bash
# A rolling restart of the session servers under load, as an operator would do it (#14):
#   1. starts the stack with two session servers (StackMain --sessions=2, its own ports and data),
#   2. warms the JVMs up with a run of WARM_RUN at half the rate (a fresh stack spends its first minutes
#      compiling), then runs the load generator (USERS users, RATE msg/s in total, 1:1) against both session
#      servers, through Discovery,
#   3. RESTART_AT seconds into the run restarts the first session server through the stack's control port
#      (SIGTERM: it refuses new streams, leaves Discovery and drains its streams at --drain-rate), waits until
#      it is SERVING again and GAP seconds more, then restarts the second one the same way,
#   4. prints the load generator's summary: lost, duplicated and out-of-order deliveries (all must be 0),
#      reconnects while sending and the peak reconnects/s and caught-up streams/s of the storm, and each
#      restart's stop and start times, then the session servers' catch-up rounds (history reads begun) by
#      cause; exits with the load generator's code (3 when a check failed).
# Knobs (environment): USERS RATE DURATION WARMUP WARM_RUN RESTART_AT GAP BASE_PORT OUT MESSENGER_SKIP_BUILD, and
# LOADGEN_ARGS: more options for both load generator runs, split on spaces (e.g. "--group-share 1 --group-size 100")
# The whole script is one block, read before it runs: editing the file meanwhile cannot break a run.
{
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

USERS="${USERS:-2000}"
RATE="${RATE:-200}"
DURATION="${DURATION:-150s}"
WARMUP="${WARMUP:-30s}"
WARM_RUN="${WARM_RUN:-90s}"
RESTART_AT="${RESTART_AT:-60}"
GAP="${GAP:-20}"
BASE_PORT="${BASE_PORT:-17000}"
OUT="${OUT:-bench/results/rolling-restart-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
LOG="$OUT/bench.log"
CONTROL="http://127.0.0.1:$((BASE_PORT + 1900))"

say() { printf '[rolling-restart] %s\n' "$*" | tee -a "$LOG" >&2; }
pid_on_port() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }

for port in $((BASE_PORT + 100)) $((BASE_PORT + 101)) $((BASE_PORT + 200)) $((BASE_PORT + 1900)); do
  if [ -n "$(pid_on_port "$port")" ]; then say "port $port is in use: give another BASE_PORT"; exit 1; fi
done
if [ "${MESSENGER_SKIP_BUILD:-}" != "1" ]; then
  say "building (mvn install -DskipTests)"
  mvn -B -q -DskipTests install 2>&1 | tee -a "$LOG"
fi

STACK_PID=""
LOADGEN_PID=""
cleanup() {
  [ -n "$LOADGEN_PID" ] && kill "$LOADGEN_PID" 2>/dev/null || true
  if [ -n "$STACK_PID" ] && kill -0 "$STACK_PID" 2>/dev/null; then
    say "stopping the stack"
    kill -TERM "$STACK_PID" 2>/dev/null || true
    for _ in $(seq 1 90); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 1; done
  fi
}
trap cleanup EXIT

say "starting the stack with two session servers (base port $BASE_PORT), log in $OUT/stack.log"
setsid java -cp "tools/stack/target/classes:$(cat tools/stack/target/runtime.classpath)" \
  dev.messenger.stack.StackMain "$ROOT" --base-port="$BASE_PORT" --run-dir="$OUT/stack-run" --sessions=2 \
  > "$OUT/stack.log" 2>&1 &
STACK_PID=$!
for _ in $(seq 1 300); do
  grep -q "messenger is ready" "$OUT/stack.log" && break
  kill -0 "$STACK_PID" 2>/dev/null || { say "the stack failed to start:"; tail -30 "$OUT/stack.log"; exit 1; }
  sleep 1
done
grep -q "messenger is ready" "$OUT/stack.log" || { say "the stack did not get ready in 300 s"; exit 1; }
NATS_URL="$(awk '$1 == "nats" {print $2}' "$OUT/stack.log" | head -1)"
CQL="$(awk '$1 == "cql" {print $2}' "$OUT/stack.log" | head -1 | tr -d '[]/')"
export MESSENGER_NATS_URL="$NATS_URL" MESSENGER_CQL_CONTACT_POINTS="$CQL"

# Where sessions are scheduled as groups (sched_autogroup_enabled=1) this nice does nothing against the stack,
# which runs in a session of its own (setsid): see bench/README.md. Kept so that runs stay comparable.
PRIORITY=()
[ "$(id -u)" = "0" ] && PRIORITY=(nice -n -10)
read -r -a EXTRA_LOADGEN_ARGS <<< "${LOADGEN_ARGS:-}"
loadgen() {
  "${PRIORITY[@]}" java -Dlogback.configurationFile=loadgen-logback.xml \
    -cp "tools/loadgen/target/classes:$(cat tools/loadgen/target/runtime.classpath)" dev.messenger.loadgen.LoadgenMain run \
    --target "127.0.0.1:$((BASE_PORT + 100))" --target "127.0.0.1:$((BASE_PORT + 101))" \
    --users "$USERS" --connect-rate 200 "${EXTRA_LOADGEN_ARGS[@]}" "$@"
}
if [ "$WARM_RUN" != "0s" ]; then
  say "warm-up run: $((RATE / 2)) msg/s for $WARM_RUN"
  loadgen --total-rate "$((RATE / 2))" --duration "$WARM_RUN" --warmup 0s --drain 20s --out "$OUT/warm-run" \
    > "$OUT/warm-run.log" 2>&1 || say "the warm-up run exited with $? (not counted)"
fi
# Catch-up rounds by cause during the measured run, summed over every session server process: the counters are
# read as the run starts (subtracted), just before each process is restarted, and at the end for those left.
declare -A ROUNDS=()
declare -A METRICS_PORT=([session]=$((BASE_PORT + 2100)) [session-2]=$((BASE_PORT + 2101)))
count_catch_up_rounds() { # metrics port, then 1 to add or -1 to subtract
  local line cause
  while read -r line; do
    cause="$(sed -E 's/.*cause="([^"]*)".*/\1/' <<< "$line")"
    ROUNDS[$cause]=$(( ${ROUNDS[$cause]:-0} + $2 * $(awk '{printf "%d", $NF}' <<< "$line") ))
  done < <(curl -sS "http://127.0.0.1:$1/metrics" | grep '^messenger_session_catchup_rounds_total{' || true)
}

for service in session session-2; do count_catch_up_rounds "${METRICS_PORT[$service]}" -1; done
say "load: $USERS users, $RATE msg/s, $DURATION after $WARMUP of warm-up; restarts from ${RESTART_AT}s, ${GAP}s apart"
loadgen --total-rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --drain 30s --out "$OUT/run" \
  > "$OUT/loadgen.log" 2>&1 &
LOADGEN_PID=$!

sleep "$RESTART_AT"
for service in session session-2; do
  count_catch_up_rounds "${METRICS_PORT[$service]}" 1
  say "restarting $service (SIGTERM, drain, start, SERVING)"
  curl -sS -X POST "$CONTROL/restart?service=$service&signal=TERM" | tee -a "$OUT/restarts.jsonl" | tee -a "$LOG" >&2
  sleep "$GAP"
done

set +e
wait "$LOADGEN_PID"
CODE=$?
LOADGEN_PID=""
set -e
sed -n '/^run /,$p' "$OUT/loadgen.log" | tee -a "$LOG"
for service in session session-2; do count_catch_up_rounds "${METRICS_PORT[$service]}" 1; done
ROUNDS_LINE=""
for cause in $(printf '%s\n' "${!ROUNDS[@]}" | sort); do ROUNDS_LINE+="$cause=${ROUNDS[$cause]} "; done
say "catch-up rounds over every session server process: ${ROUNDS_LINE:-none read}"
say "restarts: $(tr '\n' ' ' < "$OUT/restarts.jsonl")"
say "load generator exit code $CODE; results in $OUT"
exit "$CODE"
}
