#!/usr/bin/env bash
# tests/fuzz/run.sh - run the libFuzzer targets built by `make fuzz`.
#
#   FUZZ_TIME=60 bash tests/fuzz/run.sh [resp streamid config aof]
#
# Each target runs FUZZ_TIME seconds on its seed corpus (tests/fuzz/corpus/
# <target>/, read only) plus a working corpus (build-fuzz/corpus/<target>/,
# where new inputs go), with tests/fuzz/<target>.dict when present.
# FUZZ_UNIT_TIMEOUT (default 60) is libFuzzer's -timeout: seconds one input
# may take (a 192 MB bulk header allocates and touches 192 MB under ASan,
# seconds on a loaded machine).  Crashes, leaks, timeouts and OOMs are written to build-fuzz/artifacts/
# <target>/; the script lists them and exits 1 if any run found one.  To keep
# an input as a regression test, copy it into tests/fuzz/corpus/<target>/
# (`make fuzz-replay`, part of `make test`, replays those with gcc).  To fold
# the working corpus back into the seed corpus, minimised:
#   build-fuzz/tests/fuzz/fuzz_<t> -merge=1 tests/fuzz/corpus/<t> build-fuzz/corpus/<t>
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build-fuzz
FUZZ_TIME=${FUZZ_TIME:-60}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(resp streamid config aof)

max_len() {
    case "$1" in
        streamid) echo 160 ;;
        config) echo 4096 ;;
        resp) echo 8192 ;;
        *) echo 16384 ;;
    esac
}

failed=0
for t in "${targets[@]}"; do
    bin=$out/tests/fuzz/fuzz_$t
    if [ ! -x "$bin" ]; then
        echo "fuzz: $bin not built (run make fuzz)" >&2
        exit 2
    fi
    mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
    dict=()
    [ -f "$here/$t.dict" ] && dict=(-dict="$here/$t.dict")
    echo "== fuzz $t for ${FUZZ_TIME}s"
    # slow-unit-* files only say an input took over 10 s (on a loaded
    # machine the big-allocation inputs do): reported, not a failure.
    before=$(ls "$out/artifacts/$t" | grep -vc '^slow-unit-')
    "$bin" -max_total_time="$FUZZ_TIME" -max_len="$(max_len "$t")" -timeout="${FUZZ_UNIT_TIMEOUT:-60}" \
        -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix="$out/artifacts/$t/" \
        "${dict[@]}" "$out/corpus/$t" "$here/corpus/$t" 2>"$out/fuzz-$t.log"
    rc=$?
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|Done)|cov:.*DONE|ERROR:|SUMMARY" \
        "$out/fuzz-$t.log" | tail -6
    after=$(ls "$out/artifacts/$t" | grep -vc '^slow-unit-')
    ls "$out/artifacts/$t" | grep '^slow-unit-' | sed "s|^|    slow, not a failure: $out/artifacts/$t/|"
    if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
        echo "fuzz $t: FOUND A PROBLEM (exit $rc); log $out/fuzz-$t.log, inputs:"
        ls -1 "$out/artifacts/$t" | sed "s|^|    $out/artifacts/$t/|"
        failed=1
    fi
done
exit $failed
