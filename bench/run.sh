#!/usr/bin/env bash
# bench/run.sh — measures ArqonBus against the floor server, NATS (core NATS, for the pub/sub
# workloads) and Socket.IO 4 (fan-out) on this machine and writes the medians and ratios into
# docs/benchmarks.md.
#
#   bench/run.sh              # the full table: every workload, 3 runs each, alternating servers
#   RUNS=1 QUICK=1 bench/run.sh   # a short smoke run (5 s workloads, no 19k connections)
#   ONLY='many-channels' RUNS=1 bench/run.sh   # only the workloads whose label matches (grep -E)
#   ONLY=durable RUNS=1 bench/run.sh          # durable acks (memory store); runs only when ONLY selects it
#   PATH_FLOOR=0 bench/run.sh  # without the path-routing floor (bench floor --mode path) beside the scanning floor
#   NATS=0 bench/run.sh        # without the NATS column (nats-server is installed with apt-get when missing)
#
# The server under test is pinned to CPU $SERVER_CPU (default 0) with one I/O thread; the load tool
# to CPU $LOAD_CPU (default 1). For every run and every workload the servers are started fresh, one
# after the other (ArqonBus, floor, NATS, Socket.IO), so slow drift of the machine hits all of them alike.
# Raw JSON lines go to bench/results/<UTC time>/results.jsonl; bench/summarize.py turns them into the
# table. Only loopback addresses are used; every workload is bounded in time.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../.mvn/select-jdk.sh
. "$ROOT/.mvn/select-jdk.sh"
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"

RUNS="${RUNS:-3}"
QUICK="${QUICK:-0}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
PORT="${PORT:-19100}"
if [ "$QUICK" = 1 ]; then
  DURATION="${DURATION:-5}"; WARMUP="${WARMUP:-2}"; HOLD="${HOLD:-5}"; CONNECTION_COUNTS="${CONNECTION_COUNTS:-1000}"
else
  DURATION="${DURATION:-10}"; WARMUP="${WARMUP:-10}"; HOLD="${HOLD:-60}"; CONNECTION_COUNTS="${CONNECTION_COUNTS:-1000 10000 19000}"
fi
OUT="${OUT:-$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}"
RESULTS="$OUT/results.jsonl"
BENCH_SERVER_LOG="$OUT/server.log"
mkdir -p "$OUT"
: > "$RESULTS"

command -v taskset >/dev/null || { echo "bench/run.sh: taskset is missing (util-linux)" >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "bench/run.sh: needs at least 2 CPUs (server and load tool pinned apart)" >&2; exit 1; }

echo "bench/run.sh: building arqon.jar ..." >&2
./mvnw -B -q -DskipTests -pl arqonbus-cli -am package >&2
export ARQON_NO_BUILD=1
# No start-up cache (./arqon serve's class cache is made by a training run in the background on the
# first start of a new jar, which would share the machine with the first measurement; start-up time
# is not measured here, the reconnect storm measures it).
export ARQON_NO_CACHE=1

SOCKETIO=0
if command -v node >/dev/null && command -v npm >/dev/null; then
  if [ ! -d bench/socketio/node_modules/socket.io ]; then
    echo "bench/run.sh: installing socket.io (npm) ..." >&2
    (cd bench/socketio && npm install --no-audit --no-fund --silent >&2) || true
  fi
  [ -d bench/socketio/node_modules/socket.io ] && SOCKETIO=1
fi
[ "$SOCKETIO" = 1 ] || echo "bench/run.sh: node/npm or socket.io unavailable; the Socket.IO column stays empty" >&2

# NATS (Debian's nats-server 2.9): one process pinned like the others; Go uses one OS thread for Go
# code with GOMAXPROCS=1 (nats-server has no I/O-thread option).
NATS="${NATS:-1}"
if [ "$NATS" = 1 ] && ! command -v nats-server >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench/run.sh: installing nats-server (apt-get) ..." >&2
    apt-get install -y nats-server >&2 || { apt-get update >&2 && apt-get install -y nats-server >&2; } || true
  fi
  command -v nats-server >/dev/null || { echo "bench/run.sh: nats-server unavailable (apt-get install -y nats-server); the NATS column stays empty" >&2; NATS=0; }
fi

SERVER_PID=""


start_server() {
  local kind="$1"
  case "$kind" in
    arqonbus)
      ARQONBUS_STATS_INTERVAL_SECONDS=0 ARQONBUS_MAX_CONNECTIONS=20000 ARQONBUS_KEEPALIVE_INTERVAL_SECONDS=0 \
        taskset -c "$SERVER_CPU" ./arqon serve --port "$PORT" --io-threads 1 --telemetry-port -1 --http-port -1 \
        >>"$OUT/server.log" 2>&1 &
      ;;
    floor)
      taskset -c "$SERVER_CPU" ./arqon bench floor --port "$PORT" --io-threads 1 >>"$OUT/server.log" 2>&1 &
      ;;
    floor-path)
      taskset -c "$SERVER_CPU" ./arqon bench floor --mode path --port "$PORT" --io-threads 1 >>"$OUT/server.log" 2>&1 &
      ;;
    socketio)
      taskset -c "$SERVER_CPU" node bench/socketio/server.js "$PORT" >>"$OUT/server.log" 2>&1 &
      ;;
    nats)
      GOMAXPROCS=1 taskset -c "$SERVER_CPU" nats-server -a 127.0.0.1 -p "$PORT" >>"$OUT/server.log" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
  wait_for_port "$PORT" "$SERVER_PID"
}

stop_server() {
  stop_pid "$SERVER_PID"
  SERVER_PID=""
}
trap stop_server EXIT

