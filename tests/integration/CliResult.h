#pragma once
// What one run of the bastionless-cli executable produced, and the checks every integration test applies to
// it: the process ended by itself (no crash, no timeout), nothing but the CLI's own lines reached stderr (no
// Qt warnings, no sanitizer reports), no secret was printed, and a failure reads as exactly one `error:` line
// and at most one `hint:` line.

#include <QString>
#include <QStringList>

struct CliResult
{
    QStringList args;
    int exitCode = -1;
    bool crashed = false;
    bool timedOut = false;
    QString out;
    QString err;

    // The text after "error: " / "hint: " on stderr, empty when there is no such line.
    QString errorText() const;
    QString hintText() const;
    QStringList errLines() const;
    QStringList outLines() const;

    // Empty when the run is clean: ended normally, stderr only has the CLI's own lines (error:, hint:,
    // warning: and allowedErrLines), none of `secrets` in stdout or stderr.
    QString problems(const QStringList& secrets = {}, const QStringList& allowedErrPrefixes = {}) const;
    // problems() plus: a non-zero exit with exactly one error line and at most one hint line.
    QString failureProblems(const QStringList& secrets = {}) const;
    // Everything about the run, for failure messages.
    QString describe() const;
};

// QVERIFY-style checks that print the whole run when they fail.
#define CLI_VERIFY(cond, result)                                                                                       \
    QVERIFY2((cond), qPrintable(QStringLiteral("%1\n%2").arg(QStringLiteral(#cond), (result).describe())))

#define CLI_EXPECT_CLEAN(result, ...)                                                                                  \
    do {                                                                                                               \
        const QString cliProblems_ = (result).problems(__VA_ARGS__);                                                   \
        QVERIFY2(cliProblems_.isEmpty(), qPrintable(cliProblems_ + QLatin1Char('\n') + (result).describe()));          \
    } while (false)

#define CLI_EXPECT_OK(result, ...)                                                                                     \
    do {                                                                                                               \
        CLI_EXPECT_CLEAN(result, __VA_ARGS__);                                                                         \
        CLI_VERIFY((result).exitCode == 0, result);                                                                    \
    } while (false)

// A failure with exit code `code`, one error line and at most one hint line.
#define CLI_EXPECT_FAILURE(result, code, ...)                                                                          \
    do {                                                                                                               \
        const QString cliProblems_ = (result).failureProblems(__VA_ARGS__);                                            \
        QVERIFY2(cliProblems_.isEmpty(), qPrintable(cliProblems_ + QLatin1Char('\n') + (result).describe()));          \
        QVERIFY2((result).exitCode == (code),                                                                          \
                 qPrintable(QStringLiteral("exit code %1, expected %2\n%3")                                            \
                                .arg((result).exitCode)                                                                \
                                .arg(code)                                                                             \
                                .arg((result).describe())));                                                           \
    } while (false)

// `text` (case-insensitive) occurs in stderr.
#define CLI_EXPECT_ERR_CONTAINS(result, text)                                                                          \
    QVERIFY2((result).err.contains((text), Qt::CaseInsensitive),                                                       \
             qPrintable(QStringLiteral("stderr lacks \"%1\"\n%2").arg((text), (result).describe())))
