#!/usr/bin/env bash
# History bounded by bytes, at full size: a server with 1 GiB of direct memory takes 2,000
# publications of ~1 MiB to one channel and stays healthy. Loopback only; bounded by count and time.
# Usage: bench/history-bytes/run.sh   (needs curl; ports 19100/19080 free)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUS=19100; HTTP=19080; TELEMETRY=19081
LOG="$(mktemp)"
ARQON_JAVA_OPTS="${ARQON_JAVA_OPTS:--XX:MaxDirectMemorySize=1g}" ARQON_NO_BUILD="${ARQON_NO_BUILD:-0}" "$ROOT/arqon" serve --port "$BUS" --http-port "$HTTP" \
    --telemetry-port "$TELEMETRY" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$HTTP/health" >/dev/null && break; sleep 0.5; done
PID="$(pgrep -P "$SERVER" java || echo "$SERVER")"
sample() {
  local rss status metrics
  rss="$(awk '/VmRSS/{print $2}' "/proc/$PID/status")"
  status="$(curl -fs -m 5 "http://127.0.0.1:$HTTP/status" | grep -o '"storage":{[^}]*}')"
  metrics="$(curl -fs -m 5 "http://127.0.0.1:$HTTP/metrics" \
      | grep -E '^arqonbus_history_bytes' | tr '\n' ' ')"
  echo "$1: rss_kib=$rss $status $metrics health=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP/health")"
}
echo "ARQON_JAVA_OPTS=${ARQON_JAVA_OPTS:--XX:MaxDirectMemorySize=1g}"
sample before
java "$ROOT/bench/history-bytes/PublishLarge.java" "ws://127.0.0.1:$BUS/" 2000 1040000 600 &
CLIENT=$!
while kill -0 "$CLIENT" 2>/dev/null; do sleep 10; kill -0 "$CLIENT" 2>/dev/null && sample during; done
wait "$CLIENT"
sample after
grep -ciE 'OutOfMemory|OutOfDirect' "$LOG" | sed 's/^/out-of-memory lines in the server log: /' || true
