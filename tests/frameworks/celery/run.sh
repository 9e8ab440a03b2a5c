#!/usr/bin/env bash
# tests/frameworks/celery/run.sh PORT - real Celery 5 workers (kombu redis
# transport + redis result backend) against the server on PORT.  Checks
# exactly-once execution, results, countdown/eta, retries, failures, group/
# chord/chain and redelivery of an acks_late task after SIGKILL of its worker.
set -uo pipefail
PORT=${1:?usage: run.sh PORT}
here=$(cd "$(dirname "$0")" && pwd)
: "${FW_TMP:=$(mktemp -d /tmp/sluice-fw-celery.XXXXXX)}"
export FW_PORT=$PORT FW_TMP FW_VT=3 PYTHONPATH=$here PYTHONDONTWRITEBYTECODE=1
PY=/usr/bin/python3
pids=$FW_TMP/celery.pids
: > "$pids"

cleanup() {
    local p kids=() alive i
    for p in $(cat "$pids"); do
        kids+=($(pgrep -P "$p" 2>/dev/null))
        kill -TERM "$p" 2>/dev/null
    done
    for i in $(seq 1 50); do
        alive=0
        for p in $(cat "$pids") "${kids[@]}"; do
            kill -0 "$p" 2>/dev/null && alive=1
        done
        [ $alive -eq 0 ] && break
        sleep 0.1
    done
    for p in $(cat "$pids") "${kids[@]}"; do
        kill -KILL "$p" 2>/dev/null
    done
    wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_worker() {
    local name=$1; shift
    (cd "$here" && exec $PY -m celery -A tasks worker -n "$name@fwtest" --loglevel=INFO \
        --logfile="$FW_TMP/$name.log" "$@" >"$FW_TMP/$name.out" 2>&1) &
    echo $! >> "$pids"
}

redis-cli -p "$PORT" flushdb >/dev/null
start_worker w1 -P prefork -c 2 -Q celery
start_worker w2 -P threads -c 4 -Q celery
start_worker victim -P solo -Q late
tail -1 "$pids" > "$FW_TMP/victim.pid"
disown %3 2>/dev/null   # it gets SIGKILLed on purpose: no "Killed" job notice

(cd "$here" && timeout 120 $PY producer.py)
rc=$?
if [ $rc -ne 0 ]; then
    echo "celery: worker logs in $FW_TMP (*.log, *.out)" >&2
fi
exit $rc
