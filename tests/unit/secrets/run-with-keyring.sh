#!/bin/sh
# Runs a command against a real, private Secret Service: a fresh D-Bus session bus (dbus-run-session) with
# gnome-keyring-daemon's secrets component, unlocked with an empty password, in a temporary HOME. The daemon
# belongs to the session bus: when the command exits, dbus-run-session ends the bus and the daemon follows.
# Usage: run-with-keyring.sh <program> [args...]   (needs dbus, gnome-keyring)
set -eu

if [ -z "${BL_KEYRING_INNER:-}" ]; then
    for tool in dbus-run-session gnome-keyring-daemon; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "run-with-keyring: $tool not found; install the Debian packages dbus and gnome-keyring" >&2
            exit 1
        fi
    done
    tmp="$(mktemp -d "${TMPDIR:-/tmp}/bl-keyring.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT INT TERM
    mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/runtime"
    chmod 700 "$tmp/runtime"
    status=0
    env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
        HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_RUNTIME_DIR="$tmp/runtime" \
        BL_KEYRING_INNER=1 dbus-run-session -- "$0" "$@" || status=$?
    exit "$status"
fi

# Inside the private session bus: start the daemon (it forks and prints its environment), then run the test.
eval "$(printf '\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$@"
