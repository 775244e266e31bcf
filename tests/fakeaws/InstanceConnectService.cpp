#include "InstanceConnectService.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUuid>

namespace fakeaws {

namespace {

const QByteArray kTargetPrefix = QByteArrayLiteral("AWSEC2InstanceConnectService.");

// Reads SSH wire strings (uint32 big-endian length + bytes) from a public key blob.
class WireReader
{
public:
    explicit WireReader(const QByteArray& data)
        : m_data(data)
    { }
    std::optional<QByteArray> string()
    {
        if (m_at + 4 > m_data.size())
            return std::nullopt;
        const auto* p = reinterpret_cast<const uchar*>(m_data.constData() + m_at);
        const quint32 length = (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
        m_at += 4;
        if (length > static_cast<quint32>(m_data.size() - m_at))
            return std::nullopt;
        const QByteArray out = m_data.mid(m_at, static_cast<qsizetype>(length));
        m_at += static_cast<qsizetype>(length);
        return out;
    }
    bool atEnd() const { return m_at == m_data.size(); }

private:
    QByteArray m_data;
    qsizetype m_at = 0;
};

HttpResponse invalidArgs(const QString& message)
{
    return jsonError(400, "InvalidArgsException", message);
}

} // namespace

InstanceConnectService::InstanceConnectService(Fleet& fleet, QString pushedKeysDir)
    : m_fleet(fleet)
    , m_pushedKeysDir(std::move(pushedKeysDir))
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{ }

HttpResponse InstanceConnectService::handle(const HttpRequest& request, const CallContext& context)
{
    const QByteArray target = request.header("X-Amz-Target");
    if (!target.startsWith(kTargetPrefix))
        return jsonError(400, "UnknownOperationException", QString());
    const QByteArray operation = target.mid(kTargetPrefix.size());
    if (operation != "SendSSHPublicKey" && operation != "SendSerialConsoleSSHPublicKey")
        return jsonError(400, "UnknownOperationException", QString());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return jsonError(400, "SerializationException", QStringLiteral("The request body is not a JSON object"));
    if (operation == "SendSerialConsoleSSHPublicKey")
        return jsonError(400, "SerialConsoleAccessDisabledException",
                         QStringLiteral("Your account is not authorized to use the EC2 Serial Console. To authorize "
                                        "your account, enable EC2 Serial Console access."));
    return sendSshPublicKey(doc.object(), context);
}

QString InstanceConnectService::checkPublicKey(const QString& key)
{
    if (key.size() < 80 || key.size() > 4096)
        return QStringLiteral("SSHPublicKey must be 80 to 4096 characters long (got %1)").arg(key.size());
    if (key.contains(QLatin1Char('\n')) || key.contains(QLatin1Char('\r')))
        return QStringLiteral("SSHPublicKey must be a single line");
    const QStringList parts = key.trimmed().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (parts.size() < 2)
        return QStringLiteral("SSHPublicKey must be in OpenSSH format: <type> <base64> [comment]");
    const QString& type = parts.at(0);
    if (type.startsWith(QLatin1String("sk-")))
        return QStringLiteral("Security key (FIDO) public keys are not supported");
    if (type != QLatin1String("ssh-ed25519") && type != QLatin1String("ssh-rsa"))
        return QStringLiteral("Unsupported key type %1; use ssh-ed25519 or ssh-rsa").arg(type);
    const auto blob = QByteArray::fromBase64Encoding(parts.at(1).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!blob)
        return QStringLiteral("SSHPublicKey's key data is not valid base64");
    WireReader reader(blob.decoded);
    const auto innerType = reader.string();
    if (!innerType || *innerType != type.toLatin1())
        return QStringLiteral("SSHPublicKey's key data does not match its type %1").arg(type);
    if (type == QLatin1String("ssh-ed25519")) {
        const auto point = reader.string();
        if (!point || point->size() != 32 || !reader.atEnd())
            return QStringLiteral("SSHPublicKey is not a valid ssh-ed25519 key");
    } else {
        const auto exponent = reader.string();
        const auto modulus = reader.string();
        if (!exponent || !modulus || !reader.atEnd() || modulus->size() < 256)
            return QStringLiteral("SSHPublicKey is not a valid ssh-rsa key of at least 2048 bits");
    }
    return {};
}

HttpResponse InstanceConnectService::sendSshPublicKey(const QJsonObject& body, const CallContext& context)
{
    static const QRegularExpression idPattern(QStringLiteral("^i-[a-f0-9]+$"));
    // Like the service's model: a POSIX user name, so it is also safe as a file name.
    static const QRegularExpression userPattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9@._-]{0,30}[A-Za-z0-9$_-]?$"));
    const QJsonValue idValue = body.value(QStringLiteral("InstanceId"));
    const QJsonValue userValue = body.value(QStringLiteral("InstanceOSUser"));
    const QJsonValue keyValue = body.value(QStringLiteral("SSHPublicKey"));
    const QString id = idValue.toString();
    const QString user = userValue.toString();
    const QString key = keyValue.toString();
    if (!idValue.isString() || id.size() < 10 || id.size() > 32 || !idPattern.match(id).hasMatch())
        return invalidArgs(QStringLiteral("InstanceId must match ^i-[a-f0-9]+$ and be 10 to 32 characters long"));
    if (!userValue.isString() || user.isEmpty() || user.size() > 32 || !userPattern.match(user).hasMatch())
        return invalidArgs(QStringLiteral("InstanceOSUser must be a valid user name of 1 to 32 characters"));
    if (!keyValue.isString())
        return invalidArgs(QStringLiteral("SSHPublicKey is required"));
    if (const QString why = checkPublicKey(key); !why.isEmpty())
        return invalidArgs(why);

