#!/usr/bin/env bash
# bench/tail-ab.sh — delivery latency at 20,000 deliveries/s under server variants (JVM/GC flags),
# alternating the variants run by run so slow drift of a shared machine hits them alike.
#
#   VARIANTS='g1-50=-XX:+UseG1GC -XX:MaxGCPauseMillis=50;zgc=-XX:+UseZGC' RUNS=3 bench/tail-ab.sh
#   SUBSCRIBERS=1000 RATE=20 bench/tail-ab.sh       # 1 × 1,000 at 20 msg/s (default 1 × 100 at 200 msg/s)
#
# A variant is name=flags (ARQON_GC_FLAGS of the server); the name floor-path runs the path-routing
# floor (bench floor --mode path) instead. Server pinned to CPU $SERVER_CPU with one I/O thread, the
# load tool to $LOAD_CPU; both under chrt -r 10 when CHRT=1 (the default; needs root). Raw JSON lines
# go to bench/results/tail-<UTC time>/results.jsonl, one per run with "variant" added; the medians of
# p50 / p99 / p99.9 per variant are printed at the end; threads-<variant>-<run>.txt holds the server's
# CPU ticks per thread at the end of the run (GC and compiler threads share the event loop's core). Loopback only; every run bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib.sh
. bench/lib.sh
RUNS="${RUNS:-3}"; SUBSCRIBERS="${SUBSCRIBERS:-100}"; RATE="${RATE:-200}"
WARMUP="${WARMUP:-20}"; DURATION="${DURATION:-30}"; PORT="${PORT:-19140}"
SERVER_CPU="${SERVER_CPU:-0}"; LOAD_CPU="${LOAD_CPU:-1}"
VARIANTS="${VARIANTS:-default=-XX:+UseG1GC -XX:MaxGCPauseMillis=50;floor-path=}"
RT=(); [ "${CHRT:-1}" = 1 ] && RT=(chrt -r 10)
OUT="bench/results/tail-$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$OUT"
ARQON_NO_BUILD=1; export ARQON_NO_BUILD
ARQON_NO_CACHE=1; export ARQON_NO_CACHE  # no start-up cache training beside the measurement (bench/run.sh)
SERVER_PID=""
stop_server() {
  stop_pid "$SERVER_PID"
  SERVER_PID=""
}
trap stop_server EXIT
# On a shared machine other real-time (chrt) processes take turns with ours in 100 ms slices: wait up
# to QUIET_WAIT seconds before each run until none runs, note whether one did ("quiet_at_start"),
# and sample once a second during the run whether any other one ran ("contended_fraction").
quiet() { ! ps -eo cls= | grep -q RR; }
others_rr() { ps -eo pid=,cls=,args= | awk -v a="$1" -v p="--port $PORT " '$2=="RR" && $1!=a && index($0, p)==0 {n++} END {print n+0}'; }
wait_quiet() {
  local deadline=$((SECONDS + ${QUIET_WAIT:-180}))
  until quiet || [ "$SECONDS" -ge "$deadline" ]; do sleep 1; done
}
IFS=';' read -r -a LIST <<<"$VARIANTS"
for run in $(seq 1 "$RUNS"); do
  for entry in "${LIST[@]}"; do
    name="${entry%%=*}"; flags="${entry#*=}"; dialect=arqonbus
    wait_quiet; q=true; quiet || q=false
    if [ "$name" = floor-path ]; then
      dialect=floor-path
      "${RT[@]}" taskset -c "$SERVER_CPU" ./arqon bench floor --mode path --port "$PORT" --io-threads 1 \
        >>"$OUT/server.log" 2>&1 &
    else
      ARQON_GC_FLAGS="$flags" ARQONBUS_STATS_INTERVAL_SECONDS=0 ARQONBUS_MAX_CONNECTIONS=20000 \
        ARQONBUS_KEEPALIVE_INTERVAL_SECONDS=0 "${RT[@]}" taskset -c "$SERVER_CPU" ./arqon serve --port "$PORT" \
        --io-threads 1 --telemetry-port -1 --http-port -1 >>"$OUT/server.log" 2>&1 &
    fi
    SERVER_PID=$!
    wait_for_port "$PORT" "$SERVER_PID"
    : >"$OUT/contention"
    ( while kill -0 "$SERVER_PID" 2>/dev/null; do others_rr "$SERVER_PID" "$BASHPID" >>"$OUT/contention"; sleep 1; done ) &
    SAMPLER=$!
    line="$("${RT[@]}" taskset -c "$LOAD_CPU" ./arqon bench fan-out --subscribers "$SUBSCRIBERS" --rate "$RATE" \
        --payload-bytes 128 --warmup "$WARMUP" --duration "$DURATION" --dialect "$dialect" --port "$PORT" \
        --server-pid "$SERVER_PID" --quiet 2>>"$OUT/load.log")" || true
    for t in /proc/"$SERVER_PID"/task/*; do  # CPU ticks (utime + stime) and name of each thread
      echo "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null) $(cat "$t/comm" 2>/dev/null)"
    done | sort -rn >"$OUT/threads-$name-$run.txt" 2>/dev/null || true
    stop_server
    wait "$SAMPLER" 2>/dev/null || true
    c="$(awk '{n++; if ($1>0) k++} END {printf "%.2f", n ? k/n : 0}' "$OUT/contention")"
    [ -n "$line" ] && echo "{\"variant\":\"$name\",\"run\":$run,\"quiet_at_start\":$q,\"contended_fraction\":$c,${line#\{}" | tee -a "$OUT/results.jsonl" \
      | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); l=r["latency_us"]; print(r["variant"], r["run"], "p50", l["p50"], "p99", l["p99"], "p999", l["p999"], "lost", r["lost"], "cpu", r["server_cpu_util"], "quiet", r["quiet_at_start"], "contended", r["contended_fraction"], file=sys.stderr)'
  done
done
python3 - "$OUT/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for v in dict.fromkeys(r["variant"] for r in rows):
    rs = [r for r in rows if r["variant"] == v]
    med = lambda k: statistics.median(r["latency_us"][k] for r in rs)
    print(f'{v}: runs={len(rs)} p50={med("p50"):.0f} p99={med("p99"):.0f} p99.9={med("p999"):.0f} '
          f'(p99 runs: {", ".join(str(round(r["latency_us"]["p99"])) for r in rs)}) lost={sum(r["lost"] for r in rs)} '
          f'contended={",".join(str(r.get("contended_fraction")) for r in rs)}')
PY
echo "results: $OUT/results.jsonl" >&2
