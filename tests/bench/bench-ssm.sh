#!/usr/bin/env bash
# Session Manager tunnel benchmark (`bastionless-cli tunnel <instance> --via ssm` against fakeaws's Session
# Manager emulator). Prints figures and ratios against a relay measured in the same run; it never passes or fails
# on speed (it fails only when a result is wrong: a byte count or content mismatch, a banner that differs).
#
#   tests/bench/bench-ssm.sh <build-dir>
#
# A. Agent pacing off: upload and download, 64 MiB each, one stream, to a sink/source server on 127.0.0.1
#    through a plain TCP relay (socat) and through the SSM tunnel, interleaved, median of 3; MB/s (10^6 bytes/s)
#    and the ratio SSM / relay.
# B. Agent pacing on (the real agent: 1024-byte messages, 1 ms pause after each, so at most ~1.02 MB/s from
#    the instance): upload and download, 4 MiB each; MB/s, and for download (the agent paces only its output) the
#    fraction of that ceiling.
# C. Time to first byte of a server-first service, from connect() on the tunnel's port: the first connection of a
#    freshly started tunnel and a second one on the same session; median of 5 fresh tunnels.
#
# Everything runs in bl-bench-ssm (tests/bench/BenchSsm.cpp), which embeds fakeaws; this script builds it when
# missing and passes the knobs on. Needs the Debian package socat. Use a RelWithDebInfo or Release build.
# Knobs (the defaults are the published benchmark): BL_BENCH_SSM_MIB (64), BL_BENCH_SSM_PACED_MIB (4),
# BL_BENCH_SSM_ROUNDS (3), BL_BENCH_SSM_RUNS (5).
set -euo pipefail

readonly MIB="${BL_BENCH_SSM_MIB:-64}"
readonly PACED_MIB="${BL_BENCH_SSM_PACED_MIB:-4}"
readonly ROUNDS="${BL_BENCH_SSM_ROUNDS:-3}"
readonly RUNS="${BL_BENCH_SSM_RUNS:-5}"

die() {
    echo "bench-ssm: $*" >&2
    exit 1
}

[[ $# -eq 1 ]] || die "usage: $0 <build-dir>   (a RelWithDebInfo or Release build of Bastionless)"
[[ -d $1 ]] || die "$1 is not a directory; configure a build first: cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo"
BUILD_DIR="$(cd "$1" && pwd)"
SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v socat >/dev/null || die "socat is missing: apt-get install socat"

CLI="$BUILD_DIR/app/cli/bastionless-cli"
BENCH="$BUILD_DIR/tests/bench/bl-bench-ssm"
missing_targets=()
[[ -x $CLI ]] || missing_targets+=(bastionless-cli)
[[ -x $BENCH ]] || missing_targets+=(bl-bench-ssm)
if [[ ${#missing_targets[@]} -gt 0 ]]; then
    echo "==> Building ${missing_targets[*]} in $BUILD_DIR"
    cmake --build "$BUILD_DIR" --target "${missing_targets[@]}" >&2 || die "could not build ${missing_targets[*]}"
fi
for program in "$CLI" "$BENCH"; do
    [[ -x $program ]] || die "$program is missing after the build"
done
BUILD_TYPE="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)"
SANITIZED="$(sed -n 's/^BL_SANITIZE:BOOL=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)"

# The CLI must see only fakeaws: no proxy, no logging rules (bl-bench-ssm also gives it its own HOME).
unset HTTPS_PROXY https_proxy HTTP_PROXY http_proxy ALL_PROXY all_proxy NO_PROXY no_proxy QT_LOGGING_RULES

rc=0
"$BENCH" --cli "$CLI" --mib "$MIB" --paced-mib "$PACED_MIB" --rounds "$ROUNDS" --runs "$RUNS" </dev/null || rc=$?
echo "Versions: $("$CLI" --version 2>/dev/null | head -n1); $(socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/socat \1/p'); $(uname -sr)."
echo "Build: ${BUILD_TYPE:-unknown}${SANITIZED:+, BL_SANITIZE=$SANITIZED}; commit: $(git -C "$SOURCE_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)."
case "$BUILD_TYPE" in
Release | RelWithDebInfo) ;;
*) echo "Note: a ${BUILD_TYPE:-unconfigured} build; publish numbers from RelWithDebInfo or Release only." ;;
esac
knobs=""
[[ -z ${BL_BENCH_SSM_MIB:-} ]] || knobs+="BL_BENCH_SSM_MIB=$MIB "
[[ -z ${BL_BENCH_SSM_PACED_MIB:-} ]] || knobs+="BL_BENCH_SSM_PACED_MIB=$PACED_MIB "
[[ -z ${BL_BENCH_SSM_ROUNDS:-} ]] || knobs+="BL_BENCH_SSM_ROUNDS=$ROUNDS "
[[ -z ${BL_BENCH_SSM_RUNS:-} ]] || knobs+="BL_BENCH_SSM_RUNS=$RUNS "
echo "Command: ${knobs}tests/bench/bench-ssm.sh $BUILD_DIR"
exit "$rc"