# measure <label> <server kind> <bench arguments…>: one fresh server, one workload, one JSON line.
measure() {
  local label="$1" kind="$2"
  shift 2
  if [ -n "${ONLY:-}" ] && ! grep -Eq -- "$ONLY" <<<"$label"; then
    return 0
  fi
  start_server "$kind"
  local line status=0
  line="$(taskset -c "$LOAD_CPU" ./arqon bench "$@" --dialect "$kind" --port "$PORT" --server-pid "$SERVER_PID" \
          --quiet 2>>"$OUT/load.log")" || status=$?
  stop_server
  if [ -z "$line" ]; then
    echo "bench/run.sh: $label on $kind produced no result (exit $status); see $OUT/load.log" >&2
    return 0
  fi
  printf '{"label":"%s","server":"%s","run":%d,"exit":%d,"result":%s}\n' \
      "$label" "$kind" "$RUN" "$status" "$line" >> "$RESULTS"
  echo "bench/run.sh: run $RUN $label $kind: $(summary "$line")" >&2
}

summary() {
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(", ".join(f"{k}={r.get(k)}" for k in ("deliveries_per_s","deliveries_per_server_cpu_s","acks_per_s","acks_per_server_cpu_s","storage_errors","lost","duplicates","held","server_rss_per_connection_bytes","server_heap_per_connection_bytes") if k in r))' "$1"
}

servers=(arqonbus floor)
# The path-routing floor (routes by the URL path, never reads a frame) is measured beside the scanning
# floor in the pub/sub workloads; the idle-connection workload keeps the two servers above.
[ "${PATH_FLOOR:-1}" = 1 ] && servers+=(floor-path)
# NATS joins the pub/sub workloads (not the idle connections).
pubsub=("${servers[@]}")
[ "$NATS" = 1 ] && pubsub+=(nats)
TIMING=(--duration "$DURATION" --warmup "$WARMUP")
for RUN in $(seq 1 "$RUNS"); do
  for kind in "${pubsub[@]}" socketio; do
    [ "$kind" = socketio ] && [ "$SOCKETIO" = 0 ] && continue
    measure "fan-out 1x1000 max" "$kind" fan-out --subscribers 1000 --payload-bytes 128 "${TIMING[@]}"
  done
  # The same with the floor's frames padded to the length of ArqonBus's envelope frames (a 128-byte
  # payload makes a ~395-byte envelope; the floor forwards the ~200-byte client frame as it is).
  measure "fan-out 1x1000 max, floor frames as long as ArqonBus's" floor fan-out --subscribers 1000 \
      --payload-bytes 330 "${TIMING[@]}"
  for kind in "${pubsub[@]}"; do
    measure "fan-out 1x100 max" "$kind" fan-out --subscribers 100 --payload-bytes 128 "${TIMING[@]}"
  done
  for kind in "${pubsub[@]}"; do
    measure "many-channels 100x10 max" "$kind" many-channels --channels 100 --subscribers-per-channel 10 \
        --publishers 100 --payload-bytes 128 "${TIMING[@]}"
  done
  # The issue's shape of many channels: 10 publishers (publisher p -> channel p mod 100, so 10 busy channels),
  # at most 8 publications in flight each.
  for kind in "${pubsub[@]}"; do
    measure "many-channels 100x10, 10 publishers, window 8" "$kind" many-channels --channels 100 \
        --subscribers-per-channel 10 --publishers 10 --window 8 --payload-bytes 128 "${TIMING[@]}"
  done
  # Fixed rate, 20,000 deliveries/s: 1 x 1000 at 20 messages/s and 1 x 100 at 200 messages/s (Socket.IO too:
  # the issue compares tail latency with every peer).
  for kind in "${pubsub[@]}" socketio; do
    [ "$kind" = socketio ] && [ "$SOCKETIO" = 0 ] && continue
    measure "fan-out 1x1000 at 20000/s" "$kind" fan-out --subscribers 1000 --rate 20 --payload-bytes 128 "${TIMING[@]}"
  done
  for kind in "${pubsub[@]}" socketio; do
    [ "$kind" = socketio ] && [ "$SOCKETIO" = 0 ] && continue
    measure "fan-out 1x100 at 20000/s" "$kind" fan-out --subscribers 100 --rate 200 --payload-bytes 128 "${TIMING[@]}"
  done
  # Durable acks against the memory store: only when ONLY selects it (ONLY=durable), not part of the full table.
  # The disk and Redis stores are measured by hand (docs/benchmarks.md, "Durable acks"); against
  # JetStream by bench/durable.sh.
  if [ -n "${ONLY:-}" ]; then
    measure "durable 4 publishers x 1 channel, memory store" arqonbus durable --publishers 4 --channels 1 --window 64 \
        --payload-bytes 128 "${TIMING[@]}"
  fi
  for count in $CONNECTION_COUNTS; do
    hold="$HOLD"
    [ "$count" -lt 19000 ] && [ "$HOLD" -gt 10 ] && hold=10
    for kind in arqonbus floor; do
      measure "connections $count" "$kind" connections --connections "$count" --source-addresses 4 \
          --hold "$hold" --heap --setup-timeout 120
    done
  done
done

WRITE=(--write "$ROOT/docs/benchmarks.md")
[ -n "${ONLY:-}" ] && WRITE=()   # a partial run prints its tables instead of replacing the document's
python3 "$ROOT/bench/summarize.py" "$RESULTS" --machine "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" \
    --command "bench/run.sh (RUNS=$RUNS QUICK=$QUICK DURATION=$DURATION WARMUP=$WARMUP HOLD=$HOLD)" \
    "${WRITE[@]}"
echo "bench/run.sh: results in $RESULTS" >&2
