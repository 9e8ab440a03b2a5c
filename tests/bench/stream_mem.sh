#!/usr/bin/env bash
# tests/bench/stream_mem.sh - stream and list memory, sluice-server against
# redis-server 7.0.15 side by side.  A benchmark, never a test: it prints,
# it does not fail on a missed target.
#
# For each server (started with --save '' --appendonly no on a free port):
#
#  1. entries: growth of INFO used_memory after STREAM_MEM_N XADD s * f <v>
#     with an 18-byte value ("v-" + 16 digits, not an integer), bytes per
#     entry.  Target (issue 5): sluice <= 0.8 x Redis (Redis ~31 B/entry).
#  2. PEL: XGROUP CREATE, then STREAM_MEM_CONSUMERS consumers each read an
#     equal share with XREADGROUP ... COUNT n STREAMS s > (replies drained
#     before measuring), growth of used_memory per pending entry.
#     Target: sluice <= Redis.
#  3. list: growth of used_memory after STREAM_MEM_N elements of 18 bytes
#     RPUSHed 100 per command, bytes per element.  Target (issue 3): sluice
#     <= 1.0 x Redis (~20 B/element), and sluice's used_memory (its own count
#     of every allocation's usable size) agrees with jemalloc's
#     stats.allocated (INFO allocator_allocated): the difference is a fixed
#     amount (the Lua state, libc's own buffers: under 1 MB), not per element.
#
# Environment:
#   STREAM_MEM_N=1000000        entries
#   STREAM_MEM_CONSUMERS=1      consumers sharing the PEL
#   BENCH_PORT=7370             first port to try (free ports are probed upwards)
#   SLUICE_SERVER, REDIS_SERVER binaries to use
set -uo pipefail

. "$(dirname "$0")/lib.sh"
N=${STREAM_MEM_N:-$(q 1000000 200000)}
CONSUMERS=${STREAM_MEM_CONSUMERS:-1}

bench_init stream_mem 7370
command -v python3 >/dev/null || die "no python3"

# The XADD commands in RESP, generated once.
python3 - "$N" >"$tmp/xadd.resp" <<'EOF'
import sys
n = int(sys.argv[1])
out = sys.stdout.buffer
chunk = []
for i in range(n):
    v = b"v-%016d" % i
    chunk.append(b"*5\r\n$4\r\nXADD\r\n$1\r\ns\r\n$1\r\n*\r\n$1\r\nf\r\n$18\r\n" + v + b"\r\n")
    if len(chunk) == 10000:
        out.write(b"".join(chunk))
        chunk = []
out.write(b"".join(chunk))
EOF

# The list elements in RESP, 100 per RPUSH.
python3 - "$N" >"$tmp/rpush.resp" <<'EOF'
import sys
n = int(sys.argv[1])
out = sys.stdout.buffer
for i in range(0, n, 100):
    k = min(100, n - i)
    out.write(b"*%d\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n" % (k + 2) +
              b"".join(b"$18\r\nv-%016d\r\n" % j for j in range(i, i + k)))
EOF

info_field() { # port field
    redis-cli -p "$1" info memory | tr -d '\r' | awk -F: -v f="$2" '$1 == f {print $2}'
}

measure_list() { # name binary -> "name bytes_per_element used/allocator"
    local name=$1 bin=$2 port m0 m1
    port=$(free_port)
    start_server "$name-list" "$port" "$bin" --port "$port" --save '' --appendonly no
    m0=$(used_memory "$port")
    redis-cli -p "$port" --pipe <"$tmp/rpush.resp" >/dev/null || die "$name: RPUSH pipe failed"
    m1=$(used_memory "$port")
    [ "$(redis-cli -p "$port" llen l)" = "$N" ] || die "$name: LLEN is not $N"
    local alloc
    alloc=$(info_field "$port" allocator_allocated)
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1
    python3 -c "print('%s %.2f %d' % ('$name', ($m1 - $m0) / $N, ${alloc:-0} - $m1))"
}

measure() { # name binary extra-args...
    local name=$1 bin=$2
    shift 2
    local port
    port=$(free_port)
    start_server "$name" "$port" "$bin" --port "$port" --save '' --appendonly no "$@"
    local m0 m1 m2 m3 share i
    m0=$(used_memory "$port")
    redis-cli -p "$port" --pipe <"$tmp/xadd.resp" >/dev/null || die "$name: XADD pipe failed"
    m1=$(used_memory "$port")
    [ "$(redis-cli -p "$port" xlen s)" = "$N" ] || die "$name: XLEN is not $N"
    redis-cli -p "$port" xgroup create s g 0 >/dev/null
    m2=$(used_memory "$port")
    share=$(( (N + CONSUMERS - 1) / CONSUMERS ))
    for i in $(seq 1 "$CONSUMERS"); do
        redis-cli -p "$port" xreadgroup group g "c$i" count "$share" streams s '>' >/dev/null
    done
    m3=$(used_memory "$port")
    local pending
    pending=$(redis-cli -p "$port" xpending s g | head -1)
    [ "$pending" = "$N" ] || die "$name: $pending pending, expected $N"
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1
    python3 -c "print('%s %.2f %.2f' % ('$name', ($m1 - $m0) / $N, ($m3 - $m2) / $N))"
}

echo "stream memory: $N entries (one field, 18-byte value), PEL over $CONSUMERS consumer(s)"
r=$(measure redis "$REDIS_SERVER") || exit 1
s=$(measure sluice "$SLUICE_SERVER") || exit 1
read -r _ r_ent r_pel <<<"$r"
read -r _ s_ent s_pel <<<"$s"
python3 - "$r_ent" "$r_pel" "$s_ent" "$s_pel" <<'EOF'
import sys
re, rp, se, sp = map(float, sys.argv[1:])
print("%-28s %10s %10s %8s %8s" % ("", "redis", "sluice", "ratio", "target"))
print("%-28s %10.2f %10.2f %8.2f %8s %s" % ("entries: bytes per entry", re, se, se / re, "<= 0.80",
      "ok" if se <= 0.8 * re else "MISSED"))
print("%-28s %10.2f %10.2f %8.2f %8s %s" % ("PEL: bytes per pending entry", rp, sp, sp / rp,
      "<= 1.00", "ok" if sp <= rp else "MISSED"))
EOF
rl=$(measure_list redis "$REDIS_SERVER") || exit 1
sl=$(measure_list sluice "$SLUICE_SERVER") || exit 1
read -r _ r_el _ <<<"$rl"
read -r _ s_el s_agree <<<"$sl"
python3 - "$r_el" "$s_el" "$s_agree" <<'EOF'
import sys
r, s, agree = map(float, sys.argv[1:])
print("%-28s %10.2f %10.2f %8.2f %8s %s" % ("list: bytes per element", r, s, s / r, "<= 1.00",
      "ok" if s <= r else "MISSED"))
print("sluice: jemalloc stats.allocated - used_memory = %.0f KB (target: under 1024 KB: %s)" %
      (agree / 1024, "ok" if abs(agree) < 1024 * 1024 else "MISSED"))
EOF
