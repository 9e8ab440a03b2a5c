#!/usr/bin/env bash
# tests/bench/run.sh - side-by-side benchmark of sluice-server and Redis 7.0.15
# (run by `make bench`).  A benchmark, never a test: it prints, it does not fail
# on a missed target.
#
# Starts `redis-server --save '' --appendonly no` and `sluice-server
# --appendonly no` on free ports, then for every row and pipeline depth runs
# `redis-benchmark -c 50` against each server in alternating rounds (redis,
# sluice, redis, sluice, ...) and keeps the best of the rounds: the highest
# ops/s and, separately, the lowest server CPU per request.  Server CPU is
# utime+stime of the server process (/proc/PID/stat, all threads) before and
# after the run, divided by the number of requests.
#
# What to compare (issue 2, "Performance"): on a 2-core machine at -P 1 and
# -P 16 redis-benchmark itself is the bottleneck, so compare CPU µs per request
# (targets: sluice <= 0.95x Redis at -P 1, <= 0.8x at -P 16); at -P 256 the
# server is the bottleneck, so compare throughput (target >= 1.5x Redis).  The
# "target" column judges the core rows (PING_MBULK, SET, GET, INCR) by the
# metric that matters at that depth.  Idle resident memory: target < 3 MB.
#
# Environment:
#   BENCH_QUICK=1           short run: 1/10 of the requests, 1 round
#   BENCH_TESTS=set,get     only these rows (names as in the row list)
#   BENCH_PIPELINES=1,16    pipeline depths (default 1,16,256)
#   BENCH_ROUNDS=3          rounds per server (default 3; 1 with BENCH_QUICK)
#   BENCH_N_P1=150000       requests per run at -P 1 (default 150k)
#   BENCH_N_P16=1500000     requests per run at -P 16 (default 1.5M)
#   BENCH_N=2000000         requests per run at other depths (default 2M)
#                           (a full run takes about 4 minutes on an idle 2-core box)
#   BENCH_CLIENTS=50        redis-benchmark connections
#   BENCH_PORT=7400         first port to try (free ports are probed upwards)
#   BENCH_PIN=1             pin each server to CPU 0 and the client to CPU 1
#   BENCH_NICE=-5           run servers and client at this nice level (root only;
#                           on a shared machine it takes CPU from other work)
#   SLUICE_SERVER, REDIS_SERVER, REDIS_BENCHMARK   binaries to use
#
# Rows: built in below (PING_MBULK, SET, GET, INCR and a few list/pubsub
# rows that are skipped unless named in BENCH_TESTS or BENCH_ALL=1), plus any
# tests/bench/rows.d/*.rows file: one row per line, "name spec", where name is
# what BENCH_TESTS selects and spec is either "-t <redis-benchmark test>" or a
# command with its arguments (e.g. "publish  publish ch msg").  A leading '+'
# on the name ("+lpush -t lpush") makes the row run by default.  Lines
# starting with '#' are comments.
set -uo pipefail
set -f # row specs may hold '*' (XADD s * ...): no globbing

. "$(dirname "$0")/lib.sh"
REDIS_BENCHMARK=${REDIS_BENCHMARK:-redis-benchmark}
CLIENTS=${BENCH_CLIENTS:-50}
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
    N_P1=${BENCH_N_P1:-20000}
    N_P16=${BENCH_N_P16:-200000}
    N_DEEP=${BENCH_N:-200000}
    ROUNDS=${BENCH_ROUNDS:-1}
else
    N_P1=${BENCH_N_P1:-150000}
    N_P16=${BENCH_N_P16:-1500000}
    N_DEEP=${BENCH_N:-2000000}
    ROUNDS=${BENCH_ROUNDS:-3}
fi
PIPELINES=${BENCH_PIPELINES:-1,16,256}
SELECT=$(echo "${BENCH_TESTS:-}" | tr 'A-Z' 'a-z' | tr -d ' ')

# ---- rows ------------------------------------------------------------------

# "name spec"; a '+' marks rows run by default.
ROWS=(
    "+ping_mbulk -t ping_mbulk"
    "+set -t set"
    "+get -t get"
    "+incr -t incr"
    "ping_inline -t ping_inline"
    "lpush -t lpush"
    "rpush -t rpush"
    "lpop -t lpop"
    "rpop -t rpop"
    "lrange_100 -t lrange_100"
    "publish publish ch msg"
    "xadd XADD s * f v-0123456789abcdef"
)
if [ -d "$here/rows.d" ]; then
    for f in "$here"/rows.d/*.rows; do
        [ -e "$f" ] || continue
        while IFS= read -r line; do
            line=${line%%#*}
            [ -n "${line// /}" ] && ROWS+=("$(echo "$line" | sed 's/^ *//; s/ *$//')")
        done < "$f"
    done
fi

row_selected() { # name default(0/1)
    if [ -n "$SELECT" ]; then
        case ",$SELECT," in *",$1,"*) return 0 ;; esac
        return 1
    fi
    [ "$2" = 1 ] || [ "${BENCH_ALL:-0}" = 1 ]
}

is_core() {
    case "$1" in ping_mbulk | set | get | incr) return 0 ;; esac
    return 1
}

# ---- servers ----------------------------------------------------------------

bench_init bench 7400

command -v "$REDIS_BENCHMARK" >/dev/null || die "no $REDIS_BENCHMARK (make deps)"

redis_port=$(free_port)
start_server redis "$redis_port" "$REDIS_SERVER" --port "$redis_port" --save '' \
    --appendonly no
redis_pid=$started_pid
sluice_port=$(free_port)
start_server sluice "$sluice_port" "$SLUICE_SERVER" --port "$sluice_port" --appendonly no
sluice_pid=$started_pid

