#include "TcpTarget.h"

#include <QNetworkProxy>
#include <QTcpSocket>
#include <QTimer>

#include <cstring>

namespace {
constexpr qint64 queueLimit = 512 * 1024;
}

TcpTarget::TcpTarget(Mode mode, QObject* parent)
    : QObject(parent)
    , m_mode(mode)
{
    m_server.setProxy(QNetworkProxy::NoProxy);
    connect(&m_server, &QTcpServer::newConnection, this, &TcpTarget::accept);
    if (m_mode == Mode::SlowSink) {
        m_sinkTimer = new QTimer(this);
        m_sinkTimer->setInterval(5);
        connect(m_sinkTimer, &QTimer::timeout, this, &TcpTarget::sinkTick);
    }
}

TcpTarget::~TcpTarget()
{
    // The accepted sockets are children of m_server, which goes before our QObject part: quiet them first.
    const auto sockets = m_server.findChildren<QTcpSocket*>();
    for (QTcpSocket* s : sockets)
        s->disconnect(this);
}

bool TcpTarget::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QByteArray TcpTarget::pattern(qint64 offset, qint64 size)
{
    constexpr qint64 period = 65521;
    static const QByteArray table = [] {
        QByteArray t(2 * period, Qt::Uninitialized);
        quint32 x = 2463534242u;
        for (qint64 i = 0; i < period; ++i) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            t[i] = t[i + period] = static_cast<char>(x >> 24);
        }
        return t;
    }();
    QByteArray out(size, Qt::Uninitialized);
    for (qint64 done = 0; done < size;) {
        const qint64 start = (offset + done) % period;
        const qint64 n = qMin(size - done, period);
        memcpy(out.data() + done, table.constData() + start, static_cast<size_t>(n));
        done += n;
    }
    return out;
}

void TcpTarget::accept()
{
    while (QTcpSocket* s = m_server.nextPendingConnection()) {
        ++m_accepted;
        m_open.insert(s, Conn());
        m_maxConcurrent = qMax(m_maxConcurrent, openNow());
        s->setReadBufferSize(queueLimit);
        s->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(s, &QTcpSocket::disconnected, this, [this, s] {
            // A sink still counts what arrived before the end; sinkTick() forgets it once drained.
            if (m_mode == Mode::SlowSink && s->bytesAvailable() > 0)
                return;
            m_open.remove(s);
            s->deleteLater();
        });
        if (m_mode == Mode::Echo) {
            connect(s, &QTcpSocket::readyRead, this, [this, s] { pump(s); });
            connect(s, &QTcpSocket::bytesWritten, this, [this, s] { pump(s); });
            if (m_closeAfterMs > 0)
                QTimer::singleShot(m_closeAfterMs, s, [s] { s->disconnectFromHost(); });
        } else if (m_mode == Mode::Source) {
            connect(s, &QTcpSocket::bytesWritten, this, [this, s] { pump(s); });
            pump(s);
        } else {
            m_sinkTimer->start();
        }
    }
}

void TcpTarget::pump(QTcpSocket* s)
{
    if (!m_open.contains(s) || s->state() != QAbstractSocket::ConnectedState)
        return;
    Conn& c = m_open[s];
    if (m_mode == Mode::Echo) {
        while (s->bytesAvailable() > 0 && s->bytesToWrite() < queueLimit)
            s->write(s->read(64 * 1024));
        return;
    }
    // Source: keep a bounded amount queued until everything is sent, then close.
    while (c.sent < m_sourceBytes && s->bytesToWrite() < queueLimit) {
        const qint64 n = qMin<qint64>(64 * 1024, m_sourceBytes - c.sent);
        s->write(pattern(c.sent, n));
        c.sent += n;
    }
    if (c.sent >= m_sourceBytes && s->bytesToWrite() == 0)
        s->disconnectFromHost();
}

void TcpTarget::sinkTick()
{
    QList<QTcpSocket*> drained;
    for (auto it = m_open.begin(); it != m_open.end(); ++it) {
        const QByteArray data = it.key()->read(m_sinkPerTick);
        if (data != pattern(it->received, data.size()))
            m_patternOk = false;
        it->received += data.size();
        m_sunk += data.size();
        if (it.key()->state() == QAbstractSocket::UnconnectedState && it.key()->bytesAvailable() == 0)
            drained.append(it.key());
    }
    for (QTcpSocket* s : drained) {
        m_open.remove(s);
        s->deleteLater();
    }
}
