#include "Ec2Service.h"

#include "Ec2Xml.h"
#include "Pager.h"

#include <QRegularExpression>

namespace fakeaws {

namespace {

const QRegularExpression& instanceIdPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^i-[0-9a-f]{8}([0-9a-f]{9})?$"));
    return pattern;
}

QStringList tagValues(const TagList& tags, const QString& key)
{
    QStringList out;
    for (const auto& [k, v] : tags) {
        if (k == key)
            out.append(v);
    }
    return out;
}

QStringList tagKeys(const TagList& tags)
{
    QStringList out;
    for (const auto& tag : tags)
        out.append(tag.first);
    return out;
}

QStringList nonEmpty(const QString& value)
{
    return value.isEmpty() ? QStringList() : QStringList {value};
}

QStringList instanceValues(const Fleet& fleet, const Instance& i, const QString& filter)
{
    if (filter.startsWith(QLatin1String("tag:")))
        return tagValues(i.tags, filter.mid(4));
    if (filter == QLatin1String("tag-key"))
        return tagKeys(i.tags);
    if (filter == QLatin1String("tag-value")) {
        QStringList out;
        for (const auto& tag : i.tags)
            out.append(tag.second);
        return out;
    }
    if (filter == QLatin1String("instance-state-name"))
        return {instanceStateName(i.state)};
    if (filter == QLatin1String("instance-state-code"))
        return {QString::number(instanceStateCode(i.state))};
    if (filter == QLatin1String("instance-id"))
        return {i.id};
    if (filter == QLatin1String("reservation-id"))
        return {i.reservationId};
    if (filter == QLatin1String("vpc-id"))
        return nonEmpty(i.vpcId);
    if (filter == QLatin1String("subnet-id"))
        return nonEmpty(i.subnetId);
    if (filter == QLatin1String("platform"))
        return nonEmpty(i.platform);
    if (filter == QLatin1String("platform-details"))
        return nonEmpty(i.platformDetails);
    if (filter == QLatin1String("private-ip-address"))
        return nonEmpty(i.privateIp);
    if (filter == QLatin1String("ip-address"))
        return nonEmpty(i.publicIp);
    if (filter == QLatin1String("private-dns-name"))
        return nonEmpty(i.privateDnsName);
    if (filter == QLatin1String("availability-zone"))
        return {i.availabilityZone};
    if (filter == QLatin1String("instance-type"))
        return {i.instanceType};
    if (filter == QLatin1String("image-id"))
        return nonEmpty(i.imageId);
    if (filter == QLatin1String("key-name"))
        return nonEmpty(i.keyName);
    if (filter == QLatin1String("architecture"))
        return {i.architecture};
    if (filter == QLatin1String("iam-instance-profile.arn"))
        return nonEmpty(i.iamInstanceProfileArn);
    if (filter == QLatin1String("instance.group-id"))
        return i.securityGroupIds;
    if (filter == QLatin1String("instance.group-name")) {
        QStringList out;
        for (const QString& id : i.securityGroupIds) {
            if (const SecurityGroup* g = fleet.securityGroup(id))
                out.append(g->name);
        }
        return out;
    }
    return {};
}

const QStringList& instanceFilters()
{
    static const QStringList names = {
        QStringLiteral("tag:"),
        QStringLiteral("tag-key"),
        QStringLiteral("tag-value"),
        QStringLiteral("instance-state-name"),
        QStringLiteral("instance-state-code"),
        QStringLiteral("instance-id"),
        QStringLiteral("reservation-id"),
        QStringLiteral("vpc-id"),
        QStringLiteral("subnet-id"),
        QStringLiteral("platform"),
        QStringLiteral("platform-details"),
        QStringLiteral("private-ip-address"),
        QStringLiteral("ip-address"),
        QStringLiteral("private-dns-name"),
        QStringLiteral("availability-zone"),
        QStringLiteral("instance-type"),
        QStringLiteral("image-id"),
        QStringLiteral("key-name"),
        QStringLiteral("architecture"),
        QStringLiteral("iam-instance-profile.arn"),
        QStringLiteral("instance.group-id"),
        QStringLiteral("instance.group-name"),
    };
    return names;
}

} // namespace

Ec2Service::Ec2Service(Fleet& fleet)
    : m_fleet(fleet)
{ }

