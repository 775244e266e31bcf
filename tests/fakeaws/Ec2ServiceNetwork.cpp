// Ec2Service's network actions: DescribeInstanceConnectEndpoints (how clients find an EICE, §3.4/§5.1) and
// DescribeSecurityGroups (how the connection doctor checks the rules, §3.5).

#include "Ec2Service.h"
#include "Ec2Xml.h"
#include "Pager.h"

#include <QRegularExpression>

namespace fakeaws {

namespace {

QStringList tagFilterValues(const TagList& tags, const QString& filter)
{
    QStringList out;
    for (const auto& [k, v] : tags) {
        if (filter == QLatin1String("tag-key"))
            out.append(k);
        else if (filter == QLatin1String("tag-value"))
            out.append(v);
        else if (filter.startsWith(QLatin1String("tag:")) && k == filter.mid(4))
            out.append(v);
    }
    return out;
}

} // namespace

HttpResponse Ec2Service::describeInstanceConnectEndpoints(const Call& call)
{
    HttpResponse error;
    const std::optional<int> limit = maxResults(call, 1, 50, &error);
    if (!limit)
        return error;
    const QStringList ids = call.query.list("InstanceConnectEndpointId");
    static const QRegularExpression idPattern(QStringLiteral("^eice-[0-9a-zA-Z_]+$"));
    for (const QString& id : ids) {
        if (!idPattern.match(id).hasMatch())
            return ec2Error(400, "InvalidInstanceConnectEndpointId.Malformed",
                            QStringLiteral("The instance connect endpoint ID '%1' is malformed").arg(id),
                            call.requestId);
        const InstanceConnectEndpoint* e = m_fleet.endpoint(id);
        if (!e || m_fleet.regionOfSubnet(e->subnetId) != call.region)
            return ec2Error(400, "InvalidInstanceConnectEndpointId.NotFound",
                            QStringLiteral("The instance connect endpoint ID '%1' does not exist").arg(id),
                            call.requestId);
    }
    QString why;
    const auto filters = call.query.filters(
        {QStringLiteral("instance-connect-endpoint-id"), QStringLiteral("state"), QStringLiteral("subnet-id"),
         QStringLiteral("vpc-id"), QStringLiteral("tag:"), QStringLiteral("tag-key"), QStringLiteral("tag-value")},
        &why);
    if (!filters)
        return ec2Error(400, "InvalidParameterValue", why, call.requestId);

    QList<const InstanceConnectEndpoint*> selected;
    for (const InstanceConnectEndpoint& e : m_fleet.endpoints()) {
        if (m_fleet.regionOfSubnet(e.subnetId) != call.region || (!ids.isEmpty() && !ids.contains(e.id)))
            continue;
        const bool match = Ec2Query::matches(*filters, [&e](const QString& name) {
            if (name == QLatin1String("instance-connect-endpoint-id"))
                return QStringList {e.id};
            if (name == QLatin1String("state"))
                return QStringList {e.state};
            if (name == QLatin1String("subnet-id"))
                return QStringList {e.subnetId};
            if (name == QLatin1String("vpc-id"))
                return QStringList {e.vpcId};
            return tagFilterValues(e.tags, name);
        });
        if (match)
            selected.append(&e);
    }
    const auto page = Pager::page("DescribeInstanceConnectEndpoints/" + call.region.toUtf8(), selected.size(), *limit,
                                  m_fleet.paging(), call.query.value("NextToken").toUtf8());
    if (!page)
        return invalidToken(call);

    QByteArray body;
    QXmlStreamWriter w(&body);
    Ec2Xml::begin(w, call.action, call.version, call.requestId);
    w.writeStartElement(QStringLiteral("instanceConnectEndpointSet"));
    for (qsizetype n = page->begin; n < page->end; ++n)
        Ec2Xml::endpoint(w, m_fleet, *selected.at(n));
    w.writeEndElement();
    if (!page->nextToken.isEmpty())
        w.writeTextElement(QStringLiteral("nextToken"), QString::fromLatin1(page->nextToken));
    w.writeEndElement();
    w.writeEndDocument();
    return xml(body);
}

HttpResponse Ec2Service::describeSecurityGroups(const Call& call)
{
    HttpResponse error;
    const std::optional<int> limit = maxResults(call, 5, 1000, &error);
    if (!limit)
        return error;
    const QStringList ids = call.query.list("GroupId");
    const QStringList names = call.query.list("GroupName");
    if (!ids.isEmpty() && call.query.has("MaxResults"))
        return ec2Error(400, "InvalidParameterCombination",
                        QStringLiteral("The parameter groupIdSet cannot be used with the parameter maxResults"),
                        call.requestId);
    static const QRegularExpression idPattern(QStringLiteral("^sg-[0-9a-f]{8}([0-9a-f]{9})?$"));
    for (const QString& id : ids) {
        if (!idPattern.match(id).hasMatch())
            return ec2Error(400, "InvalidGroupId.Malformed",
                            QStringLiteral("Invalid id: \"%1\" (expecting \"sg-...\")").arg(id), call.requestId);
        if (m_fleet.regionOfSecurityGroup(id) != call.region)
            return ec2Error(400, "InvalidGroup.NotFound",
                            QStringLiteral("The security group '%1' does not exist").arg(id), call.requestId);
    }
    QString why;
    const auto filters = call.query.filters(
        {QStringLiteral("vpc-id"), QStringLiteral("group-id"), QStringLiteral("group-name"),
         QStringLiteral("description"), QStringLiteral("tag:"), QStringLiteral("tag-key"), QStringLiteral("tag-value")},
        &why);
    if (!filters)
        return ec2Error(400, "InvalidParameterValue", why, call.requestId);

    QList<const SecurityGroup*> selected;
    for (const SecurityGroup& g : m_fleet.securityGroups()) {
        if (m_fleet.regionOfSecurityGroup(g.id) != call.region || (!ids.isEmpty() && !ids.contains(g.id))
            || (!names.isEmpty() && !names.contains(g.name)))
            continue;
        const bool match = Ec2Query::matches(*filters, [&g](const QString& name) {
            if (name == QLatin1String("vpc-id"))
                return QStringList {g.vpcId};
            if (name == QLatin1String("group-id"))
                return QStringList {g.id};
            if (name == QLatin1String("group-name"))
                return QStringList {g.name};
            if (name == QLatin1String("description"))
                return QStringList {g.description};
            return tagFilterValues(g.tags, name);
        });
        if (match)
            selected.append(&g);
    }
    const PagingKnobs knobs = ids.isEmpty() ? m_fleet.paging() : PagingKnobs {};
    const auto page = Pager::page("DescribeSecurityGroups/" + call.region.toUtf8(), selected.size(), *limit, knobs,
                                  call.query.value("NextToken").toUtf8());
    if (!page)
        return invalidToken(call);

    QByteArray body;
    QXmlStreamWriter w(&body);
    Ec2Xml::begin(w, call.action, call.version, call.requestId);
    w.writeStartElement(QStringLiteral("securityGroupInfo"));
    for (qsizetype n = page->begin; n < page->end; ++n)
        Ec2Xml::securityGroup(w, m_fleet, *selected.at(n));
    w.writeEndElement();
    if (!page->nextToken.isEmpty())
        w.writeTextElement(QStringLiteral("nextToken"), QString::fromLatin1(page->nextToken));
    w.writeEndElement();
    w.writeEndDocument();
    return xml(body);
}

} // namespace fakeaws
