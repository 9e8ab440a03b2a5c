#!/usr/bin/env bash
# tests/valgrind/run.sh - the integration tests against the server under
# valgrind memcheck (issue 7: "a valgrind run of the integration tests reports
# no leak or invalid access").
#
#   bash tests/valgrind/run.sh [test_basic test_hash ...]     (default: all)
#   env: VG_JOBS=N  tests run side by side (default 2)
#        VG_OUT=DIR where logs go (default a new /tmp/sluice-vg.XXXXXX)
#
# 1. Builds src/sluice-server-vg incrementally in build-vg/ (-O1, glibc malloc:
#    SAN non-empty drops "-static -ljemalloc" from LDLIBS_SERVER, and SERVER=
#    names the output so src/sluice-server is never touched), the integration
#    test clients in build/ (make build/tests/integration/test_X) and
#    src/sluice-check-aof (test_aof runs it next to $SLUICE_SERVER).
# 2. Runs every Criterion test on its own (--filter suite/name, so each
#    valgrind log is attributed to one test) with SLUICE_SERVER pointing at a
#    symlink to tests/valgrind/server-wrapper.sh, which execs
#      valgrind --leak-check=full --show-leak-kinds=definite,indirect
#        --errors-for-leak-kinds=definite,indirect --error-exitcode=99
#        --track-fds=no --num-callers=30 --suppressions=$VG_OUT/sluice.supp
#        --log-file=$VG_OUT/logs/<bin>/<suite>.<test>/vg.%p.log
#        src/sluice-server-vg ARGS
# 3. Scans every vg.*.log: an invalid read/write/free, a use of an
#    uninitialised value, a non-zero "definitely lost" or "indirectly lost", a
#    non-zero ERROR SUMMARY (= the server exited with status 99) or a server
#    killed by a fatal signal (SIGSEGV, SIGABRT) prints the offending sections
#    and exits 1; otherwise prints a summary and exits 0.  "still reachable"
#    and "possibly lost" at exit are accepted (the server exits without
#    freeing its keyspace, like Redis).  A log with no ERROR SUMMARY is a
#    server the test killed with SIGKILL (or that did not stop within the
#    harness's 2 s after SIGTERM): it is counted as "unchecked" - its invalid
#    accesses are still scanned, its leaks cannot be.
#    Test failures (slow-server timing) are listed but are not valgrind
#    findings; they do not change the exit status.
#
# Skipped under valgrind, one line each, read by this script -
# "# skip: test_X <reason>" would skip a whole binary (none is: test_crash
# passes, its 40 SIGKILLed servers are unchecked for leaks but their AOF
# loading is checked for invalid accesses), "# skip: suite/name <reason>"
# skips one test:
# skip: hash/incr  HINCRBYFLOAT: valgrind runs x87 long double at 64-bit (double) precision, so 1.23 prints as 1.22999999999999998 (valgrind limitation, not a server bug)
# skip: string/incrbyfloat  INCRBYFLOAT: same valgrind long double precision limit (-1.1 comes back with 17 digits)
# skip: string/incrbyfloat_errors  INCRBYFLOAT +inf: under valgrind strtold("+inf") gives LDBL_MAX, not inf (same long double emulation), so no error reply
# skip: aof/automatic_rewrite_on_growth  expects all 200 SETs to land before the cron's auto-rewrite check so one rewrite leaves < 4 kB; at valgrind speed the rewrite starts midway and the later SETs stay in the incr file (failed 2 runs of 3)
# skip: keys/active_expiry_removes_keys  sets 3 keys with PX 50 and expects DBSIZE 3 right after: at valgrind speed the first key can expire before the DBSIZE
# skip: script/long_script_finishes  one EVAL of 100,000 redis.call('ping') takes longer than hiredis's 5 s reply timeout at valgrind speed
#
# Suppressed (the only suppression, written to $VG_OUT/sluice.supp): a leak
# of the bio_job (calloc in aof.c's aof_bio_submit) that the bio thread had
# taken off its queue when the AOF rewrite child forked.  In the child the block is referenced only from the
# parent's bio thread's stack, which fork does not copy, so memcheck calls it
# "definitely lost" at the child's _exit; in the server it is freed.  Without
# it --error-exitcode=99 turns every rewrite/BGSAVE child's exit status into
# 99 and the server reports the rewrite as failed.
#
# Timeouts in tests/integration/harness.c that valgrind stresses: srv_start
# waits 200 x (connect + 25 ms), about 5 s, for PING (valgrind start-up takes
# ~2-3 s); srv_stop waits 2 s after SIGTERM before SIGKILL, and a server
# killed then is "unchecked".  No env variable raises them yet: this script
# exports SLUICE_TEST_SLOWDOWN=10 for a harness that multiplies both by it.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
VG_JOBS=${VG_JOBS:-2}
t_start=$(date +%s)

