#include "core/aws/credentials/ProcessProvider.h"

#include "core/aws/credentials/PostResult.h"
#include "core/aws/credentials/PythonJson.h"
#include "core/aws/credentials/Timestamps.h"
#include "core/util/Log.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QProcess>
#include <QTimer>

#include <memory>

namespace bl {

namespace {

const char* const OutputContract = "The command must print one JSON object on stdout: {\"Version\": 1, "
                                   "\"AccessKeyId\": ..., \"SecretAccessKey\": ..., and optionally "
                                   "\"SessionToken\", \"Expiration\" (ISO-8601), \"AccountId\"}.";

Error outputError(const QString& profile, const QString& what)
{
    return Error::make(ErrorKind::Credentials,
                       QStringLiteral("credential_process for profile %1: %2").arg(profile, what),
                       QString::fromLatin1(OutputContract));
}

} // namespace

ProcessProvider::ProcessProvider(QStringList argv, QString profileName, QProcessEnvironment env, int timeoutMs)
    : m_argv(std::move(argv))
    , m_profileName(std::move(profileName))
    , m_env(std::move(env))
    , m_timeoutMs(timeoutMs)
{ }

ProcessProvider::~ProcessProvider() = default;

Result<QStringList> ProcessProvider::splitCommandLine(const QString& commandLine)
{
    enum class State { Plain, Single, Double };
    QStringList out;
    QString token;
    bool inToken = false; // distinguishes "" (an empty argument) from no argument
    State state = State::Plain;
    for (qsizetype i = 0; i < commandLine.size(); ++i) {
        const QChar c = commandLine.at(i);
        switch (state) {
        case State::Plain:
            if (c.isSpace()) {
                if (inToken)
                    out << token;
                token.clear();
                inToken = false;
            } else if (c == QLatin1Char('\'')) {
                state = State::Single;
                inToken = true;
            } else if (c == QLatin1Char('"')) {
                state = State::Double;
                inToken = true;
            } else if (c == QLatin1Char('\\')) {
                if (i + 1 >= commandLine.size()) {
                    return Error::make(
                        ErrorKind::Config,
                        QStringLiteral("credential_process ends with a lone backslash: %1").arg(commandLine),
                        QStringLiteral("Remove the trailing backslash or quote the argument."));
                }
                token += commandLine.at(++i);
                inToken = true;
            } else {
                token += c;
                inToken = true;
            }
            break;
        case State::Single:
            if (c == QLatin1Char('\''))
                state = State::Plain;
            else
                token += c;
            break;
        case State::Double:
            if (c == QLatin1Char('"')) {
                state = State::Plain;
            } else if (c == QLatin1Char('\\') && i + 1 < commandLine.size()
                       && (commandLine.at(i + 1) == QLatin1Char('"') || commandLine.at(i + 1) == QLatin1Char('\\'))) {
                token += commandLine.at(++i);
            } else {
                token += c;
            }
            break;
        }
    }
    if (state != State::Plain) {
        return Error::make(
            ErrorKind::Config,
            QStringLiteral("credential_process has an unclosed %1 quote: %2")
                .arg(state == State::Single ? QStringLiteral("single") : QStringLiteral("double"), commandLine),
            QStringLiteral("Close the quote in the profile's credential_process line."));
    }
    if (inToken)
        out << token;
    if (out.isEmpty()) {
        return Error::make(ErrorKind::Config, QStringLiteral("credential_process is empty"),
                           QStringLiteral("Set credential_process to the command that prints credentials."));
    }
    return out;
}

Result<Credentials> ProcessProvider::parseOutput(const QByteArray& stdoutBytes, const QString& profileName)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(stdoutBytes, &pe);
    if (pe.error != QJsonParseError::NoError) {
        // Never echo the output: it may hold a secret.
        return outputError(
            profileName,
            QStringLiteral("the output is not JSON (%1 at offset %2)").arg(pe.errorString()).arg(pe.offset));
    }
    if (!doc.isObject())
        return outputError(profileName, QStringLiteral("the output is JSON but not an object"));
    const QJsonObject o = doc.object();
    const QJsonValue version = o.value(QLatin1String("Version"));
    if (version.isUndefined())
        return outputError(profileName, QStringLiteral("the output has no \"Version\" (must be 1)"));
    if (!version.isDouble() || version.toDouble() != 1.0) {
        const QString shown =
            version.isDouble() ? QString::number(version.toDouble()) : QString::fromUtf8(PythonJson::dumps(version));
        return outputError(profileName,
                           QStringLiteral("the output has \"Version\": %1; only version 1 is supported").arg(shown));
    }
    Credentials c;
    for (const char* field : {"AccessKeyId", "SecretAccessKey"}) {
        const QJsonValue v = o.value(QLatin1String(field));
        if (!v.isString() || v.toString().isEmpty()) {
            return outputError(profileName,
                               QStringLiteral("the output has no \"%1\" string").arg(QLatin1String(field)));
        }
    }
    c.accessKeyId = o.value(QLatin1String("AccessKeyId")).toString();
    c.secretAccessKey = o.value(QLatin1String("SecretAccessKey")).toString();
    c.sessionToken = o.value(QLatin1String("SessionToken")).toString();
    c.accountId = o.value(QLatin1String("AccountId")).toString();
    const QJsonValue exp = o.value(QLatin1String("Expiration"));
    if (!exp.isUndefined() && !exp.isNull()) {
        const QDateTime t = Timestamps::parseIso8601(exp.toString());
        if (!t.isValid()) {
            return outputError(profileName,
                               QStringLiteral("\"Expiration\" is not an ISO-8601 time: \"%1\"").arg(exp.toString()));
        }
        c.expiration = t;
    }
    c.source = QStringLiteral("profile %1 (credential_process)").arg(profileName);
    return c;
}