HttpResponse Ec2Service::xml(const QByteArray& body)
{
    HttpResponse response;
    response.contentType = "text/xml;charset=UTF-8";
    response.body = body;
    return response;
}

HttpResponse Ec2Service::handle(const HttpRequest& request, const CallContext& context)
{
    Params params = request.query;
    if (request.method == "POST")
        params += request.formParams();
    const Ec2Query query(params);
    const QString requestId = context.requestId;
    const QString action = query.value("Action");
    if (action.isEmpty())
        return ec2Error(400, "MissingAction", QStringLiteral("The request must contain the parameter Action"),
                        requestId);
    const QString version = query.value("Version");
    if (version.isEmpty())
        return ec2Error(400, "MissingParameter", QStringLiteral("The request must contain the parameter Version"),
                        requestId);
    static const QRegularExpression versionPattern(QStringLiteral("^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"));
    if (!versionPattern.match(version).hasMatch())
        return ec2Error(400, "NoSuchVersion",
                        QStringLiteral("The requested version (%1) of service AmazonEC2 does not exist").arg(version),
                        requestId);
    const QString region = context.region.isEmpty() ? QStringLiteral("us-east-1") : context.region;
    if (const Region* r = m_fleet.region(region); r && !r->isEnabled())
        return ec2Error(401, "AuthFailure",
                        QStringLiteral("AWS was not able to validate the provided access credentials"), requestId);
    const QDateTime now = context.now.isValid() ? context.now : QDateTime::currentDateTimeUtc();
    m_fleet.settle(now);
    const Call call {query, action, version, region, requestId, now};

    using Handler = HttpResponse (Ec2Service::*)(const Call&);
    static const QList<QPair<QString, Handler>> handlers = {
        {QStringLiteral("DescribeInstances"), &Ec2Service::describeInstances},
        {QStringLiteral("DescribeRegions"), &Ec2Service::describeRegions},
        {QStringLiteral("DescribeInstanceConnectEndpoints"), &Ec2Service::describeInstanceConnectEndpoints},
        {QStringLiteral("DescribeSecurityGroups"), &Ec2Service::describeSecurityGroups},
        {QStringLiteral("GetPasswordData"), &Ec2Service::getPasswordData},
    };
    const bool isStart = action == QLatin1String("StartInstances");
    Handler handler = nullptr;
    for (const auto& [name, h] : handlers) {
        if (name == action)
            handler = h;
    }
    if (!handler && !isStart && action != QLatin1String("StopInstances"))
        return ec2Error(400, "InvalidAction",
                        QStringLiteral("The action %1 is not valid for this web service.").arg(action), requestId);
    if (query.value("DryRun") == QLatin1String("true"))
        return ec2Error(412, "DryRunOperation", QStringLiteral("Request would have succeeded, but DryRun flag is set."),
                        requestId);
    return handler ? (this->*handler)(call) : startStop(call, isStart);
}

std::optional<int> Ec2Service::maxResults(const Call& call, int min, int max, HttpResponse* error)
{
    if (!call.query.has("MaxResults"))
        return 0;
    const QString text = call.query.value("MaxResults");
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max) {
        *error = ec2Error(400, "InvalidParameterValue",
                          QStringLiteral("Value ( %1 ) for parameter maxResults is invalid. Expecting a value between "
                                         "%2 and %3.")
                              .arg(text)
                              .arg(min)
                              .arg(max),
                          call.requestId);
        return std::nullopt;
    }
    return value;
}

HttpResponse Ec2Service::invalidToken(const Call& call)
{
    return ec2Error(400, "InvalidParameterValue",
                    QStringLiteral("Value ( %1 ) for parameter NextToken is invalid. The token is invalid.")
                        .arg(call.query.value("NextToken")),
                    call.requestId);
}

std::optional<HttpResponse> Ec2Service::checkInstanceIds(const Call& call, const QStringList& ids) const
{
    QStringList missing;
    for (const QString& id : ids) {
        if (!instanceIdPattern().match(id).hasMatch())
            return ec2Error(400, "InvalidInstanceID.Malformed", QStringLiteral("Invalid id: \"%1\"").arg(id),
                            call.requestId);
        const Instance* i = m_fleet.instance(id);
        if (!i || i->region != call.region)
            missing.append(id);
    }
    if (missing.size() == 1)
        return ec2Error(400, "InvalidInstanceID.NotFound",
                        QStringLiteral("The instance ID '%1' does not exist").arg(missing.first()), call.requestId);
    if (!missing.isEmpty())
        return ec2Error(400, "InvalidInstanceID.NotFound",
                        QStringLiteral("The instance IDs '%1' do not exist").arg(missing.join(QStringLiteral(", "))),
                        call.requestId);
    return std::nullopt;
}