sleep 0.5
redis_rss0=$(rss_kb "$redis_pid")
sluice_rss0=$(rss_kb "$sluice_pid")
redis_ver=$("$REDIS_SERVER" --version | sed 's/.*v=\([^ ]*\).*/\1/')

# ---- one run -------------------------------------------------------------------

# run_one pid port pipeline n spec... -> prints "ops_per_sec us_per_req"
run_one() {
    local pid=$1 port=$2 pipe=$3 n=$4
    shift 4
    local args
    if [ "$1" = -t ]; then
        args=(-t "$2")
    else
        args=("$@")
    fi
    local t0 t1 out rps
    t0=$(cpu_ticks "$pid")
    out=$($(bench_prefix 1) "$REDIS_BENCHMARK" -p "$port" -c "$CLIENTS" -n "$n" -P "$pipe" --csv \
        "${args[@]}" 2>"$tmp/rb.err")
    t1=$(cpu_ticks "$pid")
    # Last CSV line is the measured test (LRANGE first runs its own LPUSH).
    rps=$(echo "$out" | grep -v '^"test"' | tail -1 | cut -d, -f2 | tr -d '"')
    if [ -z "$rps" ]; then
        echo "bench: redis-benchmark -p $port -P $pipe $*: $(head -3 "$tmp/rb.err")" >&2
        echo "- -"
        return
    fi
    awk -v r="$rps" -v d=$((t1 - t0)) -v n="$n" -v hz="$TICK" \
        'BEGIN { printf "%.0f %.3f\n", r, d / hz * 1e6 / n }'
}

# ---- table -------------------------------------------------------------------

fmt_row() {
    printf "%-12s %4s | %11s %11s %6s | %8s %8s %6s | %s\n" "$@"
}

echo "Sluice vs Redis $redis_ver: redis-benchmark -c $CLIENTS, best of $ROUNDS" \
    "alternating rounds; -n $N_P1 at -P 1, $N_P16 at -P 16, $N_DEEP otherwise"
echo "redis pid $redis_pid port $redis_port; sluice pid $sluice_pid port $sluice_port;" \
    "$(nproc) CPUs$([ "${BENCH_PIN:-0}" = 1 ] && echo ", pinned")"
warn_if_loaded
echo
fmt_row test P "redis op/s" "sluice op/s" ratio "redis us" "sluice us" ratio target
fmt_row "------------" "----" "-----------" "-----------" "------" "--------" "--------" \
    "------" "------"

misses=0
IFS=, read -ra depths <<<"$PIPELINES"
for row in "${ROWS[@]}"; do
    name=${row%% *}
    spec=${row#* }
    def=0
    if [ "${name:0:1}" = + ]; then
        name=${name:1}
        def=1
    fi
    row_selected "$name" "$def" || continue
    for pipe in "${depths[@]}"; do
        n=$N_DEEP
        [ "$pipe" = 1 ] && n=$N_P1
        [ "$pipe" = 16 ] && n=$N_P16
        best_r_ops="" best_s_ops="" best_r_us="" best_s_us=""
        for round in $(seq 1 "$ROUNDS"); do
            # Alternate which server goes first so neither always runs warm.
            order="redis sluice"
            [ $((round % 2)) = 0 ] && order="sluice redis"
            for who in $order; do
                if [ "$who" = redis ]; then
                    read -r ops us < <(run_one "$redis_pid" "$redis_port" "$pipe" "$n" $spec)
                    best_r_ops=$(better max "$best_r_ops" "$ops")
                    best_r_us=$(better min "$best_r_us" "$us")
                else
                    read -r ops us < <(run_one "$sluice_pid" "$sluice_port" "$pipe" "$n" $spec)
                    best_s_ops=$(better max "$best_s_ops" "$ops")
                    best_s_us=$(better min "$best_s_us" "$us")
                fi
            done
        done
        ops_ratio=$(ratio "$best_s_ops" "$best_r_ops")
        us_ratio=$(ratio "$best_s_us" "$best_r_us")
        verdict="-"
        if is_core "$name"; then
            verdict=$(awk -v p="$pipe" -v o="$ops_ratio" -v u="$us_ratio" 'BEGIN {
                if (p == 1) { ok = (u != "-" && u + 0 <= 0.95); what = "cpu<=0.95" }
                else if (p == 16) { ok = (u != "-" && u + 0 <= 0.8); what = "cpu<=0.8" }
                else { ok = (o != "-" && o + 0 >= 1.5); what = "ops>=1.5" }
                print (ok ? "ok " : "MISS ") what }')
            case "$verdict" in MISS*) misses=$((misses + 1)) ;; esac
        fi
        fmt_row "$name" "$pipe" "${best_r_ops:-fail}" "${best_s_ops:-fail}" "$ops_ratio" \
            "${best_r_us:-fail}" "${best_s_us:-fail}" "$us_ratio" "$verdict"
        kill -0 "$sluice_pid" 2>/dev/null || die "sluice-server died (log: $tmp/sluice.log)"
    done
done

echo
awk -v r="$redis_rss0" -v s="$sluice_rss0" 'BEGIN {
    printf "idle RSS at start: redis %.2f MB, sluice %.2f MB (target < 3 MB: %s)\n",
        r / 1024, s / 1024, (s < 3072) ? "ok" : "MISS" }'
echo "RSS after the runs: redis $(($(rss_kb "$redis_pid") / 1024)) MB," \
    "sluice $(($(rss_kb "$sluice_pid") / 1024)) MB"
echo "core-row targets missed: $misses"
