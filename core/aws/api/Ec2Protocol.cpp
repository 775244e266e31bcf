#include "core/aws/api/Ec2Protocol.h"

#include "core/aws/api/QueryParams.h"
#include "core/aws/api/XmlTree.h"

namespace bl {

const QByteArray Ec2Protocol::apiVersion = QByteArrayLiteral("2016-11-15");

namespace {

using Element = XmlTree::Element;
using L = QLatin1String;

AwsRequest ec2Request(const QueryParams& params, const QString& operation)
{
    AwsRequest r;
    r.signingName = QStringLiteral("ec2");
    r.operation = operation;
    r.iamAction = QStringLiteral("ec2:") + operation;
    r.protocol = AwsProtocol::Ec2Query;
    r.method = QByteArrayLiteral("POST");
    r.path = QByteArrayLiteral("/");
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArray(QueryParams::contentType)});
    r.body = params.encode();
    return r;
}

QString what(const char* operation)
{
    return QStringLiteral("EC2 ") + QLatin1String(operation);
}

QList<Tag> readTags(const Element& parent)
{
    QList<Tag> tags;
    for (const Element& item : parent.items(L("tagSet")))
        tags.append({item.childText(L("key")), item.childText(L("value"))});
    return tags;
}

QString normalisePlatform(const QString& platform, const QString& platformDetails)
{
    // EC2 names only Windows in <platform> (the case on the wire varies); absent means Linux/UNIX.
    if (platform.trimmed().compare(L("windows"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("windows");
    if (platform.trimmed().isEmpty() && platformDetails.trimmed().startsWith(L("windows"), Qt::CaseInsensitive))
        return QStringLiteral("windows");
    return QStringLiteral("linux");
}

InstanceState readState(const Element& state, QString* name)
{
    *name = state.childTrimmed(L("name"));
    InstanceState s = instanceStateFromName(*name);
    const int code = state.childInt(L("code"), -1);
    if (s == InstanceState::Unknown && code >= 0)
        s = instanceStateFromCode(code);
    if (name->isEmpty() && s != InstanceState::Unknown)
        *name = instanceStateName(s);
    return s;
}

Instance readInstance(const Element& e)
{
    Instance i;
    i.id = e.childTrimmed(L("instanceId"));
    i.imageId = e.childTrimmed(L("imageId"));
    i.type = e.childTrimmed(L("instanceType"));
    i.keyName = e.childText(L("keyName"));
    i.privateDns = e.childTrimmed(L("privateDnsName"));
    i.publicDns = e.childTrimmed(L("dnsName"));
    i.privateIp = e.childTrimmed(L("privateIpAddress"));
    i.publicIp = e.childTrimmed(L("ipAddress"));
    i.ipv6 = e.childTrimmed(L("ipv6Address"));
    if (i.ipv6.isEmpty()) {
        // Older answers only list IPv6 addresses per network interface; take the primary interface's first.
        for (const Element& eni : e.items(L("networkInterfaceSet"))) {
            const QList<Element> v6 = eni.items(L("ipv6AddressesSet"));
            if (!v6.isEmpty()) {
                i.ipv6 = v6.first().childTrimmed(L("ipv6Address"));
                break;
            }
        }
    }
    i.vpcId = e.childTrimmed(L("vpcId"));
    i.subnetId = e.childTrimmed(L("subnetId"));
    i.architecture = e.childTrimmed(L("architecture"));
    i.availabilityZone = e.child(L("placement")).childTrimmed(L("availabilityZone"));
    i.launchTime = e.childDateTime(L("launchTime"));
    i.platformDetails = e.childTrimmed(L("platformDetails"));
    i.platform = normalisePlatform(e.childText(L("platform")), i.platformDetails);
    i.iamInstanceProfileArn = e.child(L("iamInstanceProfile")).childTrimmed(L("arn"));

    const Element state = e.child(L("instanceState"));
    const int code = state.childInt(L("code"), -1);
    i.stateCode = code >= 0 ? (code & 0xFF) : -1;
    i.state = readState(state, &i.stateName);

    i.tags = readTags(e);
    i.name = i.tag(QStringLiteral("Name"));
    for (const Element& g : e.items(L("groupSet")))
        i.securityGroups.append({g.childTrimmed(L("groupId")), g.childText(L("groupName"))});
    return i;
}

QStringList readStrings(const Element& parent, QLatin1String listName)
{
    QStringList out;
    for (const Element& item : parent.items(listName))
        out.append(item.text().trimmed());
    return out;
}

SecurityGroupRule readRule(const Element& e)
{
    SecurityGroupRule r;
    r.protocol = e.childTrimmed(L("ipProtocol"));
    r.fromPort = e.childInt(L("fromPort"), -1);
    r.toPort = e.childInt(L("toPort"), -1);
    for (const Element& item : e.items(L("ipRanges")))
        r.ipv4Ranges.append(item.childTrimmed(L("cidrIp")));
    for (const Element& item : e.items(L("ipv6Ranges")))
        r.ipv6Ranges.append(item.childTrimmed(L("cidrIpv6")));
    for (const Element& item : e.items(L("prefixListIds")))
        r.prefixListIds.append(item.childTrimmed(L("prefixListId")));
    for (const Element& item : e.items(L("groups")))
        r.groupIds.append(item.childTrimmed(L("groupId")));
    return r;
}

} // namespace

AwsRequest Ec2Protocol::describeInstances(const QList<Ec2Filter>& filters, const QStringList& instanceIds,
                                          int maxResults, const QString& nextToken)
{
    QueryParams p(QByteArrayLiteral("DescribeInstances"), apiVersion);
    p.addFilters(filters);
    p.addList(QByteArrayLiteral("InstanceId"), instanceIds);
    if (instanceIds.isEmpty() && maxResults > 0)
        p.add(QByteArrayLiteral("MaxResults"), QString::number(maxResults));
    if (!nextToken.isEmpty())
        p.add(QByteArrayLiteral("NextToken"), nextToken);
    return ec2Request(p, QStringLiteral("DescribeInstances"));
}

Result<Page<Instance>> Ec2Protocol::parseDescribeInstances(const QByteArray& body)
{
    auto tree = XmlTree::parse(body, what("DescribeInstances"), L("DescribeInstancesResponse"));
    if (!tree)
        return tree.error();
    const Element root = tree->root();
    Page<Instance> page;
    for (const Element& reservation : root.items(L("reservationSet"))) {
        for (const Element& item : reservation.items(L("instancesSet"))) {
            Instance i = readInstance(item);
            if (i.id.isEmpty())
                return XmlTree::parseError(what("DescribeInstances"), QStringLiteral("an instance has no instanceId"));
            page.items.append(std::move(i));
        }
    }
    page.nextToken = root.childTrimmed(L("nextToken"));
    return page;
}

AwsRequest Ec2Protocol::describeRegions(bool allRegions)
{
    QueryParams p(QByteArrayLiteral("DescribeRegions"), apiVersion);
    if (allRegions)
        p.add(QByteArrayLiteral("AllRegions"), QStringLiteral("true"));
    return ec2Request(p, QStringLiteral("DescribeRegions"));
}

Result<QList<Region>> Ec2Protocol::parseDescribeRegions(const QByteArray& body)
{
    auto tree = XmlTree::parse(body, what("DescribeRegions"), L("DescribeRegionsResponse"));
    if (!tree)
        return tree.error();
    QList<Region> regions;
    for (const Element& item : tree->root().items(L("regionInfo"))) {
        Region r {item.childTrimmed(L("regionName")), item.childTrimmed(L("regionEndpoint")),
                  item.childTrimmed(L("optInStatus"))};
        if (r.name.isEmpty())
            return XmlTree::parseError(what("DescribeRegions"), QStringLiteral("a region has no regionName"));
        regions.append(std::move(r));
    }
    return regions;
}

AwsRequest Ec2Protocol::describeInstanceConnectEndpoints(const QList<Ec2Filter>& filters,
                                                         const QStringList& endpointIds, int maxResults,
                                                         const QString& nextToken)
{
    QueryParams p(QByteArrayLiteral("DescribeInstanceConnectEndpoints"), apiVersion);
    p.addList(QByteArrayLiteral("InstanceConnectEndpointId"), endpointIds);
    p.addFilters(filters);
    if (endpointIds.isEmpty() && maxResults > 0)
        p.add(QByteArrayLiteral("MaxResults"), QString::number(maxResults));
    if (!nextToken.isEmpty())
        p.add(QByteArrayLiteral("NextToken"), nextToken);
    return ec2Request(p, QStringLiteral("DescribeInstanceConnectEndpoints"));
}

Result<Page<InstanceConnectEndpoint>> Ec2Protocol::parseDescribeInstanceConnectEndpoints(const QByteArray& body)
{
    const QString op = what("DescribeInstanceConnectEndpoints");
    auto tree = XmlTree::parse(body, op, L("DescribeInstanceConnectEndpointsResponse"));
    if (!tree)
        return tree.error();
    Page<InstanceConnectEndpoint> page;
    for (const Element& item : tree->root().items(L("instanceConnectEndpointSet"))) {
        InstanceConnectEndpoint e;
        e.id = item.childTrimmed(L("instanceConnectEndpointId"));
        if (e.id.isEmpty())
            return XmlTree::parseError(op, QStringLiteral("an endpoint has no instanceConnectEndpointId"));
        e.vpcId = item.childTrimmed(L("vpcId"));
        e.subnetId = item.childTrimmed(L("subnetId"));
        e.state = item.childTrimmed(L("state"));
        e.dnsName = item.childTrimmed(L("dnsName"));
        e.fipsDnsName = item.childTrimmed(L("fipsDnsName"));
        e.preserveClientIp = item.childBool(L("preserveClientIp"));
        e.availabilityZone = item.childTrimmed(L("availabilityZone"));
        e.securityGroupIds = readStrings(item, L("securityGroupIdSet"));
        page.items.append(std::move(e));
    }
    page.nextToken = tree->root().childTrimmed(L("nextToken"));
    return page;
}

AwsRequest Ec2Protocol::describeSecurityGroups(const QStringList& groupIds, const QList<Ec2Filter>& filters,
                                               int maxResults, const QString& nextToken)
{
    QueryParams p(QByteArrayLiteral("DescribeSecurityGroups"), apiVersion);
    p.addFilters(filters);
    p.addList(QByteArrayLiteral("GroupId"), groupIds);
    if (groupIds.isEmpty() && maxResults > 0)
        p.add(QByteArrayLiteral("MaxResults"), QString::number(maxResults));
    if (!nextToken.isEmpty())
        p.add(QByteArrayLiteral("NextToken"), nextToken);
    return ec2Request(p, QStringLiteral("DescribeSecurityGroups"));
}

Result<Page<SecurityGroup>> Ec2Protocol::parseDescribeSecurityGroups(const QByteArray& body)
{
    auto tree = XmlTree::parse(body, what("DescribeSecurityGroups"), L("DescribeSecurityGroupsResponse"));
    if (!tree)
        return tree.error();
    Page<SecurityGroup> page;
    for (const Element& item : tree->root().items(L("securityGroupInfo"))) {
        SecurityGroup g;
        g.id = item.childTrimmed(L("groupId"));
        if (g.id.isEmpty())
            return XmlTree::parseError(what("DescribeSecurityGroups"), QStringLiteral("a group has no groupId"));
        g.name = item.childText(L("groupName"));
        g.description = item.childText(L("groupDescription"));
        g.vpcId = item.childTrimmed(L("vpcId"));
        g.ownerId = item.childTrimmed(L("ownerId"));
        for (const Element& rule : item.items(L("ipPermissions")))
            g.ingress.append(readRule(rule));
        for (const Element& rule : item.items(L("ipPermissionsEgress")))
            g.egress.append(readRule(rule));
        g.tags = readTags(item);
        page.items.append(std::move(g));
    }
    page.nextToken = tree->root().childTrimmed(L("nextToken"));
    return page;
}

AwsRequest Ec2Protocol::getPasswordData(const QString& instanceId)
{
    QueryParams p(QByteArrayLiteral("GetPasswordData"), apiVersion);
    p.add(QByteArrayLiteral("InstanceId"), instanceId);
    return ec2Request(p, QStringLiteral("GetPasswordData"));
}

Result<PasswordData> Ec2Protocol::parseGetPasswordData(const QByteArray& body)
{
    auto tree = XmlTree::parse(body, what("GetPasswordData"), L("GetPasswordDataResponse"));
    if (!tree)
        return tree.error();
    const Element root = tree->root();
    PasswordData d;
    d.instanceId = root.childTrimmed(L("instanceId"));
    d.timestamp = root.childDateTime(L("timestamp"));
    // EC2 may wrap the base64 text over several lines; the decoder wants it without whitespace.
    const QByteArray raw = root.childText(L("passwordData")).toLatin1();
    for (const char c : raw) {
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            d.encryptedBase64 += c;
    }
    return d;
}

AwsRequest Ec2Protocol::startInstances(const QStringList& instanceIds)
{
    QueryParams p(QByteArrayLiteral("StartInstances"), apiVersion);
    p.addList(QByteArrayLiteral("InstanceId"), instanceIds);
    return ec2Request(p, QStringLiteral("StartInstances"));
}

AwsRequest Ec2Protocol::stopInstances(const QStringList& instanceIds, bool force)
{
    QueryParams p(QByteArrayLiteral("StopInstances"), apiVersion);
    p.addList(QByteArrayLiteral("InstanceId"), instanceIds);
    if (force)
        p.add(QByteArrayLiteral("Force"), QStringLiteral("true"));
    return ec2Request(p, QStringLiteral("StopInstances"));
}

Result<QList<InstanceStateChange>> Ec2Protocol::parseStateChanges(const QByteArray& body, const QString& operation)
{
    const QString op = QStringLiteral("EC2 ") + operation;
    const QString rootName = operation + QStringLiteral("Response");
    const QByteArray rootLatin1 = rootName.toLatin1();
    auto tree = XmlTree::parse(body, op, L(rootLatin1));
    if (!tree)
        return tree.error();
    QList<InstanceStateChange> changes;
    for (const Element& item : tree->root().items(L("instancesSet"))) {
        InstanceStateChange c;
        c.instanceId = item.childTrimmed(L("instanceId"));
        if (c.instanceId.isEmpty())
            return XmlTree::parseError(op, QStringLiteral("a state change has no instanceId"));
        c.current = readState(item.child(L("currentState")), &c.currentName);
        c.previous = readState(item.child(L("previousState")), &c.previousName);
        changes.append(std::move(c));
    }
    return changes;
}

} // namespace bl
