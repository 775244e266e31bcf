#pragma once
// A tiny HTTPS client for the fakeaws tests: QNetworkAccessManager trusting only the emulator's CA, with
// helpers that SigV4-sign query (EC2/STS) and JSON 1.1 calls with bl::sigv4::signHeaders, like a real client.

#include "core/aws/base/Credentials.h"
#include "tests/fakeaws/FakeHttp.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QSslCertificate>

class FakeAwsTestClient
{
public:
    struct Reply
    {
        int status = 0; // 0: no HTTP answer (connection error)
        QByteArray body;
        fakeaws::Headers headers;
        QString errorString;
        qint64 elapsedMs = 0;
        QByteArray header(const QByteArray& name) const;
    };

    FakeAwsTestClient(quint16 port, const QSslCertificate& ca);

    QNetworkReply* start(const QByteArray& method, const QByteArray& pathAndQuery, const fakeaws::Headers& headers,
                         const QByteArray& body);
    static Reply finish(QNetworkReply* reply, int timeoutMs = 15000);
    Reply send(const QByteArray& method, const QByteArray& pathAndQuery, const fakeaws::Headers& headers = {},
               const QByteArray& body = {});

    // Signed requests. `at` is the signing time (default: now); service is the signing name.
    fakeaws::Headers signedHeaders(const QByteArray& method, const QByteArray& path, const fakeaws::Headers& headers,
                                   const QByteArray& body, const bl::Credentials& creds, const QByteArray& service,
                                   const QDateTime& at = {}, const QByteArray& region = "us-east-1") const;
    // Form POST (EC2 with service "ec2", STS with "sts"): body like "Action=X&Version=...".
    QNetworkReply* startQuery(const QByteArray& service, const QByteArray& body, const bl::Credentials& creds,
                              const QDateTime& at = {});
    Reply query(const QByteArray& service, const QByteArray& body, const bl::Credentials& creds,
                const QDateTime& at = {});
    // JSON 1.1 POST (service "ssm" or "ec2-instance-connect"), target like "AmazonSSM.DescribeInstanceInformation".
    Reply json(const QByteArray& service, const QByteArray& target, const QByteArray& body,
               const bl::Credentials& creds, const QDateTime& at = {});

    QByteArray host() const { return m_host; }

private:
    QNetworkAccessManager m_nam;
    quint16 m_port;
    QByteArray m_host;
    QSslCertificate m_ca;
};
