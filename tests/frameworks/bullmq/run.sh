#!/usr/bin/env bash
# tests/frameworks/bullmq/run.sh PORT - BullMQ (npm, node_modules here)
# against a server on 127.0.0.1:PORT.  Starts a second worker process
# (worker2.js), then test.js adds ~335 jobs to queue 'main' (plain, delayed,
# retried, always-failing), plus priority, flow and repeatable queues;
# extras.js covers ids/dedup, removeOn*, pause/resume, rate limit, stalled
# recovery (SIGKILLed worker), schedulers, clean/obliterate.  Checks exact
# outcomes.  Scratch files go to $FW_TMP.  Exit 0 = all passed.
set -uo pipefail
PORT=${1:?usage: run.sh PORT}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
TMP=${FW_TMP:-$(mktemp -d /tmp/sluice-fw-bullmq.XXXXXX)}
mkdir -p "$TMP"

if [ ! -d node_modules/bullmq ]; then
    echo "bullmq: node_modules missing (npm ci --prefix tests/frameworks/bullmq)" >&2
    exit 1
fi

W2=
cleanup() {
    if [ -n "$W2" ] && kill -0 "$W2" 2>/dev/null; then
        kill -TERM "$W2" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$W2" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$W2" 2>/dev/null
        wait "$W2" 2>/dev/null
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

redis-cli -p "$PORT" flushall >/dev/null || { echo "bullmq: FLUSHALL failed" >&2; exit 1; }

node worker2.js "$PORT" >"$TMP/worker2.log" 2>&1 &
W2=$!

node test.js "$PORT"
rc=$?
node extras.js "$PORT" || rc=1
if [ -s "$TMP/worker2.log" ]; then
    echo "bullmq: worker2 output:" >&2
    tail -20 "$TMP/worker2.log" >&2
fi
exit $rc
