# bench/lib.sh — shell functions shared by the bench/*.sh scripts; sourced, not run:
#   . "$ROOT/bench/lib.sh"
# Loopback only. BENCH_NAME (default: the sourcing script's name) prefixes the messages.

BENCH_NAME="${BENCH_NAME:-bench/$(basename "$0")}"

# wait_for_port <port> [<pid> [<seconds>]]: returns once something accepts TCP connections on
# 127.0.0.1:<port>; fails (status 1, with a message) when process <pid> ends first or after <seconds>
# (default $PORT_WAIT, else 60).
wait_for_port() {
  local port="$1" pid="${2:-}" limit="${3:-${PORT_WAIT:-60}}"
  local deadline=$((SECONDS + limit))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "$BENCH_NAME: the server exited before listening on $port${BENCH_SERVER_LOG:+; see $BENCH_SERVER_LOG}" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "$BENCH_NAME: nothing listens on $port after $limit s" >&2
  return 1
}

# stop_pid <pid>: SIGTERM (ArqonBus drains its clients with 1001), SIGKILL if it still runs after
# 20 s, then reaps it. Nothing happens for an empty or finished pid.
stop_pid() {
  local pid="$1"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
