#!/usr/bin/env bash
# bench/cluster-cpu.sh — where the server CPU of a fan-out 1×1,000 at maximum rate goes, per
# process and per thread: the three nodes and redis-server of bench/cluster.sh (MODE=cluster, the
# default) or one node (MODE=single), pinned to CPU $SERVER_CPU, the load tool to CPU $LOAD_CPU.
# 5 s into the measured part it reads every server thread's CPU time (/proc/<pid>/task/*/stat,
# utime + stime) twice, $WINDOW s apart, and prints each process's and each kind of thread's
# share (digits in thread names folded to #). docs/benchmarks.md, "Clusters", shows a run.
#
#   bench/cluster-cpu.sh                 # cluster, 30 s warm-up, 20 s window
#   MODE=single WARMUP=10 bench/cluster-cpu.sh
#   BENCH_ARGS="--connect-concurrency 32" bench/cluster-cpu.sh   # more arguments for the bench run
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
. "$ROOT/.mvn/select-jdk.sh"
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"
PORT_WAIT="${PORT_WAIT:-180}"
MODE="${MODE:-cluster}"; WARMUP="${WARMUP:-30}"; WINDOW="${WINDOW:-20}"
SERVER_CPU="${SERVER_CPU:-0}"; LOAD_CPU="${LOAD_CPU:-1}"
REDIS_PORT="${REDIS_PORT:-16391}"; BASE="${BASE_PORT:-19120}"
OUT="${OUT:-$ROOT/bench/results/cluster-cpu-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
[ -f arqonbus-cli/target/arqon.jar ] || ./mvnw -B -q -DskipTests -pl arqonbus-cli -am package >&2
export ARQON_NO_BUILD=1
PIDS=(); LABELS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
node() { # node <label> <port> [cluster args...]
  local label="$1" port="$2"; shift 2
  ARQONBUS_STATS_INTERVAL_SECONDS=0 ARQONBUS_KEEPALIVE_INTERVAL_SECONDS=0 ARQONBUS_MAX_CONNECTIONS=20000 \
    taskset -c "$SERVER_CPU" ./arqon serve --host 127.0.0.1 --port "$port" --http-port -1 --telemetry-port -1 \
    --io-threads 1 "$@" > "$OUT/$label.log" 2>&1 &
  PIDS+=("$!"); LABELS+=("$!=$label")
}
if [ "$MODE" = cluster ]; then
  taskset -c "$SERVER_CPU" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    > "$OUT/redis.log" 2>&1 &
  PIDS+=("$!"); LABELS+=("$!=redis"); wait_for_port "$REDIS_PORT"
  for n in 1 2 3; do node "node-$n" $((BASE + n)) --cluster "redis://127.0.0.1:$REDIS_PORT" --node-id "node-$n"; done
  for n in 1 2 3; do wait_for_port $((BASE + n)); done
  URLS="ws://127.0.0.1:$((BASE+1))/,ws://127.0.0.1:$((BASE+2))/,ws://127.0.0.1:$((BASE+3))/"
else
  node single $((BASE + 1)); wait_for_port $((BASE + 1)); URLS="ws://127.0.0.1:$((BASE+1))/"
fi
SERVER_PIDS="$(IFS=,; echo "${PIDS[*]}")"
taskset -c "$LOAD_CPU" ./arqon bench fan-out --subscribers 1000 ${BENCH_ARGS:-} --urls "$URLS" --server-pids "$SERVER_PIDS" \
  --warmup "$WARMUP" --duration $((WINDOW + 10)) > "$OUT/bench.json" 2> "$OUT/bench.err" &
BENCH=$!
# the tool's progress lines say "(warm-up)" until the measured part begins
until grep -q 's sent=.*dup=[0-9]*$' "$OUT/bench.err" 2>/dev/null || ! kill -0 "$BENCH" 2>/dev/null; do sleep 0.5; done
sleep 5
snap() { for p in "${PIDS[@]}"; do for t in /proc/"$p"/task/*/stat; do echo "$p $(cat "$t" 2>/dev/null)"; done; done; }
snap > "$OUT/cpu-before.txt"; sleep "$WINDOW"; snap > "$OUT/cpu-after.txt"
wait "$BENCH" || true
python3 - "$OUT" "$(IFS=,; echo "${LABELS[*]}")" "$(getconf CLK_TCK)" <<'PY'
import collections, re, sys
out, labels, tick = sys.argv[1], dict(x.split("=") for x in sys.argv[2].split(",")), int(sys.argv[3])
def read(name):
    cpu = {}
    for line in open(f"{out}/{name}"):
        pid, stat = line.split(" ", 1)
        if "(" not in stat: continue
        tid, thread = stat.split(" ", 1)[0], stat[stat.index("(") + 1:stat.rindex(")")]
        f = stat[stat.rindex(")") + 2:].split()
        cpu[(pid, tid)] = (thread, int(f[11]) + int(f[12]))
    return cpu
a, b = read("cpu-before.txt"), read("cpu-after.txt")
per, kinds = collections.Counter(), collections.Counter()
for (pid, tid), (thread, t) in b.items():
    d = t - a.get((pid, tid), (thread, 0))[1]
    per[labels[pid]] += d; kinds[(labels[pid], re.sub(r"\d+", "#", thread))] += d
total = sum(per.values()) or 1
print(f"server CPU in the window: {total / tick:.2f} s")
for p, c in sorted(per.items()): print(f"  {p:8s} {c * 100 / total:5.1f} %")
for (p, k), c in kinds.most_common(12):
    if c: print(f"    {p:8s} {k:18s} {c * 100 / total:5.1f} %")
PY
grep -o '"deliveries_per_server_cpu_s":[0-9.]*' "$OUT/bench.json" || cat "$OUT/bench.err" >&2
