#!/usr/bin/env bash
# The README's second command: install what is missing, build, and run every test: the whole suite in a
# normal build, again under AddressSanitizer + UndefinedBehaviorSanitizer, and the clang-format check.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bl_install_packages
cd "$BL_ROOT"

echo "==> clang-format check"
git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror

echo "==> Build (RelWithDebInfo, warnings are errors)"
bl_build "$BL_ROOT/build/release" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBL_WERROR=ON
echo "==> Tests"
(cd "$BL_ROOT/build/release" && ctest --output-on-failure -j2 --timeout 300)

echo "==> Build (ASan + UBSan)"
bl_build "$BL_ROOT/build/asan" -DCMAKE_BUILD_TYPE=Debug -DBL_SANITIZE=ON -DBL_WERROR=ON
echo "==> Tests under ASan + UBSan"
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd "$BL_ROOT/build/asan" && ctest --output-on-failure -j2 --timeout 600)