command -v valgrind >/dev/null || { echo "valgrind not installed (apt-get install valgrind)" >&2; exit 2; }

# ---- selection ---------------------------------------------------------------
skip_bins=() skip_tests=()
while read -r what reason; do
    case "$what" in
        test_*) skip_bins+=("$what") ;;
        */*) skip_tests+=("$what") ;;
    esac
done < <(sed -n 's/^# skip: //p' "$0")

bins=()
if [ $# -gt 0 ]; then
    for b in "$@"; do bins+=("$(basename "$b" .c)"); done
else
    for f in tests/integration/test_*.c; do bins+=("$(basename "$f" .c)"); done
fi
run_bins=() nskipbins=0
for b in "${bins[@]}"; do
    skipped=0
    for s in "${skip_bins[@]}"; do [ "$s" = "$b" ] && skipped=1; done
    if [ $skipped = 1 ]; then
        echo "skip $b (see the header of $0)"
        nskipbins=$((nskipbins + 1))
    else
        run_bins+=("$b")
    fi
done

# ---- build -------------------------------------------------------------------
echo "== building src/sluice-server-vg (build-vg/), test clients, sluice-check-aof"
make -s -j"$(nproc)" BUILD=build-vg OPT=-O1 SAN=-DSLUICE_VALGRIND \
    SERVER=src/sluice-server-vg src/sluice-server-vg || exit 2
targets=(src/sluice-check-aof)
for b in "${run_bins[@]}"; do targets+=("build/tests/integration/$b"); done
make -s -j"$(nproc)" "${targets[@]}" || exit 2

OUT=${VG_OUT:-$(mktemp -d /tmp/sluice-vg.XXXXXX)}
mkdir -p "$OUT/bin" "$OUT/logs" "$OUT/out"
cat >"$OUT/sluice.supp" <<'EOF'
{
   bio_job_in_flight_when_the_aof_rewrite_child_forked
   Memcheck:Leak
   match-leak-kinds: definite
   fun:calloc
   fun:*bio_submit
}
EOF
export SLUICE_VG_SUPP=$OUT/sluice.supp SLUICE_TEST_SLOWDOWN=10
# test_aof looks for sluice-check-aof next to $SLUICE_SERVER.
ln -sf "$here/server-wrapper.sh" "$OUT/bin/sluice-server"
ln -sf "$root/src/sluice-check-aof" "$OUT/bin/sluice-check-aof"
echo "== logs in $OUT (VG_JOBS=$VG_JOBS)"

# ---- run ---------------------------------------------------------------------
run_one() { # bin suite test
    local id="$2.$3"
    local logdir="$OUT/logs/$1/$id" out="$OUT/out/$1/$id.txt"
    mkdir -p "$logdir" "$(dirname "$out")"
    local t0=$(date +%s) rc
    SLUICE_VG_LOGDIR=$logdir SLUICE_SERVER=$OUT/bin/sluice-server \
        LC_ALL=C timeout -k 10 1800 "build/tests/integration/$1" --jobs 1 \
        --filter "$2/$3" >"$out" 2>&1
    rc=$?
    echo "$rc" >"$out.rc"
    printf '%-4s %-55s %4ss\n' "$([ $rc = 0 ] && echo ok || echo FAIL)" "$2/$3" \
        "$(( $(date +%s) - t0 ))"
}

ntests=0 nskipped=0
for b in "${run_bins[@]}"; do
    suite=
    while IFS= read -r line; do
        case "$line" in
            *": "*" test"*) suite=${line%%:*}; continue ;;
            *"-- "*) name=${line##*-- } ;;
            *) continue ;;
        esac
        skipped=0
        for s in "${skip_tests[@]}"; do [ "$s" = "$suite/$name" ] && skipped=1; done
        if [ $skipped = 1 ]; then
            echo "skip $suite/$name (see the header of $0)"
            nskipped=$((nskipped + 1))
            continue
        fi
        while [ "$(jobs -rp | wc -l)" -ge "$VG_JOBS" ]; do wait -n; done
        run_one "$b" "$suite" "$name" &
        ntests=$((ntests + 1))
    done < <(LC_ALL=C "build/tests/integration/$b" --list 2>/dev/null)
done
wait

# ---- scan --------------------------------------------------------------------
bad_re='Invalid (read|write|free)|uninitialised|Mismatched free|overlap|(definitely|indirectly) lost( in|: [1-9])|ERROR SUMMARY: [1-9]|Process terminating with default action'
nlogs=0 nchecked=0 nchildren=0 bad=()
unchecked=()
while IFS= read -r log; do
    nlogs=$((nlogs + 1))
    ppid=$(sed -n 's/^==[0-9]*== Parent PID: \([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$ppid" ] && [ -f "$(dirname "$log")/vg.$ppid.log" ] && nchildren=$((nchildren + 1))
    if grep -q 'ERROR SUMMARY' "$log"; then
        nchecked=$((nchecked + 1))
    else
        unchecked+=("$log")
    fi
    grep -Eq "$bad_re" "$log" && bad+=("$log")
done < <(find "$OUT/logs" -name 'vg.*.log' | sort)

failed=()
for rcf in $(find "$OUT/out" -name '*.rc' | sort); do
    [ "$(cat "$rcf")" = 0 ] || failed+=("${rcf%.rc}")
done
elapsed=$(( $(date +%s) - t_start ))

if [ ${#bad[@]} -gt 0 ]; then
    for log in "${bad[@]}"; do
        echo
        echo "======== $log"
        grep -m1 'Command:' "$log"
        # valgrind separates its reports with "==PID== " lines: print the
        # reports that match, and the leak summary.
        awk -v re="$bad_re" '
            /^==[0-9]+== $/ { if (blk ~ re || blk ~ /LEAK SUMMARY/) printf "%s", blk; blk = ""; next }
            { blk = blk $0 "\n" }
            END { if (blk ~ re) printf "%s", blk }' "$log"
    done
fi

echo
echo "== valgrind: $ntests tests run ($((ntests - ${#failed[@]})) passed, ${#failed[@]} failed), $nskipped tests and $nskipbins binaries skipped, ${elapsed}s"
echo "== $nlogs server processes ($nchildren of them forked rewrite children): $nchecked checked at exit, ${#unchecked[@]} killed by SIGKILL (unchecked)"
for f in "${failed[@]}"; do echo "   test failed under valgrind: $f"; done
# Unchecked servers per test (SIGKILLed by design in test_crash and the AOF
# kill -9 tests; elsewhere a server that outlived srv_stop's 2 s).
for l in "${unchecked[@]}"; do dirname "$l"; done | sort | uniq -c |
    while read -r n d; do echo "   unchecked: $n in ${d#"$OUT"/logs/}"; done
if [ ${#bad[@]} -gt 0 ]; then
    echo "== FAIL: ${#bad[@]} valgrind logs with errors or leaks (above)"
    exit 1
fi
if [ "$nchecked" -eq 0 ]; then
    echo "== FAIL: no server was checked"
    exit 1
fi
echo "== OK: no invalid access, no definitely/indirectly lost memory"
exit 0
