#include "FakeEiceServer.h"

#include "FakeEiceSession.h"

#include <QLocale>
#include <QNetworkProxy>
#include <QSslServer>
#include <QSslSocket>

using namespace bl;

FakeEiceServer::FakeEiceServer(const QSslConfiguration& tls, QObject* parent)
    : QObject(parent)
    , m_server(new QSslServer(this))
{
    m_server->setSslConfiguration(tls);
    m_server->setProxy(QNetworkProxy::NoProxy);
    m_server->setMaxPendingConnections(100);
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &FakeEiceServer::accept);
}

FakeEiceServer::~FakeEiceServer() = default;

bool FakeEiceServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 FakeEiceServer::port() const
{
    return m_server->serverPort();
}

void FakeEiceServer::setCredentials(const QByteArray& accessKeyId, const QByteArray& secret, const QByteArray& token)
{
    m_accessKeyId = accessKeyId;
    m_secret = secret;
    m_token = token;
}

QDateTime FakeEiceServer::now() const
{
    return QDateTime::currentDateTimeUtc().addMSecs(m_clockOffsetMs);
}

QByteArray FakeEiceServer::httpDate() const
{
    return QLocale::c().toString(now(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1();
}

void FakeEiceServer::accept()
{
    while (m_server->hasPendingConnections()) {
        auto* socket = qobject_cast<QSslSocket*>(m_server->nextPendingConnection());
        if (socket)
            new FakeEiceSession(socket, *this);
    }
}

void FakeEiceServer::sessionOpened()
{
    ++m_upgrades;
    ++m_openNow;
    m_maxConcurrent = qMax(m_maxConcurrent, m_openNow);
}

void FakeEiceServer::sessionEnded(bool wasOpen)
{
    if (wasOpen)
        --m_openNow;
}

QString FakeEiceServer::verify(const sigv4::QueryList& params, const QByteArray& host) const
{
    QHash<QByteArray, QByteArray> p;
    sigv4::QueryList unsignedParams;
    for (const auto& [k, v] : params) {
        p.insert(k, v);
        if (k != "X-Amz-Signature")
            unsignedParams.append({k, v});
    }
    if (p.value("X-Amz-Algorithm") != "AWS4-HMAC-SHA256")
        return QStringLiteral("wrong algorithm");
    const QList<QByteArray> credential = p.value("X-Amz-Credential").split('/');
    if (credential.size() != 5 || credential.at(0) != m_accessKeyId || credential.at(3) != "ec2-instance-connect"
        || credential.at(4) != "aws4_request")
        return QStringLiteral("bad credential scope");
    if (p.value("X-Amz-SignedHeaders") != "host")
        return QStringLiteral("signed headers are not just host");
    if (p.value("X-Amz-Expires") != "60")
        return QStringLiteral("X-Amz-Expires is not 60");
    if (p.value("X-Amz-Security-Token") != m_token)
        return QStringLiteral("session token mismatch");
    const QByteArray amzDate = p.value("X-Amz-Date");
    const QDateTime signedAt = sigv4::parseAmzDate(amzDate);
    if (!signedAt.isValid())
        return QStringLiteral("bad X-Amz-Date");
    const qint64 age = signedAt.secsTo(now());
    if (age > 60)
        return QStringLiteral("Signature expired: %1 is now earlier than allowed").arg(QString::fromLatin1(amzDate));
    if (age < -60)
        return QStringLiteral("Signature not yet current: %1").arg(QString::fromLatin1(amzDate));
    const sigv4::Scope scope {credential.at(2), credential.at(3)};
    const QByteArray canonical =
        sigv4::canonicalRequest("GET", "/openTunnel", unsignedParams, {{"host", host}}, {"host"}, sigv4::sha256Hex({}));
    const QByteArray expected = sigv4::hmacSha256(sigv4::signingKey(m_secret, credential.at(1), scope),
                                                  sigv4::stringToSign(amzDate, scope, canonical))
                                    .toHex();
    if (expected != p.value("X-Amz-Signature"))
        return QStringLiteral("signature mismatch");
    return {};
}
