#!/usr/bin/env bash
# tests/bench/aof.sh - persistence benchmarks (issue 6), sluice-server against
# redis-server 7.0.15 side by side, both with `appendonly yes`.  A benchmark,
# never a test: it prints, it does not fail on a missed target.
#
# 1. Write throughput: LPUSH and XADD with appendfsync always and everysec,
#    redis-benchmark -c 50 at -P 1 and -P 16, alternating rounds, best of each:
#    ops/s (target >= 1.0x Redis) and server CPU per request (<= 0.8x), and
#    fsync/fdatasync calls per second and writes per fsync (counted with
#    `perf stat` tracepoints when perf can; group commit shows as many writes
#    per fsync with `always`).
# 2. Restart (AOF_RESTART=1, the default): a stream of AOF_ENTRIES entries
#    (default 10,000,000) with one group of 100 consumers holding AOF_PENDING
#    (1,000,000) pending entries, BGREWRITEAOF'd, then each server restarted:
#    seconds from exec to the first PONG (target sluice <= 0.5x Redis).  During
#    the BGREWRITEAOF a client PINGs in a loop: the longest stall is printed
#    (target <= Redis's).
#
# Environment:
#   BENCH_QUICK=1     1 round, 1/5 of the requests, 1,000,000 entries for restart
#   AOF_ROUNDS=3  AOF_N_P1=50000  AOF_N_P16=300000
#   AOF_POLICIES=always,everysec   AOF_PIPELINES=1,16   AOF_ROWS=lpush,xadd
#   AOF_RESTART=0     skip part 2;  AOF_ENTRIES, AOF_PENDING as above
#   plus lib.sh's BENCH_PORT, BENCH_PIN, BENCH_NICE, SLUICE_SERVER, REDIS_SERVER
set -uo pipefail
. "$(dirname "$0")/lib.sh"
bench_init aof 7600
command -v redis-benchmark >/dev/null || die "no redis-benchmark (make deps)"

QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
    ROUNDS=${AOF_ROUNDS:-1}
    N_P1=${AOF_N_P1:-10000}
    N_P16=${AOF_N_P16:-60000}
    ENTRIES=${AOF_ENTRIES:-1000000}
else
    ROUNDS=${AOF_ROUNDS:-3}
    N_P1=${AOF_N_P1:-50000}
    N_P16=${AOF_N_P16:-300000}
    ENTRIES=${AOF_ENTRIES:-10000000}
fi
PENDING=${AOF_PENDING:-$((ENTRIES / 10))}
POLICIES=${AOF_POLICIES:-always,everysec}
PIPES=${AOF_PIPELINES:-1,16}
ROWS=${AOF_ROWS:-lpush,xadd}
CLIENTS=50

have_perf=0
if command -v perf >/dev/null &&
    perf stat -e syscalls:sys_enter_fdatasync true >/dev/null 2>&1; then
    have_perf=1
fi

# start_aof name policy -> sets srv_port srv_pid
start_aof() {
    local name=$1 policy=$2 bin
    srv_port=$(free_port)
    if [ "${name%%-*}" = redis ]; then
        bin=$REDIS_SERVER
        start_server "$name" "$srv_port" "$bin" --port "$srv_port" --save '' \
            --appendonly yes --appendfsync "$policy" --dir "$tmp/$name"
    else
        mkdir -p "$tmp/$name"
        start_server "$name" "$srv_port" "$SLUICE_SERVER" --port "$srv_port" \
            --appendonly yes --appendfsync "$policy" --dir "$tmp/$name"
    fi
    srv_pid=$started_pid
}

