#!/usr/bin/env bash
# tests/bench/mq.sh - queue workloads with src/sluice-bench against
# sluice-server and redis-server 7.0.15 side by side (issue 5).  A benchmark,
# never a test: it prints, it does not fail on a missed target (it does fail
# when sluice-bench's exactly-once delivery check fails).
#
# Workloads (sluice-bench -t ...): stream (4 producers XADD, one group of 8
# consumers XREADGROUP COUNT 10 BLOCK + XACK), list (4 LPUSH producers, 8
# BRPOP workers), list --reliable (BLMOVE + LREM), pubsub (4 publishers, 8
# subscribers).  Alternating rounds; best msgs/s, best msgs per server CPU
# second and lowest p99 of each server.  Target (stream): msgs per server
# CPU second >= 1.5x Redis, p99 no worse than Redis.
#
# Environment: MQ_N=200000 messages per run, MQ_ROUNDS=3,
#   MQ_WORKLOADS=stream,list,reliable,pubsub, plus lib.sh's variables.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
bench_init mq 7800
N=${MQ_N:-$(q 200000 50000)}
ROUNDS=${MQ_ROUNDS:-$(q 3 1)}
WORKLOADS=${MQ_WORKLOADS:-stream,list,reliable,pubsub}
BENCH=$root/src/sluice-bench
[ -x "$BENCH" ] || die "no $BENCH (run make)"

redis_port=$(free_port)
start_server redis "$redis_port" "$REDIS_SERVER" --port "$redis_port" --save '' --appendonly no
redis_pid=$started_pid
sluice_port=$(free_port)
start_server sluice "$sluice_port" "$SLUICE_SERVER" --port "$sluice_port" --appendonly no
sluice_pid=$started_pid

# one pid port workload -> "msgs_per_s msgs_per_cpu_s p99_us"
one() {
    local pid=$1 port=$2 w=$3 args out
    case $w in
        reliable) args=(-t list --reliable) ;;
        *) args=(-t "$w") ;;
    esac
    redis-cli -p "$port" flushall >/dev/null
    out=$($(bench_prefix 1) "$BENCH" -p "$port" --pid "$pid" -n "$N" -q "${args[@]}" 2>&1) ||
        die "sluice-bench $w on port $port failed:
$out"
    echo "$out" | awk '
        /^throughput:/ { t = $2 }
        /^latency/ { for (i = 1; i <= NF; i++) if ($i == "p99") p = $(i + 1) }
        /^server CPU:/ { for (i = 1; i <= NF; i++) if ($i == "msg" && $(i + 1) == "per") c = $(i - 1) }
        END { print t, c, p }'
}

echo "sluice-bench: $N messages per run, best of $ROUNDS alternating rounds, 4 producers, 8 consumers"
warn_if_loaded
printf "%-9s | %9s %9s %5s | %10s %10s %5s | %8s %8s %5s\n" workload "redis m/s" "sluice m/s" \
    ratio "redis m/cpu" "sluice m/cpu" ratio "redis p99" "sluice p99" ratio
IFS=, read -ra ws <<<"$WORKLOADS"
for w in "${ws[@]}"; do
    rt="" st="" rc="" sc="" rp="" sp=""
    for round in $(seq 1 "$ROUNDS"); do
        order="redis sluice"
        [ $((round % 2)) = 0 ] && order="sluice redis"
        for who in $order; do
            if [ $who = redis ]; then
                read -r t c p < <(one "$redis_pid" "$redis_port" "$w")
                rt=$(better max "$rt" "$t") rc=$(better max "$rc" "$c") rp=$(better min "$rp" "$p")
            else
                read -r t c p < <(one "$sluice_pid" "$sluice_port" "$w")
                st=$(better max "$st" "$t") sc=$(better max "$sc" "$c") sp=$(better min "$sp" "$p")
            fi
        done
    done
    printf "%-9s | %9s %9s %5s | %10s %10s %5s | %8s %8s %5s\n" "$w" "$rt" "$st" \
        "$(ratio "$st" "$rt")" "$rc" "$sc" "$(ratio "$sc" "$rc")" "$rp" "$sp" "$(ratio "$sp" "$rp")"
done
echo "targets (stream): msgs per server CPU second ratio >= 1.50, p99 ratio <= 1.00"
