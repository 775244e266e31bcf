#pragma once
// The CLI's terminal output: stdout for results (and, in proxy mode, nothing but tunnel bytes), stderr for
// everything a person reads about what happened. Flushed at once so the two interleave as written.

#include <QString>

namespace bl::cli {

void printOut(const QString& text);
void printErr(const QString& text);

} // namespace bl::cli
