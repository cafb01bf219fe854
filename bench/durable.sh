#!/usr/bin/env bash
# bench/durable.sh — acknowledged durable publishes: ArqonBus (memory store, file store with an fsync
# per group commit) against NATS JetStream (file storage), same workload, same machine, same run.
#
#   bench/durable.sh                          # 3 alternating runs, publishers 4 and 16, window 64
#   RUNS=1 DURATION=3 WARMUP=1 bench/durable.sh   # a short smoke run
#   PUBLISHERS='4' bench/durable.sh           # only 4 publishers
#   JETSTREAM=0 bench/durable.sh              # ArqonBus only
#
# Every run starts each server fresh on an empty store directory, pinned to CPU $SERVER_CPU (default 0;
# ArqonBus with one I/O thread, nats-server with GOMAXPROCS=1), the load tool pinned to CPU $LOAD_CPU
# (default 1); the three servers alternate within each run. Each measurement is
# `arqon bench durable --publishers P --channels 1 --window 64 --verify` (JetStream: --dialect
# jetstream, one file-storage stream over the run's subject). Raw JSON lines go to
# bench/results/durable-<UTC time>/results.jsonl; bench/durable_table.py writes the markdown table
# (medians, ArqonBus ÷ JetStream per server CPU-second) to durable.md there and to stdout.
#
# nats-server 2.9 (Debian's) fsyncs a stream's file blocks in the background every 60 s (not
# configurable before 2.10, whose `sync_interval: always` would sync every write): a JetStream PubAck
# means "written to the file", not "on disk". ArqonBus's --store-sync always acks after the fsync
# of the group commit that holds the message.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../.mvn/select-jdk.sh
. "$ROOT/.mvn/select-jdk.sh"
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"

RUNS="${RUNS:-3}"
PUBLISHERS="${PUBLISHERS:-4 16}"
WINDOW="${WINDOW:-64}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
PORT="${PORT:-19400}"
OUT="${OUT:-$ROOT/bench/results/durable-$(date -u +%Y%m%dT%H%M%SZ)}"
RESULTS="$OUT/results.jsonl"
BENCH_SERVER_LOG="$OUT/server.log"
DATA="$OUT/data"
mkdir -p "$OUT"
: > "$RESULTS"

command -v taskset >/dev/null || { echo "bench/durable.sh: taskset is missing (util-linux)" >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "bench/durable.sh: needs at least 2 CPUs (server and load tool pinned apart)" >&2; exit 1; }

echo "bench/durable.sh: building arqon.jar ..." >&2
./mvnw -B -q -DskipTests -pl arqonbus-cli -am package >&2
export ARQON_NO_BUILD=1
# No start-up cache (./arqon serve's class cache is made by a training run in the background on the
# first start of a new jar, which would share the machine with the first measurement; start-up time
# is not measured here, the reconnect storm measures it).
export ARQON_NO_CACHE=1

JETSTREAM="${JETSTREAM:-1}"
if [ "$JETSTREAM" = 1 ] && ! command -v nats-server >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench/durable.sh: installing nats-server (apt-get) ..." >&2
    apt-get install -y nats-server >&2 || { apt-get update >&2 && apt-get install -y nats-server >&2; } || true
  fi
  command -v nats-server >/dev/null || { echo "bench/durable.sh: nats-server unavailable (apt-get install -y nats-server); the JetStream column stays empty" >&2; JETSTREAM=0; }
fi

SERVER_PID=""

# ArqonBus keeps every message of the run for --verify and reads it back unthrottled: no per-connection
# history read budget, and history byte limits (memory store: direct memory) above what a run stores.
ARQONBUS_BENCH_ENV=(ARQONBUS_STATS_INTERVAL_SECONDS=0 ARQONBUS_HISTORY_READ_RATE=0
  ARQONBUS_MAX_HISTORY_BYTES=2000000000 ARQONBUS_MAX_HISTORY_TOTAL_BYTES=2000000000
  "ARQON_JAVA_OPTS=-XX:MaxDirectMemorySize=4g")

# start_server <kind>: arqonbus-memory, arqonbus-file or jetstream-file, on an empty data directory.
start_server() {
  local kind="$1"
  rm -rf "$DATA"
  mkdir -p "$DATA"
  case "$kind" in
    arqonbus-memory)
      env "${ARQONBUS_BENCH_ENV[@]}" taskset -c "$SERVER_CPU" ./arqon serve --port "$PORT" --io-threads 1 \
        --max-history-size 5000000 --telemetry-port -1 --http-port -1 >>"$OUT/server.log" 2>&1 &
      ;;
    arqonbus-file)
      env "${ARQONBUS_BENCH_ENV[@]}" taskset -c "$SERVER_CPU" ./arqon serve --port "$PORT" --io-threads 1 \
        --max-history-size 5000000 --store "file:$DATA/arqonbus" --store-sync always \
        --telemetry-port -1 --http-port -1 >>"$OUT/server.log" 2>&1 &
      ;;
    jetstream-file)
      GOMAXPROCS=1 taskset -c "$SERVER_CPU" nats-server -a 127.0.0.1 -p "$PORT" -js -sd "$DATA/jetstream" \
        >>"$OUT/server.log" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
  wait_for_port "$PORT" "$SERVER_PID"
}

stop_server() {
  stop_pid "$SERVER_PID"
  SERVER_PID=""
  rm -rf "$DATA"
}
trap stop_server EXIT

# measure <kind> <publishers>: one fresh server, one durable run with --verify, one JSON line.
measure() {
  local kind="$1" publishers="$2" dialect=arqonbus
  [ "$kind" = jetstream-file ] && dialect=jetstream
  start_server "$kind"
  local line status=0
  line="$(taskset -c "$LOAD_CPU" ./arqon bench durable --dialect "$dialect" --port "$PORT" --server-pid "$SERVER_PID" \
          --publishers "$publishers" --channels 1 --window "$WINDOW" --payload-bytes 128 \
          --duration "$DURATION" --warmup "$WARMUP" --drain 30 --verify --quiet 2>>"$OUT/load.log")" || status=$?
  stop_server
  if [ -z "$line" ]; then
    echo "bench/durable.sh: $kind with $publishers publishers produced no result (exit $status); see $OUT/load.log" >&2
    return 0
  fi
  printf '{"server":"%s","publishers":%d,"run":%d,"exit":%d,"result":%s}\n' \
      "$kind" "$publishers" "$RUN" "$status" "$line" >> "$RESULTS"
  echo "bench/durable.sh: run $RUN $kind P=$publishers: $(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(", ".join(f"{k}={r.get(k)}" for k in ("acks_per_s","acks_per_server_cpu_s","unanswered","storage_errors","ok")))' "$line")" >&2
}

kinds=(arqonbus-memory arqonbus-file)
[ "$JETSTREAM" = 1 ] && kinds+=(jetstream-file)
for RUN in $(seq 1 "$RUNS"); do
  for publishers in $PUBLISHERS; do
    for kind in "${kinds[@]}"; do
      measure "$kind" "$publishers"
    done
  done
done

python3 "$ROOT/bench/durable_table.py" "$RESULTS" \
    --machine "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(command -v nats-server >/dev/null && nats-server --version || echo 'no nats-server')" \
    --command "bench/durable.sh (RUNS=$RUNS PUBLISHERS='$PUBLISHERS' WINDOW=$WINDOW DURATION=$DURATION WARMUP=$WARMUP)" \
    | tee "$OUT/durable.md"
echo "bench/durable.sh: results in $RESULTS, table in $OUT/durable.md" >&2
