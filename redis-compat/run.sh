#!/usr/bin/env bash
# redis-compat/run.sh - run Redis 7.0.15's own Tcl test suite against a server.
#
# For each unit (units.txt, or --units), start a fresh server on a free port,
# wait for PING, run the unit in external-server mode under `timeout`, stop
# the server, and parse the suite's [ok]/[err]/[skip]/[ignore] lines. Then
# compare with expected-pass.txt: every listed test must pass (a name listed
# twice needs two passes). known-failures.txt only documents exclusions.
#
# Usage: redis-compat/run.sh [--server PATH] [--units "unit/a unit/b"]
#                            [--update] [--verbose]
#   --server PATH  server binary (default: src/sluice-server of the repo);
#                  a binary named redis-server* gets Redis-style args
#                  (those of the suite's tests/assets/default.conf)
#   --units LIST   run only these units (space separated)
#   --update       append tests that now pass to expected-pass.txt
#                  (lines are never removed)
#   --verbose      also stream each unit's test output
# Environment:
#   SERVER_ARGS    extra server arguments (word split)
#   UNIT_TIMEOUT   seconds before a unit is killed and failed (300)
#   TEST_TIMEOUT   suite's --timeout: seconds without progress (120)
#   EXTRA_TCL_ARGS extra test_helper.tcl arguments (word split)
#   NOT_REQUIRED   a file of UNIT<TAB>TEST lines dropped from the expected
#                  tests for this run (make asan: needs-jemalloc.txt)
#
# Exit: 0 when every expected test passed, 1 otherwise, 2 on usage/setup
# errors. The last line is `compat: N passed, M failed` (expected tests).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/report.sh"
root=$(cd "$here/.." && pwd)
suite=$here/.cache/redis-7.0.15
logs=$here/.cache/logs
rundir=$here/.cache/run
expected_file=$here/expected-pass.txt
known_file=$here/known-failures.txt
units_file=$here/units.txt

server=$root/src/sluice-server
units_arg=
units_given=0
update=0
verbose=0
unit_timeout=${UNIT_TIMEOUT:-300}
test_timeout=${TEST_TIMEOUT:-120}

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --server)
            server=${2:?--server needs a path}
            shift 2
            ;;
        --units)
            units_arg=${2:?--units needs a list}
            units_given=1
            shift 2
            ;;
        --update)
            update=1
            shift
            ;;
        --verbose | -v)
            verbose=1
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            echo "run.sh: unknown argument: $1 (see --help)" >&2
            exit 2
            ;;
    esac
done

die() {
    echo "run.sh: $*" >&2
    exit 2
}

case "$server" in
    /*) ;;
    */*) server=$(cd "$(dirname "$server")" 2>/dev/null && pwd)/$(basename "$server") ;;
    *) server=$(command -v "$server" || echo "$server") ;;
esac
[ -x "$server" ] || die "server binary not found or not executable: $server (build it, or use --server)"
for tool in tclsh redis-cli timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run deps/install.sh)"
done
"$here/fetch.sh" || die "could not fetch the Redis test suite"

# --- which units ------------------------------------------------------------

# Print the non-comment, non-blank lines of a file, trimmed.
read_list() {
    [ -f "$1" ] || return 0
    sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e 's/^[[:space:]]*//' "$1" | grep -v '^$' || true
}

units=()
if [ "$units_given" -eq 1 ]; then
    read -ra units <<<"$units_arg"
else
    mapfile -t units < <(read_list "$units_file")
    # Expectations are never dropped by editing units.txt: a unit that has
    # expected tests always runs in a full run.
    while IFS= read -r u; do
        case " ${units[*]} " in
            *" $u "*) ;;
            *)
                echo "run.sh: note: $u has expectations but is not in units.txt; running it" >&2
                units+=("$u")
                ;;
        esac
    done < <(grep -v '^#' "$expected_file" 2>/dev/null | cut -f1 | grep -v '^$' | awk '!seen[$0]++' || true)
fi
for i in "${!units[@]}"; do
    units[i]=${units[i]%.tcl}
    [ -f "$suite/tests/${units[i]}.tcl" ] || die "unknown unit: ${units[i]} (no tests/${units[i]}.tcl)"
