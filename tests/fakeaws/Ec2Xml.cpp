#include "Ec2Xml.h"

#include <QCryptographicHash>

namespace fakeaws {

namespace {

void text(QXmlStreamWriter& xml, const QString& name, const QString& value)
{
    if (value.isEmpty())
        xml.writeEmptyElement(name);
    else
        xml.writeTextElement(name, value);
}

void textIf(QXmlStreamWriter& xml, const QString& name, const QString& value)
{
    if (!value.isEmpty())
        xml.writeTextElement(name, value);
}

QString boolText(bool b)
{
    return b ? QStringLiteral("true") : QStringLiteral("false");
}

// Stable pseudo ids for things the fleet does not model (ENIs, volumes, attachments).
QString derivedId(const QString& prefix, const QString& from)
{
    return prefix
        + QString::fromLatin1(
               QCryptographicHash::hash((prefix + from).toUtf8(), QCryptographicHash::Sha256).toHex().left(17));
}

QString macAddress(const QString& from)
{
    const QByteArray h = QCryptographicHash::hash(from.toUtf8(), QCryptographicHash::Md5).toHex();
    return QStringLiteral("0a:%1:%2:%3:%4:%5")
        .arg(QString::fromLatin1(h.mid(0, 2)), QString::fromLatin1(h.mid(2, 2)), QString::fromLatin1(h.mid(4, 2)),
             QString::fromLatin1(h.mid(6, 2)), QString::fromLatin1(h.mid(8, 2)));
}

bool publicAddressVisible(const Instance& i)
{
    // EC2 releases the public IPv4 address while an instance is stopped.
    return !i.publicIp.isEmpty() && (i.state == InstanceState::Pending || i.state == InstanceState::Running);
}

} // namespace

void Ec2Xml::begin(QXmlStreamWriter& xml, const QString& action, const QString& version, const QString& requestId)
{
    xml.setAutoFormatting(false);
    xml.writeStartDocument();
    xml.writeStartElement(action + QStringLiteral("Response"));
    xml.writeDefaultNamespace(QStringLiteral("http://ec2.amazonaws.com/doc/%1/").arg(version));
    xml.writeTextElement(QStringLiteral("requestId"), requestId);
}

QString Ec2Xml::time(const QDateTime& t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

void Ec2Xml::state(QXmlStreamWriter& xml, const QString& element, InstanceState s, int highByte)
{
    xml.writeStartElement(element);
    xml.writeTextElement(QStringLiteral("code"), QString::number((highByte << 8) | instanceStateCode(s)));
    xml.writeTextElement(QStringLiteral("name"), instanceStateName(s));
    xml.writeEndElement();
}

void Ec2Xml::tags(QXmlStreamWriter& xml, const TagList& tagList)
{
    if (tagList.isEmpty()) {
        xml.writeEmptyElement(QStringLiteral("tagSet"));
        return;
    }
    xml.writeStartElement(QStringLiteral("tagSet"));
    for (const auto& [key, value] : tagList) {
        xml.writeStartElement(QStringLiteral("item"));
        xml.writeTextElement(QStringLiteral("key"), key);
        text(xml, QStringLiteral("value"), value);
        xml.writeEndElement();
    }
    xml.writeEndElement();
}

void Ec2Xml::groupSet(QXmlStreamWriter& xml, const Fleet& fleet, const QStringList& groupIds)
{
    if (groupIds.isEmpty()) {
        xml.writeEmptyElement(QStringLiteral("groupSet"));
        return;
    }
    xml.writeStartElement(QStringLiteral("groupSet"));
    for (const QString& id : groupIds) {
        const SecurityGroup* g = fleet.securityGroup(id);
        xml.writeStartElement(QStringLiteral("item"));
        xml.writeTextElement(QStringLiteral("groupId"), id);
        xml.writeTextElement(QStringLiteral("groupName"), g ? g->name : id);
        xml.writeEndElement();
    }
    xml.writeEndElement();
}

void Ec2Xml::instance(QXmlStreamWriter& xml, const Fleet& fleet, const Instance& i, int index)
{
    const bool showPublic = publicAddressVisible(i);
    const bool stoppedOrGone = i.state == InstanceState::Stopped || i.state == InstanceState::Stopping
        || i.state == InstanceState::Terminated || i.state == InstanceState::ShuttingDown;
    xml.writeStartElement(QStringLiteral("item"));
    xml.writeTextElement(QStringLiteral("instanceId"), i.id);
    text(xml, QStringLiteral("imageId"), i.imageId);
    state(xml, QStringLiteral("instanceState"), i.state, i.stateCodeHighByte);
    text(xml, QStringLiteral("privateDnsName"), i.privateDnsName);
    text(xml, QStringLiteral("dnsName"), showPublic ? i.publicDnsName : QString());
    text(xml, QStringLiteral("reason"), i.stateReason);
    textIf(xml, QStringLiteral("keyName"), i.keyName);
    xml.writeTextElement(QStringLiteral("amiLaunchIndex"), QStringLiteral("0"));
    xml.writeEmptyElement(QStringLiteral("productCodes"));
    xml.writeTextElement(QStringLiteral("instanceType"), i.instanceType);
    if (i.launchTime.isValid())
        xml.writeTextElement(QStringLiteral("launchTime"), time(i.launchTime));
    xml.writeStartElement(QStringLiteral("placement"));
    xml.writeTextElement(QStringLiteral("availabilityZone"), i.availabilityZone);
    xml.writeEmptyElement(QStringLiteral("groupName"));
    xml.writeTextElement(QStringLiteral("tenancy"), QStringLiteral("default"));
    xml.writeEndElement();
    textIf(xml, QStringLiteral("platform"), i.platform);
    xml.writeStartElement(QStringLiteral("monitoring"));
    xml.writeTextElement(QStringLiteral("state"), QStringLiteral("disabled"));
    xml.writeEndElement();
    textIf(xml, QStringLiteral("subnetId"), i.subnetId);
    textIf(xml, QStringLiteral("vpcId"), i.vpcId);
    textIf(xml, QStringLiteral("privateIpAddress"), i.privateIp);
    if (showPublic)
        xml.writeTextElement(QStringLiteral("ipAddress"), i.publicIp);
    xml.writeTextElement(QStringLiteral("sourceDestCheck"), QStringLiteral("true"));
    groupSet(xml, fleet, i.securityGroupIds);
    if (stoppedOrGone && !i.stateReason.isEmpty()) {
        xml.writeStartElement(QStringLiteral("stateReason"));
        xml.writeTextElement(QStringLiteral("code"), QStringLiteral("Client.UserInitiatedShutdown"));
        xml.writeTextElement(QStringLiteral("message"),
                             QStringLiteral("Client.UserInitiatedShutdown: User initiated shutdown"));
        xml.writeEndElement();
    }
    xml.writeTextElement(QStringLiteral("architecture"), i.architecture);
    xml.writeTextElement(QStringLiteral("rootDeviceType"), QStringLiteral("ebs"));
    const QString rootDevice = i.isWindows() ? QStringLiteral("/dev/sda1") : QStringLiteral("/dev/xvda");
    xml.writeTextElement(QStringLiteral("rootDeviceName"), rootDevice);
    if (i.state == InstanceState::Terminated) {
        xml.writeEmptyElement(QStringLiteral("blockDeviceMapping"));
    } else {
        xml.writeStartElement(QStringLiteral("blockDeviceMapping"));
        xml.writeStartElement(QStringLiteral("item"));
        xml.writeTextElement(QStringLiteral("deviceName"), rootDevice);
        xml.writeStartElement(QStringLiteral("ebs"));
        xml.writeTextElement(QStringLiteral("volumeId"), derivedId(QStringLiteral("vol-"), i.id));
        xml.writeTextElement(QStringLiteral("status"), QStringLiteral("attached"));
        if (i.launchTime.isValid())
            xml.writeTextElement(QStringLiteral("attachTime"), time(i.launchTime));
        xml.writeTextElement(QStringLiteral("deleteOnTermination"), QStringLiteral("true"));
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
    }
    xml.writeTextElement(QStringLiteral("virtualizationType"), QStringLiteral("hvm"));
    xml.writeTextElement(QStringLiteral("clientToken"), derivedId(QStringLiteral("ct-"), i.id).mid(3));
    tags(xml, i.tags);
    xml.writeTextElement(QStringLiteral("hypervisor"), QStringLiteral("xen"));
    if (i.subnetId.isEmpty() || (i.privateIp.isEmpty() && i.ipv6.isEmpty())) {
        xml.writeEmptyElement(QStringLiteral("networkInterfaceSet"));
    } else {
        xml.writeStartElement(QStringLiteral("networkInterfaceSet"));
        networkInterface(xml, fleet, i);
        xml.writeEndElement();
    }
    if (!i.iamInstanceProfileArn.isEmpty()) {
        xml.writeStartElement(QStringLiteral("iamInstanceProfile"));
        xml.writeTextElement(QStringLiteral("arn"), i.iamInstanceProfileArn);
        xml.writeTextElement(QStringLiteral("id"), QStringLiteral("AIPA") + derivedId(QString(), i.id).toUpper());
        xml.writeEndElement();
    }
    xml.writeTextElement(QStringLiteral("ebsOptimized"), QStringLiteral("false"));
    xml.writeTextElement(QStringLiteral("enaSupport"), QStringLiteral("true"));
    xml.writeStartElement(QStringLiteral("cpuOptions"));
    xml.writeTextElement(QStringLiteral("coreCount"), QStringLiteral("1"));
    xml.writeTextElement(QStringLiteral("threadsPerCore"), QStringLiteral("2"));
    xml.writeEndElement();
    xml.writeStartElement(QStringLiteral("metadataOptions"));
    xml.writeTextElement(QStringLiteral("state"), QStringLiteral("applied"));
    xml.writeTextElement(QStringLiteral("httpTokens"), QStringLiteral("required"));
    xml.writeTextElement(QStringLiteral("httpPutResponseHopLimit"), QStringLiteral("2"));
    xml.writeTextElement(QStringLiteral("httpEndpoint"), QStringLiteral("enabled"));
    xml.writeEndElement();
    xml.writeStartElement(QStringLiteral("maintenanceOptions"));
    xml.writeTextElement(QStringLiteral("autoRecovery"), QStringLiteral("default"));
    xml.writeEndElement();
    xml.writeTextElement(QStringLiteral("platformDetails"), i.platformDetails);
    xml.writeTextElement(QStringLiteral("usageOperation"),
                         i.isWindows() ? QStringLiteral("RunInstances:0002") : QStringLiteral("RunInstances"));
    textIf(xml, QStringLiteral("ipv6Address"), i.ipv6);
    if (index % 3 == 1) {
        // Not (yet) in any SDK model. Nested items and a known element name inside: a client that matches
        // elements by name at any depth, instead of by position in the tree, will pick up the wrong value.
        xml.writeStartElement(QStringLiteral("futureCapabilitySet"));
        xml.writeStartElement(QStringLiteral("item"));
        xml.writeTextElement(QStringLiteral("capabilityId"), QStringLiteral("fc-%1").arg(index));
        xml.writeTextElement(QStringLiteral("privateIpAddress"), QStringLiteral("192.0.2.254"));
        xml.writeStartElement(QStringLiteral("tagSet"));
        xml.writeStartElement(QStringLiteral("item"));
        xml.writeTextElement(QStringLiteral("key"), QStringLiteral("Name"));
        xml.writeTextElement(QStringLiteral("value"), QStringLiteral("not-the-instance-name"));
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeTextElement(QStringLiteral("operatorManaged"), QStringLiteral("false"));
    }
    xml.writeEndElement();
}

void Ec2Xml::networkInterface(QXmlStreamWriter& xml, const Fleet& fleet, const Instance& i)
{
    const bool showPublic = publicAddressVisible(i);
    auto association = [&] {
        xml.writeStartElement(QStringLiteral("association"));
        xml.writeTextElement(QStringLiteral("publicIp"), i.publicIp);
        xml.writeTextElement(QStringLiteral("publicDnsName"), i.publicDnsName);
        xml.writeTextElement(QStringLiteral("ipOwnerId"), QStringLiteral("amazon"));
        xml.writeEndElement();
    };
    xml.writeStartElement(QStringLiteral("item"));
    xml.writeTextElement(QStringLiteral("networkInterfaceId"), derivedId(QStringLiteral("eni-"), i.id));
    xml.writeTextElement(QStringLiteral("subnetId"), i.subnetId);
    xml.writeTextElement(QStringLiteral("vpcId"), i.vpcId);
    xml.writeEmptyElement(QStringLiteral("description"));
    xml.writeTextElement(QStringLiteral("ownerId"), fleet.accountId());
    xml.writeTextElement(QStringLiteral("status"), QStringLiteral("in-use"));
    xml.writeTextElement(QStringLiteral("macAddress"), macAddress(i.id));
    textIf(xml, QStringLiteral("privateIpAddress"), i.privateIp);
    textIf(xml, QStringLiteral("privateDnsName"), i.privateDnsName);
    xml.writeTextElement(QStringLiteral("sourceDestCheck"), QStringLiteral("true"));
    groupSet(xml, fleet, i.securityGroupIds);
    xml.writeStartElement(QStringLiteral("attachment"));
    xml.writeTextElement(QStringLiteral("attachmentId"), derivedId(QStringLiteral("eni-attach-"), i.id));
    xml.writeTextElement(QStringLiteral("deviceIndex"), QStringLiteral("0"));
    xml.writeTextElement(QStringLiteral("status"), QStringLiteral("attached"));
    if (i.launchTime.isValid())
        xml.writeTextElement(QStringLiteral("attachTime"), time(i.launchTime));
    xml.writeTextElement(QStringLiteral("deleteOnTermination"), QStringLiteral("true"));
    xml.writeTextElement(QStringLiteral("networkCardIndex"), QStringLiteral("0"));
    xml.writeEndElement();
    if (showPublic)
        association();
    if (!i.privateIp.isEmpty()) {
        xml.writeStartElement(QStringLiteral("privateIpAddressesSet"));
        xml.writeStartElement(QStringLiteral("item"));
        xml.writeTextElement(QStringLiteral("privateIpAddress"), i.privateIp);
        textIf(xml, QStringLiteral("privateDnsName"), i.privateDnsName);
        xml.writeTextElement(QStringLiteral("primary"), QStringLiteral("true"));
        if (showPublic)
            association();
        xml.writeEndElement();
        xml.writeEndElement();
    }
    if (i.ipv6.isEmpty()) {
        xml.writeEmptyElement(QStringLiteral("ipv6AddressesSet"));
    } else {
        xml.writeStartElement(QStringLiteral("ipv6AddressesSet"));
        xml.writeStartElement(QStringLiteral("item"));
        xml.writeTextElement(QStringLiteral("ipv6Address"), i.ipv6);
        xml.writeTextElement(QStringLiteral("isPrimaryIpv6"), QStringLiteral("false"));
        xml.writeEndElement();
        xml.writeEndElement();
    }
    xml.writeTextElement(QStringLiteral("interfaceType"), QStringLiteral("interface"));
    xml.writeEndElement();
}

void Ec2Xml::endpoint(QXmlStreamWriter& xml, const Fleet& fleet, const InstanceConnectEndpoint& e)
{
    const Subnet* subnet = fleet.subnet(e.subnetId);
    const QString region = fleet.regionOfSubnet(e.subnetId);
    xml.writeStartElement(QStringLiteral("item"));
    xml.writeTextElement(QStringLiteral("ownerId"), fleet.accountId());
    xml.writeTextElement(QStringLiteral("instanceConnectEndpointId"), e.id);
    xml.writeTextElement(
        QStringLiteral("instanceConnectEndpointArn"),
        QStringLiteral("arn:aws:ec2:%1:%2:instance-connect-endpoint/%3").arg(region, fleet.accountId(), e.id));
    xml.writeTextElement(QStringLiteral("state"), e.state);
    xml.writeEmptyElement(QStringLiteral("stateMessage"));
    xml.writeTextElement(QStringLiteral("dnsName"), e.dnsName);
    textIf(xml, QStringLiteral("fipsDnsName"), e.fipsDnsName);
    xml.writeStartElement(QStringLiteral("networkInterfaceIdSet"));
    xml.writeTextElement(QStringLiteral("item"), derivedId(QStringLiteral("eni-"), e.id));
    xml.writeEndElement();
    xml.writeTextElement(QStringLiteral("vpcId"), e.vpcId);
    xml.writeTextElement(QStringLiteral("availabilityZone"), subnet ? subnet->availabilityZone : QString());
    if (e.createdAt.isValid())
        xml.writeTextElement(QStringLiteral("createdAt"), time(e.createdAt));
    xml.writeTextElement(QStringLiteral("subnetId"), e.subnetId);
    xml.writeTextElement(QStringLiteral("preserveClientIp"), boolText(e.preserveClientIp));
    if (e.securityGroupIds.isEmpty()) {
        xml.writeEmptyElement(QStringLiteral("securityGroupIdSet"));
    } else {
        xml.writeStartElement(QStringLiteral("securityGroupIdSet"));
        for (const QString& g : e.securityGroupIds)
            xml.writeTextElement(QStringLiteral("item"), g);
        xml.writeEndElement();
    }
    tags(xml, e.tags);
    xml.writeTextElement(QStringLiteral("ipAddressType"), QStringLiteral("ipv4"));
    xml.writeStartElement(QStringLiteral("publicDnsNames"));
    xml.writeStartElement(QStringLiteral("ipv4"));
    xml.writeTextElement(QStringLiteral("dnsName"), e.dnsName);
    textIf(xml, QStringLiteral("fipsDnsName"), e.fipsDnsName);
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeEndElement();
}

void Ec2Xml::permissions(QXmlStreamWriter& xml, const QString& element, const Fleet& fleet,
                         const QList<IpPermission>& perms)
{
    if (perms.isEmpty()) {
        xml.writeEmptyElement(element);
        return;
    }
    auto itemList = [&xml](const QString& name, const QString& field, const QStringList& values) {
        if (values.isEmpty()) {
            xml.writeEmptyElement(name);
            return;
        }
        xml.writeStartElement(name);
        for (const QString& v : values) {
            xml.writeStartElement(QStringLiteral("item"));
            xml.writeTextElement(field, v);
            xml.writeEndElement();
        }
        xml.writeEndElement();
    };
    xml.writeStartElement(element);
    for (const IpPermission& p : perms) {
        xml.writeStartElement(QStringLiteral("item"));
        xml.writeTextElement(QStringLiteral("ipProtocol"), p.protocol);
        if (p.fromPort >= 0)
            xml.writeTextElement(QStringLiteral("fromPort"), QString::number(p.fromPort));
        if (p.toPort >= 0)
            xml.writeTextElement(QStringLiteral("toPort"), QString::number(p.toPort));
        if (p.groupIds.isEmpty()) {
            xml.writeEmptyElement(QStringLiteral("groups"));
        } else {
            xml.writeStartElement(QStringLiteral("groups"));
            for (const QString& g : p.groupIds) {
                xml.writeStartElement(QStringLiteral("item"));
                xml.writeTextElement(QStringLiteral("userId"), fleet.accountId());
                xml.writeTextElement(QStringLiteral("groupId"), g);
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        itemList(QStringLiteral("ipRanges"), QStringLiteral("cidrIp"), p.cidrs);
        itemList(QStringLiteral("ipv6Ranges"), QStringLiteral("cidrIpv6"), p.ipv6Cidrs);
        itemList(QStringLiteral("prefixListIds"), QStringLiteral("prefixListId"), p.prefixListIds);
        xml.writeEndElement();
    }
    xml.writeEndElement();
}

void Ec2Xml::securityGroup(QXmlStreamWriter& xml, const Fleet& fleet, const SecurityGroup& g)
{
    xml.writeStartElement(QStringLiteral("item"));
    xml.writeTextElement(QStringLiteral("ownerId"), fleet.accountId());
    xml.writeTextElement(QStringLiteral("groupId"), g.id);
    xml.writeTextElement(QStringLiteral("groupName"), g.name);
    text(xml, QStringLiteral("groupDescription"), g.description);
    xml.writeTextElement(QStringLiteral("vpcId"), g.vpcId);
    permissions(xml, QStringLiteral("ipPermissions"), fleet, g.ingress);
    permissions(xml, QStringLiteral("ipPermissionsEgress"), fleet, g.egress);
    if (!g.tags.isEmpty())
        tags(xml, g.tags);
    xml.writeTextElement(QStringLiteral("securityGroupArn"),
                         QStringLiteral("arn:aws:ec2:%1:%2:security-group/%3")
                             .arg(fleet.regionOfSecurityGroup(g.id), fleet.accountId(), g.id));
    xml.writeEndElement();
}

QString Ec2Xml::wrappedPasswordData(const QByteArray& base64)
{
    if (base64.isEmpty())
        return {};
    QString out = QStringLiteral("\n");
    for (qsizetype at = 0; at < base64.size(); at += 64)
        out += QString::fromLatin1(base64.mid(at, 64)) + QLatin1Char('\n');
    return out;
}

} // namespace fakeaws
