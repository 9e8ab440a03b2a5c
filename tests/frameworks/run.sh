#!/usr/bin/env bash
# tests/frameworks/run.sh - run real job-queue frameworks against a spawned
# server (issue 8): Celery 5, RQ, Sidekiq 6 (Debian packages) and BullMQ (npm,
# tests/frameworks/bullmq/node_modules).  `make test` runs it; a framework
# whose packages are missing is reported as SKIPPED, never as passed.
#
#   bash tests/frameworks/run.sh [--server PATH] [celery rq sidekiq bullmq]
#
# --server defaults to src/sluice-server; `--server redis-server` runs the same
# checks against Redis 7.0.15 (how each check was validated).  Every framework
# gets a fresh server on a free port in a temporary directory, then
# tests/frameworks/<fw>/run.sh PORT runs its workers and exits non-zero when a
# job did not run exactly once or a result, retry, delay or failure is wrong.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SERVER=$root/src/sluice-server
fws=()
while [ $# -gt 0 ]; do
    case "$1" in
        --server) SERVER=$2; shift 2 ;;
        *) fws+=("$1"); shift ;;
    esac
done
[ ${#fws[@]} -eq 0 ] && fws=(celery rq sidekiq bullmq)

have() {
    case "$1" in
        celery) /usr/bin/python3 -c 'import celery, kombu, redis' 2>/dev/null ;;
        rq) /usr/bin/python3 -c 'import rq, redis' 2>/dev/null ;;
        sidekiq) ruby -e 'require "sidekiq"; require "redis"' 2>/dev/null ;;
        bullmq) [ -d "$here/bullmq/node_modules/bullmq" ] && command -v node >/dev/null ;;
        *) return 1 ;;
    esac
}

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_server DIR -> sets PORT and PID
start_server() {
    local dir=$1 i
    PORT=$(free_port)
    case "$(basename "$SERVER")" in
        redis-server*) "$SERVER" --port "$PORT" --bind 127.0.0.1 --dir "$dir" --save '' \
            --appendonly no --daemonize no --logfile "$dir/server.log" &
            ;;
        *) "$SERVER" --port "$PORT" --bind 127.0.0.1 --dir "$dir" \
            --logfile "$dir/server.log" &
            ;;
    esac
    PID=$!
    for i in $(seq 1 100); do
        redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG && return 0
        sleep 0.05
    done
    echo "frameworks: server did not start on port $PORT" >&2
    return 1
}

stop_server() {
    kill "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
}

failed=0
summary=()
for fw in "${fws[@]}"; do
    if ! have "$fw"; then
        summary+=("$fw: SKIPPED (packages not installed; run deps/install.sh)")
        continue
    fi
    dir=$(mktemp -d /tmp/sluice-fw-$fw.XXXXXX)
    echo "== framework $fw ($(basename "$SERVER"))"
    if ! start_server "$dir"; then
        failed=1; summary+=("$fw: FAILED (server did not start)"); continue
    fi
    start=$(date +%s)
    (cd "$here/$fw" && FW_TMP=$dir timeout 600 bash ./run.sh "$PORT")
    rc=$?
    secs=$(( $(date +%s) - start ))
    if ! kill -0 "$PID" 2>/dev/null; then
        echo "frameworks: $fw: the server died; log tail:" >&2
        tail -20 "$dir/server.log" >&2
        rc=1
    fi
    stop_server
    if [ $rc -eq 0 ]; then
        summary+=("$fw: passed (${secs}s)")
        rm -rf "$dir"
    else
        summary+=("$fw: FAILED (exit $rc, ${secs}s; server log $dir/server.log)")
        failed=1
    fi
done
echo "== frameworks summary"
printf '  %s\n' "${summary[@]}"
exit $failed
