#include "SsmService.h"

#include "Pager.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace fakeaws {

namespace {

const QByteArray kTargetPrefix = QByteArrayLiteral("AmazonSSM.");

struct SsmFilter
{
    QString key;
    QStringList values;
};

HttpResponse validation(const QString& message)
{
    return jsonError(400, "ValidationException", message);
}

HttpResponse json(const QJsonObject& object)
{
    HttpResponse response;
    response.contentType = "application/x-amz-json-1.1";
    response.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return response;
}

QString iamRole(const Instance& i)
{
    return i.iamInstanceProfileArn.section(QLatin1Char('/'), -1);
}

QStringList valuesFor(const Instance& i, const QString& key)
{
    if (key == QLatin1String("InstanceIds"))
        return {i.id};
    if (key == QLatin1String("AgentVersion"))
        return {i.ssm.agentVersion};
    if (key == QLatin1String("PingStatus"))
        return {SsmService::effectivePingStatus(i)};
    if (key == QLatin1String("PlatformTypes"))
        return {i.ssm.platformType};
    if (key == QLatin1String("ResourceType"))
        return {QStringLiteral("EC2Instance")};
    if (key == QLatin1String("IamRole"))
        return {iamRole(i)};
    if (key == QLatin1String("AssociationStatus"))
        return {QStringLiteral("Success")};
    if (key == QLatin1String("SourceIds"))
        return {i.id};
    if (key == QLatin1String("SourceTypes"))
        return {QStringLiteral("AWS::EC2::Instance")};
    QStringList out;
    for (const auto& [k, v] : i.tags) {
        if (key == QLatin1String("tag-key"))
            out.append(k);
        else if (key.startsWith(QLatin1String("tag:")) && k == key.mid(4))
            out.append(v);
    }
    return out;
}

// Filters (new style, "Key"/"Values") or InstanceInformationFilterList (legacy, "key"/"valueSet").
std::optional<QList<SsmFilter>> readFilters(const QJsonObject& body, HttpResponse* error)
{
    static const QStringList legacyKeys = {QStringLiteral("InstanceIds"),   QStringLiteral("AgentVersion"),
                                           QStringLiteral("PingStatus"),    QStringLiteral("PlatformTypes"),
                                           QStringLiteral("ActivationIds"), QStringLiteral("IamRole"),
                                           QStringLiteral("ResourceType"),  QStringLiteral("AssociationStatus")};
    static const QStringList newKeys = legacyKeys
        + QStringList {QStringLiteral("SourceIds"), QStringLiteral("SourceTypes"), QStringLiteral("tag-key")};
    const bool hasNew = body.contains(QStringLiteral("Filters"));
    const bool hasLegacy = body.contains(QStringLiteral("InstanceInformationFilterList"));
    if (hasNew && hasLegacy) {
        *error = validation(QStringLiteral("InstanceInformationFilterList and Filters cannot be used together"));
        return std::nullopt;
    }
    const QJsonValue list =
        body.value(hasLegacy ? QStringLiteral("InstanceInformationFilterList") : QStringLiteral("Filters"));
    const QString keyField = hasLegacy ? QStringLiteral("key") : QStringLiteral("Key");
    const QString valuesField = hasLegacy ? QStringLiteral("valueSet") : QStringLiteral("Values");
    QList<SsmFilter> filters;
    if (list.isUndefined() || list.isNull())
        return filters;
    if (!list.isArray()) {
        *error = jsonError(400, "SerializationException", QStringLiteral("Filters must be a list"));
        return std::nullopt;
    }
    bool anyTag = false;
    for (const QJsonValue item : list.toArray()) {
        const QJsonObject o = item.toObject();
        SsmFilter f;
        f.key = o.value(keyField).toString();
        const bool isTag = !hasLegacy && f.key.startsWith(QLatin1String("tag:")) && f.key.size() > 4;
        if (!isTag && !(hasLegacy ? legacyKeys : newKeys).contains(f.key)) {
            *error = jsonError(400, "InvalidFilterKey", QStringLiteral("The filter key %1 is not valid").arg(f.key));
            return std::nullopt;
        }
        anyTag = anyTag || isTag || f.key == QLatin1String("tag-key");
        for (const QJsonValue v : o.value(valuesField).toArray())
            f.values.append(v.toString());
        if (f.values.isEmpty() || f.values.size() > 100) {
            *error = jsonError(400, "InvalidInstanceInformationFilterValue",
                               QStringLiteral("The filter %1 needs 1 to 100 values").arg(f.key));
            return std::nullopt;
        }
        filters.append(f);
    }
    if (anyTag && filters.size() > 1) {
        for (const SsmFilter& f : filters) {
            if (!f.key.startsWith(QLatin1String("tag"))) {
                *error = jsonError(400, "InvalidFilter",
                                   QStringLiteral("Tag filters cannot be combined with %1").arg(f.key));
                return std::nullopt;
            }
        }
    }
    return filters;
}

} // namespace

