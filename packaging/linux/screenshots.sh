#!/usr/bin/env bash
# Produces the screenshots the README and the AppStream metainfo show, from the real app against the fakeaws
# demo fleet, under Xvfb (no desktop needed). The app saves its own window (--screenshot) once the first
# refresh is in, so no screen-capture tool is needed.
#
#   packaging/linux/screenshots.sh [BUILD_DIR]     (default: build/release; needs targets bastionless, fakeaws_exe)
#
# Writes packaging/linux/screenshots/main-window.png and tunnels-panel.png (the window with two favourite
# tunnels switched on, so the tunnels panel has rows). Look at them before committing.
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
command -v trayer >/dev/null || { echo "screenshots.sh: trayer is missing (apt install trayer)" >&2; exit 2; }

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
    mkdir -p "$HOME/.config/Bastionless"
    # The instance list grouped by region, as a person with instances in several regions would set it.
    printf '[mainWindow]\ngroupBy=region\n' >"$HOME/.config/Bastionless/Bastionless.conf"
    unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME
    # shellcheck disable=SC1091
    source "$WORK/env.sh"
    export LANG=C.UTF-8 QT_QPA_PLATFORMTHEME=
    xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$APP" --all-regions --select web-1 --screenshot "$OUT/main-window.png"

    # The tray menu: four favourites of the demo fleet (instances by Name), two of them on; their tunnels only
    # listen locally, so nothing needs to answer behind them.
    export HOME="$WORK/home-tray"
    mkdir -p "$HOME/.config/Bastionless"
    cat >"$HOME/.config/Bastionless/favourites.json" <<'JSON'
{"version": 1, "favourites": [
 {"name": "prod db", "instanceId": "web-1", "profile": "environment", "region": "us-east-1",
  "remotePort": 5432, "localPort": 15432, "via": "direct", "enabled": true},
 {"name": "build-runner ssh", "instanceId": "build-runner", "profile": "environment", "region": "us-east-1",
  "remotePort": 22, "localPort": 2222, "via": "auto", "enabled": true},
 {"name": "AD desktop", "instanceId": "win-ad-01", "profile": "environment", "region": "us-east-1",
  "remotePort": 3389, "localPort": 13389, "via": "auto", "enabled": false},
 {"name": "grafana", "instanceId": "grafana", "profile": "environment", "region": "us-east-1",
  "remotePort": 3000, "localPort": 13000, "via": "direct", "enabled": false}
]}
JSON
    # trayer docks the icon (it runs as long as this X server); the app opens its menu and saves the screen.
    xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
        trayer --edge top --align right --widthtype percent --width 100 --height 28 \
            --transparent false --tint 0x303030 --SetDockType true >/dev/null 2>&1 &
        sleep 1
        "$0" --screenshot-tray "$1"
        rc=$?
        kill $! 2>/dev/null
        exit $rc' "$APP" "$OUT/tray-menu.png"
)
echo "wrote $OUT/main-window.png and $OUT/tray-menu.png"

# The tunnels panel: favourites saved as "on" open when the app starts (GuiServices), so the panel has rows.
(
    while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^AWS_')
    export HOME="$WORK/home-tunnels"
    mkdir -p "$HOME/.config/Bastionless"
    unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME
    # shellcheck disable=SC1091
    source "$WORK/env.sh"
    cat >"$HOME/.config/Bastionless/favourites.json" <<'JSON'
{"version": 1, "favourites": [
 {"name": "web-1 ssh", "instanceId": "web-1", "profile": "environment", "region": "us-east-1",
  "remotePort": 22, "localPort": 0, "via": "auto", "enabled": true},
 {"name": "win-ad-01 rdp", "instanceId": "win-ad-01", "profile": "environment", "region": "us-east-1",
  "remotePort": 3389, "localPort": 0, "via": "auto", "enabled": true},
 {"name": "grafana web", "instanceId": "grafana", "profile": "environment", "region": "us-east-1",
  "remotePort": 3000, "localPort": 0, "via": "direct", "enabled": false}
]}
JSON
    export LANG=C.UTF-8 QT_QPA_PLATFORMTHEME=
    xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$APP" --select web-1 --screenshot "$OUT/tunnels-panel.png"
)
echo "wrote $OUT/tunnels-panel.png"
