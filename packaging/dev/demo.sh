#!/usr/bin/env bash
# The README's first command: install what is missing, build, start the fakeaws demo fleet on 127.0.0.1
# and list it with bastionless-cli. No AWS account needed.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bl_install_packages
BUILD="$BL_ROOT/build/release"
# Only what the demo runs: the emulator, the CLI and the desktop app (the tests are test.sh's job).
BL_TARGETS="fakeaws_exe bastionless-cli bastionless" bl_build "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo
exec "$BL_ROOT/packaging/dev/demo-fleet.sh" "$BUILD"
