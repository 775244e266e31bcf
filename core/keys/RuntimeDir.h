#pragma once
// RuntimeDir: the private per-user directory where ephemeral key files live while ssh needs them:
// $XDG_RUNTIME_DIR/bastionless when that is usable, else /tmp/bastionless-<uid>. It must be a real
// directory (not a symlink) owned by us with mode 0700; anything else may let another local user read
// or swap our private keys, so it is refused rather than repaired.

#include "core/util/Result.h"

#include <QString>

namespace bl {

class RuntimeDir
{
public:
    // Which directory to use, without touching it. xdgRuntimeDir is the value of $XDG_RUNTIME_DIR (may be
    // empty); it is used only if it is an absolute path to an existing directory owned by the current user
    // that we can write to. tmpBase replaces /tmp in tests.
    static QString choosePath(const QString& xdgRuntimeDir, const QString& tmpBase = QStringLiteral("/tmp"));

    // Creates `path` with mode 0700 (its parent must exist) or, if it exists, checks that it is a directory
    // owned by the current user and not a symlink, and resets its mode to 0700. Returns the path.
    static Result<QString> ensure(const QString& path);

    // ensure(choosePath($XDG_RUNTIME_DIR)).
    static Result<QString> ensureDefault();
};

} // namespace bl
