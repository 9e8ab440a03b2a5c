#!/usr/bin/env bash
# tests/frameworks/celery/bench.sh PORT JOBS - push JOBS trivial Celery tasks
# (kombu redis broker + redis result backend on 127.0.0.1:PORT) through a
# fixed worker pool and print exactly one line `jobs_per_sec <float>`, timed
# from the first enqueue to the last result received.  Server-agnostic.
# Pool: BENCH_POOL (default threads) x BENCH_CONC (default 4) in BENCH_WORKERS
# (default 1) worker processes, prefetch multiplier BENCH_PREFETCH (default 32);
# threads x4 was the most stable of threads/prefork/solo on a 2-core box.
set -uo pipefail
PORT=${1:?usage: bench.sh PORT JOBS}
JOBS=${2:?usage: bench.sh PORT JOBS}
here=$(cd "$(dirname "$0")" && pwd)
POOL=${BENCH_POOL:-threads}
CONC=${BENCH_CONC:-4}
NW=${BENCH_WORKERS:-1}
tmp=$(mktemp -d /tmp/sluice-celery-bench.XXXXXX)
export FW_PORT=$PORT PYTHONPATH=$here PYTHONDONTWRITEBYTECODE=1 FW_PREFETCH=${BENCH_PREFETCH:-32}
PY=/usr/bin/python3
pids=()
kids=()
cleanup() {
    local p i alive
    for p in "${pids[@]}"; do
        kids+=($(pgrep -P "$p" 2>/dev/null))
        kill -TERM "$p" 2>/dev/null
    done
    for i in $(seq 1 50); do
        alive=0
        for p in "${pids[@]}" "${kids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ $alive -eq 0 ] && break
        sleep 0.1
    done
    for p in "${pids[@]}" "${kids[@]}"; do kill -KILL "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

names=()
for n in $(seq 1 "$NW"); do
    (cd "$here" && exec $PY -m celery -A tasks worker -n "bench$n@fwbench" -P "$POOL" -c "$CONC" \
        --without-gossip --without-mingle --without-heartbeat --loglevel=WARNING \
        --logfile="$tmp/w$n.log" >"$tmp/w$n.out" 2>&1) &
    pids+=($!)
    names+=("bench$n@fwbench")
done
(cd "$here" && $PY bench.py "$JOBS" "$(IFS=,; echo "${names[*]}")")
