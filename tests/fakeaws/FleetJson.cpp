// Fleet <-> JSON. The format is documented by tests/fakeaws/fleets/README.md; every mistake in a fleet file
// is reported with the path of the offending field, because these files are edited by hand.

#include "Fleet.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fakeaws {

namespace {

const QString kFormat = QStringLiteral("bastionless-fakeaws-fleet");
constexpr int kVersion = 1;

QString isoTime(const QDateTime& t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

// Reads typed fields and remembers the first problem, with the JSON path where it happened.
class Reader
{
public:
    QString error;

    bool ok() const { return error.isEmpty(); }
    void fail(const QString& path, const QString& why)
    {
        if (error.isEmpty())
            error = path.isEmpty() ? why : QStringLiteral("%1: %2").arg(path, why);
    }

    void allowOnly(const QJsonObject& o, const QString& path, const QStringList& known)
    {
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!known.contains(it.key()))
                fail(path,
                     QStringLiteral("unknown field '%1' (known: %2)").arg(it.key(), known.join(QStringLiteral(", "))));
        }
    }

    QString str(const QJsonObject& o, const QString& path, const QString& key, bool required = false,
                const QString& fallback = {})
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(path, QStringLiteral("missing required field '%1'").arg(key));
            return fallback;
        }
        if (!v.isString())
            fail(path + QLatin1Char('.') + key, QStringLiteral("expected a string"));
        return v.toString();
    }

    bool boolean(const QJsonObject& o, const QString& path, const QString& key, bool fallback = false)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return fallback;
        if (!v.isBool())
            fail(path + QLatin1Char('.') + key, QStringLiteral("expected true or false"));
        return v.toBool();
    }

    int integer(const QJsonObject& o, const QString& path, const QString& key, int fallback, int min, int max)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return fallback;
        const double d = v.toDouble(-1e300);
        if (!v.isDouble() || d != static_cast<double>(static_cast<long long>(d)) || d < min || d > max) {
            fail(path + QLatin1Char('.') + key, QStringLiteral("expected an integer from %1 to %2").arg(min).arg(max));
            return fallback;
        }
        return static_cast<int>(d);
    }

    QDateTime time(const QJsonObject& o, const QString& path, const QString& key)
    {
        const QString text = str(o, path, key);
        if (text.isEmpty())
            return {};
        QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!t.isValid())
            fail(path + QLatin1Char('.') + key, QStringLiteral("'%1' is not an ISO-8601 time").arg(text));
        return t.toUTC();
    }

    QStringList strings(const QJsonObject& o, const QString& path, const QString& key)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return {};
        QStringList out;
        if (!v.isArray()) {
            fail(path + QLatin1Char('.') + key, QStringLiteral("expected an array of strings"));
            return out;
        }
        for (const QJsonValue item : v.toArray()) {
            if (!item.isString())
                fail(path + QLatin1Char('.') + key, QStringLiteral("expected an array of strings"));
            out.append(item.toString());
        }
        return out;
    }

    TagList tags(const QJsonObject& o, const QString& path)
    {
        const QJsonValue v = o.value(QStringLiteral("tags"));
        TagList out;
        if (v.isUndefined())
            return out;
        if (!v.isObject()) {
            fail(path + QStringLiteral(".tags"), QStringLiteral("expected an object of key: value strings"));
            return out;
        }
        const QJsonObject t = v.toObject();
        for (auto it = t.begin(); it != t.end(); ++it) {
            if (!it.value().isString())
                fail(path + QStringLiteral(".tags.") + it.key(), QStringLiteral("expected a string"));
            out.append({it.key(), it.value().toString()});
        }
        return out;
    }

    QList<QJsonObject> objects(const QJsonObject& o, const QString& key)
    {
        QList<QJsonObject> out;
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return out;
        if (!v.isArray()) {
            fail(key, QStringLiteral("expected an array of objects"));
            return out;
        }
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isObject())
                fail(QStringLiteral("%1[%2]").arg(key).arg(i), QStringLiteral("expected an object"));
            out.append(array.at(i).toObject());
        }
        return out;
    }
};

QJsonObject tagsJson(const TagList& tags)
{
    QJsonObject o;
    for (const auto& [k, v] : tags)
        o.insert(k, v);
    return o;
}

