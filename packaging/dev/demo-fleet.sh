#!/usr/bin/env bash
# Starts fakeaws (the local AWS emulator) with the demo fleet, writes an AWS config with one profile of
# each kind that points at it, and lists the fleet with bastionless-cli. On a terminal it then keeps the
# emulator running so you can try more commands from another terminal; Ctrl-C stops it.
# Usage: demo-fleet.sh <build-dir>
set -euo pipefail
BUILD="${1:?usage: demo-fleet.sh <build-dir>}"
FAKEAWS="$BUILD/tests/fakeaws/fakeaws"
CLI="$BUILD/app/cli/bastionless-cli"

STATE="$(mktemp -d "${TMPDIR:-/tmp}/bastionless-demo.XXXXXX")"
FAKE_PID=""
cleanup() {
    [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null || true
    rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A safety net: the emulator stops by itself after 8 hours even if this script is killed hard.
"$FAKEAWS" --fleet demo --state-dir "$STATE" --write-config "$STATE/aws" --exit-after 28800 \
    >"$STATE/fakeaws.log" 2>&1 &
FAKE_PID=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$STATE/fakeaws.log" 2>/dev/null && break
    kill -0 "$FAKE_PID" 2>/dev/null || { cat "$STATE/fakeaws.log" >&2; exit 1; }
    sleep 0.1
done
grep -q "listening on" "$STATE/fakeaws.log" || { echo "fakeaws did not start" >&2; exit 1; }

# The demo's environment: profiles from the written config, the emulator's CA, an empty HOME.
cat >"$STATE/demo-env.sh" <<ENV
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE
export AWS_CONFIG_FILE='$STATE/aws/config'
export AWS_SHARED_CREDENTIALS_FILE='$STATE/aws/credentials'
export AWS_CA_BUNDLE='$STATE/ca.pem'
export HOME='$STATE/home'
export PATH='$(cd "$(dirname "$CLI")" && pwd):'"\$PATH"
ENV
# shellcheck disable=SC1091
source "$STATE/demo-env.sh"

echo "==> bastionless-cli whoami"
"$CLI" whoami
echo
echo "==> bastionless-cli list --all-regions"
"$CLI" list --all-regions

if [ -t 0 ] && [ -t 1 ]; then
    cat <<MSG

The demo AWS (fakeaws) keeps running. In another terminal:

    source $STATE/demo-env.sh
    bastionless-cli list --region eu-west-1 --output json
    bastionless-cli push-key web-1
    bastionless-cli whoami --profile assume-role
    bastionless-cli login --profile sso-fakeaws-dev-readonly

Press Ctrl-C here to stop it.
MSG
    wait "$FAKE_PID" || true
fi
