#!/usr/bin/env bash
# EICE tunnel benchmark. Prints figures and ratios against relays measured in the same run; it never passes or
# fails on speed (it fails only when a result is wrong: a byte count or content mismatch, a login that fails).
#
#   tests/bench/bench-tunnel.sh <build-dir>
#
# A. Bulk throughput, upload and download, 1 stream and 8 streams (1/8 each), 256 MiB per case, median of 3
#    interleaved rounds (each case over the four paths back to back), to a
#    sink/source server on 127.0.0.1 through: nothing (reference), a plain TCP relay (socat TCP-LISTEN -> TCP),
#    a TLS relay (socat TCP-LISTEN -> OPENSSL -> socat OPENSSL-LISTEN -> TCP) and the EICE tunnel
#    (`bastionless-cli tunnel <instance> --remote-port 22` -> WebSocket over TLS -> fakeaws's EICE -> server).
#    MB/s are 10^6 bytes per second; ratios EICE / plain TCP relay and EICE / TLS relay.
# B. Start to exit of `bastionless-cli ssh <instance> --os-user root -- true` against a real sshd with 50 ms on
#    every AWS call (OpenTunnel included), beside the same with no delay and plain `ssh -p <port> root@127.0.0.1
#    true` with a prepared key; median of 5 interleaved runs, the round trips that implies, and fakeaws's count
#    of requests per action. Needs root and openssh-server (as the e2e tests); skipped with a message otherwise.
#
# Everything runs in bl-bench-tunnel (tests/bench/BenchTunnel.cpp), which embeds fakeaws; this script builds it
# when missing and passes the knobs on. Needs the Debian package socat. Use a RelWithDebInfo or Release build.
# Knobs for quick experiments (the defaults are the published benchmark): BL_BENCH_TUNNEL_MIB (256),
# BL_BENCH_TUNNEL_ROUNDS (3), BL_BENCH_TUNNEL_RUNS (5), BL_BENCH_TUNNEL_LATENCY_MS (50).
set -euo pipefail

readonly MIB="${BL_BENCH_TUNNEL_MIB:-256}"
readonly ROUNDS="${BL_BENCH_TUNNEL_ROUNDS:-3}"
readonly RUNS="${BL_BENCH_TUNNEL_RUNS:-5}"
readonly LATENCY_MS="${BL_BENCH_TUNNEL_LATENCY_MS:-50}"

die() {
    echo "bench-tunnel: $*" >&2
    exit 1
}

[[ $# -eq 1 ]] || die "usage: $0 <build-dir>   (a RelWithDebInfo or Release build of Bastionless)"
[[ -d $1 ]] || die "$1 is not a directory; configure a build first: cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo"
BUILD_DIR="$(cd "$1" && pwd)"
SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v socat >/dev/null || die "socat is missing: apt-get install socat"

CLI="$BUILD_DIR/app/cli/bastionless-cli"
BENCH="$BUILD_DIR/tests/bench/bl-bench-tunnel"
missing_targets=()
[[ -x $CLI ]] || missing_targets+=(bastionless-cli)
[[ -x $BENCH ]] || missing_targets+=(bl-bench-tunnel)
if [[ ${#missing_targets[@]} -gt 0 ]]; then
    echo "==> Building ${missing_targets[*]} in $BUILD_DIR"
    cmake --build "$BUILD_DIR" --target "${missing_targets[@]}" >&2 || die "could not build ${missing_targets[*]}"
fi
for program in "$CLI" "$BENCH"; do
    [[ -x $program ]] || die "$program is missing after the build"
done
BUILD_TYPE="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)"
SANITIZED="$(sed -n 's/^BL_SANITIZE:BOOL=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)"

# The CLI must see only fakeaws: no proxy, no logging rules (bl-bench-tunnel also gives it its own HOME).
unset HTTPS_PROXY https_proxy HTTP_PROXY http_proxy ALL_PROXY all_proxy NO_PROXY no_proxy QT_LOGGING_RULES

rc=0
"$BENCH" --cli "$CLI" --mib "$MIB" --rounds "$ROUNDS" --runs "$RUNS" --latency-ms "$LATENCY_MS" </dev/null || rc=$?
echo "Versions: $("$CLI" --version 2>/dev/null | head -n1); $(socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/socat \1/p'); $(ssh -V 2>&1 | cut -d, -f1-2); $(uname -sr)."
echo "Build: ${BUILD_TYPE:-unknown}${SANITIZED:+, BL_SANITIZE=$SANITIZED}; commit: $(git -C "$SOURCE_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)."
case "$BUILD_TYPE" in
Release | RelWithDebInfo) ;;
*) echo "Note: a ${BUILD_TYPE:-unconfigured} build; publish numbers from RelWithDebInfo or Release only." ;;
esac
knobs=""
[[ -z ${BL_BENCH_TUNNEL_MIB:-} ]] || knobs+="BL_BENCH_TUNNEL_MIB=$MIB "
[[ -z ${BL_BENCH_TUNNEL_ROUNDS:-} ]] || knobs+="BL_BENCH_TUNNEL_ROUNDS=$ROUNDS "
[[ -z ${BL_BENCH_TUNNEL_RUNS:-} ]] || knobs+="BL_BENCH_TUNNEL_RUNS=$RUNS "
[[ -z ${BL_BENCH_TUNNEL_LATENCY_MS:-} ]] || knobs+="BL_BENCH_TUNNEL_LATENCY_MS=$LATENCY_MS "
echo "Command: ${knobs}tests/bench/bench-tunnel.sh $BUILD_DIR"
exit "$rc"
