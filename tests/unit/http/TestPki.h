#pragma once
// A throwaway certificate authority for the HTTPS tests, made with OpenSSL at test start: a CA and a
// server certificate for 127.0.0.1 / localhost that it signed, the CA written as a PEM bundle file (what
// AWS_CA_BUNDLE names). Nothing is trusted outside the test that made it.

#include <QSslCertificate>
#include <QSslKey>
#include <QString>

class TestPki
{
public:
    // Generates everything; writes the CA bundle into directory. Empty error() on success.
    explicit TestPki(const QString& directory);

    const QString& error() const { return m_error; }
    const QString& caBundlePath() const { return m_caBundlePath; }
    const QSslCertificate& serverCertificate() const { return m_serverCert; }
    const QSslKey& serverKey() const { return m_serverKey; }

private:
    QString m_error;
    QString m_caBundlePath;
    QSslCertificate m_serverCert;
    QSslKey m_serverKey;
};