done
[ "${#units[@]}" -gt 0 ] || die "no units to run"

# --- server control ---------------------------------------------------------

# kill -0 succeeds on an unreaped (zombie) child, so look at its state.
is_alive() {
    local st
    st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) || return 1
    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

server_pid=
stop_server() {
    [ -n "$server_pid" ] || return 0
    kill -TERM "$server_pid" 2>/dev/null || true
    local i
    for i in $(seq 50); do
        is_alive "$server_pid" || break
        sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# A port the kernel just let us bind on 127.0.0.1 (then released).
free_port() {
    # shellcheck disable=SC2016 # Tcl code, not shell expansions
    echo 'set s [socket -server {} -myaddr 127.0.0.1 0]
          puts [lindex [fconfigure $s -sockname] 2]; close $s' | tclsh
}

server_is_redis=0
case "$(basename "$server")" in redis-server*) server_is_redis=1 ;; esac
extra_server_args=()
[ -z "${SERVER_ARGS:-}" ] || read -ra extra_server_args <<<"$SERVER_ARGS"
extra_tcl_args=()
[ -z "${EXTRA_TCL_ARGS:-}" ] || read -ra extra_tcl_args <<<"$EXTRA_TCL_ARGS"

# start_server UNIT_SLUG -> sets server_pid and port; returns 1 on failure.
port=
start_server() {
    local slug=$1 attempt i wd srvlog
    wd=$rundir/$slug
    srvlog=$logs/$slug.server.log
    : >"$srvlog"
    for attempt in 1 2 3; do
        port=$(free_port)
        rm -rf "$wd"
        mkdir -p "$wd"
        local args=(--port "$port")
        if [ "$server_is_redis" -eq 1 ]; then
            # Plus what the suite's tests/assets/default.conf gives the
            # servers it spawns itself (DEBUG, CONFIG SET dir, ...).
            args+=(--bind 127.0.0.1 --save '' --appendonly no
                --enable-debug-command yes --enable-protected-configs yes
                --enable-module-command yes --notify-keyspace-events KEA
                --latency-monitor-threshold 1)
        else
            args+=(--appendonly no)
        fi
        args+=(${extra_server_args[@]+"${extra_server_args[@]}"})
        echo "### attempt $attempt: $server ${args[*]}" >>"$srvlog"
        (cd "$wd" && exec "$server" "${args[@]}") >>"$srvlog" 2>&1 </dev/null &
        server_pid=$!
        for i in $(seq 100); do
            if ! is_alive "$server_pid"; then
                wait "$server_pid" 2>/dev/null || true
                server_pid=
                break
            fi
            if [ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; then
                return 0
            fi
            sleep 0.1
        done
        stop_server
    done
    return 1
}

# --- run units --------------------------------------------------------------

mkdir -p "$logs" "$rundir" "$suite/tests/tmp" "$suite/src"
# Some helpers call src/redis-cli, src/redis-benchmark, src/redis-server.
ln -sfn "$(command -v redis-cli)" "$suite/src/redis-cli"
if command -v redis-benchmark >/dev/null 2>&1; then
    ln -sfn "$(command -v redis-benchmark)" "$suite/src/redis-benchmark"
fi
ln -sfn "$server" "$suite/src/redis-server"

results=$logs/results.tsv # UNIT \t KIND \t NAME  (KIND: ok err error skip ignore)
units_tsv=$logs/units.tsv # UNIT \t STATUS \t SECONDS
: >"$results"
: >"$units_tsv"

# parse_log UNIT LOG: append UNIT's results; print the unit's status word.
parse_log() {
    local unit=$1 log=$2
    sed 's/\x1b\[[0-9;]*m//g' "$log" | awk -v unit="$unit" -v out="$results" '
        BEGIN { suffix = " in tests/" unit ".tcl"; status = "incomplete" }
        function emit(kind, name) { printf "%s\t%s\t%s\n", unit, kind, name >> out }
        /^\[ok\]: / {
            name = substr($0, 7); sub(/ \([0-9]+ ms\)$/, "", name); emit("ok", name); next
        }
        /^\[err\]: / {
            name = substr($0, 8)
            n = length(name) - length(suffix)
            if (n > 0 && substr(name, n + 1) == suffix) emit("err", substr(name, 1, n))
            else emit("error", name)
            next
        }
        /^\[skip\]: / { emit("skip", substr($0, 9)); next }
        /^\[ignore\]: / { emit("ignore", substr($0, 11)); next }
        /^\[exception\]: / { status = "exception"; next }
        /^\[TIMEOUT\]: / { status = "suite-timeout"; next }
        /^\[[0-9]+\/[0-9]+ done\]: / { if (status == "incomplete") status = "done"; next }
        END { print status }'
}

slug_of() { echo "${1//\//_}"; }

started=$(date +%s)
echo "server: $server"
for unit in "${units[@]}"; do
    slug=$(slug_of "$unit")
    log=$logs/$slug.log
    t0=$(date +%s)
    printf '%-28s ' "$unit"
    if ! start_server "$slug"; then
        echo "server did not start (see ${logs#"$root"/}/$slug.server.log)" | tee "$log"
        printf '%s\t%s\t%s\n' "$unit" server-failed 0 >>"$units_tsv"
        continue
    fi
    tcl_cmd=(timeout -k 10 "$unit_timeout"
        tclsh tests/test_helper.tcl --host 127.0.0.1 --port "$port" --durable
        --single "$unit" --ignore-encoding --ignore-digest --tags -needs:repl
        --clients 1 --timeout "$test_timeout"
        --baseport $((20000 + RANDOM % 20000 / 64 * 64))
        ${extra_tcl_args[@]+"${extra_tcl_args[@]}"})
    echo "### cd $suite && ${tcl_cmd[*]}" >"$log"
    rc=0
    if [ "$verbose" -eq 1 ]; then
        echo
        (cd "$suite" && TERM=dumb "${tcl_cmd[@]}") </dev/null 2>&1 | tee -a "$log" || rc=${PIPESTATUS[0]}
    else
        (cd "$suite" && TERM=dumb "${tcl_cmd[@]}") </dev/null >>"$log" 2>&1 || rc=$?
    fi
    # The suite's own control port can collide with another process (it is
    # picked before it is bound): nothing ran yet, so try other base ports.
    for retry in 1 2 3; do
        grep -q "couldn't open socket: address already in use" "$log" || break
        tcl_cmd[${#tcl_cmd[@]}]=--baseport
        tcl_cmd[${#tcl_cmd[@]}]=$((40000 + RANDOM % 20000 / 64 * 64 + retry))
        echo "### retry $retry: cd $suite && ${tcl_cmd[*]}" >"$log"
        rc=0
        (cd "$suite" && TERM=dumb "${tcl_cmd[@]}") </dev/null >>"$log" 2>&1 || rc=$?
    done
    alive=1
    is_alive "$server_pid" || alive=0
    stop_server
    status=$(parse_log "$unit" "$log")
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        status=killed-after-${unit_timeout}s
    fi
    [ "$alive" -eq 1 ] || status="$status+server-died"
    secs=$(($(date +%s) - t0))
    printf '%s\t%s\t%s\n' "$unit" "$status" "$secs" >>"$units_tsv"
    awk -F'\t' -v u="$unit" -v st="$status" -v s="$secs" '
        $1 == u { c[$2]++ }
        END { printf "%d ok, %d err, %d skip/ignore  %s (%ds)\n",
              c["ok"], c["err"] + c["error"], c["skip"] + c["ignore"], st, s }' "$results"
    # Say why a unit stopped early: the suite's exception, first line.
    grep -m1 -A1 '^\[exception\]: ' "$log" | sed -n '2s/^/    exception: /p' || true
done
elapsed=$(($(date +%s) - started))

# --- compare with expectations ---------------------------------------------

compat_report compat
echo "logs: ${logs#"$root"/}/ (UNIT.log, UNIT.server.log, results.tsv, report.txt)"
cat "$report"
exit "$rc"
