#!/bin/sh
# server-wrapper.sh - what the integration harness spawns as $SLUICE_SERVER in
# tests/valgrind/run.sh: the valgrind build of the server (src/sluice-server-vg,
# glibc malloc, no jemalloc) under memcheck, one log per process (forked AOF
# rewrite children included) in $SLUICE_VG_LOGDIR/vg.<pid>.log.
#
# It execs valgrind, so the harness's pid is valgrind's: SIGTERM reaches the
# server and it exits through the normal path (leak check runs), SIGKILL kills
# it (no leak summary is written; run.sh counts those logs as "unchecked").
# $SLUICE_VG_SUPP (set by run.sh): a valgrind suppression file.
dir=$(CDPATH= cd -- "$(dirname -- "$(readlink -f -- "$0")")/../.." && pwd)
logdir=${SLUICE_VG_LOGDIR:-/tmp/sluice-vg-logs}
mkdir -p "$logdir"
exec valgrind --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --track-fds=no \
    --num-callers=30 ${SLUICE_VG_SUPP:+"--suppressions=$SLUICE_VG_SUPP"} --log-file="$logdir/vg.%p.log" \
    "$dir/src/sluice-server-vg" "$@"