# run_one pid port pipe n row -> "ops us_per_req fsyncs_per_s writes_per_fsync"
run_one() {
    local pid=$1 port=$2 pipe=$3 n=$4 row=$5 args t0 t1 out rps perf_pid=""
    redis-cli -p "$port" del q s >/dev/null
    case $row in
        lpush) args=(-t lpush) ;;
        xadd) args=(XADD s '*' f v-0123456789abcdef) ;;
    esac
    if [ "$have_perf" = 1 ]; then
        perf stat -x, -e syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync -p "$pid" \
            -o "$tmp/perf.out" 2>/dev/null &
        perf_pid=$!
        sleep 0.3
    fi
    local w0 w1 s0 s1
    s0=$(date +%s.%N)
    t0=$(cpu_ticks "$pid")
    out=$($(bench_prefix 1) redis-benchmark -p "$port" -c "$CLIENTS" -n "$n" -P "$pipe" --csv \
        "${args[@]}" 2>"$tmp/rb.err")
    t1=$(cpu_ticks "$pid")
    s1=$(date +%s.%N)
    local fs="-" wpf="-"
    if [ -n "$perf_pid" ]; then
        kill -INT "$perf_pid" 2>/dev/null
        wait "$perf_pid" 2>/dev/null
        local calls
        calls=$(awk -F, '/sys_enter_f/ { s += $1 } END { print s + 0 }' "$tmp/perf.out")
        fs=$(awk -v c="$calls" -v a="$s0" -v b="$s1" 'BEGIN { printf "%.0f", c / (b - a) }')
        wpf=$(awk -v c="$calls" -v n="$n" 'BEGIN { if (c > 0) printf "%.1f", n / c; else print "-" }')
    fi
    rps=$(echo "$out" | grep -v '^"test"' | tail -1 | cut -d, -f2 | tr -d '"')
    if [ -z "$rps" ]; then
        echo "aof: redis-benchmark -p $port -P $pipe $row: $(head -3 "$tmp/rb.err")" >&2
        echo "- - - -"
        return
    fi
    awk -v r="$rps" -v d=$((t1 - t0)) -v n="$n" -v hz="$TICK" -v f="$fs" -v w="$wpf" \
        'BEGIN { printf "%.0f %.3f %s %s\n", r, d / hz * 1e6 / n, f, w }'
}

echo "AOF write throughput: Sluice vs Redis $("$REDIS_SERVER" --version | sed 's/.*v=\([^ ]*\).*/\1/')," \
    "redis-benchmark -c $CLIENTS, best of $ROUNDS; -n $N_P1 at -P 1, $N_P16 at -P 16"
[ "$have_perf" = 1 ] || echo "(perf tracepoints unavailable: fsync counts not shown)"
warn_if_loaded
printf "%-6s %-8s %3s | %9s %9s %5s | %7s %7s %5s | %13s %13s\n" row fsync P "redis/s" \
    "sluice/s" ratio "r us" "s us" ratio "r fsync/s w/f" "s fsync/s w/f"
IFS=, read -ra pols <<<"$POLICIES"
IFS=, read -ra pipes <<<"$PIPES"
IFS=, read -ra rows <<<"$ROWS"
for policy in "${pols[@]}"; do
    start_aof "redis-$policy" "$policy"
    rport=$srv_port rpid=$srv_pid
    start_aof "sluice-$policy" "$policy"
    sport=$srv_port spid=$srv_pid
    for row in "${rows[@]}"; do
        for pipe in "${pipes[@]}"; do
            n=$N_P16
            [ "$pipe" = 1 ] && n=$N_P1
            ro="" so="" ru="" su="" rf="-" sf="-"
            for round in $(seq 1 "$ROUNDS"); do
                order="redis sluice"
                [ $((round % 2)) = 0 ] && order="sluice redis"
                for who in $order; do
                    if [ $who = redis ]; then
                        read -r ops us f w < <(run_one "$rpid" "$rport" "$pipe" "$n" "$row")
                        ro=$(better max "$ro" "$ops") ru=$(better min "$ru" "$us") rf="$f $w"
                    else
                        read -r ops us f w < <(run_one "$spid" "$sport" "$pipe" "$n" "$row")
                        so=$(better max "$so" "$ops") su=$(better min "$su" "$us") sf="$f $w"
                    fi
                done
            done
            printf "%-6s %-8s %3s | %9s %9s %5s | %7s %7s %5s | %13s %13s\n" "$row" "$policy" \
                "$pipe" "$ro" "$so" "$(ratio "$so" "$ro")" "$ru" "$su" "$(ratio "$su" "$ru")" \
                "$rf" "$sf"
        done
    done
    stop_server "$rpid"
    stop_server "$spid"
done
echo "targets: ops ratio >= 1.00, CPU ratio <= 0.80"

[ "${AOF_RESTART:-1}" = 1 ] || exit 0

# ---- restart and rewrite stall ---------------------------------------------------

echo
echo "Restart: $ENTRIES stream entries, 1 group, 100 consumers, $PENDING pending"
command -v /usr/bin/python3 >/dev/null || die "no /usr/bin/python3"
/usr/bin/python3 - "$ENTRIES" "$PENDING" >"$tmp/load.resp" <<'EOF'
import sys
n, pending = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout.buffer
def cmd(*a):
    return b"*%d\r\n" % len(a) + b"".join(b"$%d\r\n%s\r\n" % (len(x), x) for x in a)
