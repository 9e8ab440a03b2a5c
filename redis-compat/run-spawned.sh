#!/usr/bin/env bash
# redis-compat/run-spawned.sh - run units of Redis 7.0.15's Tcl test suite in
# its normal (spawned) mode, where the suite starts `src/redis-server CONFIG`
# itself for every start_server block, with a chosen server standing in.
#
# Units tagged external:skip (unit/aofrw, integration/aof*, ...) only run
# this way: they restart servers, edit AOF files between starts, read the
# server's log, run src/redis-check-aof. Each unit runs in its own tclsh
# process and work directory .cache/spawned/UNIT/ (tests/ symlinked to the
# suite fetch.sh unpacks, its own tests/tmp/, src/ with
#     redis-server    -> the server
#     redis-check-aof -> sluice-check-aof next to it (redis-check-aof for
#                        a binary named redis-server*)
#     redis-cli, redis-benchmark -> the installed ones),
# so a unit that hangs loses only its own remaining tests. Then the results
# are compared with expected-pass-spawned.txt (same rules as run.sh).
# Tests listed in known-failures-spawned.txt are skipped (--skipfile) unless
# --all is given: some leave state behind that breaks or hangs later tests.
# The suite runs with --dont-clean: each server's log stays in
# .cache/spawned/UNIT/tests/tmp/server.*/stdout until the next run.
#
# Usage: redis-compat/run-spawned.sh [--server PATH] [--check-aof PATH]
#            [--units "unit/aofrw integration/aof"] [--jobs N] [--all]
#            [--update] [--verbose]
#   --server PATH     server binary (default: src/sluice-server of the repo)
#   --check-aof PATH  what src/redis-check-aof runs (see above for default)
#   --units LIST      units to run (default: unit/aofrw integration/aof
#                     integration/aof-multi-part and every unit with lines
#                     in expected-pass-spawned.txt)
#   --jobs N          units run at once (default 3)
#   --all             also run the tests of known-failures-spawned.txt
#   --update          append tests that now pass to expected-pass-spawned.txt
#   --verbose         print each unit's output when it ends
# Environment:
#   BASEPORT, PORTCOUNT  ports the suite may use: BASEPORT..BASEPORT+PORTCOUNT-1
#                        (22000, 900), split between the jobs; the suite also
#                        probes port+10000 before using a port
#   TEST_TIMEOUT   suite's --timeout: seconds without progress (60)
#   UNIT_TIMEOUT   seconds before a unit is killed and failed (900)
#   EXTRA_TCL_ARGS extra test_helper.tcl arguments (word split), e.g.
#                  "--dump-logs" or "--only 'AOF rewrite functions'"
#
# Exit: 0 when every expected test passed, 1 otherwise, 2 on usage/setup
# errors. The last line is `compat-spawned: N passed, M failed`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/report.sh"
root=$(cd "$here/.." && pwd)
suite=$here/.cache/redis-7.0.15
work=$here/.cache/spawned
logs=$here/.cache/logs-spawned
expected_file=$here/expected-pass-spawned.txt
known_file=$here/known-failures-spawned.txt
default_units=(unit/aofrw integration/aof integration/aof-multi-part)

server=$root/src/sluice-server
check_aof=
units_arg=
units_given=0
update=0
verbose=0
run_all=0
jobs=3
baseport=${BASEPORT:-22000}
portcount=${PORTCOUNT:-900}
test_timeout=${TEST_TIMEOUT:-60}
unit_timeout=${UNIT_TIMEOUT:-900}

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

die() {
    echo "run-spawned.sh: $*" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --server)
            server=${2:?--server needs a path}
            shift 2
            ;;
        --check-aof)
            check_aof=${2:?--check-aof needs a path}
            shift 2
            ;;
        --units)
            units_arg=${2:?--units needs a list}
            units_given=1
            shift 2
            ;;
        --jobs | -j)
            jobs=${2:?--jobs needs a number}
            shift 2
            ;;
        --all)
            run_all=1
            shift
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
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

abs_path() {
    case "$1" in
        /*) echo "$1" ;;
        */*) echo "$(cd "$(dirname "$1")" 2>/dev/null && pwd)/$(basename "$1")" ;;
        *) command -v "$1" || echo "$1" ;;
    esac
}

