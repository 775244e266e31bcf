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

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"
bench_setup bench-ssm "$@"
prepare_cli_bench bl-bench-ssm

rc=0
"$BENCH" --cli "$CLI" --mib "$MIB" --paced-mib "$PACED_MIB" --rounds "$ROUNDS" --runs "$RUNS" </dev/null || rc=$?
echo "Versions: $("$CLI" --version 2>/dev/null | head -n1); $(socat_version); $(uname -sr)."
print_build_and_command bench-ssm.sh BL_BENCH_SSM_MIB BL_BENCH_SSM_PACED_MIB BL_BENCH_SSM_ROUNDS BL_BENCH_SSM_RUNS
exit "$rc"
