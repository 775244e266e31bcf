#pragma once
// What the SSM transport tests share: fakeaws with a small fleet (an instance with a current SSM agent, one with
// an old agent that only speaks basic mode, one whose agent is offline), an AwsSession pointed at it, local
// target servers, and helpers that push bytes through a local client and compare SHA-256.

#include "tests/fakeaws/FakeAws.h"
#include "tests/fakeaws/FleetBuilder.h"

#include "core/aws/api/AwsSession.h"
#include "core/aws/credentials/StaticProvider.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

class SsmTestBench
{
public:
    QString current; // agent 3.3.40.0: mux
    QString old; // agent 3.0.161.0: basic
    QString offline; // agent ConnectionLost

    bool setUp()
    {
        fakeaws::Fleet fleet;
        fakeaws::FleetBuilder b(fleet, QStringLiteral("ssmtest"));
        const QString r = QStringLiteral("us-east-1");
        b.region(r);
        const auto net =
            b.standardVpc(r, QStringLiteral("app"), 3, QStringLiteral("us-east-1a"), QStringLiteral("us-east-1a"));
        auto make = [&](const QString& name, const QString& ping, const QString& version) {
            fakeaws::Instance i = b.instance(name, net.privateSubnet, fakeaws::FleetBuilder::Os::AmazonLinux2023,
                                             QStringLiteral("t3.micro"));
            b.giveSsm(i, ping, version);
            b.add(i);
            return i.id;
        };
        current = make(QStringLiteral("current"), QStringLiteral("Online"), QStringLiteral("3.3.40.0"));
        old = make(QStringLiteral("old"), QStringLiteral("Online"), QStringLiteral("3.0.161.0"));
        offline = make(QStringLiteral("offline"), QStringLiteral("ConnectionLost"), QStringLiteral("3.3.40.0"));
        QString error;
        if (!fleet.finish(&error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        fakeaws::FakeAwsOptions options;
        options.fleet = fleet;
        m_fake = std::make_unique<fakeaws::FakeAws>(options);
        const auto started = m_fake->start();
        if (!started) {
            qWarning("%s", qPrintable(started.error().toString()));
            return false;
        }
        const QProcessEnvironment env = m_fake->clientEnvironment();
        auto config = bl::AwsConfig::load(env);
        if (!config)
            return false;
        m_http = std::make_unique<bl::AwsHttpClient>(bl::HttpSettings::fromEnvironment(env), m_clock, m_skew);
        m_http->setRandomSource([] { return 0.0; });
        m_session = std::make_unique<bl::AwsSession>(
            config.value(), QStringLiteral("default"), r, env, *m_http,
            std::make_unique<bl::StaticProvider>(m_fake->defaultCredentials(), QStringLiteral("fakeaws")));
        return true;
    }

    fakeaws::FakeAws& fake() { return *m_fake; }
    fakeaws::SsmSessionManager& ssm() { return m_fake->ssmSessions(); }
    bl::AwsSession& session() { return *m_session; }
    bl::AwsHttpClient& http() { return *m_http; }

    static QByteArray sha256(const QByteArray& data)
    {
        return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
    }

    static QByteArray randomBytes(qint64 size, quint32 seed)
    {
        QByteArray out(size, Qt::Uninitialized);
        quint32 x = seed * 2654435761u + 1;
        for (qint64 i = 0; i < size; ++i) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            out[i] = static_cast<char>(x & 0xff);
        }
        return out;
    }

    // Writes data through s (paced by its buffer) and reads until `expect` bytes came back or the socket ended.
    static QByteArray exchange(QTcpSocket& s, const QByteArray& data, qint64 expect, int timeoutMs)
    {
        QByteArray got;
        qint64 written = 0;
        QElapsedTimer timer;
        timer.start();
        while (got.size() < expect && timer.elapsed() < timeoutMs) {
            while (written < data.size() && s.bytesToWrite() < 256 * 1024) {
                const qint64 n = qMin<qint64>(64 * 1024, data.size() - written);
                s.write(data.constData() + written, n);
                written += n;
            }
            got += s.readAll();
            if (got.size() >= expect)
                break;
            if (s.state() != QAbstractSocket::ConnectedState)
                break;
            QSignalSpy spy(&s, &QTcpSocket::readyRead);
            spy.wait(50);
        }
        got += s.readAll();
        return got;
    }

    // Echo exchange in lock step: each chunk is sent once the previous one came back, so little is in flight when
    // the data channel drops (the agent resends its backlog one message per 100 ms after a resume).
    static QByteArray lockstep(QTcpSocket& s, const QByteArray& data, qint64 chunk, int timeoutMs)
    {
        QByteArray got;
        QElapsedTimer timer;
        timer.start();
        qint64 sent = 0;
        while (got.size() < data.size() && timer.elapsed() < timeoutMs) {
            if (sent == got.size()) {
                const qint64 n = qMin(chunk, data.size() - sent);
                s.write(data.constData() + sent, n);
                sent += n;
            }
            got += s.readAll();
            if (got.size() >= data.size() || s.state() != QAbstractSocket::ConnectedState)
                break;
            if (got.size() < sent) {
                QSignalSpy spy(&s, &QTcpSocket::readyRead);
                spy.wait(50);
            }
        }
        got += s.readAll();
        return got;
    }

private:
    bl::SystemClock m_clock;
    bl::ClockSkew m_skew;
    std::unique_ptr<fakeaws::FakeAws> m_fake;
    std::unique_ptr<bl::AwsHttpClient> m_http;
    std::unique_ptr<bl::AwsSession> m_session;
};
