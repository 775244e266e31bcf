#include "core/aws/api/StsProtocol.h"

#include "core/aws/api/QueryParams.h"
#include "core/aws/api/XmlTree.h"

namespace bl {

const QByteArray StsProtocol::apiVersion = QByteArrayLiteral("2011-06-15");

AwsRequest StsProtocol::getCallerIdentity()
{
    const QueryParams params(QByteArrayLiteral("GetCallerIdentity"), apiVersion);
    AwsRequest r;
    r.signingName = QStringLiteral("sts");
    r.operation = QStringLiteral("GetCallerIdentity");
    r.iamAction = QStringLiteral("sts:GetCallerIdentity");
    r.protocol = AwsProtocol::Query;
    r.method = QByteArrayLiteral("POST");
    r.path = QByteArrayLiteral("/");
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArray(QueryParams::contentType)});
    r.body = params.encode();
    return r;
}

Result<CallerIdentity> StsProtocol::parseGetCallerIdentity(const QByteArray& body)
{
    const QString what = QStringLiteral("STS GetCallerIdentity");
    auto tree = XmlTree::parse(body, what, QLatin1String("GetCallerIdentityResponse"));
    if (!tree)
        return tree.error();
    const XmlTree::Element result = tree->root().child(QLatin1String("GetCallerIdentityResult"));
    CallerIdentity id;
    id.account = result.childTrimmed(QLatin1String("Account"));
    id.arn = result.childTrimmed(QLatin1String("Arn"));
    id.userId = result.childTrimmed(QLatin1String("UserId"));
    if (id.account.isEmpty() || id.arn.isEmpty())
        return XmlTree::parseError(what, QStringLiteral("the answer names no account or ARN"));
    return id;
}

} // namespace bl
