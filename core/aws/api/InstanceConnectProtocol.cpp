#include "core/aws/api/InstanceConnectProtocol.h"

#include "core/aws/api/JsonReader.h"
#include "core/aws/api/JsonWriter.h"

#include <QRegularExpression>

namespace bl {

Result<AwsRequest> InstanceConnectProtocol::sendSshPublicKey(const QString& instanceId, const QString& osUser,
                                                             const QString& publicKeyLine,
                                                             const QString& availabilityZone)
{
    static const QRegularExpression idPattern(QStringLiteral("^i-[a-f0-9]{8,30}$"));
    static const QRegularExpression userPattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9@._-]{0,30}[A-Za-z0-9$_-]?$"));
    if (!idPattern.match(instanceId).hasMatch()) {
        return Error::make(ErrorKind::Usage, QStringLiteral("'%1' is not an EC2 instance id").arg(instanceId),
                           QStringLiteral("Instance ids look like i-0123456789abcdef0."));
    }
    if (!userPattern.match(osUser).hasMatch()) {
        return Error::make(ErrorKind::Usage,
                           QStringLiteral("'%1' is not a valid login name for EC2 Instance Connect").arg(osUser),
                           QStringLiteral("Use 1-32 characters: letters, digits, '_', '.', '-', '@' (for example "
                                          "ec2-user, ubuntu or admin)."));
    }
    const QString key = publicKeyLine.trimmed();
    if (key.size() < 80 || key.size() > 4096 || key.contains(QLatin1Char('\n'))) {
        return Error::make(ErrorKind::Usage,
                           QStringLiteral("The public key is not a single OpenSSH key line of 80-4096 characters"),
                           QStringLiteral("Pass the key as '<type> <base64> [comment]', e.g. the contents of an "
                                          "id_ed25519.pub file."));
    }
    JsonWriter w;
    w.beginObject();
    w.key(QStringLiteral("InstanceId")).value(instanceId);
    w.key(QStringLiteral("InstanceOSUser")).value(osUser);
    w.key(QStringLiteral("SSHPublicKey")).value(key);
    if (!availabilityZone.isEmpty())
        w.key(QStringLiteral("AvailabilityZone")).value(availabilityZone);
    w.endObject();
    return JsonReader::request(QStringLiteral("ec2-instance-connect"), QStringLiteral("AWSEC2InstanceConnectService"),
                               QStringLiteral("SendSSHPublicKey"),
                               QStringLiteral("ec2-instance-connect:SendSSHPublicKey"), w.data());
}

Result<void> InstanceConnectProtocol::parseSendSshPublicKey(const QByteArray& body)
{
    auto object = JsonReader::parseObject(body, QStringLiteral("EC2 Instance Connect SendSSHPublicKey"));
    if (!object)
        return object.error();
    if (object->value(QLatin1String("Success")).toBool(false))
        return {};
    Error e = Error::make(ErrorKind::Service, QStringLiteral("EC2 Instance Connect did not accept the public key"),
                          QStringLiteral("Check that the instance runs the ec2-instance-connect package and retry."));
    e.requestId = object->value(QLatin1String("RequestId")).toString();
    return e;
}

} // namespace bl
