#!/usr/bin/env bash
# Foundation benchmark. Prints figures and ratios against a reference measured in the same run; it never
# passes or fails on speed (it fails only when a result is wrong, e.g. not exactly 5,000 instances).
#
#   tests/bench/bench-list.sh <build-dir>
#
# 1. `bastionless-cli list --all-regions --output json` against fakeaws serving a generated fleet of
#    5,000 instances in 17 regions, every answer delayed by 50 ms: default concurrency (8), 17, and the
#    sequential reference (--max-concurrency 1). Median wall time of 3 runs each, HTTP requests, instances
#    returned, the CLI's CPU time, peak RSS, speed-up versus the reference, and the floor
#    requests x latency / concurrency.
# 2. `bastionless-cli --version` start-up, 50 runs, median and p90, against /bin/true run the same way.
#
# Wall time and peak RSS come from bl-measure (tests/bench/MeasureRun.cpp: fork, exec, wait4 rusage), so
# nothing beyond the project's own packages is needed (no GNU time). Use a RelWithDebInfo or Release build.
# Knobs for quick experiments (the defaults are the published benchmark): BL_BENCH_RUNS, BL_BENCH_STARTUP_RUNS.
set -euo pipefail

readonly FLEET_SIZE=5000
readonly REGION_COUNT=17
readonly LATENCY_MS=50
readonly RUNS="${BL_BENCH_RUNS:-3}"
readonly STARTUP_RUNS="${BL_BENCH_STARTUP_RUNS:-50}"
readonly CONCURRENCIES=(1 default 17) # 1 first: it is the reference the others are compared with
readonly DEFAULT_CONCURRENCY=8        # InstanceInventory::defaultMaxInFlight, for the floor column

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"
bench_setup bench-list "$@"

# The three programs, built on demand when missing.
FAKEAWS="$BUILD_DIR/tests/fakeaws/fakeaws"
CLI="$BUILD_DIR/app/cli/bastionless-cli"
MEASURE="$BUILD_DIR/tests/bench/bl-measure"
build_missing "$FAKEAWS" fakeaws_exe "$CLI" bastionless-cli "$MEASURE" bl-measure

# Every process this script starts is stopped on exit, failure, Ctrl-C or SIGTERM.
make_work_dir bl-bench

# Runs bl-measure in the background and waits, so that a signal reaches the traps at once rather than
# after the measured program ends. Returns the measured program's (first failing) exit status.
# measure REPORT STDOUT STDERR REPEAT PROGRAM [ARGS...]
measure() {
    local report="$1" stdout="$2" stderr="$3" repeat="$4"
    shift 4
    "$MEASURE" --repeat "$repeat" --report "$report" -- "$@" <"/dev/null" >"$stdout" 2>"$stderr" &
    CHILD_PID=$!
    local rc=0
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=""
    # Stopped by SIGHUP, SIGINT or SIGTERM (Ctrl-C reaches the measured program too): stop here, quietly.
    if [[ $rc -eq 129 || $rc -eq 130 || $rc -eq 143 ]]; then
        echo "bench-list: interrupted" >&2
        exit "$rc"
    fi
    return "$rc"
}

# bl-measure reports microseconds; the tables show milliseconds.
us_to_ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }

# --- fakeaws ---------------------------------------------------------------------------------------------

# Isolate the CLI from the user's AWS config, proxies and settings: fakeaws's exports are all it sees.
export HOME="$WORK/home"
export XDG_CONFIG_HOME="$WORK/home/.config" XDG_CACHE_HOME="$WORK/home/.cache" XDG_DATA_HOME="$WORK/home/.local/share"
export AWS_CONFIG_FILE="$WORK/home/no-aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/home/no-aws-credentials"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_MAX_ATTEMPTS
unset_proxies_and_logging
mkdir -p "$HOME"

echo "==> Starting fakeaws: --fleet generated:$FLEET_SIZE:$REGION_COUNT --latency-ms $LATENCY_MS"
launch_fakeaws --fleet "generated:$FLEET_SIZE:$REGION_COUNT" --latency-ms "$LATENCY_MS" \
    --state-dir "$WORK/fakeaws" --print-env >"$WORK/fakeaws.env" 2>"$WORK/fakeaws.log"
