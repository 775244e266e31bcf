#pragma once
// A throw-away certificate authority made at fakeaws start-up, and the server certificate it signs for
// 127.0.0.1 / localhost / *.localhost / *.fips.localhost (EICE endpoint names). Clients trust the CA (AWS_CA_BUNDLE,
// QSslConfiguration) instead of turning verification off, so the TLS path tested is the one users run. The CA key never
// leaves memory.

#include "core/util/Result.h"

#include <QByteArray>
#include <QSslCertificate>
#include <QSslKey>

namespace fakeaws {

class TestCa
{
public:
    // validityDays: how long both certificates stay valid (they start one hour in the past, for skew tests).
    static bl::Result<TestCa> generate(int validityDays = 30);

    QByteArray caPem() const { return m_caPem; }
    QSslCertificate caCertificate() const { return m_ca; }
    QSslCertificate serverCertificate() const { return m_server; }
    QSslKey serverKey() const { return m_serverKey; }

    // Writes the CA certificate as PEM (0644: it is public). Error message says which file and why.
    bl::Result<void> writeCaPem(const QString& path) const;

private:
    QByteArray m_caPem;
    QSslCertificate m_ca;
    QSslCertificate m_server;
    QSslKey m_serverKey;
};

} // namespace fakeaws
