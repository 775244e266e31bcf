#include "app/cli/InstanceFormat.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace bl::cli {

namespace {

QJsonValue orNull(const QString& s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

} // namespace

QJsonObject instanceToJson(const Instance& i)
{
    QJsonObject tags;
    for (const Tag& t : i.tags)
        tags.insert(t.key, t.value);
    QJsonArray groups;
    for (const SecurityGroupRef& g : i.securityGroups)
        groups.append(QJsonObject {{QStringLiteral("id"), g.id}, {QStringLiteral("name"), g.name}});
    return QJsonObject {
        {QStringLiteral("id"), i.id},
        {QStringLiteral("name"), i.name},
        {QStringLiteral("state"), i.stateName.isEmpty() ? instanceStateName(i.state) : i.stateName},
        {QStringLiteral("type"), i.type},
        {QStringLiteral("region"), i.region},
        {QStringLiteral("az"), i.availabilityZone},
        {QStringLiteral("vpcId"), orNull(i.vpcId)},
        {QStringLiteral("subnetId"), orNull(i.subnetId)},
        {QStringLiteral("privateIp"), orNull(i.privateIp)},
        {QStringLiteral("publicIp"), orNull(i.publicIp)},
        {QStringLiteral("ipv6"), orNull(i.ipv6)},
        {QStringLiteral("privateDns"), orNull(i.privateDns)},
        {QStringLiteral("publicDns"), orNull(i.publicDns)},
        {QStringLiteral("platform"), i.platform},
        {QStringLiteral("platformDetails"), orNull(i.platformDetails)},
        {QStringLiteral("architecture"), orNull(i.architecture)},
        {QStringLiteral("imageId"), orNull(i.imageId)},
        {QStringLiteral("keyName"), orNull(i.keyName)},
        {QStringLiteral("iamInstanceProfileArn"), orNull(i.iamInstanceProfileArn)},
        {QStringLiteral("launchTime"),
         i.launchTime.isValid() ? QJsonValue(i.launchTime.toUTC().toString(Qt::ISODate)) : QJsonValue()},
        {QStringLiteral("securityGroups"), groups},
        {QStringLiteral("tags"), tags},
        {QStringLiteral("profile"), orNull(i.profile)},
    };
}

QByteArray instancesToJson(const QList<Instance>& instances)
{
    QJsonArray array;
    for (const Instance& i : instances)
        array.append(instanceToJson(i));
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

QByteArray instancesToTable(const QList<Instance>& instances)
{
    const QStringList header = {QStringLiteral("NAME"),       QStringLiteral("ID"),        QStringLiteral("STATE"),
                                QStringLiteral("TYPE"),       QStringLiteral("REGION"),    QStringLiteral("AZ"),
                                QStringLiteral("PRIVATE IP"), QStringLiteral("PUBLIC IP"), QStringLiteral("PLATFORM")};
    QList<QStringList> rows;
    rows << header;
    auto cell = [](const QString& s) { return s.isEmpty() ? QStringLiteral("-") : s; };
    for (const Instance& i : instances) {
        rows << QStringList {cell(i.name),
                             i.id,
                             cell(i.stateName.isEmpty() ? instanceStateName(i.state) : i.stateName),
                             cell(i.type),
                             cell(i.region),
                             cell(i.availabilityZone),
                             cell(i.privateIp),
                             cell(i.publicIp),
                             cell(i.platformDetails.isEmpty() ? i.platform : i.platformDetails)};
    }
    QList<int> widths(header.size(), 0);
    for (const QStringList& row : rows) {
        for (int c = 0; c < row.size(); ++c)
            widths[c] = std::max<int>(widths[c], int(row[c].size()));
    }
    QString out;
    for (const QStringList& row : rows) {
        QString line;
        for (int c = 0; c < row.size(); ++c) {
            line += c + 1 < row.size() ? row[c].leftJustified(widths[c] + 2) : row[c];
        }
        out += line + QLatin1Char('\n');
    }
    return out.toUtf8();
}

void sortInstances(QList<Instance>& instances)
{
    std::stable_sort(instances.begin(), instances.end(), [](const Instance& a, const Instance& b) {
        if (a.region != b.region)
            return a.region < b.region;
        if (a.name != b.name)
            return a.name.localeAwareCompare(b.name) < 0;
        return a.id < b.id;
    });
}

} // namespace bl::cli