server=$(abs_path "$server")
[ -x "$server" ] || die "server binary not found or not executable: $server (build it, or use --server)"
if [ -z "$check_aof" ]; then
    case "$(basename "$server")" in
        redis-server*) check_aof=$(command -v redis-check-aof || true) ;;
        *)
            check_aof=$(dirname "$server")/sluice-check-aof
            [ -x "$check_aof" ] || check_aof=$root/src/sluice-check-aof
            ;;
    esac
fi
check_aof=$(abs_path "$check_aof")
[ -x "$check_aof" ] || die "AOF checker not found: $check_aof (build it, or use --check-aof)"
for tool in tclsh redis-cli timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run deps/install.sh)"
done
case "$jobs$baseport$portcount" in *[!0-9]*) die "--jobs, BASEPORT and PORTCOUNT must be numbers" ;; esac
[ "$jobs" -ge 1 ] || jobs=1
"$here/fetch.sh" || die "could not fetch the Redis test suite"

# --- which units ------------------------------------------------------------

units=()
if [ "$units_given" -eq 1 ]; then
    read -ra units <<<"$units_arg"
else
    units=("${default_units[@]}")
    while IFS= read -r u; do
        case " ${units[*]} " in *" $u "*) ;; *) units+=("$u") ;; esac
    done < <(grep -v '^#' "$expected_file" 2>/dev/null | cut -f1 | grep -v '^$' | awk '!seen[$0]++' || true)
fi
for i in "${!units[@]}"; do
    units[i]=${units[i]%.tcl}
    [ -f "$suite/tests/${units[i]}.tcl" ] || die "unknown unit: ${units[i]} (no tests/${units[i]}.tcl)"
