#!/usr/bin/env bash
# tests/bench/frameworks.sh - job-queue frameworks against sluice-server and
# redis-server 7.0.15 side by side (issue 8): jobs per second of a Celery
# and a BullMQ worker pool (target >= 1.0x Redis) and server CPU per job.
# A benchmark, never a test: it prints, it does not fail on a missed target.
#
# Each framework's tests/frameworks/<fw>/bench.sh PORT JOBS does the work and
# prints `jobs_per_sec N`; this script starts both servers (--appendonly no,
# Redis also --save ''), runs the rounds alternately (redis, sluice, sluice,
# redis, ...) and keeps the best jobs/s and the lowest server CPU per job.
# The clients (Python, Node) use most of the CPU here: on a 2-core machine
# jobs/s mostly measures them, server CPU per job measures the server.
#
# Environment: FW_BENCH=celery,bullmq  FW_ROUNDS=3  CELERY_JOBS=3000
#   BULLMQ_JOBS=10000, plus lib.sh's BENCH_PORT, SLUICE_SERVER, REDIS_SERVER
set -uo pipefail
. "$(dirname "$0")/lib.sh"
bench_init frameworks 7700
ROUNDS=${FW_ROUNDS:-$(q 3 1)}
FWS=${FW_BENCH:-celery,bullmq}
fwdir=$root/tests/frameworks

redis_port=$(free_port)
start_server redis "$redis_port" "$REDIS_SERVER" --port "$redis_port" --save '' --appendonly no
redis_pid=$started_pid
sluice_port=$(free_port)
start_server sluice "$sluice_port" "$SLUICE_SERVER" --port "$sluice_port" --appendonly no
sluice_pid=$started_pid

have() {
    case "$1" in
        celery) /usr/bin/python3 -c 'import celery' 2>/dev/null ;;
        bullmq) [ -d "$fwdir/bullmq/node_modules/bullmq" ] ;;
    esac
}

# one pid port fw jobs -> "jobs_per_sec cpu_us_per_job"
one() {
    local pid=$1 port=$2 fw=$3 jobs=$4 t0 t1 out
    redis-cli -p "$port" flushall >/dev/null
    t0=$(cpu_ticks "$pid")
    out=$(bash "$fwdir/$fw/bench.sh" "$port" "$jobs" 2>"$tmp/$fw.err" | awk '/^jobs_per_sec/ {print $2}')
    t1=$(cpu_ticks "$pid")
    if [ -z "$out" ]; then
        echo "frameworks: $fw bench failed on port $port: $(tail -3 "$tmp/$fw.err")" >&2
        echo "- -"
        return
    fi
    awk -v j="$out" -v d=$((t1 - t0)) -v n="$jobs" -v hz="$TICK" \
        'BEGIN { printf "%.0f %.1f\n", j, d / hz * 1e6 / n }'
}

echo "Frameworks: best of $ROUNDS alternating rounds, both servers without persistence"
warn_if_loaded
printf "%-8s %6s | %9s %9s %5s | %12s %12s %5s\n" fw jobs "redis j/s" "sluice j/s" ratio \
    "redis us/job" "sluice us/job" ratio
IFS=, read -ra fws <<<"$FWS"
for fw in "${fws[@]}"; do
    if ! have "$fw"; then
        echo "$fw: not installed (make deps), skipped"
        continue
    fi
    case $fw in
        celery) jobs=${CELERY_JOBS:-3000} ;;
        bullmq) jobs=${BULLMQ_JOBS:-10000} ;;
        *) die "unknown framework $fw" ;;
    esac
    rj="" sj="" ru="" su=""
    for round in $(seq 1 "$ROUNDS"); do
        order="redis sluice"
        [ $((round % 2)) = 0 ] && order="sluice redis"
        for who in $order; do
            if [ $who = redis ]; then
                read -r j u < <(one "$redis_pid" "$redis_port" "$fw" "$jobs")
                rj=$(better max "$rj" "$j") ru=$(better min "$ru" "$u")
            else
                read -r j u < <(one "$sluice_pid" "$sluice_port" "$fw" "$jobs")
                sj=$(better max "$sj" "$j") su=$(better min "$su" "$u")
            fi
        done
    done
    printf "%-8s %6s | %9s %9s %5s | %12s %12s %5s\n" "$fw" "$jobs" "$rj" "$sj" \
        "$(ratio "$sj" "$rj")" "$ru" "$su" "$(ratio "$su" "$ru")"
done
echo "targets: jobs/s ratio >= 1.00; server CPU per job: lower is better"
