#!/usr/bin/env bash
# tests/frameworks/sidekiq/run.sh PORT - real Sidekiq 6 (Debian ruby-sidekiq)
# worker process against the server on 127.0.0.1:PORT.  Pushes ~400 jobs
# (async, bulk, scheduled, retried, dead) from producer.rb, runs the real
# `sidekiq` CLI on them, stops it with TERM, then checks exact run counts,
# scheduling times, retry attempts, the dead set and Sidekiq::Stats.
set -uo pipefail
PORT=${1:?usage: run.sh PORT}
cd "$(dirname "$0")"
TMP=${FW_TMP:-$(mktemp -d /tmp/sidekiq-fw.XXXXXX)}
export REDIS_URL=redis://127.0.0.1:$PORT/0
LOG=$TMP/sidekiq-worker.log
start=$(date +%s)
WPID=

cleanup() {
    if [ -n "$WPID" ] && kill -0 "$WPID" 2>/dev/null; then
        kill -TERM "$WPID" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$WPID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$WPID" 2>/dev/null
        wait "$WPID" 2>/dev/null
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
    echo "sidekiq: FAIL $*" >&2
    echo "sidekiq: worker log tail ($LOG):" >&2
    tail -25 "$LOG" >&2 2>/dev/null
    echo "sidekiq: FAILED ($(( $(date +%s) - start ))s)"
    exit 1
}

ruby producer.rb early || fail "producer early phase"

# -t 10: shutdown timeout; -c 5 threads; both queues, weighted equally
sidekiq -r ./jobs.rb -c 5 -t 10 -q default -q critical >"$LOG" 2>&1 &
WPID=$!

# a failing main phase still stops the worker and runs the final checks
main_ok=1
ruby producer.rb main || main_ok=0
kill -0 "$WPID" 2>/dev/null || fail "sidekiq worker died"

kids=$(pgrep -P "$WPID" 2>/dev/null | tr '\n' ' ')
kill -TERM "$WPID"
stopped=0
for _ in $(seq 1 150); do
    kill -0 "$WPID" 2>/dev/null || { stopped=1; break; }
    sleep 0.1
done
[ $stopped = 1 ] || fail "sidekiq worker did not exit within 15 s of TERM"
wait "$WPID"; wrc=$?
WPID=
[ $wrc -eq 0 ] || fail "sidekiq worker exited with status $wrc"
grep -q 'Bye!' "$LOG" || fail "worker log has no clean shutdown ('Bye!')"
if grep -E 'ERROR|heartbeat:|Unable to flush' "$LOG" | grep -v -E 'FlakyError|PermanentError' | grep -q .; then
    fail "unexpected errors in worker log: $(grep -E 'ERROR|heartbeat:|Unable to flush' "$LOG" | grep -v -E 'FlakyError|PermanentError' | head -3)"
fi
# neither the worker nor any child of it may be left
left=
for p in $kids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
[ -z "$left" ] || fail "processes left after TERM:$left"

ruby producer.rb final || fail "producer final phase"
[ $main_ok = 1 ] || fail "producer main phase"
echo "sidekiq: passed ($(( $(date +%s) - start ))s): 359 jobs ran exactly once (300 plain," \
     "20 critical-queue, 30 scheduled, 5 retried x3, 2 via RetrySet API, 2 via ScheduledSet API)," \
     "7 dead, 2 discarded; Stats processed=385 failed=26"
