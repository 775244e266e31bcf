#pragma once
// Terminal emulators: which ones we look for when none is configured, and how each one is told to run a
// program with arguments (their options differ: -e, --, -x, or nothing). Per OS: only Linux is implemented
// (Terminals_linux.cpp: X11/Wayland emulators); a macOS or Windows port adds Terminals_macos.cpp /
// Terminals_windows.cpp with the same two functions, and callers do not change.

#include <QStringList>

namespace bl {

class Terminals
{
public:
    // Tried in this order: Debian's alternative first (the user's choice), then the common ones.
    static QStringList known();
    // The terminal's arguments that run program with args; terminal is a name or a path (its file name decides).
    static QStringList runArguments(const QString& terminal, const QString& program, const QStringList& args);
};

} // namespace bl
