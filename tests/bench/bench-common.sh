# shellcheck shell=bash
# What the tests/bench/bench-*.sh scripts share, sourced by each of them (not run on its own): the command line
# and build directory, the programs built on demand, an environment that sees fakeaws only, a work directory whose
# processes stop with the script, statistics over columns of numbers, and the lines that say how the figures were
# made. Each function dies with the script's own name ($BENCH_NAME) in the message.

readonly FAKEAWS_START_TIMEOUT_S=20
readonly FAKEAWS_EXIT_AFTER_S=1200 # safety net should the script be killed with SIGKILL

die() {
    echo "${BENCH_NAME:-bench}: $*" >&2
    exit 1
}

# bench_setup NAME "$@": checks the one argument (the build directory) and sets BENCH_NAME, BUILD_DIR, SOURCE_DIR,
# and BUILD_TYPE and SANITIZED from the build's CMake cache.
bench_setup() {
    BENCH_NAME="$1"
    shift
    [[ $# -eq 1 ]] || die "usage: $0 <build-dir>   (a RelWithDebInfo or Release build of Bastionless)"
    [[ -d $1 ]] || die "$1 is not a directory; configure a build first: cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo"
    BUILD_DIR="$(cd "$1" && pwd)"
    SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    BUILD_TYPE="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)"
    SANITIZED="$(sed -n 's/^BL_SANITIZE:BOOL=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)"
}

# build_missing PROGRAM TARGET [PROGRAM TARGET ...]: builds, in one go, the targets whose program is not there yet,
# then makes sure every program is.
build_missing() {
    local programs=() missing_targets=()
    while [[ $# -ge 2 ]]; do
        programs+=("$1")
        [[ -x $1 ]] || missing_targets+=("$2")
        shift 2
    done
    if [[ ${#missing_targets[@]} -gt 0 ]]; then
        echo "==> Building ${missing_targets[*]} in $BUILD_DIR"
        cmake --build "$BUILD_DIR" --target "${missing_targets[@]}" >&2 || die "could not build ${missing_targets[*]}"
    fi
    local program
    for program in "${programs[@]}"; do
        [[ -x $program ]] || die "$program is missing after the build"
    done
}

# prepare_cli_bench TARGET: for the benchmarks that drive bastionless-cli from a program of their own beside socat
# relays (bench-ssm.sh, bench-tunnel.sh): CLI and BENCH (tests/bench/TARGET), built when missing, and an
# environment in which the CLI sees only fakeaws (the program also gives it its own HOME).
prepare_cli_bench() {
    command -v socat >/dev/null || die "socat is missing: apt-get install socat"
    CLI="$BUILD_DIR/app/cli/bastionless-cli"
    BENCH="$BUILD_DIR/tests/bench/$1"
    build_missing "$CLI" bastionless-cli "$BENCH" "$1"
    unset_proxies_and_logging
}

# What would reach past fakeaws or change what the programs print: proxies and logging rules.
unset_proxies_and_logging() {
    unset HTTPS_PROXY https_proxy HTTP_PROXY http_proxy ALL_PROXY all_proxy NO_PROXY no_proxy QT_LOGGING_RULES
}

# --- A work directory; what runs in it stops with the script -------------------------------------------------

stop_process() {
    local pid="$1"
    [[ -n $pid ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        local waited=0
        while kill -0 "$pid" 2>/dev/null && [[ $waited -lt 50 ]]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    stop_process "$CHILD_PID" # bl-measure passes the signal on to what it measures
    stop_process "$FAKE_PID"
    rm -rf "$WORK"
    exit "$rc"
}

# make_work_dir PREFIX: a fresh WORK directory, removed on exit, failure, Ctrl-C or SIGTERM after stopping the
# processes in FAKE_PID (fakeaws) and CHILD_PID (what is being measured).
make_work_dir() {
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
    FAKE_PID=""
    CHILD_PID=""
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
}

# launch_fakeaws ARGS...: fakeaws in the background as FAKE_PID, ending by itself after a while; the caller
# redirects its output (stderr to $WORK/fakeaws.log, for await_fakeaws).
launch_fakeaws() {
    "$FAKEAWS" "$@" --exit-after "$FAKEAWS_EXIT_AFTER_S" </dev/null &
    FAKE_PID=$!
}

# await_fakeaws READY: waits until fakeaws (started in the background as FAKE_PID, its stderr in $WORK/fakeaws.log)
# prints READY; dies with its log should it exit first.
await_fakeaws() {
    local ready="$1"
    local deadline=$((SECONDS + FAKEAWS_START_TIMEOUT_S))
    until grep -q "$ready" "$WORK/fakeaws.log" 2>/dev/null; do
        if ! kill -0 "$FAKE_PID" 2>/dev/null; then
            cat "$WORK/fakeaws.log" >&2
            die "fakeaws exited before listening"
        fi
        [[ $SECONDS -lt $deadline ]] || die "fakeaws did not print its '$ready' line within ${FAKEAWS_START_TIMEOUT_S}s"
        sleep 0.05
    done
}

# --- Statistics over one whitespace-separated column of a file ------------------------------------------------

# percentile FILE COLUMN P -> nearest-rank percentile (P=50 is the median of an odd count).
percentile() {
    awk -v col="$2" '{ print $col }' "$1" | sort -n | awk -v p="$3" '
        { v[NR] = $1 }
        END { if (NR == 0) exit 1; r = int((p / 100) * NR + 0.999999); if (r < 1) r = 1; print v[r] }'
}
column_min() { awk -v col="$2" 'NR == 1 || $col < m { m = $col } END { print m }' "$1"; }
column_max() { awk -v col="$2" 'NR == 1 || $col > m { m = $col } END { print m }' "$1"; }
kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

# --- How the figures were made --------------------------------------------------------------------------------

# "RelWithDebInfo; commit: abc1234", with the sanitizers when they are on.
build_and_commit() {
    echo "${BUILD_TYPE:-unknown}${SANITIZED:+, BL_SANITIZE=$SANITIZED}; commit: $(git -C "$SOURCE_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

socat_version() {
    socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/socat \1/p'
}

# Debug figures say little about the shipped program.
note_unpublished_build_type() {
    case "$BUILD_TYPE" in
    Release | RelWithDebInfo) ;;
    *) echo "Note: a ${BUILD_TYPE:-unconfigured} build; publish numbers from RelWithDebInfo or Release only." ;;
    esac
}

# print_build_and_command SCRIPT KNOB...: the closing lines of bench-ssm.sh and bench-tunnel.sh.
print_build_and_command() {
    echo "Build: $(build_and_commit)."
    note_unpublished_build_type
    print_command "$@"
}

# print_command SCRIPT KNOB...: the command line that repeats this run, with the knobs that were set.
print_command() {
    local script="$1" knob knobs=""
    shift
    for knob in "$@"; do
        [[ -z ${!knob:-} ]] || knobs+="$knob=${!knob} "
    done
    echo "Command: ${knobs}tests/bench/$script $BUILD_DIR"
}
