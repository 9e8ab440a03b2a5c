#!/usr/bin/env bash
# redis-compat/fetch.sh - fetch Redis 7.0.15's Tcl test suite into the cache.
#
# Source: Debian's source package `redis` (bookworm), whose upstream tarball
# redis_7.0.15.orig.tar.gz is unpacked into
#     redis-compat/.cache/redis-7.0.15/
# keeping only what tests/test_helper.tcl needs: test_helper.tcl, support/,
# helpers/, assets/, unit/, integration/ (run-spawned.sh) and a writable tmp/.
#
# Idempotent: does nothing when the cache is already complete.
#
# A deb-src entry is added (derived from debian.sources) only when no
# deb-src source is configured yet. Offline use: point REDIS_ORIG_TARBALL at
# an already downloaded redis_7.0.15.orig.tar.gz.
set -euo pipefail

VERSION=7.0.15
TARBALL=redis_${VERSION}.orig.tar.gz
# sha256 of Debian's orig tarball (bookworm); a mismatch only warns.
TARBALL_SHA256=4b1dc4ee6d622a09fff9c6777191209750fb5e5a725ef78ea012d6eef4c22982

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=$here/.cache
dest=$cache/redis-$VERSION
stamp=$dest/.fetched

if [ -f "$stamp" ] && [ -f "$dest/tests/test_helper.tcl" ] && [ -d "$dest/tests/integration" ]; then
    mkdir -p "$dest/tests/tmp"
    exit 0
fi

log() { echo "fetch: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root for: $*"
    fi
}

have_deb_src() {
    grep -qsE '^[[:space:]]*Types:.*\bdeb-src\b' /etc/apt/sources.list.d/*.sources && return 0
    grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list
}

ensure_deb_src() {
    have_deb_src && return 0
    local main=/etc/apt/sources.list.d/debian.sources
    [ -f "$main" ] || die "no deb-src configured and $main missing; add a deb-src line for Debian bookworm"
    log "adding deb-src entries (/etc/apt/sources.list.d/debian-src.sources)"
    sed 's/^Types: deb$/Types: deb-src/' "$main" |
        as_root tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
    as_root apt-get update -qq
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sluice-fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ -n "${REDIS_ORIG_TARBALL:-}" ]; then
    [ -f "$REDIS_ORIG_TARBALL" ] || die "REDIS_ORIG_TARBALL=$REDIS_ORIG_TARBALL not found"
    cp "$REDIS_ORIG_TARBALL" "$tmp/$TARBALL"
else
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found (set REDIS_ORIG_TARBALL)"
    ensure_deb_src
    log "apt-get source --download-only redis"
    # _apt cannot write into a 0700 temp dir; download as the invoking user
    # instead of printing the 'unsandboxed' warning.
    get_source() {
        (cd "$tmp" && apt-get -o APT::Sandbox::User=root source --download-only redis) \
            >"$tmp/apt.log" 2>&1
    }
    if ! get_source; then
        # deb-src configured but its index never downloaded: update once.
        log "apt-get source failed; running apt-get update and retrying"
        as_root apt-get update -qq
        get_source || {
            cat "$tmp/apt.log" >&2
            die "apt-get source redis failed"
        }
    fi
    [ -f "$tmp/$TARBALL" ] || {
        ls -l "$tmp" >&2
        die "$TARBALL not among the downloaded files (Debian's redis is no longer $VERSION?)"
    }
fi

sum=$(sha256sum "$tmp/$TARBALL" | cut -d' ' -f1)
[ "$sum" = "$TARBALL_SHA256" ] || log "warning: $TARBALL sha256 $sum (expected $TARBALL_SHA256)"

top=redis-$VERSION
members=(
    "$top/COPYING"
    "$top/tests/README.md"
    "$top/tests/test_helper.tcl"
    "$top/tests/support"
    "$top/tests/helpers"
    "$top/tests/assets"
    "$top/tests/unit"
    "$top/tests/integration"
    "$top/tests/tmp"
)
mkdir -p "$tmp/x"
tar -xzf "$tmp/$TARBALL" -C "$tmp/x" "${members[@]}"
mkdir -p "$tmp/x/$top/tests/tmp"
printf 'tarball %s\nsha256 %s\nfetched %s\n' "$TARBALL" "$sum" "$(date -u +%FT%TZ)" \
    >"$tmp/x/$top/.fetched"

mkdir -p "$cache"
rm -rf "$dest"
mv "$tmp/x/$top" "$dest"
log "test suite ready in $dest"
