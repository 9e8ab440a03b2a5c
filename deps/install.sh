#!/usr/bin/env bash
# deps/install.sh - install the Debian packages Sluice builds and tests against.
#
# Idempotent and fast: it asks dpkg which packages are already installed and
# only when some are missing runs `apt-get update` once and installs exactly
# the missing ones. With everything present it prints one line and exits 0.
#
# Usage: deps/install.sh [-q] [--fuzz]
#   -q      print nothing when all is present
#   --fuzz  also clang and its libFuzzer runtime (`make fuzz` only)
set -euo pipefail

PACKAGES=(
    build-essential   # gcc, make, libc headers
    pkg-config        # compile flags of the libraries below
    libhiredis-dev    # integration tests talk to the server with hiredis
    libjemalloc-dev   # allocator
    libcriterion-dev  # unit and integration test framework
    liblua5.1-0-dev   # Lua 5.1 for scripting (static liblua5.1.a)
    lua-cjson-dev     # cjson for scripts (static liblua5.1-cjson.a)
    lua-bitop-dev     # bit for scripts (static liblua5.1-bitop.a)
    tcl               # tclsh runs Redis' own test suite (redis-compat/)
    redis-tools       # redis-cli, redis-benchmark
    redis-server      # the reference server for side-by-side runs
    python3-redis     # redis-py client checks
    python3-celery    # tests/frameworks: Celery 5 workers (kombu redis transport)
    python3-rq        # tests/frameworks: RQ workers
    ruby-sidekiq      # tests/frameworks: Sidekiq 6 workers
    ruby-redis        # tests/frameworks: Sidekiq's client
    nodejs            # tests/frameworks: BullMQ (npm package, see below)
    dpkg-dev          # apt-get source (redis-compat/fetch.sh)
    valgrind          # make valgrind (tests/valgrind/run.sh)
)

quiet=0
for arg in "$@"; do
    case "$arg" in
        -q | --quiet) quiet=1 ;;
        --fuzz) PACKAGES+=(clang libclang-rt-dev) ;;
        -h | --help)
            sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "install.sh: unknown argument: $arg" >&2
            exit 2
            ;;
    esac
done

# One dpkg-query for all packages (unknown ones are simply absent from its
# output, hence `|| true`), then keep those not "install ok installed".
installed=$(dpkg-query -W -f='${Package}\t${Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)
missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! grep -qxF "$pkg"$'\tinstall ok installed' <<<"$installed"; then
        missing+=("$pkg")
    fi
done

# BullMQ for tests/frameworks comes from the npm registry, pinned by
# tests/frameworks/bullmq/package-lock.json; installed again only when the
# lock file changed.  Without npm the BullMQ check reports SKIPPED.
npm_deps() {
    local dir here
    here=$(cd "$(dirname "$0")/.." && pwd)
    dir=$here/tests/frameworks/bullmq
    [ -f "$dir/package-lock.json" ] || return 0
    if [ -f "$dir/node_modules/.package-lock.json" ] &&
        [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "deps: npm not found: BullMQ framework tests will be skipped" >&2
        return 0
    fi
    echo "deps: npm ci (tests/frameworks/bullmq)"
    if ! npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null; then
        echo "deps: npm ci failed: BullMQ framework tests will be skipped" >&2
        return 0
    fi
    touch "$dir/node_modules/.package-lock.json"
}

if [ "${#missing[@]}" -eq 0 ]; then
    npm_deps
    [ "$quiet" -eq 1 ] || echo "deps: all ${#PACKAGES[@]} packages present"
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "deps: missing ${missing[*]} and not root (no sudo)" >&2
        exit 1
    fi
fi

echo "deps: installing ${missing[*]}"
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "deps: done"
npm_deps
