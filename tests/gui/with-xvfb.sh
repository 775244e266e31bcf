#!/bin/bash
# with-xvfb.sh PROGRAM [ARGS...]: runs PROGRAM on a private X server and exits with its status. Xvfb picks a free
# display itself (-displayfd), so any number of these run side by side (ctest -j). DISPLAY and
# QT_QPA_PLATFORM=xcb are exported for PROGRAM. The server goes when PROGRAM ends, fails or is killed: a trap
# for the normal ways, and the kernel (setpriv --pdeathsig) when this script is SIGKILLed by a timeout.
set -u

if [ $# -lt 1 ]; then
    echo "usage: with-xvfb.sh PROGRAM [ARGS...]" >&2
    exit 2
fi
if ! command -v Xvfb >/dev/null; then
    echo "with-xvfb.sh: Xvfb is not installed (apt install xvfb)" >&2
    exit 1
fi
pdeath=()
if setpriv --help 2>/dev/null | grep -q -- --pdeathsig; then
    pdeath=(setpriv --pdeathsig KILL --)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bl-xvfb.XXXXXX") || exit 1
xvfb_pid=
child_pid=
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    [ -n "$child_pid" ] && kill -TERM "$child_pid" 2>/dev/null
    [ -n "$xvfb_pid" ] && kill -TERM "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# Xvfb writes the display number to the FIFO once it accepts clients; if it dies first, read sees EOF.
mkfifo "$work/display"
"${pdeath[@]}" Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$work/display" \
    2>"$work/xvfb.log" &
xvfb_pid=$!
number=
read -r -t 30 number <"$work/display"
if ! [[ "$number" =~ ^[0-9]+$ ]]; then
    echo "with-xvfb.sh: Xvfb did not report a display within 30 s:" >&2
    cat "$work/xvfb.log" >&2
    exit 1
fi

export DISPLAY=":$number"
export QT_QPA_PLATFORM=xcb
export BL_XVFB_DISPLAY="$DISPLAY"
unset WAYLAND_DISPLAY
"${pdeath[@]}" "$@" &
child_pid=$!
wait "$child_pid"
status=$?
child_pid=
exit "$status"
