#!/usr/bin/env bash
# Desktop-app benchmark. Prints figures and ratios against a reference measured in the same run; it never
# passes or fails on speed (it fails only when a run goes wrong, e.g. the list never loads).
#
#   tests/bench/bench-gui.sh <build-dir>
#
# 1. Cold start of the real `bastionless` app on a private Xvfb (tests/gui/with-xvfb.sh), against fakeaws with
#    the demo fleet and its AWS config (one profile of each kind, as packaging/dev/demo-fleet.sh sets up, minus the
#    MFA profile, whose prompt would wait for a person; the SSO profiles are not logged in and fail at once):
#    - first paint: from the exec of the app to the end of its main window's first frame (the event-loop turn after
#      the window's first Paint event, when Qt has flushed the frame to the X server);
#    - first rows / list loaded: until the list first has rows, and until the first refresh of every profile
#      and region has finished (listings and reachability checks);
#    - idle RSS: VmRSS from /proc/<pid>/status 5 s after the list loaded.
#    The times come from the app's opt-in probe (BASTIONLESS_BENCH_FIRST_PAINT=1, app/gui/main.cpp): this script
#    takes a CLOCK_REALTIME timestamp in the subshell that is about to exec the app (bash's EPOCHREALTIME) and passes
#    it in BASTIONLESS_BENCH_EXEC_US; the app prints its times relative to it. So "exec" includes the dynamic
#    loader, static initialisation and QApplication's connection to the X server. Page cache warm (one warm-up run
#    not counted), fresh process, fresh settings directory shared by the runs.
# 2. The reference, measured the same way in the same session: bl-bench-hello-window, a bare Qt Widgets main
#    window with one label (first paint; idle RSS 5 s after it).
# 3. bl-bench-instance-model: the instance list model with 10,000 instances (its own reference inside).
#
# Median of BL_BENCH_RUNS runs (default 5). Use a RelWithDebInfo or Release build.
set -euo pipefail

readonly RUNS="${BL_BENCH_RUNS:-5}"
readonly IDLE_S=5
readonly LOAD_TIMEOUT_S=60
readonly MODEL_INSTANCES=10000

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"
bench_setup bench-gui "$@"

# Everything below runs on an X server of its own, which goes away with this script.
if [[ -z ${BL_XVFB_DISPLAY:-} ]]; then
    exec "$SOURCE_DIR/tests/gui/with-xvfb.sh" "$0" "$@"
fi

APP="$BUILD_DIR/app/gui/bastionless"
FAKEAWS="$BUILD_DIR/tests/fakeaws/fakeaws"
HELLO="$BUILD_DIR/tests/bench/bl-bench-hello-window"
MODEL_BENCH="$BUILD_DIR/tests/bench/bl-bench-instance-model"
build_missing "$APP" bastionless "$FAKEAWS" fakeaws_exe "$HELLO" bl-bench-hello-window \
    "$MODEL_BENCH" bl-bench-instance-model

# Every process this script starts is stopped on exit, failure, Ctrl-C or SIGTERM.
make_work_dir bl-bench-gui

# --- fakeaws and the demo environment ------------------------------------------------------------------------

# The app sees only fakeaws's profiles and settings of its own: nothing of the user's AWS config, proxies,
# settings, keyring or already running Bastionless (the single-instance socket lives in XDG_RUNTIME_DIR).
export HOME="$WORK/home"
export XDG_CONFIG_HOME="$WORK/config" XDG_CACHE_HOME="$WORK/cache" XDG_DATA_HOME="$WORK/data"
export XDG_RUNTIME_DIR="$WORK/runtime"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE AWS_MAX_ATTEMPTS \
    DBUS_SESSION_BUS_ADDRESS BASTIONLESS_BENCH_FIRST_PAINT BASTIONLESS_BENCH_EXEC_US
unset_proxies_and_logging

