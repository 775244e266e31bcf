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

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"
bench_setup bench-tunnel "$@"
prepare_cli_bench bl-bench-tunnel

rc=0
"$BENCH" --cli "$CLI" --mib "$MIB" --rounds "$ROUNDS" --runs "$RUNS" --latency-ms "$LATENCY_MS" </dev/null || rc=$?
echo "Versions: $("$CLI" --version 2>/dev/null | head -n1); $(socat_version); $(ssh -V 2>&1 | cut -d, -f1-2); $(uname -sr)."
print_build_and_command bench-tunnel.sh BL_BENCH_TUNNEL_MIB BL_BENCH_TUNNEL_ROUNDS BL_BENCH_TUNNEL_RUNS BL_BENCH_TUNNEL_LATENCY_MS
exit "$rc"
