#!/usr/bin/env bash
# tests/diff/run.sh - differential test: random command sequences against
# redis-server 7.0.15 and sluice-server, every reply compared byte for byte.
#
#   SEEDS="1-6" COUNT=700 bash tests/diff/run.sh        (what `make test` runs)
#   SEEDS="1000-1199" COUNT=5000 JOBS=2 bash tests/diff/run.sh   (long run)
#
# SEEDS: list/ranges ("1-6", "3,9,12-20"); COUNT: commands per seed; JOBS:
# seeds run in parallel (each on its own pair of servers); PORTS: port range
# "lo-hi" for the servers (default: any free port); SLUICE_SERVER,
# REDIS_SERVER: binaries.  Extra arguments go to diff.py (--no-minimise,
# --replay FILE, -q ...).  Repros of mismatches are saved under DIFF_OUT
# (default /tmp/sluice-diff).  Exit status 1 on any mismatch.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SEEDS=${SEEDS:-1-6}
COUNT=${COUNT:-700}
JOBS=${JOBS:-1}
export SLUICE_SERVER=${SLUICE_SERVER:-$root/src/sluice-server}
if ! command -v "${REDIS_SERVER:-redis-server}" >/dev/null 2>&1; then
    echo "diff: redis-server not found; skipped"
    exit 0
fi
ports=()
[ -n "${PORTS:-}" ] && ports=(--ports "$PORTS")
exec python3 "$here/diff.py" --seeds "$SEEDS" --count "$COUNT" --jobs "$JOBS" "${ports[@]}" "$@"
