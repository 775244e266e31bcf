#pragma once
// Writes fleet records as the EC2 query API's XML (PROTOCOLS.md §3.2-3.7): element names, order and empty
// elements as the real service sends them, plus a few elements no client knows yet, because AWS keeps adding
// fields and clients must skip what they do not understand.

#include "Fleet.h"

#include <QXmlStreamWriter>

namespace fakeaws {

class Ec2Xml
{
public:
    static constexpr const char* kDefaultVersion = "2016-11-15";

    // Opens <ActionResponse xmlns=".../doc/<version>/"> and writes requestId.
    static void begin(QXmlStreamWriter& xml, const QString& action, const QString& version, const QString& requestId);
    static QString time(const QDateTime& t); // 2024-01-15T08:00:00.000Z

    // index: position in the response, used to decide which instances carry unknown elements.
    static void instance(QXmlStreamWriter& xml, const Fleet& fleet, const Instance& instance, int index);
    static void state(QXmlStreamWriter& xml, const QString& element, InstanceState state, int highByte = 0);
    static void tags(QXmlStreamWriter& xml, const TagList& tags);
    static void endpoint(QXmlStreamWriter& xml, const Fleet& fleet, const InstanceConnectEndpoint& endpoint);
    static void securityGroup(QXmlStreamWriter& xml, const Fleet& fleet, const SecurityGroup& group);
    // Line-wrapped base64 (EC2 sends line breaks in passwordData; clients must strip whitespace).
    static QString wrappedPasswordData(const QByteArray& base64);

private:
    static void networkInterface(QXmlStreamWriter& xml, const Fleet& fleet, const Instance& instance);
    static void groupSet(QXmlStreamWriter& xml, const Fleet& fleet, const QStringList& groupIds);
    static void permissions(QXmlStreamWriter& xml, const QString& element, const Fleet& fleet,
                            const QList<IpPermission>& perms);
};

} // namespace fakeaws
