# Runs a command so that it cannot outlive the JVM that started it.
# Usage: sh -c "$(cat watchdog.sh)" watchdog LOG_FILE GRACE_SECONDS COMMAND [ARG...]
# stdin must be a pipe from the parent JVM. The script prints the command's pid on stdout, then:
#   - stdin reaches EOF (the parent died or closed it): TERM the command, KILL it after GRACE_SECONDS;
#   - the script gets TERM, INT or HUP: forward TERM to the command;
#   - the command exits: stop the stdin watcher and exit with the command's status.
log=$1
grace=$2
shift 2

"$@" </dev/null >>"$log" 2>&1 &
child=$!

exec 3<&0
(
  sleeper=
  trap 'if [ -n "$sleeper" ]; then kill "$sleeper" 2>/dev/null; fi; exit 0' TERM
  while read -r _; do :; done
  kill -TERM "$child" 2>/dev/null || exit 0
  waited=0
  while kill -0 "$child" 2>/dev/null; do
    if [ "$waited" -ge "$grace" ]; then
      kill -KILL "$child" 2>/dev/null
      exit 0
    fi
    sleep 1 &
    sleeper=$!
    wait "$sleeper"
    sleeper=
    waited=$((waited + 1))
  done
) <&3 3<&- >/dev/null 2>&1 &
watcher=$!
exec 3<&- 0</dev/null

trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP

echo "$child"
exec >>"$log"

while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || break
done

kill -TERM "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null
exit "$status"