echo "==> Starting fakeaws: --fleet demo --write-config (one profile of each kind)"
launch_fakeaws --fleet demo --state-dir "$WORK/fakeaws" --write-config "$WORK/aws" >"$WORK/fakeaws.log" 2>&1
await_fakeaws "listening on"
# Without its MFA profile: that one waits for a person to type a code, so the first refresh would never finish.
# The SSO profiles stay: not logged in, they fail at once with "run bastionless-cli login" (the error banner).
awk '/^\[/ { skip = ($0 == "[profile assume-role-mfa]") } !skip' "$WORK/aws/config" >"$WORK/aws/config.bench"
export AWS_CONFIG_FILE="$WORK/aws/config.bench" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws/credentials"
export AWS_CA_BUNDLE="$WORK/fakeaws/ca.pem"
[[ -s $AWS_CONFIG_FILE && -s $AWS_CA_BUNDLE ]] || die "fakeaws wrote no AWS config or CA ($WORK/aws, $WORK/fakeaws)"
echo "    $(grep "listening on" "$WORK/fakeaws.log" | head -n1); profiles: $(grep -c '^\[profile\|^\[default' "$AWS_CONFIG_FILE")"
echo "    X server: $DISPLAY (Xvfb, private), platform $QT_QPA_PLATFORM"

# --- one measured start ------------------------------------------------------------------------------------

# start_once LABEL WAIT_FOR PROGRAM [ARGS...]: starts PROGRAM with the probe on, waits for its WAIT_FOR line,
# then IDLE_S seconds, reads VmRSS and stops it. Appends "main first-paint first-rows list-loaded rows rss-kib"
# (- where a figure does not apply) to $WORK/LABEL.runs; with LABEL "warmup" nothing is kept.
start_once() {
    local label="$1" wait_for="$2"
    shift 2
    local err="$WORK/$label.err"
    rm -f "$err"
    (
        export BASTIONLESS_BENCH_FIRST_PAINT=1
        export BASTIONLESS_BENCH_EXEC_US="${EPOCHREALTIME/./}"
        exec "$@"
    ) </dev/null >/dev/null 2>"$err" &
    CHILD_PID=$!
    local deadline=$((SECONDS + LOAD_TIMEOUT_S))
    until grep -q "^bastionless-bench: $wait_for " "$err" 2>/dev/null; do
        if ! kill -0 "$CHILD_PID" 2>/dev/null; then
            sed 's/^/    /' "$err" >&2
            die "$(basename "$1") ended before printing '$wait_for'"
        fi
        [[ $SECONDS -lt $deadline ]] || die "$(basename "$1") printed no '$wait_for' within ${LOAD_TIMEOUT_S}s: $(tail -n3 "$err")"
        sleep 0.02
    done
    sleep "$IDLE_S"
    local rss
    rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$CHILD_PID/status" 2>/dev/null || true)"
    [[ -n $rss ]] || die "$(basename "$1") ended while idle: $(tail -n3 "$err")"
    stop_process "$CHILD_PID"
    CHILD_PID=""
    figure() { awk -v what="$1" '$1 == "bastionless-bench:" && $2 == what { print $3; exit }' "$err"; }
    local main paint rows loaded count
    main="$(figure main-ms)"
    paint="$(figure first-paint-ms)"
    rows="$(figure first-rows-ms)"
    loaded="$(figure list-loaded-ms)"
    count="$(awk '$2 == "list-loaded-ms" { print $5; exit }' "$err")"
    [[ -n $main && -n $paint ]] || die "$(basename "$1") printed no main-ms/first-paint-ms: $(cat "$err")"
    if [[ $label != warmup ]]; then
        echo "${main} ${paint} ${rows:--} ${loaded:--} ${count:--} ${rss}" >>"$WORK/$label.runs"
        printf '    %-5s run  exec->main %6s ms  first paint %7s ms  first rows %7s ms  list loaded %7s ms (%s rows)  idle RSS %s MiB\n' \
            "$label" "$main" "$paint" "${rows:--}" "${loaded:--}" "${count:--}" "$(kib_to_mib "$rss")"
    fi
}

