#!/usr/bin/env bash
# Produces the screenshots the README and the AppStream metainfo show, from the real app against the fakeaws
# demo fleet, under Xvfb (no desktop needed). The app saves its own window (--screenshot) once the first
# refresh is in, so no screen-capture tool is needed.
#
#   packaging/linux/screenshots.sh [BUILD_DIR]     (default: build/release; needs targets bastionless, fakeaws_exe)
#
# Writes packaging/linux/screenshots/main-window.png. Look at it before committing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build/release}" && pwd)"
OUT="$ROOT/packaging/linux/screenshots"
APP="$BUILD/app/gui/bastionless"
FAKEAWS="$BUILD/tests/fakeaws/fakeaws"
for f in "$APP" "$FAKEAWS"; do
    [ -x "$f" ] || { echo "screenshots.sh: $f is missing; build the bastionless and fakeaws_exe targets" >&2; exit 2; }
done
command -v xvfb-run >/dev/null || { echo "screenshots.sh: xvfb-run is missing (apt install xvfb xauth)" >&2; exit 2; }

WORK="$(mktemp -d)"
FAKE_PID=""
cleanup() {
    [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# The emulator stops by itself even if this script is killed.
"$FAKEAWS" --fleet demo --state-dir "$WORK/aws" --print-env --exit-after 120 >"$WORK/env.sh" 2>"$WORK/fakeaws.log" &
FAKE_PID=$!
for _ in $(seq 1 100); do
    grep -q AWS_ENDPOINT_URL "$WORK/env.sh" 2>/dev/null && break
    sleep 0.1
done
grep -q AWS_ENDPOINT_URL "$WORK/env.sh" || { cat "$WORK/fakeaws.log" >&2; exit 1; }

mkdir -p "$OUT"
(
    # Only the emulator's environment (endpoint, CA, keys, region) and an empty HOME: the app must not see the
    # ~/.aws profiles or the settings of the person running this, nor talk to real AWS.
    while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^AWS_')
    export HOME="$WORK/home"
    mkdir -p "$HOME"
    unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME
    # shellcheck disable=SC1091
    source "$WORK/env.sh"
    export LANG=C.UTF-8 QT_QPA_PLATFORMTHEME=
    xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$APP" --all-regions --select web-1 --screenshot "$OUT/main-window.png"
)
echo "wrote $OUT/main-window.png"
