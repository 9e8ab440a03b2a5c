# redis-compat/report.sh - the comparison with the expectations that run.sh
# and run-spawned.sh share.  Source it, then call
#   compat_report LABEL [KNOWN_NOTE]
# with expected_file, known_file, units_tsv (UNIT STATUS SECONDS), results
# (UNIT KIND NAME), logs, update and elapsed set.  It writes $logs/report.txt,
# appends newly passing tests to expected_file with --update (lines are never
# removed) and sets rc: 0 when every expected test passed, 1 when not.
# NOT_REQUIRED=file drops its UNIT<TAB>TEST lines from the expectations.
compat_report() {
    local label=$1 known_note=${2:-} expn knownn n
    expn=$(basename "$expected_file")
    knownn=$(basename "$known_file")
    touch "$expected_file"
    report=$logs/report.txt
    append=$logs/append.tsv
    : >"$append"
    rc=0
    awk -F'\t' -v expf="$expected_file" -v knownf="$known_file" -v unitsf="$units_tsv" \
        -v appendf="$append" -v update="$update" -v elapsed="$elapsed" \
        -v notreqf="${NOT_REQUIRED:-/dev/null}" -v label="$label" -v expn="$expn" \
        -v knownn="$knownn" -v knownnote="$known_note" '
        function key(u, n) { return u SUBSEP n }
        BEGIN {
            while ((getline line < notreqf) > 0) {
                if (line ~ /^#/ || line == "") continue
                split(line, f, "\t"); notreq[key(f[1], f[2])] = 1
            }
            while ((getline line < unitsf) > 0) {
                split(line, f, "\t"); nu++; order[nu] = f[1]; ran[f[1]] = 1
                ustatus[f[1]] = f[2]; usecs[f[1]] = f[3]
            }
            while ((getline line < expf) > 0) {
                if (line ~ /^#/ || line == "") continue
                t = index(line, "\t"); if (!t) continue
                u = substr(line, 1, t - 1); n = substr(line, t + 1)
                if (!(u in ran)) continue
                if (key(u, n) in notreq) continue
                k = key(u, n); if (!(k in want)) { ne++; eorder[ne] = k }
                want[k]++; uexp[u]++
            }
            while ((getline line < knownf) > 0) {
                if (line ~ /^#/ || line == "") continue
                split(line, f, "\t"); k = key(f[1], f[2])
                if (!(k in known)) { nk++; korder[nk] = k }
                known[k] = f[3]
            }
        }
        {   # results.tsv: UNIT KIND NAME
            u = $1; kind = $2; n = substr($0, length($1) + length($2) + 3); k = key(u, n)
            if (kind == "ok") {
                upass[u]++; pass[k]++
                if (pass[k] > want[k] + 0) {
                    newpass++
                    if (update) printf "%s\t%s\n", u, n >> appendf
                    if (k in known) knownnow[k] = 1
                }
            } else if (kind == "err" || kind == "error") {
                ufail[u]++; if (kind == "err") failed[k]++
            } else ufother[u]++
        }
        END {
            printf "\n%-28s | %6s | %6s | %15s | %8s | %16s | %s\n", "unit", "passed", "failed",
                "ignored/skipped", "expected", "missing-expected", "status"
            for (i = 1; i <= nu; i++) {
                u = order[i]
                for (j = 1; j <= ne; j++) {
                    split(eorder[j], p, SUBSEP)
                    if (p[1] == u && pass[eorder[j]] + 0 < want[eorder[j]]) umiss[u] += want[eorder[j]] - pass[eorder[j]]
                }
                printf "%-28s | %6d | %6d | %15d | %8d | %16d | %s (%ss)\n", u, upass[u], ufail[u],
                    ufother[u], uexp[u], umiss[u], ustatus[u], usecs[u]
                tp += upass[u]; tf += ufail[u]; to += ufother[u]; te += uexp[u]; tm += umiss[u]
            }
            printf "%-28s | %6d | %6d | %15d | %8d | %16d | %ss\n", "TOTAL", tp, tf, to, te, tm, elapsed

            nknown = 0
            for (i = 1; i <= nk; i++) {
                k = korder[i]; split(k, p, SUBSEP)
                if (!(p[1] in ran) || pass[k] > 0) continue
                if (!nknown++) print "\nknown failures (" knownn ", not required" knownnote "):"
                printf "  known  %s: %s  -- %s\n", p[1], p[2], known[k]
            }
            for (k in knownnow) {
                split(k, p, SUBSEP)
                printf "  note: known failure now passes: %s: %s\n", p[1], p[2]
            }

            npass = 0; nmiss = 0
            for (j = 1; j <= ne; j++) {
                k = eorder[j]; got = pass[k] + 0
                if (got >= want[k]) { npass += want[k]; continue }
                npass += got; nmiss += want[k] - got
                if (nmiss == want[k] - got) print "\nEXPECTED TESTS THAT DID NOT PASS:"
                split(k, p, SUBSEP)
                why = (failed[k] > 0) ? "failed" : "not run/no result"
                if (k in known) why = why "; also in " knownn ": " known[k]
                times = (want[k] > 1) ? sprintf(" (passed %d of %d times)", got, want[k]) : ""
                printf "  %s\t%s%s  [%s]\n", p[1], p[2], times, why
            }
            if (newpass > 0 && !update)
                printf "\n%d passing test(s) not in %s (record with --update)\n", newpass, expn
            printf "%s: %d passed, %d failed\n", label, npass, nmiss
            exit (nmiss > 0)
        }' "$results" >"$report" || rc=$?
    if [ "$rc" -gt 1 ]; then
        cat "$report"
        die "report failed (awk exit $rc)"
    fi

    if [ "$update" -eq 1 ] && [ -s "$append" ]; then
        # Keep the file newline-terminated before appending; never remove lines.
        if [ -s "$expected_file" ] && [ -n "$(tail -c1 "$expected_file")" ]; then
            echo >>"$expected_file"
        fi
        cat "$append" >>"$expected_file"
        n=$(wc -l <"$append")
        # Insert the update note just above the closing compat: line.
        sed -i "\$i\\
\\
$expn: appended $n newly passing test(s)" "$report"
    fi
}
