#!/usr/bin/env bash
# idle-cpu.sh <park-us>: the reader agent JVM's CPU while idle, with state.idle.max.park.us=<park-us>.
# JOURNAL names a journal root the agent drains first (default /tmp/idle/journal; the 2026-11-22 run used the 10
# journals of `deploy/bin/tradestate demo --duration 2s --db-port 0 --journal-dir /tmp/idle/journal`). The agent
# starts on a fresh embedded PostgreSQL under /tmp/idle/state-<park-us>, drains, settles for 25 s; then user + system
# time of its JVM over 30 s (/proc/<pid>/stat) is printed in cores, and the agent stopped.
set -euo pipefail
park=$1
work=/tmp/idle
mkdir -p "$work"
rm -rf "$work/state-$park"
TRADESTATE_JOURNAL_ROOT="${JOURNAL:-$work/journal}" TRADESTATE_STATE_DIR="$work/state-$park" \
TRADESTATE_DB_EMBEDDED_PORT=0 TRADESTATE_METRICS_PORT=-1 TRADESTATE_STATE_IDLE_MAX_PARK_US="$park" \
    "$(dirname "$0")"/../../../deploy/bin/tradestate-reader-agent > "$work/agent-$park.log" 2>&1 &
launcher=$!
sleep 25
pid=$(pgrep -f "tradestate-reader-agent-.*-runnable.jar" | head -n 1)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
t0=$(ticks "$pid"); s0=$(date +%s.%N)
sleep 30
t1=$(ticks "$pid"); s1=$(date +%s.%N)
echo "park $park us: agent JVM $(echo "($t1 - $t0) / 100 / ($s1 - $s0)" | bc -l | cut -c1-5) cores while idle"
kill -TERM "$pid"
wait "$launcher" || true