void putIf(QJsonObject& o, const QString& key, const QString& value)
{
    if (!value.isEmpty())
        o.insert(key, value);
}

void putIf(QJsonObject& o, const QString& key, const QStringList& values)
{
    if (!values.isEmpty())
        o.insert(key, QJsonArray::fromStringList(values));
}

QList<IpPermission> readPermissions(Reader& r, const QJsonObject& o, const QString& path, const QString& key)
{
    QList<IpPermission> out;
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return out;
    const QJsonArray array = v.toArray();
    if (!v.isArray())
        r.fail(path + QLatin1Char('.') + key, QStringLiteral("expected an array of rules"));
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString at = QStringLiteral("%1.%2[%3]").arg(path, key).arg(i);
        const QJsonObject p = array.at(i).toObject();
        r.allowOnly(p, at,
                    {QStringLiteral("protocol"), QStringLiteral("fromPort"), QStringLiteral("toPort"),
                     QStringLiteral("cidrs"), QStringLiteral("ipv6Cidrs"), QStringLiteral("groupIds"),
                     QStringLiteral("prefixListIds")});
        IpPermission perm;
        perm.protocol = r.str(p, at, QStringLiteral("protocol"), false, QStringLiteral("tcp"));
        perm.fromPort = r.integer(p, at, QStringLiteral("fromPort"), -1, -1, 65535);
        perm.toPort = r.integer(p, at, QStringLiteral("toPort"), -1, -1, 65535);
        perm.cidrs = r.strings(p, at, QStringLiteral("cidrs"));
        perm.ipv6Cidrs = r.strings(p, at, QStringLiteral("ipv6Cidrs"));
        perm.groupIds = r.strings(p, at, QStringLiteral("groupIds"));
        perm.prefixListIds = r.strings(p, at, QStringLiteral("prefixListIds"));
        out.append(perm);
    }
    return out;
}

QJsonArray permissionsJson(const QList<IpPermission>& perms)
{
    QJsonArray out;
    for (const IpPermission& p : perms) {
        QJsonObject o {{QStringLiteral("protocol"), p.protocol}};
        if (p.fromPort >= 0)
            o.insert(QStringLiteral("fromPort"), p.fromPort);
        if (p.toPort >= 0)
            o.insert(QStringLiteral("toPort"), p.toPort);
        putIf(o, QStringLiteral("cidrs"), p.cidrs);
        putIf(o, QStringLiteral("ipv6Cidrs"), p.ipv6Cidrs);
        putIf(o, QStringLiteral("groupIds"), p.groupIds);
        putIf(o, QStringLiteral("prefixListIds"), p.prefixListIds);
        out.append(o);
    }
    return out;
}

SsmAgent readSsm(Reader& r, const QJsonObject& o, const QString& path)
{
    r.allowOnly(o, path,
                {QStringLiteral("pingStatus"), QStringLiteral("agentVersion"), QStringLiteral("isLatestVersion"),
                 QStringLiteral("platformType"), QStringLiteral("platformName"), QStringLiteral("platformVersion"),
                 QStringLiteral("computerName"), QStringLiteral("lastPing")});
    SsmAgent a;
    a.pingStatus = r.str(o, path, QStringLiteral("pingStatus"), true);
    static const QStringList statuses = {QStringLiteral("Online"), QStringLiteral("ConnectionLost"),
                                         QStringLiteral("Inactive")};
    if (!statuses.contains(a.pingStatus))
        r.fail(path + QStringLiteral(".pingStatus"),
               QStringLiteral("'%1' is not one of %2").arg(a.pingStatus, statuses.join(QStringLiteral(", "))));
    a.agentVersion = r.str(o, path, QStringLiteral("agentVersion"), true);
    a.isLatestVersion = r.boolean(o, path, QStringLiteral("isLatestVersion"));
    a.platformType = r.str(o, path, QStringLiteral("platformType"), false, QStringLiteral("Linux"));
    a.platformName = r.str(o, path, QStringLiteral("platformName"));
    a.platformVersion = r.str(o, path, QStringLiteral("platformVersion"));
    a.computerName = r.str(o, path, QStringLiteral("computerName"));
    a.lastPing = r.time(o, path, QStringLiteral("lastPing"));
    return a;
}

