#!/usr/bin/env bash
# bench/partial-frames.sh — the resident memory of a server whose clients hold unfinished frames
# (docs/reliability.md): starts `arqon serve` on a loopback port, runs bench/PartialFrameFlood.java
# against it (CONNECTIONS connections, each announcing a FRAME-byte text frame and sending all of it
# but the last byte), prints the flood's one-line result, stops the server.
#
#   bench/partial-frames.sh                                  # 300 × 4 MiB, this tree's ./arqon
#   ARQONBUS_MAX_PARTIAL_INBOUND_BYTES=268435456 bench/partial-frames.sh
#   LAUNCHER=/path/to/other/tree/arqon bench/partial-frames.sh   # another build, e.g. before a change
#
# Any ARQONBUS_* variable reaches the server. Keepalive is off (ARQONBUS_KEEPALIVE_INTERVAL_SECONDS=0)
# so that the plateau is measured, not what is left after pings time out. Loopback only; bounded by
# CONNECTIONS × FRAME bytes and about a minute.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=../.mvn/select-jdk.sh
. "$ROOT/.mvn/select-jdk.sh"
LAUNCHER="${LAUNCHER:-$ROOT/arqon}"
PORT="${PORT:-19180}"
CONNECTIONS="${CONNECTIONS:-300}"
FRAME="${FRAME:-4194304}"
LOG="$(mktemp -t arqon-partial-frames.XXXXXX)"

ARQONBUS_KEEPALIVE_INTERVAL_SECONDS="${ARQONBUS_KEEPALIVE_INTERVAL_SECONDS:-0}" \
  "$LAUNCHER" serve --port "$PORT" --http-port -1 --telemetry-port -1 --stats-interval-seconds 0 >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  grep -q ' ready: ' "$LOG" && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.5
done
grep -q ' ready: ' "$LOG" || { echo "partial-frames: the server did not start; log: $LOG" >&2; exit 1; }

"$JAVA_HOME/bin/java" "$ROOT/bench/PartialFrameFlood.java" "$PORT" "$SERVER" "$CONNECTIONS" "$FRAME"
grep -c 'event=out_of_memory' "$LOG" | sed 's/^/out_of_memory_log_lines=/'
