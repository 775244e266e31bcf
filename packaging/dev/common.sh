# Shared by demo.sh and test.sh: install what is missing (Debian 12), then configure and build.
# Idempotent: apt-get runs only when a package is missing; cmake/ninja rebuild only what changed.
set -euo pipefail

BL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

BL_PACKAGES=(
    # build
    cmake ninja-build g++ pkg-config clang-format
    qt6-base-dev qt6-websockets-dev qtkeychain-qt6-dev libssl-dev libgl-dev
    # run and test: real OpenSSH client and server, X server and tray host, Secret Service
    openssh-client openssh-server curl xvfb xauth x11-utils trayer dbus dbus-x11 gnome-keyring libsecret-1-0 libsecret-tools
    ca-certificates procps
    # benchmarks: plain TCP and TLS relays beside the EICE tunnel (tests/bench/bench-tunnel.sh)
    socat
)

bl_sudo() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

bl_install_packages() {
    local missing=()
    for p in "${BL_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> Installing: ${missing[*]}"
        bl_sudo apt-get update -qq
        bl_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# bl_build <build-dir> [cmake args...]: configure once, then build everything.
bl_build() {
    local dir="$1"; shift
    if [ ! -f "$dir/build.ninja" ]; then
        cmake -S "$BL_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
    fi
    cmake --build "$dir" -j"$(nproc)" ${BL_TARGETS:+--target $BL_TARGETS}
}