QJsonObject ssmJson(const SsmAgent& a)
{
    QJsonObject o {{QStringLiteral("pingStatus"), a.pingStatus},
                   {QStringLiteral("agentVersion"), a.agentVersion},
                   {QStringLiteral("isLatestVersion"), a.isLatestVersion},
                   {QStringLiteral("platformType"), a.platformType}};
    putIf(o, QStringLiteral("platformName"), a.platformName);
    putIf(o, QStringLiteral("platformVersion"), a.platformVersion);
    putIf(o, QStringLiteral("computerName"), a.computerName);
    if (a.lastPing.isValid())
        o.insert(QStringLiteral("lastPing"), isoTime(a.lastPing));
    return o;
}

Instance readInstance(Reader& r, const QJsonObject& o, const QString& path)
{
    r.allowOnly(o, path,
                {QStringLiteral("id"),
                 QStringLiteral("region"),
                 QStringLiteral("availabilityZone"),
                 QStringLiteral("reservationId"),
                 QStringLiteral("state"),
                 QStringLiteral("stateCodeHighByte"),
                 QStringLiteral("stateReason"),
                 QStringLiteral("settlesAt"),
                 QStringLiteral("instanceType"),
                 QStringLiteral("imageId"),
                 QStringLiteral("platform"),
                 QStringLiteral("platformDetails"),
                 QStringLiteral("architecture"),
                 QStringLiteral("vpcId"),
                 QStringLiteral("subnetId"),
                 QStringLiteral("privateIp"),
                 QStringLiteral("privateDnsName"),
                 QStringLiteral("publicIp"),
                 QStringLiteral("publicDnsName"),
                 QStringLiteral("ipv6"),
                 QStringLiteral("keyName"),
                 QStringLiteral("launchTime"),
                 QStringLiteral("iamInstanceProfileArn"),
                 QStringLiteral("securityGroupIds"),
                 QStringLiteral("tags"),
                 QStringLiteral("ssm"),
                 QStringLiteral("password"),
                 QStringLiteral("passwordData"),
                 QStringLiteral("passwordReadyAt"),
                 QStringLiteral("targets"),
                 QStringLiteral("note")});
    Instance i;
    i.id = r.str(o, path, QStringLiteral("id"), true);
    i.region = r.str(o, path, QStringLiteral("region"), true);
    i.availabilityZone = r.str(o, path, QStringLiteral("availabilityZone"), true);
    i.reservationId = r.str(o, path, QStringLiteral("reservationId"), false, QStringLiteral("r-") + i.id.mid(2));
    const QString state = r.str(o, path, QStringLiteral("state"), false, QStringLiteral("running"));
    if (auto s = instanceStateFromName(state))
        i.state = *s;
    else
        r.fail(path + QStringLiteral(".state"),
               QStringLiteral("'%1' is not one of pending, running, shutting-down, terminated, stopping, stopped")
                   .arg(state));
    i.stateCodeHighByte = r.integer(o, path, QStringLiteral("stateCodeHighByte"), 0, 0, 255);
    i.stateReason = r.str(o, path, QStringLiteral("stateReason"));
    i.settlesAt = r.time(o, path, QStringLiteral("settlesAt"));
    i.instanceType = r.str(o, path, QStringLiteral("instanceType"), false, i.instanceType);
    i.imageId = r.str(o, path, QStringLiteral("imageId"));
    i.platform = r.str(o, path, QStringLiteral("platform"));
    if (!i.platform.isEmpty() && i.platform != QLatin1String("windows"))
        r.fail(path + QStringLiteral(".platform"), QStringLiteral("only \"windows\" or absent (EC2 names no other)"));
    i.platformDetails = r.str(o, path, QStringLiteral("platformDetails"), false, i.platformDetails);
    i.architecture = r.str(o, path, QStringLiteral("architecture"), false, i.architecture);
    i.vpcId = r.str(o, path, QStringLiteral("vpcId"));
    i.subnetId = r.str(o, path, QStringLiteral("subnetId"));
    i.privateIp = r.str(o, path, QStringLiteral("privateIp"));
    i.privateDnsName = r.str(o, path, QStringLiteral("privateDnsName"));
    i.publicIp = r.str(o, path, QStringLiteral("publicIp"));
    i.publicDnsName = r.str(o, path, QStringLiteral("publicDnsName"));
    i.ipv6 = r.str(o, path, QStringLiteral("ipv6"));
    i.keyName = r.str(o, path, QStringLiteral("keyName"));
    i.launchTime = r.time(o, path, QStringLiteral("launchTime"));
    i.iamInstanceProfileArn = r.str(o, path, QStringLiteral("iamInstanceProfileArn"));
    i.securityGroupIds = r.strings(o, path, QStringLiteral("securityGroupIds"));
    i.tags = r.tags(o, path);
    if (o.contains(QStringLiteral("ssm"))) {
        if (!o.value(QStringLiteral("ssm")).isObject())
            r.fail(path + QStringLiteral(".ssm"), QStringLiteral("expected an object"));
        i.ssm = readSsm(r, o.value(QStringLiteral("ssm")).toObject(), path + QStringLiteral(".ssm"));
    }
    i.password = r.str(o, path, QStringLiteral("password"));
    i.passwordData = r.str(o, path, QStringLiteral("passwordData")).toLatin1();
    i.passwordReadyAt = r.time(o, path, QStringLiteral("passwordReadyAt"));
    if (o.contains(QStringLiteral("targets")) && !o.value(QStringLiteral("targets")).isObject())
        r.fail(path + QStringLiteral(".targets"), QStringLiteral("expected {\"<remote port>\": <local port>}"));
    const QJsonObject targets = o.value(QStringLiteral("targets")).toObject();
    for (auto it = targets.begin(); it != targets.end(); ++it) {
        bool ok = false;
        const int remote = it.key().toInt(&ok);
        if (!ok || !it.value().isDouble())
            r.fail(path + QStringLiteral(".targets"), QStringLiteral("expected {\"<remote port>\": <local port>}"));
        i.targets.insert(remote, it.value().toInt());
    }
    i.note = r.str(o, path, QStringLiteral("note"));
    return i;
}

