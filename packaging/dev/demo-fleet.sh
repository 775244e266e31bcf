#!/usr/bin/env bash
# Starts fakeaws (the local AWS emulator) with the demo fleet, writes an AWS config with one profile of
# each kind that points at it, lists the fleet with bastionless-cli, and opens the desktop app on it.
# When run as root with OpenSSH's sshd installed, a local sshd stands in for every demo instance: it accepts
# the keys Bastionless pushes (EC2 Instance Connect), so double-clicking a Linux instance that has an EICE
# endpoint gives a real shell. Everything stops when this script ends (Ctrl-C).
# Usage: demo-fleet.sh <build-dir> [--no-gui]
set -euo pipefail
BUILD="${1:?usage: demo-fleet.sh <build-dir> [--no-gui]}"
GUI=1
[ "${2:-}" = "--no-gui" ] && GUI=0
FAKEAWS="$BUILD/tests/fakeaws/fakeaws"
CLI="$BUILD/app/cli/bastionless-cli"
APP="$BUILD/app/gui/bastionless"
SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

STATE="$(mktemp -d "${TMPDIR:-/tmp}/bastionless-demo.XXXXXX")"
SSHD_DIR=""
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$STATE"
    [ -n "$SSHD_DIR" ] && rm -rf "$SSHD_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for_line() { # file pattern pid what
    for _ in $(seq 1 150); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        kill -0 "$3" 2>/dev/null || { cat "$1" >&2; echo "$4 ended at once" >&2; exit 1; }
        sleep 0.1
    done
    echo "$4 did not start" >&2
    exit 1
}

# The stand-in sshd: root only (its AuthorizedKeysCommand runs as root and its files must sit in a directory
# only root can write, which is why they live under /run and not below /tmp).
TARGET_ARGS=()
OS_USER=""
if [ "$(id -u)" -eq 0 ] && [ -x /usr/sbin/sshd ]; then
    SSHD_DIR="$(mktemp -d /run/bastionless-demo-sshd.XXXXXX)"
    chmod 755 "$SSHD_DIR"
    mkdir -p /run/sshd "$STATE/pushed-keys"
    ssh-keygen -q -t ed25519 -N '' -C bastionless-demo -f "$SSHD_DIR/host_ed25519_key"
    install -m 755 "$SOURCE_DIR/tests/fakeaws/authorized-keys-command.sh" "$SSHD_DIR/authorized-keys-command.sh"
    # A port nothing listens on (bash's /dev/tcp connects only when something does).
    SSHD_PORT=""
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then SSHD_PORT=$p; break; fi
    done
    [ -n "$SSHD_PORT" ] || { echo "no free port for the demo sshd" >&2; exit 1; }
    cat >"$SSHD_DIR/sshd_config" <<CONF
ListenAddress 127.0.0.1:$SSHD_PORT
HostKey $SSHD_DIR/host_ed25519_key
PidFile none
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AuthorizedKeysFile none
AuthorizedKeysCommand $SSHD_DIR/authorized-keys-command.sh $STATE/pushed-keys * %u
AuthorizedKeysCommandUser root
LogLevel VERBOSE
CONF
    # `timeout`: sshd ends after 8 hours even if this script is killed hard.
    timeout 28800 /usr/sbin/sshd -D -e -f "$SSHD_DIR/sshd_config" >"$STATE/sshd.log" 2>&1 &
    PIDS+=($!)
    wait_for_line "$STATE/sshd.log" "Server listening" "$!" sshd
    TARGET_ARGS=(--tunnel-target "22=$SSHD_PORT")
    OS_USER=root
else
    echo "(Run as root with openssh-server installed to also get real shells on the demo instances.)"
fi

# A safety net: the emulator stops by itself after 8 hours even if this script is killed hard.
"$FAKEAWS" --fleet demo --state-dir "$STATE" --write-config "$STATE/aws" --exit-after 28800 "${TARGET_ARGS[@]}" \
    >"$STATE/fakeaws.log" 2>&1 &