await_fakeaws listening
# shellcheck disable=SC1091
source "$WORK/fakeaws.env"
[[ -n ${AWS_ENDPOINT_URL:-} ]] || die "fakeaws printed no AWS_ENDPOINT_URL"
echo "    $(grep listening "$WORK/fakeaws.log")"

# --- 1. list -----------------------------------------------------------------------------------------------

# One list run: checks the answer is the whole fleet, records requests (the report gets wall time and RSS).
list_once() {
    local concurrency="$1" record="$2"
    local args=(list --all-regions --output json -v)
    [[ $concurrency == default ]] || args+=(--max-concurrency "$concurrency")
    local out="$WORK/list.json" err="$WORK/list.err"
    local rc=0
    measure "$WORK/list-$concurrency.report" "$out" "$err" 1 "$CLI" "${args[@]}" || rc=$?
    if [[ $rc -ne 0 ]]; then
        sed 's/^/    /' "$err" >&2
        die "bastionless-cli ${args[*]} failed with exit status $rc"
    fi
    # The JSON is an indented array of instance objects: each object's own "id" sits at 8 spaces.
    local instances unique summary requests regions
    instances="$(grep -c '^        "id": "i-' "$out" || true)"
    unique="$(grep '^        "id": "i-' "$out" | sort -u | wc -l)"
    [[ $(head -c1 "$out") == "[" ]] || die "--output json did not print a JSON array (concurrency $concurrency)"
    if [[ $instances -ne $FLEET_SIZE || $unique -ne $FLEET_SIZE ]]; then
        die "concurrency $concurrency returned $instances instances ($unique distinct ids), expected exactly $FLEET_SIZE"
    fi
    summary="$(grep -E '^[0-9]+ instances in [0-9]+ regions, [0-9]+ HTTP requests' "$err" | tail -n1 || true)"
    [[ -n $summary ]] || die "no '-v' summary line on stderr (concurrency $concurrency): $(tail -n3 "$err")"
    requests="$(sed -E 's/.* ([0-9]+) HTTP requests.*/\1/' <<<"$summary")"
    regions="$(sed -E 's/^[0-9]+ instances in ([0-9]+) regions.*/\1/' <<<"$summary")"
    [[ $regions -eq $REGION_COUNT ]] || die "concurrency $concurrency listed $regions regions, expected $REGION_COUNT"
    if [[ $record == yes ]]; then
        echo "$requests $instances" >>"$WORK/list-$concurrency.counts"
    else
        rm -f "$WORK/list-$concurrency.report" # warm-up: not counted
    fi
    rm -f "$out"
}

echo "==> Warm-up list (not counted)"
list_once default no
for ((run = 1; run <= RUNS; run++)); do
    # Interleaved, so that any drift of the machine affects every setting alike.
    for concurrency in "${CONCURRENCIES[@]}"; do
        list_once "$concurrency" yes
        last="$(tail -n1 "$WORK/list-$concurrency.report")"
        printf '    run %d/%d  concurrency %-7s  %7s ms wall  %7s ms CPU  %s requests  %s MiB\n' "$run" "$RUNS" \
            "$concurrency" "$(us_to_ms "$(cut -d' ' -f1 <<<"$last")")" "$(us_to_ms "$(cut -d' ' -f4 <<<"$last")")" \
            "$(tail -n1 "$WORK/list-$concurrency.counts" | cut -d' ' -f1)" "$(kib_to_mib "$(cut -d' ' -f2 <<<"$last")")"
    done
done
FAKEAWS_HWM_KIB="$(awk '/^VmHWM:/ { print $2 }' "/proc/$FAKE_PID/status" 2>/dev/null || true)"

# --- 2. start-up -------------------------------------------------------------------------------------------

echo "==> Start-up: $STARTUP_RUNS runs each of bastionless-cli --version and /bin/true"
# Warm the page cache once, then measure; the same harness runs both.
"$CLI" --version >/dev/null || die "bastionless-cli --version failed"
measure "$WORK/startup-true.report" /dev/null "$WORK/startup.err" 1 /bin/true || die "/bin/true failed?"
rm -f "$WORK/startup-true.report"
measure "$WORK/startup-cli.report" "$WORK/version.out" "$WORK/startup.err" "$STARTUP_RUNS" "$CLI" --version ||
    die "bastionless-cli --version failed: $(cat "$WORK/startup.err")"