QJsonObject instanceJson(const Instance& i)
{
    QJsonObject o {{QStringLiteral("id"), i.id},
                   {QStringLiteral("region"), i.region},
                   {QStringLiteral("availabilityZone"), i.availabilityZone},
                   {QStringLiteral("reservationId"), i.reservationId},
                   {QStringLiteral("state"), instanceStateName(i.state)},
                   {QStringLiteral("instanceType"), i.instanceType},
                   {QStringLiteral("platformDetails"), i.platformDetails},
                   {QStringLiteral("architecture"), i.architecture}};
    if (i.stateCodeHighByte)
        o.insert(QStringLiteral("stateCodeHighByte"), i.stateCodeHighByte);
    putIf(o, QStringLiteral("stateReason"), i.stateReason);
    if (i.settlesAt.isValid())
        o.insert(QStringLiteral("settlesAt"), isoTime(i.settlesAt));
    putIf(o, QStringLiteral("imageId"), i.imageId);
    putIf(o, QStringLiteral("platform"), i.platform);
    putIf(o, QStringLiteral("vpcId"), i.vpcId);
    putIf(o, QStringLiteral("subnetId"), i.subnetId);
    putIf(o, QStringLiteral("privateIp"), i.privateIp);
    putIf(o, QStringLiteral("privateDnsName"), i.privateDnsName);
    putIf(o, QStringLiteral("publicIp"), i.publicIp);
    putIf(o, QStringLiteral("publicDnsName"), i.publicDnsName);
    putIf(o, QStringLiteral("ipv6"), i.ipv6);
    putIf(o, QStringLiteral("keyName"), i.keyName);
    if (i.launchTime.isValid())
        o.insert(QStringLiteral("launchTime"), isoTime(i.launchTime));
    putIf(o, QStringLiteral("iamInstanceProfileArn"), i.iamInstanceProfileArn);
    putIf(o, QStringLiteral("securityGroupIds"), i.securityGroupIds);
    if (!i.tags.isEmpty())
        o.insert(QStringLiteral("tags"), tagsJson(i.tags));
    if (i.ssm.isRegistered())
        o.insert(QStringLiteral("ssm"), ssmJson(i.ssm));
    // The plaintext wins: a reload re-encrypts it, so editing the password in the file just works.
    if (!i.password.isEmpty())
        o.insert(QStringLiteral("password"), i.password);
    else
        putIf(o, QStringLiteral("passwordData"), QString::fromLatin1(i.passwordData));
    if (i.passwordReadyAt.isValid())
        o.insert(QStringLiteral("passwordReadyAt"), isoTime(i.passwordReadyAt));
    if (!i.targets.isEmpty()) {
        QJsonObject t;
        for (auto it = i.targets.cbegin(); it != i.targets.cend(); ++it)
            t.insert(QString::number(it.key()), it.value());
        o.insert(QStringLiteral("targets"), t);
    }
    putIf(o, QStringLiteral("note"), i.note);
    return o;
}

} // namespace

