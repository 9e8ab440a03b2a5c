#!/usr/bin/env bash
# tests/bench/fanout.sh - the pub/sub fan-out benchmark (fanout.c) against
# sluice-server and redis-server 7.0.15 side by side.  A benchmark, never a
# test: it prints, it does not fail on a missed target.
#
# Starts `redis-server --save '' --appendonly no` and `sluice-server
# --appendonly no` on free ports, then:
#
#  1. fan-out: 1 publisher, FANOUT_SUBS subscribers, FANOUT_SIZE-byte
#     messages, alternating rounds (redis, sluice, sluice, redis, ...), best
#     round of each: messages delivered per second (counted at the
#     subscribers) and per second of server CPU (target: sluice >= 1.3x
#     Redis on both);
#  2. slow subscriber: FANOUT_STUCK_SUBS subscribers, without and then with
#     one that never reads (client-output-buffer-limit pubsub 256kb 128kb 5;
#     enough messages to overflow the kernel's socket buffers, a few MB, and
#     the limit): the publisher's rate must hold (ratio close to 1) and the
#     stuck one must be cut off.
#
# Environment:
#   FANOUT_MSGS=200000      messages per fan-out round
#   FANOUT_SUBS=100 FANOUT_SIZE=64 FANOUT_WINDOW=64 FANOUT_ROUNDS=3
#   FANOUT_STUCK_SUBS=1000 FANOUT_STUCK_MSGS=50000   (0 subs: skip part 2)
#   BENCH_PORT=7320         first port to try (free ports are probed upwards)
#   SLUICE_SERVER, REDIS_SERVER   binaries to use
set -uo pipefail

. "$(dirname "$0")/lib.sh"
MSGS=${FANOUT_MSGS:-$(q 200000 50000)}
SUBS=${FANOUT_SUBS:-100}
SIZE=${FANOUT_SIZE:-64}
WINDOW=${FANOUT_WINDOW:-64}
ROUNDS=${FANOUT_ROUNDS:-$(q 3 1)}
STUCK_SUBS=${FANOUT_STUCK_SUBS:-1000}
STUCK_MSGS=${FANOUT_STUCK_MSGS:-50000}

bench_init fanout 7320
ulimit -n $((STUCK_SUBS + SUBS + 256)) 2>/dev/null

bin=$tmp/fanout
cc -O2 -Wall -Wextra -o "$bin" "$here/fanout.c" || die "build failed"


redis_port=$(free_port)
start_server redis "$redis_port" "$REDIS_SERVER" --port "$redis_port" --save '' \
    --appendonly no --maxclients 10000
redis_pid=$started_pid
sluice_port=$(free_port)
start_server sluice "$sluice_port" "$SLUICE_SERVER" --port "$sluice_port" --appendonly no
sluice_pid=$started_pid

gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }

run() { # who args... -> output line
    local p pid
    if [ "$1" = redis ]; then p=$redis_port pid=$redis_pid; else
        p=$sluice_port pid=$sluice_pid
    fi
    shift
    "$bin" --port "$p" --pid "$pid" "$@"
}

echo "fan-out: 1 publisher, $SUBS subscribers, $SIZE-byte messages, $MSGS messages," \
    "window $WINDOW, best of $ROUNDS rounds, $(nproc) CPUs"
printf "%-7s %5s | %14s %8s %16s %12s\n" server round "delivered/s" "cpu s" \
    "delivered/cpu-s" "ns cpu/msg"
best_r_wall=0 best_s_wall=0 best_r_cpu=0 best_s_cpu=0
for round in $(seq 1 "$ROUNDS"); do
    order="redis sluice"
    [ $((round % 2)) = 0 ] && order="sluice redis"
    for who in $order; do
        out=$(run "$who" --subs "$SUBS" --msgs "$MSGS" --size "$SIZE" --window "$WINDOW") ||
            die "$who round $round failed: $out"
        wall=$(field "$out" deliveries_per_s)
        per_cpu=$(field "$out" deliveries_per_cpu_s)
        printf "%-7s %5s | %14s %8s %16s %12s\n" "$who" "$round" "$wall" \
            "$(field "$out" cpu_s)" "$per_cpu" "$(field "$out" ns_cpu_per_delivery)"
        if [ "$who" = redis ]; then
            gt "$wall" "$best_r_wall" && best_r_wall=$wall
            gt "$per_cpu" "$best_r_cpu" && best_r_cpu=$per_cpu
        else
            gt "$wall" "$best_s_wall" && best_s_wall=$wall
            gt "$per_cpu" "$best_s_cpu" && best_s_cpu=$per_cpu
        fi
    done
done
echo
awk -v rc="$best_r_cpu" -v sc="$best_s_cpu" -v rw="$best_r_wall" -v sw="$best_s_wall" 'BEGIN {
    f = "%-24s redis %d, sluice %d, ratio %.2f (target >= 1.3: %s)\n"
    printf f, "delivered/wall s:", rw, sw, sw / rw, (sw / rw >= 1.3) ? "ok" : "MISS"
    printf f, "delivered/server CPU s:", rc, sc, sc / rc, (sc / rc >= 1.3) ? "ok" : "MISS" }'

[ "$STUCK_SUBS" -gt 0 ] || exit 0
echo
echo "slow subscriber: $STUCK_SUBS subscribers, $STUCK_MSGS messages; publisher rate" \
    "without / with one subscriber that never reads (pubsub limit 256kb 128kb 5)"
printf "%-7s | %14s %14s %7s | %s\n" server "pub/s clean" "pub/s stuck" ratio "stuck one"
for who in redis sluice; do
    lim="pubsub 256kb 128kb 5"
    ra=0 rb=0 state="still subscribed"
    # clean, stuck, stuck, clean: best of two each, so neither runs always warm.
    for stuck in 0 1 1 0; do
        out=$(run "$who" --subs "$STUCK_SUBS" --msgs "$STUCK_MSGS" --size "$SIZE" \
            --window "$WINDOW" --limit "$lim" --stuck "$stuck") || die "$who run failed: $out"
        rate=$(field "$out" publishes_per_s)
        if [ "$stuck" = 0 ]; then
            gt "$rate" "$ra" && ra=$rate
        else
            gt "$rate" "$rb" && rb=$rate
            [ "$(field "$out" receivers_last)" -le "$STUCK_SUBS" ] && state="cut off"
        fi
    done
    printf "%-7s | %14s %14s %7s | %s\n" "$who" "$ra" "$rb" \
        "$(awk -v a="$ra" -v b="$rb" 'BEGIN { printf "%.2f", b / a }')" "$state"
done