measure "$WORK/startup-true.report" /dev/null "$WORK/startup.err" "$STARTUP_RUNS" /bin/true ||
    die "/bin/true failed: $(cat "$WORK/startup.err")"
VERSION_LINE="$(head -n1 "$WORK/version.out")"

# --- Table -------------------------------------------------------------------------------------------------

reference_us="$(percentile "$WORK/list-1.report" 1 50)"
echo
echo "## Benchmark: $VERSION_LINE"
echo
echo "List ${FLEET_SIZE} instances over ${REGION_COUNT} regions (fakeaws, ${LATENCY_MS} ms per call), median of ${RUNS} runs:"
echo
echo "| --max-concurrency | Median wall (ms) | Speed-up vs sequential | HTTP requests | Instances | Floor: requests × ${LATENCY_MS} ms / concurrency (ms) | CLI CPU, user+sys (ms) | Peak RSS (MiB) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for concurrency in "${CONCURRENCIES[@]}"; do
    report="$WORK/list-$concurrency.report"
    counts="$WORK/list-$concurrency.counts"
    median_us="$(percentile "$report" 1 50)"
    requests="$(percentile "$counts" 1 50)"
    requests_min="$(percentile "$counts" 1 0)"
    requests_max="$(column_max "$counts" 1)"
    [[ $requests_min -eq $requests_max ]] || requests="$requests ($requests_min–$requests_max)"
    instances="$(percentile "$counts" 2 50)"
    effective=$([[ $concurrency == default ]] && echo "$DEFAULT_CONCURRENCY" || echo "$concurrency")
    floor_ms="$(awk -v r="$requests_max" -v l="$LATENCY_MS" -v c="$effective" 'BEGIN { printf "%.0f", r * l / c }')"
    label="$concurrency"
    [[ $concurrency == default ]] && label="$DEFAULT_CONCURRENCY (default)"
    [[ $concurrency == 1 ]] && label="1 (sequential reference)"
    cpu_ms="$(us_to_ms "$(percentile "$report" 4 50)")"
    echo "| $label | $(us_to_ms "$median_us") | $(ratio "$reference_us" "$median_us")× | $requests | $instances | $floor_ms | $cpu_ms | $(kib_to_mib "$(column_max "$report" 2)") |"
done
echo
cli_median="$(percentile "$WORK/startup-cli.report" 1 50)"
true_median="$(percentile "$WORK/startup-true.report" 1 50)"
echo "Start-up, ${STARTUP_RUNS} runs each (fork + exec + exit, measured by the same harness):"
echo
echo "| Command | Median (ms) | p90 (ms) | vs /bin/true (median) | Peak RSS (MiB) |"
echo "|---|---:|---:|---:|---:|"
echo "| \`bastionless-cli --version\` | $(us_to_ms "$cli_median") | $(us_to_ms "$(percentile "$WORK/startup-cli.report" 1 90)") | $(ratio "$cli_median" "$true_median")× | $(kib_to_mib "$(column_max "$WORK/startup-cli.report" 2)") |"
echo "| \`/bin/true\` (reference) | $(us_to_ms "$true_median") | $(us_to_ms "$(percentile "$WORK/startup-true.report" 1 90)") | 1.00× | $(kib_to_mib "$(column_max "$WORK/startup-true.report" 2)") |"
echo
[[ -n $FAKEAWS_HWM_KIB ]] && echo "fakeaws itself peaked at $(kib_to_mib "$FAKEAWS_HWM_KIB") MiB RSS (VmHWM) over the list runs."
echo "Machine: $(nproc) CPUs, $(uname -sr); build: $(build_and_commit)."
note_unpublished_build_type
echo "The CLI handles answers on one thread, so its CPU time is a second floor under the wall time, whatever the concurrency."
echo "Peak RSS is the child's ru_maxrss from wait4(); it includes about 1 MiB inherited from the harness until exec (see /bin/true)."
echo
print_command bench-list.sh BL_BENCH_RUNS BL_BENCH_STARTUP_RUNS