HttpResponse Ec2Service::describeInstances(const Call& call)
{
    const QStringList ids = call.query.list("InstanceId");
    if (!ids.isEmpty() && call.query.has("MaxResults"))
        return ec2Error(400, "InvalidParameterCombination",
                        QStringLiteral("The parameter instancesSet cannot be used with the parameter maxResults"),
                        call.requestId);
    HttpResponse error;
    const std::optional<int> limit = maxResults(call, 5, 1000, &error);
    if (!limit)
        return error;
    if (auto bad = checkInstanceIds(call, ids))
        return *bad;
    QString why;
    const auto filters = call.query.filters(instanceFilters(), &why);
    if (!filters)
        return ec2Error(400, "InvalidParameterValue", why, call.requestId);

    QList<const Instance*> selected;
    for (const Instance& i : m_fleet.instances()) {
        if (i.region != call.region || (!ids.isEmpty() && !ids.contains(i.id)))
            continue;
        if (Ec2Query::matches(*filters, [&](const QString& name) { return instanceValues(m_fleet, i, name); }))
            selected.append(&i);
    }
    // Instances of one reservation are listed together, under one reservation item.
    QHash<QString, QList<const Instance*>> byReservation;
    QStringList reservationOrder;
    for (const Instance* i : std::as_const(selected)) {
        if (!byReservation.contains(i->reservationId))
            reservationOrder.append(i->reservationId);
        byReservation[i->reservationId].append(i);
    }
    selected.clear();
    for (const QString& reservation : std::as_const(reservationOrder))
        selected += byReservation.value(reservation);
    // EC2 does not page a call that names its instances, so only unnamed listings get the awkward knobs.
    const PagingKnobs knobs = ids.isEmpty() ? m_fleet.paging() : PagingKnobs {};
    const auto page = Pager::page("DescribeInstances/" + call.region.toUtf8(), selected.size(), *limit, knobs,
                                  call.query.value("NextToken").toUtf8());
    if (!page)
        return invalidToken(call);

    QByteArray body;
    QXmlStreamWriter w(&body);
    Ec2Xml::begin(w, call.action, call.version, call.requestId);
    if (page->begin == page->end) {
        w.writeEmptyElement(QStringLiteral("reservationSet"));
    } else {
        w.writeStartElement(QStringLiteral("reservationSet"));
        QString open;
        for (qsizetype n = page->begin; n < page->end; ++n) {
            const Instance& i = *selected.at(n);
            if (i.reservationId != open) {
                if (!open.isEmpty()) {
                    w.writeEndElement(); // instancesSet
                    w.writeEndElement(); // item
                }
                open = i.reservationId;
                w.writeStartElement(QStringLiteral("item"));
                w.writeTextElement(QStringLiteral("reservationId"), i.reservationId);
                w.writeTextElement(QStringLiteral("ownerId"), m_fleet.accountId());
                w.writeEmptyElement(QStringLiteral("groupSet"));
                w.writeStartElement(QStringLiteral("instancesSet"));
            }
            Ec2Xml::instance(w, m_fleet, i, static_cast<int>(n));
        }
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
    }
    if (!page->nextToken.isEmpty())
        w.writeTextElement(QStringLiteral("nextToken"), QString::fromLatin1(page->nextToken));
    w.writeEndElement();
    w.writeEndDocument();
    return xml(body);
}