echo "==> Warm-up (not counted): bastionless and bl-bench-hello-window once each"
start_once warmup list-loaded-ms "$APP"
start_once warmup first-paint-ms "$HELLO"
echo "==> $RUNS runs each, interleaved, ${IDLE_S} s idle before the RSS reading"
for ((run = 1; run <= RUNS; run++)); do
    start_once app list-loaded-ms "$APP"
    start_once hello first-paint-ms "$HELLO"
done

# --- 3. the instance model with 10,000 instances --------------------------------------------------------------

echo "==> bl-bench-instance-model $MODEL_INSTANCES"
"$MODEL_BENCH" "$MODEL_INSTANCES" >"$WORK/model.out" 2>"$WORK/model.err" || {
    cat "$WORK/model.err" >&2
    die "bl-bench-instance-model failed"
}

# --- Table -------------------------------------------------------------------------------------------------

APP_RUNS="$WORK/app.runs"
HELLO_RUNS="$WORK/hello.runs"
range() { echo "$(column_min "$1" "$2")–$(column_max "$1" "$2")"; }
app_paint="$(percentile "$APP_RUNS" 2 50)"
hello_paint="$(percentile "$HELLO_RUNS" 2 50)"
app_rss="$(percentile "$APP_RUNS" 6 50)"
hello_rss="$(percentile "$HELLO_RUNS" 6 50)"
echo
echo "## Desktop app: cold start and idle memory ($("$APP" --version 2>/dev/null || echo bastionless))"
echo
echo "The real \`bastionless\` on a private Xvfb (xcb), fakeaws demo fleet ($(percentile "$APP_RUNS" 5 50) rows from the $(grep -c '^\[profile\|^\[default' "$AWS_CONFIG_FILE")"
echo "profiles of the demo config without the MFA one; the SSO ones not logged in), median of $RUNS runs (min–max), ms from"
echo "exec; beside a bare Qt Widgets window measured the same way:"
echo
echo "| Program | exec → main() (ms) | First paint (ms) | First rows (ms) | List loaded (ms) | Idle RSS (MiB) |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| \`bastionless\` | $(percentile "$APP_RUNS" 1 50) | $app_paint ($(range "$APP_RUNS" 2)) | $(percentile "$APP_RUNS" 3 50) ($(range "$APP_RUNS" 3)) | $(percentile "$APP_RUNS" 4 50) ($(range "$APP_RUNS" 4)) | $(kib_to_mib "$app_rss") ($(kib_to_mib "$(column_min "$APP_RUNS" 6)")–$(kib_to_mib "$(column_max "$APP_RUNS" 6)")) |"
echo "| \`bl-bench-hello-window\` (reference) | $(percentile "$HELLO_RUNS" 1 50) | $hello_paint ($(range "$HELLO_RUNS" 2)) | – | – | $(kib_to_mib "$hello_rss") ($(kib_to_mib "$(column_min "$HELLO_RUNS" 6)")–$(kib_to_mib "$(column_max "$HELLO_RUNS" 6)")) |"
echo "| ratio app / reference | | $(ratio "$app_paint" "$hello_paint")× | | | $(ratio "$app_rss" "$hello_rss")× |"
echo
echo "First paint: the end of the main window's first frame (the event-loop turn after its first Paint event). First rows:"
echo "the list first has rows. List loaded: the first refresh of every profile and region finished, reachability included."
echo "Idle RSS: VmRSS ${IDLE_S} s after the list loaded (the reference: ${IDLE_S} s after its first paint)."
echo
echo "### Instance list model, ${MODEL_INSTANCES} instances (bl-bench-instance-model)"
echo
cat "$WORK/model.out"
echo
echo "Machine: $(nproc) CPUs, $(uname -sr); Qt $(awk '/Qt [0-9]/ { for (i = 1; i <= NF; i++) if ($i == "Qt") { print $(i + 1); exit } }' "$WORK/model.out" || true); build: $(build_and_commit)."
note_unpublished_build_type
print_command bench-gui.sh BL_BENCH_RUNS
