#!/usr/bin/env bash
# tests/bench/brpop_pool.sh - the BRPOP worker-pool benchmark (brpop_pool.c)
# against sluice-server and redis-server 7.0.15 side by side.  A benchmark,
# never a test: it prints, it does not fail on a missed target.
#
# Starts `redis-server --save '' --appendonly no` and `sluice-server
# --appendonly no` on free ports, runs brpop_pool against each in
# alternating rounds (redis, sluice, sluice, redis, ...) and keeps the best
# round of each: jobs per second of server CPU (target: sluice >= 1.3x
# Redis) and, for information, jobs per wall-clock second.
#
# Environment:
#   POOL_JOBS=1000000   jobs per round
#   POOL_ROUNDS=3       rounds per server
#   POOL_PRODUCERS=4 POOL_WORKERS=8 POOL_BATCH=100
#   BENCH_PORT=7270     first port to try (free ports are probed upwards)
#   SLUICE_SERVER, REDIS_SERVER   binaries to use
set -uo pipefail

. "$(dirname "$0")/lib.sh"
JOBS=${POOL_JOBS:-$(q 1000000 200000)}
ROUNDS=${POOL_ROUNDS:-$(q 3 1)}
PRODUCERS=${POOL_PRODUCERS:-4}
WORKERS=${POOL_WORKERS:-8}
BATCH=${POOL_BATCH:-100}

bench_init brpop_pool 7270

bin=$tmp/brpop_pool
cc -O2 -Wall -Wextra -o "$bin" "$here/brpop_pool.c" -lhiredis -lpthread || die "build failed"


redis_port=$(free_port)
start_server redis "$redis_port" "$REDIS_SERVER" --port "$redis_port" --save '' \
    --appendonly no
redis_pid=$started_pid
sluice_port=$(free_port)
start_server sluice "$sluice_port" "$SLUICE_SERVER" --port "$sluice_port" --appendonly no
sluice_pid=$started_pid


best_r_cpu=0 best_s_cpu=0 best_r_wall=0 best_s_wall=0
printf "%-7s %5s | %10s %8s %14s\n" server round "jobs/s" "cpu s" "jobs/cpu-s"
for round in $(seq 1 "$ROUNDS"); do
    order="redis sluice"
    [ $((round % 2)) = 0 ] && order="sluice redis"
    for who in $order; do
        if [ "$who" = redis ]; then p=$redis_port pid=$redis_pid; else
            p=$sluice_port pid=$sluice_pid
        fi
        out=$("$bin" --port "$p" --pid "$pid" --jobs "$JOBS" --producers "$PRODUCERS" \
            --workers "$WORKERS" --batch "$BATCH") || die "$who round $round failed"
        per_cpu=$(field "$out" jobs_per_cpu_s)
        per_wall=$(field "$out" jobs_per_s)
        printf "%-7s %5s | %10s %8s %14s\n" "$who" "$round" "$per_wall" \
            "$(field "$out" cpu_s)" "$per_cpu"
        if [ "$who" = redis ]; then
            [ "$per_cpu" -gt "$best_r_cpu" ] && best_r_cpu=$per_cpu
            [ "$per_wall" -gt "$best_r_wall" ] && best_r_wall=$per_wall
        else
            [ "$per_cpu" -gt "$best_s_cpu" ] && best_s_cpu=$per_cpu
            [ "$per_wall" -gt "$best_s_wall" ] && best_s_wall=$per_wall
        fi
    done
done
echo
echo "BRPOP pool: $JOBS jobs, $PRODUCERS producers (LPUSH, $BATCH in flight)," \
    "$WORKERS workers (BRPOP), best of $ROUNDS rounds, $(nproc) CPUs"
awk -v rc="$best_r_cpu" -v sc="$best_s_cpu" -v rw="$best_r_wall" -v sw="$best_s_wall" 'BEGIN {
    printf "jobs per server CPU second: redis %d, sluice %d, ratio %.2f (target >= 1.3: %s)\n",
        rc, sc, sc / rc, (sc / rc >= 1.3) ? "ok" : "MISS"
    printf "jobs per wall second:       redis %d, sluice %d, ratio %.2f\n", rw, sw, sw / rw }'