HttpResponse Ec2Service::describeRegions(const Call& call)
{
    const bool all = call.query.value("AllRegions") == QLatin1String("true");
    const QStringList names = call.query.list("RegionName");
    QString why;
    const auto filters = call.query.filters(
        {QStringLiteral("region-name"), QStringLiteral("opt-in-status"), QStringLiteral("endpoint")}, &why);
    if (!filters)
        return ec2Error(400, "InvalidParameterValue", why, call.requestId);
    for (const QString& name : names) {
        if (!m_fleet.region(name))
            return ec2Error(400, "InvalidParameterValue", QStringLiteral("Invalid region: %1").arg(name),
                            call.requestId);
    }
    QByteArray body;
    QXmlStreamWriter w(&body);
    Ec2Xml::begin(w, call.action, call.version, call.requestId);
    w.writeStartElement(QStringLiteral("regionInfo"));
    for (const Region& r : m_fleet.regions()) {
        if (!names.isEmpty() ? !names.contains(r.name) : (!all && !r.isEnabled()))
            continue;
        const QString endpoint = QStringLiteral("ec2.%1.amazonaws.com").arg(r.name);
        const bool match = Ec2Query::matches(*filters, [&](const QString& name) {
            if (name == QLatin1String("region-name"))
                return QStringList {r.name};
            if (name == QLatin1String("opt-in-status"))
                return QStringList {r.optInStatus};
            return QStringList {endpoint};
        });
        if (!match)
            continue;
        w.writeStartElement(QStringLiteral("item"));
        w.writeTextElement(QStringLiteral("regionName"), r.name);
        w.writeTextElement(QStringLiteral("regionEndpoint"), endpoint);
        w.writeTextElement(QStringLiteral("optInStatus"), r.optInStatus);
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndElement();
    w.writeEndDocument();
    return xml(body);
}

HttpResponse Ec2Service::getPasswordData(const Call& call)
{
    const QString id = call.query.value("InstanceId");
    if (id.isEmpty())
        return ec2Error(400, "MissingParameter", QStringLiteral("The request must contain the parameter InstanceId"),
                        call.requestId);
    if (auto bad = checkInstanceIds(call, {id}))
        return *bad;
    const Instance* i = m_fleet.instance(id);
    // Windows generates (and EC2 publishes) the password a few minutes after the first boot.
    const bool ready = !i->passwordData.isEmpty() && i->state != InstanceState::Pending
        && (!i->passwordReadyAt.isValid() || call.now >= i->passwordReadyAt);
    QByteArray body;
    QXmlStreamWriter w(&body);
    Ec2Xml::begin(w, call.action, call.version, call.requestId);
    w.writeTextElement(QStringLiteral("instanceId"), id);
    const QDateTime stamp = ready ? (i->passwordReadyAt.isValid() ? i->passwordReadyAt : i->launchTime) : call.now;
    w.writeTextElement(QStringLiteral("timestamp"), Ec2Xml::time(stamp.isValid() ? stamp : call.now));
    if (ready)
        w.writeTextElement(QStringLiteral("passwordData"), Ec2Xml::wrappedPasswordData(i->passwordData));
    else
        w.writeEmptyElement(QStringLiteral("passwordData"));
    w.writeEndElement();
    w.writeEndDocument();
    return xml(body);
}

HttpResponse Ec2Service::startStop(const Call& call, bool start)
{
    const QStringList ids = call.query.list("InstanceId");
    if (ids.isEmpty())
        return ec2Error(400, "MissingParameter", QStringLiteral("The request must contain the parameter InstanceId"),
                        call.requestId);
    if (auto bad = checkInstanceIds(call, ids))
        return *bad;
    // All or nothing: check every instance before changing any.
    for (const QString& id : ids) {
        const InstanceState s = m_fleet.instance(id)->state;
        const bool allowed = start
            ? (s == InstanceState::Stopped || s == InstanceState::Pending || s == InstanceState::Running)
            : (s == InstanceState::Running || s == InstanceState::Stopping || s == InstanceState::Stopped);
        if (!allowed)
            return ec2Error(400, "IncorrectInstanceState",
                            QStringLiteral("The instance '%1' is not in a state from which it can be %2.")
                                .arg(id, start ? QStringLiteral("started") : QStringLiteral("stopped")),
                            call.requestId);
    }
    QByteArray body;
    QXmlStreamWriter w(&body);
    Ec2Xml::begin(w, call.action, call.version, call.requestId);
    w.writeStartElement(QStringLiteral("instancesSet"));
    for (const QString& id : ids) {
        QString why;
        const auto change = start ? m_fleet.start(id, call.now, &why) : m_fleet.stop(id, call.now, &why);
        if (!change)
            continue; // cannot happen after the check above
        w.writeStartElement(QStringLiteral("item"));
        w.writeTextElement(QStringLiteral("instanceId"), id);
        Ec2Xml::state(w, QStringLiteral("currentState"), change->current);
        Ec2Xml::state(w, QStringLiteral("previousState"), change->previous);
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndElement();
    w.writeEndDocument();
    return xml(body);
}

} // namespace fakeaws
