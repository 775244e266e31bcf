#include "CliResult.h"

#include <algorithm>

namespace {

QString lineAfter(const QStringList& lines, const QString& prefix)
{
    for (const QString& line : lines) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size());
    }
    return {};
}

} // namespace

QStringList CliResult::errLines() const
{
    return err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QStringList CliResult::outLines() const
{
    return out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QString CliResult::errorText() const
{
    return lineAfter(errLines(), QStringLiteral("error: "));
}

QString CliResult::hintText() const
{
    return lineAfter(errLines(), QStringLiteral("hint: "));
}

QString CliResult::problems(const QStringList& secrets, const QStringList& allowedErrPrefixes) const
{
    if (timedOut)
        return QStringLiteral("the CLI did not finish in time");
    if (crashed)
        return QStringLiteral("the CLI crashed");
    // Sanitizer reports and Qt's own warnings (QObject::connect, qt.network.ssl, QSslSocket, ...) are bugs even
    // when the exit code is right; the CLI prints only its own prefixed lines.
    QStringList allowed = {QStringLiteral("error: "), QStringLiteral("hint: "), QStringLiteral("warning: ")};
    allowed += allowedErrPrefixes;
    for (const QString& line : errLines()) {
        bool ok = false;
        for (const QString& prefix : std::as_const(allowed))
            ok = ok || line.startsWith(prefix);
        if (!ok)
            return QStringLiteral("unexpected stderr line: %1").arg(line);
    }
    for (const QString& secret : secrets) {
        if (!secret.isEmpty() && (out.contains(secret) || err.contains(secret)))
            return QStringLiteral("a secret (%1...) was printed").arg(secret.left(4));
    }
    if (out.contains(QLatin1String("PRIVATE KEY")) || err.contains(QLatin1String("PRIVATE KEY")))
        return QStringLiteral("a private key was printed");
    return {};
}

QString CliResult::failureProblems(const QStringList& secrets) const
{
    const QString basic = problems(secrets);
    if (!basic.isEmpty())
        return basic;
    if (exitCode == 0)
        return QStringLiteral("the CLI succeeded but should have failed");
    const QStringList lines = errLines();
    const auto errors = std::count_if(lines.cbegin(), lines.cend(),
                                      [](const QString& l) { return l.startsWith(QLatin1String("error: ")); });
    const auto hints = std::count_if(lines.cbegin(), lines.cend(),
                                     [](const QString& l) { return l.startsWith(QLatin1String("hint: ")); });
    if (errors != 1)
        return QStringLiteral("%1 error: lines instead of one").arg(errors);
    if (hints > 1)
        return QStringLiteral("%1 hint: lines instead of at most one").arg(hints);
    if (errorText().trimmed().size() < 10)
        return QStringLiteral("the error line says too little");
    return {};
}

QString CliResult::describe() const
{
    return QStringLiteral("--- bastionless-cli %1\n--- exit %2%3%4\n--- stdout:\n%5\n--- stderr:\n%6---")
        .arg(args.join(QLatin1Char(' ')))
        .arg(exitCode)
        .arg(crashed ? QStringLiteral(" (crashed)") : QString(), timedOut ? QStringLiteral(" (timed out)") : QString(),
             out.left(6000), err.left(6000));
}
