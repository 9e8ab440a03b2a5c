# tests/bench/lib.sh - what every side-by-side benchmark script shares:
# a scratch directory and the servers it started (stopped on exit), free
# ports, starting a server and waiting for PING, and reading a process's CPU
# time and memory.  Source it, then call bench_init NAME DEFAULT_PORT.
#
# Environment read here:
#   BENCH_PORT=7400   first port to try (free ports are probed upwards)
#   BENCH_PIN=1       run servers on CPU 0 (bench_prefix 0) and clients on CPU 1
#   BENCH_NICE=-5     run servers and clients at this nice level (root only)
#   SLUICE_SERVER, REDIS_SERVER   binaries to use

here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
root=$(cd "$here/../.." && pwd)
SLUICE_SERVER=${SLUICE_SERVER:-$root/src/sluice-server}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
TICK=$(getconf CLK_TCK)

bench_init() { # name default-port
    BENCH_NAME=$1
    next_port=${BENCH_PORT:-$2}
    tmp=$(mktemp -d "/tmp/sluice-$1.XXXXXX")
    pids=()
    trap bench_cleanup EXIT
    trap 'echo; echo "interrupted: stopping servers" >&2; exit 130' INT TERM
    [ -x "$SLUICE_SERVER" ] || die "no $SLUICE_SERVER (run make)"
    command -v "$REDIS_SERVER" >/dev/null || die "no $REDIS_SERVER (make deps)"
    command -v redis-cli >/dev/null || die "no redis-cli (make deps)"
}

bench_cleanup() {
    local p
    for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
    for p in "${pids[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null; done
    pids=()
    rm -rf "$tmp"
}

die() {
    echo "$BENCH_NAME: $*" >&2
    exit 1
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
    while port_busy "$next_port"; do next_port=$((next_port + 1)); done
    echo "$next_port"
    next_port=$((next_port + 1))
}

# Command prefix for a benchmark process on CPU $1 (BENCH_PIN, BENCH_NICE).
bench_prefix() {
    [ -n "${BENCH_NICE:-}" ] && echo "nice -n $BENCH_NICE"
    if [ "${BENCH_PIN:-0}" = 1 ] && command -v taskset >/dev/null; then
        echo "taskset -c $1"
    fi
}

# start_server name port cmd... -> started_pid (runs in $tmp/name, log $tmp/name.log)
start_server() {
    local name=$1 port=$2 i
    shift 2
    mkdir -p "$tmp/$name"
    (cd "$tmp/$name" && exec $(bench_prefix 0) "$@") >"$tmp/$name.log" 2>&1 &
    started_pid=$!
    pids+=("$started_pid")
    for i in $(seq 1 200); do
        if ! kill -0 "$started_pid" 2>/dev/null; then
            tail -20 "$tmp/$name.log" >&2
            die "$name exited at start-up"
        fi
        [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && return 0
        sleep 0.05
    done
    die "$name did not answer PING on port $port"
}

# stop_server pid: SIGTERM and wait (it leaves the pids list untouched).
stop_server() {
    kill "$1" 2>/dev/null
    wait "$1" 2>/dev/null
}

cpu_ticks() { # pid -> utime+stime in clock ticks (all threads)
    local s
    s=$(cat "/proc/$1/stat") || die "process $1 is gone"
    s=${s##*) } # comm (field 2) may hold spaces
    set -- $s
    echo $((${12} + ${13}))
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

used_memory() { # port
    redis-cli -p "$1" info memory | tr -d '\r' | awk -F: '$1 == "used_memory" {print $2}'
}

ratio() { # a b -> a/b to 2 decimals, or "-"
    awk -v s="$1" -v r="$2" 'BEGIN {
        if (s == "" || r == "" || s == "-" || r == "-" || r + 0 == 0) print "-"
        else printf "%.2f\n", s / r }'
}

field() { # line key -> value of key=value in a space-separated line
    echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

warn_if_loaded() {
    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load" 'BEGIN { exit !(l > 1.0) }'; then
        echo "WARNING: load average $load before the run: other work competes for the CPUs;"
        echo "         ratios are unreliable (the benchmark assumes an otherwise idle machine)"
    fi
}

# q FULL QUICK: the default for a full run, or for BENCH_QUICK=1.
q() { if [ "${BENCH_QUICK:-0}" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# better max|min a b: the better of two measurements ("" and "-" mean none).
better() { # max|min a b
    awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN {
        if (b == "-" || b == "") { print a; exit }
        if (a == "" || a == "-") { print b; exit }
        if (m == "max") print (b + 0 > a + 0) ? b : a; else print (b + 0 < a + 0) ? b : a }'
}