PIDS+=($!)
wait_for_line "$STATE/fakeaws.log" "listening on" "$!" fakeaws
# The written config has one profile of each kind; the role that needs an MFA code would greet a newcomer with a
# code prompt in the app before anything else, so the app this script opens gets a copy without that one (the
# CLI keeps it: `whoami --profile assume-role-mfa` asks for the code).
awk '/^\[/ { skip = ($0 == "[profile assume-role-mfa]") } !skip' "$STATE/aws/config" >"$STATE/aws/config.app"

# The demo's environment: profiles from the written config, the emulator's CA, an empty HOME, and settings of
# its own (the OS user the stand-in sshd accepts) so that your real ~/.config is left alone.
mkdir -p "$STATE/config/Bastionless"
# Every demo profile reaches the same emulated account, so the app groups the list by profile.
printf '[mainWindow]\ngroupBy=profile\n' >"$STATE/config/Bastionless/Bastionless.conf"
if [ -n "$OS_USER" ]; then
    printf '[connect]\nosUser=%s\n' "$OS_USER" >>"$STATE/config/Bastionless/Bastionless.conf"
fi
cat >"$STATE/demo-env.sh" <<ENV
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE
export AWS_CONFIG_FILE='$STATE/aws/config'
export AWS_SHARED_CREDENTIALS_FILE='$STATE/aws/credentials'
export AWS_CA_BUNDLE='$STATE/ca.pem'
export HOME='$STATE/home'
export XDG_CONFIG_HOME='$STATE/config'
export XDG_DATA_HOME='$STATE/data'
export PATH='$(cd "$(dirname "$CLI")" && pwd):'"\$PATH"
ENV
# shellcheck disable=SC1091
source "$STATE/demo-env.sh"

# IAM Identity Center: log in once (the demo's SSO profiles share one session), approving the device code the
# way a person would in the browser, so that the app opens with every profile listed.
SSO_PROFILE="$(sed -n 's/^\[profile \(sso-[^]]*\)\]$/\1/p' "$AWS_CONFIG_FILE" | head -1)"
if [ -n "$SSO_PROFILE" ] && command -v curl >/dev/null; then
    echo "==> bastionless-cli login --profile $SSO_PROFILE   (the demo approves the device code itself)"
    timeout 60 "$CLI" login --profile "$SSO_PROFILE" --no-browser >"$STATE/login.txt" 2>&1 &
    LOGIN_PID=$!
    URL=""
    for _ in $(seq 1 100); do
        URL="$(grep -oE 'https://127\.0\.0\.1:[0-9]+/device\?user_code=[A-Z0-9-]+' "$STATE/login.txt" | head -1 || true)"
        [ -n "$URL" ] && break
        sleep 0.1
    done
    [ -n "$URL" ] && { curl -s --cacert "$AWS_CA_BUNDLE" "$URL" >/dev/null || true; }
    if wait "$LOGIN_PID"; then
        tail -1 "$STATE/login.txt"
    else
        echo "(the SSO login did not complete; the app will show those profiles as not logged in)"
    fi
    echo
fi

echo "==> bastionless-cli whoami"
"$CLI" whoami
echo
echo "==> bastionless-cli list --all-regions"
"$CLI" list --all-regions

if [ -n "$OS_USER" ]; then
    echo
    echo "==> bastionless-cli ssh api-prod-1 --region us-east-1 -- uname -n   (through the fakeaws EICE endpoint)"
    "$CLI" ssh api-prod-1 --region us-east-1 -- uname -n
fi

if [ -t 0 ] && [ -t 1 ]; then
    if [ "$GUI" -eq 1 ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$APP" ]; then
        echo
        echo "==> Opening the desktop app on the demo fleet: double-click a running Linux instance for a shell."
        AWS_CONFIG_FILE="$STATE/aws/config.app" "$APP" >"$STATE/app.log" 2>&1 &
        PIDS+=($!)
    fi
    cat <<MSG

The demo AWS (fakeaws) keeps running. In another terminal:

    source $STATE/demo-env.sh
    bastionless                      # the desktop app
    bastionless-cli list --region eu-west-1 --output json
    bastionless-cli ssh api-prod-1 --region us-east-1
    bastionless-cli tunnel api-prod-1 --region us-east-1 --remote-port 22 -v
    bastionless-cli whoami --profile assume-role

Press Ctrl-C here to stop everything.
MSG
    wait "${PIDS[@]}" || true
fi
