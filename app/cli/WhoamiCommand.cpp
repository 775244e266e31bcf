#include "app/cli/WhoamiCommand.h"

#include "app/cli/Console.h"
#include "app/cli/ExitCodes.h"
#include "core/aws/api/StsClient.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace bl::cli {

namespace {

const QCommandLineOption outputOpt(QStringLiteral("output"), QStringLiteral("table (default) or json."),
                                   QStringLiteral("format"), QStringLiteral("table"));

} // namespace

void WhoamiCommand::configure(QCommandLineParser& parser)
{
    parser.addOption(outputOpt);
}

Result<void> WhoamiCommand::prepare(const QCommandLineParser& parser)
{
    const QString output = parser.value(outputOpt);
    if (output != QLatin1String("table") && output != QLatin1String("json"))
        return Error::make(ErrorKind::Usage, QStringLiteral("Unknown --output '%1'").arg(output),
                           QStringLiteral("Use --output table or --output json"));
    m_json = output == QLatin1String("json");
    return {};
}

void WhoamiCommand::start()
{
    auto session = m_services.session();
    if (!session) {
        fail(session.error());
        return;
    }
    AwsSession* s = session.value();
    // STS answers in every region; without a configured one use us-east-1 like the AWS SDKs' global STS.
    const QString region = m_services.region().isEmpty() ? QStringLiteral("us-east-1") : m_services.region();
    StsClient sts(*s);
    sts.getCallerIdentity(region, this, [this, s](Result<CallerIdentity> id) {
        if (!id) {
            fail(id.error());
            return;
        }
        QString text;
        if (m_json) {
            const QJsonObject o {{QStringLiteral("Account"), id->account},
                                 {QStringLiteral("Arn"), id->arn},
                                 {QStringLiteral("UserId"), id->userId},
                                 {QStringLiteral("Profile"), s->profileName()},
                                 {QStringLiteral("CredentialsSource"), s->credentials().describe()}};
            text = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
        } else {
            text = QStringLiteral("Account:     %1\nArn:         %2\nUserId:      %3\nProfile:     %4\n"
                                  "Credentials: %5\n")
                       .arg(id->account, id->arn, id->userId, s->profileName(), s->credentials().describe());
        }
        printOut(text);
        Q_EMIT finished(ExitOk);
    });
}

} // namespace bl::cli
