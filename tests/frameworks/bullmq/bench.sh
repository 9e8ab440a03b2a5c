#!/usr/bin/env bash
# tests/frameworks/bullmq/bench.sh PORT JOBS - BullMQ throughput against any
# Redis-compatible server on 127.0.0.1:PORT.  Adds JOBS trivial jobs
# (addBulk, batches of 500) to a fresh queue while one Worker with
# concurrency 50 processes them; prints exactly one line
# `jobs_per_sec <float>` (first add to last completion).  The queue is
# obliterated afterwards.  Override the concurrency with BULLMQ_CONCURRENCY.
set -euo pipefail
PORT=${1:?usage: bench.sh PORT JOBS}
JOBS=${2:?usage: bench.sh PORT JOBS}
cd "$(dirname "$0")"
exec node bench.js "$PORT" "$JOBS" "${BULLMQ_CONCURRENCY:-50}"
