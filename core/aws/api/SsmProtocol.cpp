#include "core/aws/api/SsmProtocol.h"

#include "core/aws/api/JsonReader.h"
#include "core/aws/api/JsonWriter.h"

#include <QJsonArray>

namespace bl {

AwsRequest SsmProtocol::describeInstanceInformation(const QList<SsmFilter>& filters, int maxResults,
                                                    const QString& nextToken)
{
    JsonWriter w;
    w.beginObject();
    if (!filters.isEmpty()) {
        w.key(QStringLiteral("Filters")).beginArray();
        for (const SsmFilter& f : filters) {
            w.beginObject();
            w.key(QStringLiteral("Key")).value(f.key);
            w.key(QStringLiteral("Values")).value(f.values);
            w.endObject();
        }
        w.endArray();
    }
    if (maxResults > 0)
        w.key(QStringLiteral("MaxResults")).value(qint64(maxResults));
    if (!nextToken.isEmpty())
        w.key(QStringLiteral("NextToken")).value(nextToken);
    w.endObject();
    return JsonReader::request(QStringLiteral("ssm"), QStringLiteral("AmazonSSM"),
                               QStringLiteral("DescribeInstanceInformation"),
                               QStringLiteral("ssm:DescribeInstanceInformation"), w.data());
}

Result<Page<InstanceInformation>> SsmProtocol::parseDescribeInstanceInformation(const QByteArray& body)
{
    const QString what = QStringLiteral("SSM DescribeInstanceInformation");
    auto object = JsonReader::parseObject(body, what);
    if (!object)
        return object.error();
    const QJsonValue list = object->value(QLatin1String("InstanceInformationList"));
    if (!list.isUndefined() && !list.isNull() && !list.isArray())
        return JsonReader::parseError(what, QStringLiteral("InstanceInformationList is not a list"));
    Page<InstanceInformation> page;
    for (const QJsonValue& v : list.toArray()) {
        if (!v.isObject())
            return JsonReader::parseError(what, QStringLiteral("an InstanceInformationList entry is not an object"));
        const QJsonObject o = v.toObject();
        InstanceInformation info;
        info.instanceId = o.value(QLatin1String("InstanceId")).toString();
        if (info.instanceId.isEmpty())
            return JsonReader::parseError(what, QStringLiteral("an entry has no InstanceId"));
        info.pingStatus = o.value(QLatin1String("PingStatus")).toString();
        info.agentVersion = o.value(QLatin1String("AgentVersion")).toString();
        info.isLatestVersion = o.value(QLatin1String("IsLatestVersion")).toBool();
        info.platformType = o.value(QLatin1String("PlatformType")).toString();
        info.platformName = o.value(QLatin1String("PlatformName")).toString();
        info.platformVersion = o.value(QLatin1String("PlatformVersion")).toString();
        info.resourceType = o.value(QLatin1String("ResourceType")).toString();
        info.ipAddress = o.value(QLatin1String("IPAddress")).toString();
        info.computerName = o.value(QLatin1String("ComputerName")).toString();
        info.lastPing = JsonReader::epochSeconds(o.value(QLatin1String("LastPingDateTime")));
        page.items.append(std::move(info));
    }
    page.nextToken = object->value(QLatin1String("NextToken")).toString();
    return page;
}

} // namespace bl