buf = []
for i in range(1, n + 1):
    buf.append(cmd(b"XADD", b"s", b"%d-1" % i, b"f", b"v-%016d" % i))
    if len(buf) == 10000:
        out.write(b"".join(buf)); buf = []
buf.append(cmd(b"XGROUP", b"CREATE", b"s", b"g", b"0"))
per = max(1, pending // 100)
for c in range(100):
    buf.append(cmd(b"XREADGROUP", b"GROUP", b"g", b"c%d" % c, b"COUNT", b"%d" % per,
                   b"STREAMS", b"s", b">"))
out.write(b"".join(buf))
EOF

# PING in a loop until the file $1 exists; print the longest round trip in ms.
ping_stall() {
    /usr/bin/python3 - "$1" "$2" <<'EOF'
import os, socket, sys, time
port, stop = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port))
worst = 0.0
while not os.path.exists(stop):
    t = time.perf_counter()
    s.sendall(b"PING\r\n")
    buf = b""
    while not buf.endswith(b"\r\n"):
        buf += s.recv(64)
    worst = max(worst, time.perf_counter() - t)
print("%.1f" % (worst * 1000))
EOF
}

wait_rewrite() { # port
    local i
    for i in $(seq 1 6000); do
        redis-cli -p "$1" info persistence | grep -q '^aof_rewrite_in_progress:0' && return 0
        sleep 0.1
    done
    die "rewrite on port $1 did not finish"
}

# restart name port cmd... -> restart_s (exec to PONG), restarted_pid
restart() {
    local name=$1 port=$2 t0 t1
    shift 2
    t0=$(date +%s.%N)
    start_server "$name-2" "$port" "$@"
    t1=$(date +%s.%N)
    restarted_pid=$started_pid
    restart_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

declare -A load_s stall_ms aof_mb
for who in redis sluice; do
    port=$(free_port)
    dir=$tmp/restart-$who
    mkdir -p "$dir"
    if [ $who = redis ]; then
        cmdline=("$REDIS_SERVER" --port "$port" --save '' --appendonly yes --appendfsync no
            --dir "$dir" --auto-aof-rewrite-percentage 0)
    else
        cmdline=("$SLUICE_SERVER" --port "$port" --appendonly yes --appendfsync no
            --dir "$dir" --auto-aof-rewrite-percentage 0)
    fi
    start_server "$who-load" "$port" "${cmdline[@]}"
    pid=$started_pid
    redis-cli -p "$port" --pipe <"$tmp/load.resp" >/dev/null || die "$who: load failed"
    got=$(redis-cli -p "$port" xpending s g | head -1)
    [ "$got" = "$PENDING" ] || [ "$got" = $((PENDING / 100 * 100)) ] ||
        die "$who: $got pending, expected $PENDING"
    rm -f "$tmp/stop"
    ping_stall "$port" "$tmp/stop" >"$tmp/stall-$who" &
    pinger=$!
    sleep 0.5
    redis-cli -p "$port" bgrewriteaof >/dev/null
    wait_rewrite "$port"
    sleep 0.5
    touch "$tmp/stop"
    wait "$pinger"
    stall_ms[$who]=$(cat "$tmp/stall-$who")
    aof_mb[$who]=$(du -sm "$dir/appendonlydir" | cut -f1)
    stop_server "$pid"
    restart "$who" "$port" "${cmdline[@]}"
    load_s[$who]=$restart_s
    [ "$(redis-cli -p "$port" xlen s)" = "$ENTRIES" ] || die "$who: XLEN after restart"
    stop_server "$restarted_pid"
done
printf "%-26s %10s %10s %6s  %s\n" "" redis sluice ratio target
printf "%-26s %10s %10s %6s  %s\n" "restart (exec to PONG) s" "${load_s[redis]}" \
    "${load_s[sluice]}" "$(ratio "${load_s[sluice]}" "${load_s[redis]}")" "<= 0.50"
printf "%-26s %10s %10s %6s  %s\n" "AOF size after rewrite MB" "${aof_mb[redis]}" \
    "${aof_mb[sluice]}" "$(ratio "${aof_mb[sluice]}" "${aof_mb[redis]}")" "-"
printf "%-26s %10s %10s %6s  %s\n" "longest PING stall ms" "${stall_ms[redis]}" \
    "${stall_ms[sluice]}" "$(ratio "${stall_ms[sluice]}" "${stall_ms[redis]}")" "<= 1.00"