    const QDateTime now = context.now.isValid() ? context.now : QDateTime::currentDateTimeUtc();
    m_fleet.settle(now);
    const Instance* instance = m_fleet.instance(id);
    const QString region = context.region.isEmpty() ? QStringLiteral("us-east-1") : context.region;
    if (!instance || instance->region != region)
        return jsonError(400, "EC2InstanceNotFoundException",
                         QStringLiteral("Instance %1 not found in %2").arg(id, region));
    const QJsonValue zone = body.value(QStringLiteral("AvailabilityZone"));
    if (!zone.isUndefined() && zone.toString() != instance->availabilityZone)
        return invalidArgs(
            QStringLiteral("AvailabilityZone %1 does not match the instance's availability zone").arg(zone.toString()));
    if (instance->state == InstanceState::Pending)
        return jsonError(400, "EC2InstanceUnavailableException",
                         QStringLiteral("Instance is not available yet. Try again in a few minutes."));
    if (instance->state != InstanceState::Running)
        return jsonError(
            400, "EC2InstanceStateInvalidException",
            QStringLiteral("Instance %1 is %2; it must be running").arg(id, instanceStateName(instance->state)));
    QString why;
    if (!record(id, user, key.trimmed(), &why))
        return jsonError(500, "ServiceException", why);

    HttpResponse response;
    response.contentType = "application/x-amz-json-1.1";
    const QString requestId =
        context.requestId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : context.requestId;
    response.body =
        QJsonDocument(QJsonObject {{QStringLiteral("RequestId"), requestId}, {QStringLiteral("Success"), true}})
            .toJson(QJsonDocument::Compact);
    return response;
}

bool InstanceConnectService::record(const QString& instanceId, const QString& osUser, const QString& key,
                                    QString* error) const
{
    if (m_pushedKeysDir.isEmpty())
        return true;
    if (!QDir().mkpath(m_pushedKeysDir)) {
        *error = QStringLiteral("cannot create the pushed-keys directory %1").arg(m_pushedKeysDir);
        return false;
    }
    QFile file(QDir(m_pushedKeysDir).filePath(osUser + QStringLiteral(".keys")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        *error = QStringLiteral("cannot record the key in %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    // Public keys only; readable by the sshd's AuthorizedKeysCommandUser.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                        | QFileDevice::ReadOther);
    const QByteArray line =
        QByteArray::number(m_clock().toSecsSinceEpoch()) + ' ' + instanceId.toLatin1() + ' ' + key.toUtf8() + '\n';
    if (file.write(line) != line.size()) {
        *error = QStringLiteral("cannot record the key in %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

QStringList InstanceConnectService::recentKeys(const QString& pushedKeysDir, const QString& instanceId,
                                               const QString& osUser, const QDateTime& now)
{
    QStringList keys;
    QFile file(QDir(pushedKeysDir).filePath(osUser + QStringLiteral(".keys")));
    if (!file.open(QIODevice::ReadOnly))
        return keys;
    const qint64 nowSecs = now.toSecsSinceEpoch();
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        const qsizetype first = line.indexOf(QLatin1Char(' '));
        const qsizetype second = first < 0 ? -1 : line.indexOf(QLatin1Char(' '), first + 1);
        if (second < 0)
            continue;
        bool ok = false;
        const qint64 stamp = line.left(first).toLongLong(&ok);
        const qint64 age = nowSecs - stamp;
        if (ok && age >= 0 && age <= kKeyLifetimeSecs && line.mid(first + 1, second - first - 1) == instanceId)
            keys.append(line.mid(second + 1));
    }
    return keys;
}

} // namespace fakeaws