SsmService::SsmService(Fleet& fleet)
    : m_fleet(fleet)
{ }

QString SsmService::effectivePingStatus(const Instance& instance)
{
    if (!instance.ssm.isRegistered())
        return {};
    if (instance.state != InstanceState::Running && instance.ssm.pingStatus == QLatin1String("Online"))
        return QStringLiteral("ConnectionLost");
    return instance.ssm.pingStatus;
}

HttpResponse SsmService::handle(const HttpRequest& request, const CallContext& context)
{
    const QByteArray target = request.header("X-Amz-Target");
    if (!target.startsWith(kTargetPrefix))
        return jsonError(400, "UnknownOperationException", QString());
    const QString operation = QString::fromLatin1(target.mid(kTargetPrefix.size()));
    static const QStringList sessionOperations = {QStringLiteral("StartSession"), QStringLiteral("ResumeSession"),
                                                  QStringLiteral("TerminateSession")};
    if (operation != QLatin1String("DescribeInstanceInformation") && !sessionOperations.contains(operation)
        && !m_operations.contains(operation))
        return jsonError(400, "UnknownOperationException", QString());
    QJsonParseError parseError;
    const QJsonDocument doc =
        QJsonDocument::fromJson(request.body.isEmpty() ? QByteArrayLiteral("{}") : request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return jsonError(400, "SerializationException", QStringLiteral("The request body is not a JSON object"));
    const QJsonObject body = doc.object();
    m_fleet.settle(context.now.isValid() ? context.now : QDateTime::currentDateTimeUtc());

    if (operation == QLatin1String("StartSession")) {
        if (auto refused = checkSessionTarget(body.value(QStringLiteral("Target")).toString(), context))
            return *refused;
    }
    if (const auto it = m_operations.constFind(operation); it != m_operations.cend())
        return (*it)(body, context);
    if (operation == QLatin1String("DescribeInstanceInformation"))
        return describeInstanceInformation(body, context);
    return jsonError(500, "InternalServerError",
                     QStringLiteral("fakeaws has no Session Manager emulator attached for %1").arg(operation));
}

std::optional<HttpResponse> SsmService::checkSessionTarget(const QString& target, const CallContext& context) const
{
    if (target.isEmpty())
        return validation(QStringLiteral("1 validation error detected: Value null at 'target' failed to satisfy "
                                         "constraint: Member must not be null"));
    const QString region = context.region.isEmpty() ? QStringLiteral("us-east-1") : context.region;
    const Instance* i = m_fleet.instance(target);
    if (!i || i->region != region || effectivePingStatus(*i) != QLatin1String("Online"))
        return jsonError(400, "TargetNotConnected", QStringLiteral("%1 is not connected.").arg(target));
    return std::nullopt;
}

HttpResponse SsmService::describeInstanceInformation(const QJsonObject& body, const CallContext& context)
{
    int maxResults = 10;
    if (body.contains(QStringLiteral("MaxResults"))) {
        const QJsonValue v = body.value(QStringLiteral("MaxResults"));
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d < 5 || d > 50 || d != static_cast<double>(static_cast<int>(d)))
            return validation(QStringLiteral("1 validation error detected: Value '%1' at 'maxResults' failed to "
                                             "satisfy constraint: Member must have value between 5 and 50")
                                  .arg(v.isDouble() ? QString::number(d) : v.toVariant().toString()));
        maxResults = static_cast<int>(d);
    }
    HttpResponse error;
    const auto filters = readFilters(body, &error);
    if (!filters)
        return error;
    const QString region = context.region.isEmpty() ? QStringLiteral("us-east-1") : context.region;
    QList<const Instance*> selected;
    for (const Instance& i : m_fleet.instances()) {
        if (i.region != region || !i.ssm.isRegistered() || i.state == InstanceState::Terminated)
            continue;
        bool match = true;
        for (const SsmFilter& f : *filters) {
            const QStringList have = valuesFor(i, f.key);
            bool any = false;
            for (const QString& v : f.values)
                any = any || have.contains(v);
            match = match && any;
        }
        if (match)
            selected.append(&i);
    }
    const auto page = Pager::page("DescribeInstanceInformation/" + region.toUtf8(), selected.size(), maxResults,
                                  m_fleet.paging(), body.value(QStringLiteral("NextToken")).toString().toUtf8());
    if (!page)
        return jsonError(400, "InvalidNextToken", QStringLiteral("The specified token isn't valid."));

    const QDateTime now = context.now.isValid() ? context.now : QDateTime::currentDateTimeUtc();
    QJsonArray list;
    for (qsizetype n = page->begin; n < page->end; ++n) {
        const Instance& i = *selected.at(n);
        const QString status = effectivePingStatus(i);
        // An online agent pings every few minutes; anything else last pinged when it lost contact.
        QDateTime lastPing = i.ssm.lastPing;
        if (status == QLatin1String("Online") || !lastPing.isValid())
            lastPing = status == QLatin1String("Online") ? now.addMSecs(-(12000 + 997 * (n % 50))) : i.launchTime;
        QJsonObject o {{QStringLiteral("InstanceId"), i.id},
                       {QStringLiteral("PingStatus"), status},
                       {QStringLiteral("LastPingDateTime"), static_cast<double>(lastPing.toMSecsSinceEpoch()) / 1000.0},
                       {QStringLiteral("AgentVersion"), i.ssm.agentVersion},
                       {QStringLiteral("IsLatestVersion"), i.ssm.isLatestVersion},
                       {QStringLiteral("PlatformType"), i.ssm.platformType},
                       {QStringLiteral("PlatformName"), i.ssm.platformName},
                       {QStringLiteral("PlatformVersion"), i.ssm.platformVersion},
                       {QStringLiteral("ResourceType"), QStringLiteral("EC2Instance")},
                       {QStringLiteral("IPAddress"), i.privateIp.isEmpty() ? i.ipv6 : i.privateIp},
                       {QStringLiteral("ComputerName"), i.ssm.computerName},
                       {QStringLiteral("AssociationStatus"), QStringLiteral("Success")},
                       {QStringLiteral("SourceId"), i.id},
                       {QStringLiteral("SourceType"), QStringLiteral("AWS::EC2::Instance")}};
        if (!i.iamInstanceProfileArn.isEmpty())
            o.insert(QStringLiteral("IamRole"), iamRole(i));
        if (n % 3 == 1) // newer fields clients have never heard of
            o.insert(QStringLiteral("AssociationOverview"),
                     QJsonObject {{QStringLiteral("DetailedStatus"), QStringLiteral("Success")},
                                  {QStringLiteral("InstanceAssociationStatusAggregatedCount"),
                                   QJsonObject {{QStringLiteral("Success"), 2}}}});
        list.append(o);
    }
    QJsonObject result {{QStringLiteral("InstanceInformationList"), list}};
    if (!page->nextToken.isEmpty())
        result.insert(QStringLiteral("NextToken"), QString::fromLatin1(page->nextToken));
    return json(result);
}

} // namespace fakeaws
