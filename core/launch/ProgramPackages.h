#pragma once
// Which package provides each program the app starts, so "not installed" comes with the command that fixes
// it. Per OS: only Linux is implemented (ProgramPackages_linux.cpp, Debian package names).

#include "core/util/Result.h"

#include <QString>

namespace bl {

// The package for a program name or path (its file name decides); empty when we do not know one.
QString debianPackageFor(const QString& program);

// "xfreerdp is not installed" + hint "Install it with: sudo apt install freerdp2-x11".
Error programMissing(const QString& program, const QString& what);

} // namespace bl
