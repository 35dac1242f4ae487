#!/usr/bin/env bash
# Overload on a fresh stack, for comparing two builds of the write path: starts the stack of the tree it is
# in (its own ports and run directory, so a development stack may run beside it), warms it with the documented
# load (2,000 users, 1:1, 100 msg/s: WARM_DURATION after 60 s of ramp), then offers RATE msg/s from 2,000 new
# users for 30 s of warm-up and 60 s measured while it samples the router's admission every 2 s. It writes
# under OUT: warm.log and hot.log (the load generator's summaries: "accepted" is the latency from the attempt
# the servers stored, "1st try" from the scheduled time of sends never refused), router-samples.txt (admitted
# sends, limit, refusals and mean time of an admitted send in the router per interval) and cpu.txt (CPU
# seconds of each process of the stack over the overload run). Build first (mvn -B install -DskipTests).
# Knobs: RATE (400), WARM_DURATION (30s), BASE_PORT (17000), OUT.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RATE="${RATE:-400}"
WARM_DURATION="${WARM_DURATION:-30s}"
BASE_PORT="${BASE_PORT:-17000}"
OUT="${OUT:-bench/results/overload-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
say() { printf '[overload] %s\n' "$*" >&2; }

[ -f tools/loadgen/target/runtime.classpath ] || { say "build first: mvn -B install -DskipTests"; exit 1; }
setsid java -cp "tools/stack/target/classes:$(cat tools/stack/target/runtime.classpath)" dev.messenger.stack.StackMain \
  "$ROOT" --base-port="$BASE_PORT" --run-dir="$OUT/stack-run" > "$OUT/stack.log" 2>&1 &
STACK_PID=$!
SAMPLER_PID=""
stop() {
  [ -z "$SAMPLER_PID" ] || kill "$SAMPLER_PID" 2>/dev/null || true
  kill -TERM "$STACK_PID" 2>/dev/null || true
  for _ in $(seq 1 90); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 1; done
}
trap stop EXIT
for _ in $(seq 1 240); do
  grep -q "messenger is ready" "$OUT/stack.log" && break
  kill -0 "$STACK_PID" 2>/dev/null || { say "the stack failed to start"; tail -30 "$OUT/stack.log"; exit 1; }
  sleep 1
done
grep -q "messenger is ready" "$OUT/stack.log" || { say "the stack did not get ready in 240 s"; exit 1; }
while IFS= read -r line; do
  case "$line" in ''|'#'*) ;; *) export "${line?}" ;; esac
done < "$OUT/stack-run/endpoints.env"

# Where sessions are scheduled as groups (sched_autogroup_enabled=1) this nice does nothing against the stack,
# which runs in a session of its own (setsid): see bench/README.md. Kept so that runs stay comparable.
PRIORITY=()
[ "$(id -u)" = "0" ] && PRIORITY=(nice -n -10)
LOADGEN_CP="tools/loadgen/target/classes:$(cat tools/loadgen/target/runtime.classpath)"
loadgen() {
  "${PRIORITY[@]}" java -Dlogback.configurationFile=loadgen-logback.xml -cp "$LOADGEN_CP" dev.messenger.loadgen.LoadgenMain "$@"
}
SESSION="127.0.0.1:$((BASE_PORT + 100))"
ROUTER_METRICS="http://127.0.0.1:$((BASE_PORT + 2200))/metrics"

say "warm-up: 2,000 users at 100 msg/s"
loadgen run --target "$SESSION" --users 2000 --total-rate 100 --duration "$WARM_DURATION" --warmup 60s --drain 10s \
  --connect-rate 200 --out "$OUT/warm" > "$OUT/warm.log" 2>&1 || true

# Each process listening on one of the stack's ports, by name.
pid_on_port() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
port_of() { echo "${1##*:}" | tr -dc '0-9'; }
declare -A PIDS=(
  [session]="$(pid_on_port $((BASE_PORT + 100)))" [router]="$(pid_on_port $((BASE_PORT + 200)))"
  [history]="$(pid_on_port $((BASE_PORT + 300)))" [presence]="$(pid_on_port $((BASE_PORT + 400)))"
  [push]="$(pid_on_port $((BASE_PORT + 500)))"
  [cassandra]="$(pid_on_port "$(port_of "${MESSENGER_CQL_CONTACT_POINTS%%,*}")")"
  [nats]="$(pid_on_port "$(port_of "$MESSENGER_NATS_URL")")"
)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
declare -A BEFORE
for name in "${!PIDS[@]}"; do BEFORE[$name]="$(cpu_ticks "${PIDS[$name]}")"; done

# Per interval: sends admitted and the limit now, refusals and admitted sends answered since the last sample,
# and their mean time in the router.
sample() {
  local previous="" now
  while true; do
    now="$({ curl -s "$ROUTER_METRICS" || true; } | awk -v t="$(date +%s)" '
      /^messenger_router_admitted_sends / { a = $2 } /^messenger_router_admission_limit / { l = $2 }
      /^messenger_router_submissions_total\{outcome="overloaded"\}/ { o = $2 }
      /^messenger_router_submit_duration_seconds_count / { n = $2 } /^messenger_router_submit_duration_seconds_sum / { s = $2 }
      END { printf "%s %d %d %d %d %.6f\n", t, a, l, o, n, s }')"
    if [ -n "$previous" ]; then
      echo "$previous $now" | awk '{ dn = $11 - $5; printf "%s admitted %d limit %d refused %d answered %d mean %.1f ms\n",
        $7, $8, $9, $10 - $4, dn, (dn > 0 ? ($12 - $6) * 1000 / dn : 0) }'
    fi
    previous="$now"
    sleep 2
  done
}
sample > "$OUT/router-samples.txt" &
SAMPLER_PID=$!

say "overload: 2,000 new users at $RATE msg/s, 60 s measured after 30 s"
START_S=$(date +%s)
loadgen run --target "$SESSION" --users 2000 --total-rate "$RATE" --duration 60s --warmup 30s --drain 10s \
  --connect-rate 200 --out "$OUT/hot" > "$OUT/hot.log" 2>&1 || true
ELAPSED=$(( $(date +%s) - START_S ))
{
  echo "CPU seconds per process during the overload run (${ELAPSED} s wall, incl. ramp and drain):"
  for name in session router history presence push cassandra nats; do
    awk -v n="$name" -v t="$(( $(cpu_ticks "${PIDS[$name]}") - ${BEFORE[$name]} ))" -v h="$(getconf CLK_TCK)" \
      'BEGIN { printf "  %-10s %6.1f s\n", n, t / h }'
  done
} > "$OUT/cpu.txt"
sed -n '/users x/,/^checks/p' "$OUT/hot.log"
cat "$OUT/cpu.txt"
say "reports in $OUT"