done
[ "${#units[@]}" -gt 0 ] || die "no units to run"
[ "$jobs" -le "${#units[@]}" ] || jobs=${#units[@]}
# The scheduler needs `wait -n -p` (bash 5.1); older: all units at once.
if [ "${BASH_VERSINFO[0]}" -lt 5 ] || { [ "${BASH_VERSINFO[0]}" -eq 5 ] && [ "${BASH_VERSINFO[1]}" -lt 1 ]; }; then
    jobs=${#units[@]}
fi

# Each job slot gets PORTCOUNT/jobs ports: the first 32 for the suite's own
# control port (it takes one in BASE-32..BASE-1), the rest for servers.
slice=$((portcount / jobs))
[ "$slice" -ge 64 ] || die "PORTCOUNT=$portcount is too small for $jobs job(s) (64 each)"

# --- processes --------------------------------------------------------------

# Everything a unit starts (tclsh, its test client, servers, rewrite
# children, redis-cli) runs with its cwd inside that unit's work directory:
# that is how leftovers are found after a unit is killed or hangs.
kill_leftovers() {
    local dir=$1 pid pids=()
    while read -r pid; do
        [ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] || pids+=("$pid")
    done < <(find /proc -mindepth 2 -maxdepth 2 -name cwd \( -lname "$dir" -o -lname "$dir/*" \) \
        -printf '%h\n' 2>/dev/null | sed 's|^/proc/||')
    [ "${#pids[@]}" -eq 0 ] || kill -KILL "${pids[@]}" 2>/dev/null || true
}

running=()
# shellcheck disable=SC2317 # called by the trap
on_signal() {
    local pid
    for pid in ${running[@]+"${running[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    kill_leftovers "$work"
    exit 130
}
trap on_signal INT TERM

slug_of() { echo "${1//\//_}"; }

# prepare_dir UNIT: a fresh work directory for the unit.
prepare_dir() {
    local wd d
    wd=$work/$(slug_of "$1")
    kill_leftovers "$wd"
    rm -rf "$wd"
    mkdir -p "$wd/src" "$wd/tests/tmp"
    for d in test_helper.tcl support helpers assets unit integration; do
        ln -s "$suite/tests/$d" "$wd/tests/$d"
    done
    ln -s "$server" "$wd/src/redis-server"
    ln -s "$check_aof" "$wd/src/redis-check-aof"
    ln -s "$(command -v redis-cli)" "$wd/src/redis-cli"
    if command -v redis-benchmark >/dev/null 2>&1; then
        ln -s "$(command -v redis-benchmark)" "$wd/src/redis-benchmark"
    fi
}

# run_unit UNIT SLOT: run in the background by the scheduler below; writes
# LOG, and "RC SECONDS" into LOG.rc when done.
run_unit() {
    local unit=$1 slot=$2 slug wd log t0 rc=0
    slug=$(slug_of "$unit")
    wd=$work/$slug
    log=$logs/$slug.log
    t0=$(date +%s)
    local base=$((baseport + slot * slice + 32)) count=$((slice - 32))
    local cmd=(timeout -k 10 "$unit_timeout" tclsh tests/test_helper.tcl --single "$unit"
        --clients 1 --durable --dont-clean --timeout "$test_timeout"
        --baseport "$base" --portcount "$count")
    if [ "$run_all" -eq 0 ]; then
        # This unit's known failures, one exact name a line.
        awk -F'\t' -v u="$unit" '!/^#/ && $1 == u && NF >= 2 { print $2 }' "$known_file" \
            >"$wd/skip.txt" 2>/dev/null || true
        [ ! -s "$wd/skip.txt" ] || cmd+=(--skipfile skip.txt)
    fi
    cmd+=(${extra_tcl_args[@]+"${extra_tcl_args[@]}"})
    echo "### cd $wd && ${cmd[*]}" >"$log"
    (cd "$wd" && TERM=dumb exec "${cmd[@]}") </dev/null >>"$log" 2>&1 || rc=$?
    kill_leftovers "$wd"
    echo "$rc $(($(date +%s) - t0))" >"$log.rc"
}

extra_tcl_args=()
[ -z "${EXTRA_TCL_ARGS:-}" ] || eval "extra_tcl_args=($EXTRA_TCL_ARGS)"

mkdir -p "$logs" "$work"
rm -f "$logs"/*.log "$logs"/*.log.rc
echo "server: $server"
echo "check-aof: $check_aof"
started=$(date +%s)

# Start units as job slots free up (slot = index into the port slices).
declare -A slot_of_pid=()
free_slots=()
for ((s = 0; s < jobs; s++)); do free_slots+=("$s"); done
for unit in "${units[@]}"; do
    while [ "${#free_slots[@]}" -eq 0 ]; do
        done_pid=
        wait -n -p done_pid "${running[@]}" || true
        [ -n "$done_pid" ] || continue
        free_slots+=("${slot_of_pid[$done_pid]}")
        unset "slot_of_pid[$done_pid]"
        new=()
        for p in "${running[@]}"; do [ "$p" = "$done_pid" ] || new+=("$p"); done
        running=(${new[@]+"${new[@]}"})
    done
    slot=${free_slots[0]}
    free_slots=("${free_slots[@]:1}")
    prepare_dir "$unit"
    echo "starting $unit"
    run_unit "$unit" "$slot" &
    running+=($!)
    slot_of_pid[$!]=$slot
done
wait
running=()
elapsed=$(($(date +%s) - started))

# --- results ----------------------------------------------------------------

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

for unit in "${units[@]}"; do
    slug=$(slug_of "$unit")
    log=$logs/$slug.log
    read -r rc secs <"$log.rc" || { rc=1 secs=0; }
    status=$(parse_log "$unit" "$log")
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        status=killed-after-${unit_timeout}s
    fi
    printf '%s\t%s\t%s\n' "$unit" "$status" "$secs" >>"$units_tsv"
    if [ "$verbose" -eq 1 ]; then
        echo "=== $unit"
        cat "$log"
    fi
    if [ "$status" = suite-timeout ]; then
        # The test that was running when the suite gave up.
        grep -m1 -A1 '^\[TIMEOUT\]' "$log" | sed -n "2s|^[^ ]* => |$unit: suite timed out in: |p" || true
    fi
    grep -m1 -A1 '^\[exception\]: ' "$log" | sed -n "2s|^|$unit: exception: |p" || true
done

compat_report compat-spawned "; skipped unless --all"
echo "logs: ${logs#"$root"/}/ (UNIT.log, results.tsv, report.txt); server logs: ${work#"$root"/}/UNIT/tests/tmp/server.*/stdout"
cat "$report"
exit "$rc"