std::optional<Fleet> Fleet::fromJson(const QByteArray& json, QString* error)
{
    auto fail = [error](const QString& why) -> std::optional<Fleet> {
        if (error)
            *error = QStringLiteral("malformed fleet: %1").arg(why);
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return fail(QStringLiteral("the top level must be an object"));
    const QJsonObject root = doc.object();
    Reader r;
    r.allowOnly(root, QString(),
                {QStringLiteral("format"), QStringLiteral("version"), QStringLiteral("accountId"),
                 QStringLiteral("paging"), QStringLiteral("transitionMs"), QStringLiteral("keyPairs"),
                 QStringLiteral("regions"), QStringLiteral("vpcs"), QStringLiteral("subnets"),
                 QStringLiteral("securityGroups"), QStringLiteral("instanceConnectEndpoints"),
                 QStringLiteral("instances")});
    if (r.str(root, QString(), QStringLiteral("format"), true) != kFormat)
        r.fail(QStringLiteral("format"), QStringLiteral("must be \"%1\"").arg(kFormat));
    if (r.integer(root, QString(), QStringLiteral("version"), 0, 0, 1000) != kVersion)
        r.fail(QStringLiteral("version"), QStringLiteral("must be %1").arg(kVersion));
    if (!r.ok())
        return fail(r.error);

    Fleet fleet;
    fleet.setAccountId(r.str(root, QString(), QStringLiteral("accountId"), false, fleet.accountId()));
    if (root.contains(QStringLiteral("paging")) && !root.value(QStringLiteral("paging")).isObject())
        r.fail(QStringLiteral("paging"), QStringLiteral("expected an object"));
    const QJsonObject paging = root.value(QStringLiteral("paging")).toObject();
    r.allowOnly(paging, QStringLiteral("paging"), {QStringLiteral("maxPageSize"), QStringLiteral("emptyPageEvery")});
    PagingKnobs knobs;
    knobs.maxPageSize = r.integer(paging, QStringLiteral("paging"), QStringLiteral("maxPageSize"), 0, 0, 1000);
    knobs.emptyPageEvery = r.integer(paging, QStringLiteral("paging"), QStringLiteral("emptyPageEvery"), 0, 0, 1000);
    if (knobs.emptyPageEvery == 1)
        r.fail(QStringLiteral("paging.emptyPageEvery"), QStringLiteral("1 would make every page empty; use 0 or >= 2"));
    fleet.setPaging(knobs);
    fleet.setTransitionMs(r.integer(root, QString(), QStringLiteral("transitionMs"), 3000, 0, 3600000));

    const QList<QJsonObject> keyPairs = r.objects(root, QStringLiteral("keyPairs"));
    for (qsizetype n = 0; n < keyPairs.size(); ++n) {
        const QString path = QStringLiteral("keyPairs[%1]").arg(n);
        r.allowOnly(keyPairs[n], path, {QStringLiteral("name"), QStringLiteral("publicKeyPem")});
        fleet.addKeyPair(r.str(keyPairs[n], path, QStringLiteral("name"), true),
                         r.str(keyPairs[n], path, QStringLiteral("publicKeyPem"), true).toLatin1());
    }
    const QList<QJsonObject> regions = r.objects(root, QStringLiteral("regions"));
    for (qsizetype n = 0; n < regions.size(); ++n) {
        const QString path = QStringLiteral("regions[%1]").arg(n);
        r.allowOnly(regions[n], path, {QStringLiteral("name"), QStringLiteral("optInStatus")});
        Region region;
        region.name = r.str(regions[n], path, QStringLiteral("name"), true);
        region.optInStatus = r.str(regions[n], path, QStringLiteral("optInStatus"), false, region.optInStatus);
        fleet.addRegion(region);
    }
    const QList<QJsonObject> vpcs = r.objects(root, QStringLiteral("vpcs"));
    for (qsizetype n = 0; n < vpcs.size(); ++n) {
        const QString path = QStringLiteral("vpcs[%1]").arg(n);
        r.allowOnly(vpcs[n], path,
                    {QStringLiteral("id"), QStringLiteral("region"), QStringLiteral("cidr"), QStringLiteral("tags")});
        fleet.addVpc({r.str(vpcs[n], path, QStringLiteral("id"), true),
                      r.str(vpcs[n], path, QStringLiteral("region"), true),
                      r.str(vpcs[n], path, QStringLiteral("cidr")), r.tags(vpcs[n], path)});
    }
    const QList<QJsonObject> subnets = r.objects(root, QStringLiteral("subnets"));
    for (qsizetype n = 0; n < subnets.size(); ++n) {
        const QString path = QStringLiteral("subnets[%1]").arg(n);
        const QJsonObject& o = subnets[n];
        r.allowOnly(o, path,
                    {QStringLiteral("id"), QStringLiteral("vpcId"), QStringLiteral("availabilityZone"),
                     QStringLiteral("cidr"), QStringLiteral("public"), QStringLiteral("tags")});
        fleet.addSubnet({r.str(o, path, QStringLiteral("id"), true), r.str(o, path, QStringLiteral("vpcId"), true),
                         r.str(o, path, QStringLiteral("availabilityZone"), true),
                         r.str(o, path, QStringLiteral("cidr")), r.boolean(o, path, QStringLiteral("public")),
                         r.tags(o, path)});
    }
    const QList<QJsonObject> groups = r.objects(root, QStringLiteral("securityGroups"));
    for (qsizetype n = 0; n < groups.size(); ++n) {
        const QString path = QStringLiteral("securityGroups[%1]").arg(n);
        const QJsonObject& o = groups[n];
        r.allowOnly(o, path,
                    {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("description"),
                     QStringLiteral("vpcId"), QStringLiteral("ingress"), QStringLiteral("egress"),
                     QStringLiteral("tags")});
        SecurityGroup g;
        g.id = r.str(o, path, QStringLiteral("id"), true);
        g.name = r.str(o, path, QStringLiteral("name"), true);
        g.description = r.str(o, path, QStringLiteral("description"));
        g.vpcId = r.str(o, path, QStringLiteral("vpcId"), true);
        g.ingress = readPermissions(r, o, path, QStringLiteral("ingress"));
        g.egress = readPermissions(r, o, path, QStringLiteral("egress"));
        g.tags = r.tags(o, path);
        fleet.addSecurityGroup(g);
    }
    const QList<QJsonObject> endpoints = r.objects(root, QStringLiteral("instanceConnectEndpoints"));
    for (qsizetype n = 0; n < endpoints.size(); ++n) {
        const QString path = QStringLiteral("instanceConnectEndpoints[%1]").arg(n);
        const QJsonObject& o = endpoints[n];
        r.allowOnly(o, path,
                    {QStringLiteral("id"), QStringLiteral("vpcId"), QStringLiteral("subnetId"), QStringLiteral("state"),
                     QStringLiteral("dnsName"), QStringLiteral("fipsDnsName"), QStringLiteral("preserveClientIp"),
                     QStringLiteral("securityGroupIds"), QStringLiteral("createdAt"), QStringLiteral("tags")});
        InstanceConnectEndpoint e;
        e.id = r.str(o, path, QStringLiteral("id"), true);
        e.vpcId = r.str(o, path, QStringLiteral("vpcId"));
        e.subnetId = r.str(o, path, QStringLiteral("subnetId"), true);
        e.state = r.str(o, path, QStringLiteral("state"), false, e.state);
        e.dnsName = r.str(o, path, QStringLiteral("dnsName"), false, e.id + QStringLiteral(".localhost"));
        e.fipsDnsName = r.str(o, path, QStringLiteral("fipsDnsName"));
        e.preserveClientIp = r.boolean(o, path, QStringLiteral("preserveClientIp"));
        e.securityGroupIds = r.strings(o, path, QStringLiteral("securityGroupIds"));
        e.createdAt = r.time(o, path, QStringLiteral("createdAt"));
        e.tags = r.tags(o, path);
        fleet.addEndpoint(e);
    }
    const QList<QJsonObject> instances = r.objects(root, QStringLiteral("instances"));
    for (qsizetype n = 0; n < instances.size(); ++n)
        fleet.addInstance(readInstance(r, instances[n], QStringLiteral("instances[%1]").arg(n)));
    if (!r.ok())
        return fail(r.error);
    QString why;
    if (!fleet.finish(&why))
        return fail(why);
    return fleet;
}

QByteArray Fleet::toJson() const
{
    QJsonObject root {{QStringLiteral("format"), kFormat},
                      {QStringLiteral("version"), kVersion},
                      {QStringLiteral("accountId"), m_accountId},
                      {QStringLiteral("transitionMs"), m_transitionMs},
                      {QStringLiteral("paging"),
                       QJsonObject {{QStringLiteral("maxPageSize"), m_paging.maxPageSize},
                                    {QStringLiteral("emptyPageEvery"), m_paging.emptyPageEvery}}}};
    QJsonArray keyPairs;
    for (auto it = m_keyPairs.cbegin(); it != m_keyPairs.cend(); ++it)
        keyPairs.append(QJsonObject {{QStringLiteral("name"), it.key()},
                                     {QStringLiteral("publicKeyPem"), QString::fromLatin1(it.value())}});
    root.insert(QStringLiteral("keyPairs"), keyPairs);
    QJsonArray regions;
    for (const Region& region : m_regions)
        regions.append(
            QJsonObject {{QStringLiteral("name"), region.name}, {QStringLiteral("optInStatus"), region.optInStatus}});
    root.insert(QStringLiteral("regions"), regions);
    QJsonArray vpcs;
    for (const Vpc& v : m_vpcs) {
        QJsonObject o {{QStringLiteral("id"), v.id}, {QStringLiteral("region"), v.region}};
        putIf(o, QStringLiteral("cidr"), v.cidr);
        if (!v.tags.isEmpty())
            o.insert(QStringLiteral("tags"), tagsJson(v.tags));
        vpcs.append(o);
    }
    root.insert(QStringLiteral("vpcs"), vpcs);
    QJsonArray subnets;
    for (const Subnet& s : m_subnets) {
        QJsonObject o {{QStringLiteral("id"), s.id},
                       {QStringLiteral("vpcId"), s.vpcId},
                       {QStringLiteral("availabilityZone"), s.availabilityZone},
                       {QStringLiteral("public"), s.isPublic}};
        putIf(o, QStringLiteral("cidr"), s.cidr);
        if (!s.tags.isEmpty())
            o.insert(QStringLiteral("tags"), tagsJson(s.tags));
        subnets.append(o);
    }
    root.insert(QStringLiteral("subnets"), subnets);
    QJsonArray groups;
    for (const SecurityGroup& g : m_securityGroups) {
        QJsonObject o {{QStringLiteral("id"), g.id},
                       {QStringLiteral("name"), g.name},
                       {QStringLiteral("description"), g.description},
                       {QStringLiteral("vpcId"), g.vpcId},
                       {QStringLiteral("ingress"), permissionsJson(g.ingress)},
                       {QStringLiteral("egress"), permissionsJson(g.egress)}};
        if (!g.tags.isEmpty())
            o.insert(QStringLiteral("tags"), tagsJson(g.tags));
        groups.append(o);
    }
    root.insert(QStringLiteral("securityGroups"), groups);
    QJsonArray endpoints;
    for (const InstanceConnectEndpoint& e : m_endpoints) {
        QJsonObject o {{QStringLiteral("id"), e.id},
                       {QStringLiteral("vpcId"), e.vpcId},
                       {QStringLiteral("subnetId"), e.subnetId},
                       {QStringLiteral("state"), e.state},
                       {QStringLiteral("dnsName"), e.dnsName},
                       {QStringLiteral("preserveClientIp"), e.preserveClientIp}};
        putIf(o, QStringLiteral("fipsDnsName"), e.fipsDnsName);
        putIf(o, QStringLiteral("securityGroupIds"), e.securityGroupIds);
        if (e.createdAt.isValid())
            o.insert(QStringLiteral("createdAt"), isoTime(e.createdAt));
        if (!e.tags.isEmpty())
            o.insert(QStringLiteral("tags"), tagsJson(e.tags));
        endpoints.append(o);
    }
    root.insert(QStringLiteral("instanceConnectEndpoints"), endpoints);
    QJsonArray instances;
    for (const Instance& i : m_instances)
        instances.append(instanceJson(i));
    root.insert(QStringLiteral("instances"), instances);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace fakeaws