void ProcessProvider::fetch(QObject* context, Callback<Credentials> done)
{
    struct Run
    {
        QPointer<QObject> context;
        Callback<Credentials> done;
        bool finished = false;
        void finish(Result<Credentials> r)
        {
            if (finished)
                return;
            finished = true;
            if (context)
                done(std::move(r));
        }
    };
    auto run = std::make_shared<Run>();
    run->context = context;
    run->done = std::move(done);

    const QString program = m_argv.first();
    const QString profile = m_profileName;
    auto* proc = new QProcess(&m_owner);
    proc->setProgram(program);
    proc->setArguments(m_argv.mid(1));
    proc->setProcessEnvironment(m_env);
    // Like botocore: stdin is the caller's (some helpers prompt), stdout and stderr are captured.
    proc->setInputChannelMode(QProcess::ForwardedInputChannel);

    auto* timer = new QTimer(proc);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, proc, [run, proc, profile, program, ms = m_timeoutMs] {
        qCWarning(lcCreds) << "credential_process for profile" << profile << "timed out; killing it";
        run->finish(Error::make(ErrorKind::Timeout,
                                QStringLiteral("credential_process for profile %1 (%2) did not finish within %3 s")
                                    .arg(profile, program)
                                    .arg(ms / 1000),
                                QStringLiteral("Run the command in a terminal to see whether it waits for input "
                                               "or hangs.")));
        proc->kill();
    });
    QObject::connect(proc, &QProcess::errorOccurred, proc, [run, proc, profile, program](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        run->finish(Error::make(ErrorKind::Config,
                                QStringLiteral("credential_process for profile %1 could not start %2: %3")
                                    .arg(profile, program, proc->errorString()),
                                QStringLiteral("Check the program path in the profile's credential_process line; it "
                                               "is run directly, without a shell.")));
        proc->deleteLater();
    });
    QObject::connect(
        proc, &QProcess::finished, proc, [run, proc, profile, program](int exitCode, QProcess::ExitStatus status) {
            proc->deleteLater();
            const QByteArray out = proc->readAllStandardOutput();
            QString err = QString::fromUtf8(proc->readAllStandardError()).trimmed();
            if (err.size() > 2000)
                err = err.left(2000) + QStringLiteral("…");
            if (status != QProcess::NormalExit || exitCode != 0) {
                const QString how = status != QProcess::NormalExit
                    ? QStringLiteral("crashed")
                    : QStringLiteral("failed with exit code %1").arg(exitCode);
                run->finish(Error::make(
                    ErrorKind::Credentials,
                    QStringLiteral("credential_process for profile %1 (%2) %3: %4")
                        .arg(profile, program, how, err.isEmpty() ? QStringLiteral("(no error output)") : err),
                    QStringLiteral("Run the command in a terminal to see what it needs (a login, a "
                                   "password, a network connection).")));
                return;
            }
            run->finish(parseOutput(out, profile));
        });
    timer->start(m_timeoutMs);
    qCDebug(lcCreds) << "running credential_process" << QFileInfo(program).fileName() << "for profile" << profile;
    proc->start();
}

QString ProcessProvider::describe() const
{
    return QStringLiteral("profile %1: credential_process (%2)")
        .arg(m_profileName, QFileInfo(m_argv.first()).fileName());
}

} // namespace bl
