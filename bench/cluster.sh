#!/usr/bin/env bash
# bench/cluster.sh — fan-out 1×1,000 on one node and on three nodes of a cluster (subscribers
# round-robin over the nodes, the publisher on the first), at maximum rate and at 20,000
# deliveries/s; every server process (nodes and redis-server) pinned to CPU $SERVER_CPU, the load
# tool to CPU $LOAD_CPU. Raw JSON lines go to bench/results/cluster-<UTC time>/results.jsonl, then
# a summary (medians) is printed. docs/benchmarks.md, "Clusters", explains the figures.
#
#   bench/cluster.sh            # 3 runs of each
#   RUNS=1 bench/cluster.sh     # one run of each
#   WARMUP=10 bench/cluster.sh  # the maximum-rate runs' warm-up, seconds (default 60)
#   KINDS=max bench/cluster.sh  # only the maximum-rate runs (default: "max rate")
#   PORT_WAIT=300 bench/cluster.sh    # seconds a server may take to open its port (default 180)
#   BENCH_ARGS="--connect-concurrency 32" bench/cluster.sh   # more arguments for every bench run
#
# The maximum-rate runs warm up 60 s: the three nodes and redis-server share one CPU, so each JVM
# gets about a quarter of the CPU a single node gets in the same wall time, and with 10 s its JIT
# compiler threads were still busy in the measured window (two fifths of the cluster's CPU there on
# a loaded machine; docs/benchmarks.md, "Clusters"). Single node and cluster warm up alike. On a
# loaded machine even 30 s may not do: bench/cluster-cpu.sh shows the compiler threads' share.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
. "$ROOT/.mvn/select-jdk.sh"
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"
PORT_WAIT="${PORT_WAIT:-180}"
RUNS="${RUNS:-3}"; WARMUP="${WARMUP:-60}"; KINDS="${KINDS:-max rate}"; SERVER_CPU="${SERVER_CPU:-0}"; LOAD_CPU="${LOAD_CPU:-1}"
SUBSCRIBERS="${SUBSCRIBERS:-1000}"; RATE="${RATE:-20}"
REDIS_PORT="${REDIS_PORT:-16390}"; BASE="${BASE_PORT:-19110}"
OUT="${OUT:-$ROOT/bench/results/cluster-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"; RESULTS="$OUT/results.jsonl"; : > "$RESULTS"
command -v redis-server >/dev/null || { echo "bench/cluster.sh: needs redis-server" >&2; exit 1; }
[ -f arqonbus-cli/target/arqon.jar ] || ./mvnw -B -q -DskipTests -pl arqonbus-cli -am package >&2
export ARQON_NO_BUILD=1
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=(); }
trap cleanup EXIT
node() { # node <port> [cluster args...]
  local port="$1"; shift
  ARQONBUS_STATS_INTERVAL_SECONDS=0 ARQONBUS_KEEPALIVE_INTERVAL_SECONDS=0 ARQONBUS_MAX_CONNECTIONS=20000 \
    taskset -c "$SERVER_CPU" ./arqon serve --host 127.0.0.1 --port "$port" --http-port -1 --telemetry-port -1 \
    --io-threads 1 "$@" > "$OUT/node-$port.log" 2>&1 &
  PIDS+=("$!")
}
bench() { # bench <label> <args...>
  local label="$1"; shift
  taskset -c "$LOAD_CPU" ./arqon bench fan-out --subscribers "$SUBSCRIBERS" ${BENCH_ARGS:-} "$@" 2> "$OUT/$label.err" \
    | sed "s/^{/{\"label\":\"$label\",/" >> "$RESULTS" || true
}
for run in $(seq 1 "$RUNS"); do
  for mode in single cluster; do
    for kind in $KINDS; do
      args=(--duration 10 --warmup "$WARMUP"); [ "$kind" = rate ] && args=(--rate "$RATE" --duration 30 --warmup 5)
      if [ "$mode" = single ]; then
        node "$BASE"; wait_for_port "$BASE"
        bench "single-$kind" --url "ws://127.0.0.1:$BASE/" --server-pid "${PIDS[0]}" "${args[@]}"
      else
        taskset -c "$SERVER_CPU" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
          > "$OUT/redis.log" 2>&1 &
        PIDS+=("$!"); wait_for_port "$REDIS_PORT"
        for n in 1 2 3; do node $((BASE + n)) --cluster "redis://127.0.0.1:$REDIS_PORT" --node-id "node-$n"; done
        for n in 1 2 3; do wait_for_port $((BASE + n)); done
        redis-cli -p "$REDIS_PORT" config resetstat > /dev/null
        bench "cluster-$kind" --urls "ws://127.0.0.1:$((BASE+1))/,ws://127.0.0.1:$((BASE+2))/,ws://127.0.0.1:$((BASE+3))/" \
          --server-pids "${PIDS[1]},${PIDS[2]},${PIDS[3]},${PIDS[0]}" "${args[@]}"
        redis-cli -p "$REDIS_PORT" info commandstats | grep -E 'cmdstat_(evalsha|eval|publish|xadd)' \
          | sed "s/^/$kind run $run: /" >> "$OUT/redis-commandstats.txt"
      fi
      cleanup
    done
  done
done
python3 - "$RESULTS" <<'PY'
import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(label, f):
    v = [f(r) for r in rows if r.get("label") == label and f(r) is not None]
    return (st.median(v), v) if v else (None, [])
for kind in ("max", "rate"):
    for mode in ("single", "cluster"):
        label = f"{mode}-{kind}"
        d, dv = med(label, lambda r: r.get("deliveries_per_server_cpu_s"))
        p, pv = med(label, lambda r: (r.get("latency_us") or {}).get("p99"))
        s, sv = med(label, lambda r: r.get("deliveries_per_s"))
        lost = sum(r.get("lost", 0) for r in rows if r.get("label") == label)
        dup = sum(r.get("duplicates", 0) for r in rows if r.get("label") == label)
        sent = [r.get("sent") for r in rows if r.get("label") == label]
        print(f"{label:14s} deliveries/s {s} {sv}  per-CPU-s {d} {dv}  p99_us {p} {pv}  lost {lost} dup {dup} sent {sent}")
PY
echo "results: $RESULTS; Redis command counts: $OUT/redis-commandstats.txt" >&2
