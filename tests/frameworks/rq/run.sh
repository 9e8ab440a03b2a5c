#!/usr/bin/env bash
# tests/frameworks/rq/run.sh PORT - real RQ 1.13 workers (`rq worker` CLI,
# Debian python3-rq) against the server on 127.0.0.1:PORT; see rqtest.py.
# Scratch files (worker logs) go to $FW_TMP.  Exit 0 only if every check passed.
set -uo pipefail
PORT=${1:?usage: run.sh PORT}
here=$(cd "$(dirname "$0")" && pwd)
export FW_TMP=${FW_TMP:-$(mktemp -d /tmp/sluice-fw-rq.XXXXXX)}
: > "$FW_TMP/rq-worker-pids"
driver=
# ours PID: still an `rq worker --url redis://127.0.0.1:PORT/0` process (or one
# of its forked work horses, same command line) - never a reused pid
ours() {
    { tr '\0' ' ' < "/proc/$1/cmdline"; } 2>/dev/null | grep -q -- "rq worker --url redis://127.0.0.1:$PORT/0 "
}
cleanup() {
    [ -n "$driver" ] && kill "$driver" 2>/dev/null && wait "$driver" 2>/dev/null
    # normally the driver has already stopped every worker; this is the
    # fallback when it was killed.  Workers run in their own sessions and work
    # horses call setsid(), so kill each listed pid and its children by pid.
    local p c
    while read -r p; do
        [ -n "$p" ] || continue
        for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do ours "$c" && kill -9 "$c" 2>/dev/null; done
        ours "$p" && kill -9 "$p" 2>/dev/null
    done < "$FW_TMP/rq-worker-pids"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
/usr/bin/python3 "$here/rqtest.py" "$PORT" &
driver=$!
wait "$driver"
rc=$?
driver=
if [ $rc -ne 0 ]; then
    echo "rq: worker logs in $FW_TMP" >&2
fi
exit $rc
