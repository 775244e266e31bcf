#include "app/cli/ListCommand.h"

#include "app/cli/Console.h"
#include "app/cli/ExitCodes.h"
#include "app/cli/InstanceFormat.h"
#include "core/aws/api/InstanceInventory.h"

#include <QElapsedTimer>

#include <cstdio>
#include <unistd.h>

namespace bl::cli {

namespace {

const QCommandLineOption allRegionsOpt(QStringLiteral("all-regions"),
                                       QStringLiteral("List every region enabled for the account."));
const QCommandLineOption filterOpt(QStringLiteral("filter"),
                                   QStringLiteral("EC2 filter, e.g. Name=instance-state-name,Values=running "
                                                  "or Name=tag:Env,Values=prod,staging (repeatable)."),
                                   QStringLiteral("filter"));
const QCommandLineOption outputOpt(QStringLiteral("output"), QStringLiteral("table (default) or json."),
                                   QStringLiteral("format"), QStringLiteral("table"));
const QCommandLineOption concurrencyOpt(QStringLiteral("max-concurrency"),
                                        QStringLiteral("Regions queried at once (default 8)."), QStringLiteral("n"));

} // namespace

void ListCommand::configure(QCommandLineParser& parser)
{
    parser.addOptions({allRegionsOpt, filterOpt, outputOpt, concurrencyOpt});
}

Result<Ec2Filter> ListCommand::parseFilter(const QString& text)
{
    // Name=<name>,Values=<v1>,<v2>... ; values may themselves not contain commas.
    const auto bad = [&text] {
        return Error::make(ErrorKind::Usage, QStringLiteral("Malformed --filter '%1'").arg(text),
                           QStringLiteral("Write it as Name=<filter name>,Values=<value>[,<value>...], e.g. "
                                          "Name=tag:Env,Values=prod"));
    };
    if (!text.startsWith(QLatin1String("Name=")))
        return bad();
    const qsizetype valuesAt = text.indexOf(QLatin1String(",Values="));
    if (valuesAt < 0)
        return bad();
    Ec2Filter f;
    f.name = text.mid(5, valuesAt - 5);
    f.values = text.mid(valuesAt + 8).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (f.name.isEmpty() || f.values.isEmpty())
        return bad();
    return f;
}

Result<void> ListCommand::prepare(const QCommandLineParser& parser)
{
    if (!parser.positionalArguments().isEmpty()) {
        return Error::make(ErrorKind::Usage,
                           QStringLiteral("Unexpected argument '%1'").arg(parser.positionalArguments().first()),
                           QStringLiteral("Use --filter Name=tag:Name,Values=<name> to select instances by name"));
    }
    for (const QString& f : parser.values(filterOpt)) {
        auto parsed = parseFilter(f);
        if (!parsed)
            return parsed.error();
        m_filters << parsed.value();
    }
    const QString output = parser.value(outputOpt);
    if (output != QLatin1String("table") && output != QLatin1String("json"))
        return Error::make(ErrorKind::Usage, QStringLiteral("Unknown --output '%1'").arg(output),
                           QStringLiteral("Use --output table or --output json"));
    m_json = output == QLatin1String("json");
    m_allRegions = parser.isSet(allRegionsOpt);
    if (parser.isSet(concurrencyOpt)) {
        bool ok = false;
        m_maxInFlight = parser.value(concurrencyOpt).toInt(&ok);
        if (!ok || m_maxInFlight < 1)
            return Error::make(ErrorKind::Usage, QStringLiteral("--max-concurrency needs a number of at least 1"));
    }
    return {};
}

void ListCommand::start()
{
    auto session = m_services.session();
    if (!session) {
        fail(session.error());
        return;
    }
    QStringList regions;
    if (!m_allRegions) {
        regions = m_services.options().regions;
        if (regions.isEmpty() && !m_services.region().isEmpty())
            regions << m_services.region();
        if (regions.isEmpty()) {
            fail(Error::make(ErrorKind::Config,
                             QStringLiteral("No region to list: profile '%1' sets none").arg(m_services.profileName()),
                             QStringLiteral("Pass --region <region> (repeatable) or --all-regions, or set AWS_REGION "
                                            "or region in the profile")));
            return;
        }
    }

    m_inventory = new InstanceInventory(*session.value(), this);
    if (m_maxInFlight > 0)
        m_inventory->setMaxInFlight(m_maxInFlight);
    const bool tty = ::isatty(STDERR_FILENO);
    if (tty || m_services.options().verbose) {
        connect(m_inventory, &InstanceInventory::progress, this, [tty](int done, int total) {
            if (tty)
                printErr(QStringLiteral("\rListing instances: %1/%2 regions").arg(done).arg(total));
            else
                printErr(QStringLiteral("listed %1/%2 regions\n").arg(done).arg(total));
        });
    }
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    const QString profile = m_services.profileName();
    m_inventory->list(regions, m_filters, [this, tty, timer, profile](Result<InventoryResult> result) {
        if (tty)
            printErr(QStringLiteral("\r\033[K"));
        if (!result) {
            fail(result.error());
            return;
        }
        QList<Instance> instances = result->instances;
        for (Instance& i : instances)
            i.profile = profile;
        sortInstances(instances);
        const QByteArray out = m_json ? instancesToJson(instances) : instancesToTable(instances);
        std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
        std::fflush(stdout); // bytes as they are: already UTF-8

        int code = ExitOk;
        for (const RegionError& e : result->errors) {
            printErr(QStringLiteral("warning: region %1: %2\n").arg(e.region, e.error.summary()));
            if (!e.error.hint.isEmpty())
                printErr(QStringLiteral("hint: %1\n").arg(e.error.hint));
            if (code == ExitOk)
                code = exitCodeFor(e.error);
        }
        if (m_services.options().verbose) {
            printErr(QStringLiteral("%1 instances in %2 regions, %3 HTTP requests, %4 ms\n")
                         .arg(instances.size())
                         .arg(result->regions.size())
                         .arg(m_services.http().requestCount())
                         .arg(timer->elapsed()));
        }
        Q_EMIT finished(code);
    });
}

} // namespace bl::cli
