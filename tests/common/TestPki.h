#pragma once
// A throwaway certificate authority for the HTTPS and tunnel tests, made with the OpenSSL API when a test starts:
// a CA and a server certificate it signed for 127.0.0.1, localhost and a few *.localhost endpoint names. The CA is
// written as a PEM bundle (what AWS_CA_BUNDLE names); nothing outside the test trusts it.

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

class TestPki
{
public:
    explicit TestPki(const QString& directory);

    bool ok() const { return m_error.isEmpty(); }
    const QString& error() const { return m_error; }
    const QString& caBundlePath() const { return m_caBundlePath; }
    QSslConfiguration serverConfiguration() const;
    const QSslCertificate& serverCertificate() const { return m_cert; }
    const QSslKey& serverKey() const { return m_key; }

private:
    QString m_error;
    QString m_caBundlePath;
    QSslCertificate m_cert;
    QSslKey m_key;
};
