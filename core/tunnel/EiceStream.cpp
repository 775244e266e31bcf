#include "core/tunnel/EiceStream.h"

#include "core/aws/credentials/CredentialsProvider.h"
#include "core/aws/http/AwsHttpClient.h"
#include "core/tunnel/ConnectionSlots.h"
#include "core/tunnel/EiceErrors.h"
#include "core/tunnel/EicePresigner.h"
#include "core/tunnel/WebSocketClient.h"
#include "core/util/Log.h"

#include <QTimer>

namespace bl {

EiceStream::EiceStream(EiceStreamSetup setup, QObject* parent)
    : ByteStream(parent)
    , m_setup(std::move(setup))
{
    Q_ASSERT(m_setup.http && m_setup.credentials && m_setup.slots);
    m_setup.slots->acquire(this, [this](Result<void> granted) { onSlot(granted); });
}

EiceStream::~EiceStream()
{
    releaseSlot();
}

void EiceStream::onSlot(const Result<void>& granted)
{
    if (isFinished() || state() == State::Closing) {
        releaseSlot();
        return;
    }
    if (!granted) {
        fail(granted.error());
        return;
    }
    fetchCredentials();
}

void EiceStream::fetchCredentials()
{
    m_setup.credentials->fetch(this, [this](Result<Credentials> credentials) {
        if (state() != State::Opening)
            return;
        if (!credentials) {
            fail(credentials.error());
            return;
        }
        connectWebSocket(credentials.value());
    });
}

void EiceStream::connectWebSocket(const Credentials& credentials)
{
    if (!m_setup.ssl) {
        fail(m_setup.ssl.error());
        return;
    }
    m_accountId = credentials.accountId;
    // A fresh URL for every connection: it is valid for 60 s only.
    const auto request = EicePresigner::build(m_setup.target, credentials, m_setup.http->signingTime());
    if (!request) {
        fail(request.error());
        return;
    }
    WebSocketClientOptions o;
    o.connectHost = request->connectHost;
    o.port = request->port;
    o.peerName = request->peerName;
    o.hostHeader = request->hostHeader;
    o.requestTarget = request->requestTarget;
    o.userAgent = m_setup.options.userAgent;
    o.ssl = m_setup.ssl.value();
    o.proxy = m_setup.proxy;
    o.peerDescription =
        QStringLiteral("EC2 Instance Connect Endpoint %1 (%2)").arg(m_setup.target.endpointId, m_setup.target.dnsName);
    o.handshakeTimeoutMs = m_setup.options.handshakeTimeoutMs;
    o.closeTimeoutMs = m_setup.options.closeTimeoutMs;
    o.receiveHighWater = m_setup.options.highWater;
    o.maxFramePayload = m_setup.options.maxFramePayload;

    ++m_attempts;
    qCDebug(lcTunnel).noquote() << "opening a WebSocket to" << o.peerDescription << "attempt" << m_attempts;
    m_ws = new WebSocketClient(this);
    connect(m_ws, &WebSocketClient::opened, this, &EiceStream::onOpened);
    connect(m_ws, &WebSocketClient::rejected, this, &EiceStream::onRejected);
    connect(m_ws, &WebSocketClient::readyRead, this, &ByteStream::readyRead);
    connect(m_ws, &WebSocketClient::bytesWritten, this, &ByteStream::bytesWritten);
    connect(m_ws, &WebSocketClient::closed, this,
            [this](quint16 code, const QString& reason, bool) { onClosed(code, reason); });
    connect(m_ws, &WebSocketClient::failed, this, [this](const Error& e) {
        releaseSlot();
        markFailed(e);
    });
    m_ws->open(o);
}

void EiceStream::onOpened()
{
    const QByteArray requestId = m_ws->response().header("x-amzn-RequestId");
    qCInfo(lcTunnel).noquote() << "tunnel open:" << m_setup.target.describe()
                               << (requestId.isEmpty()
                                       ? QString()
                                       : QStringLiteral("OpenTunnel RequestId ") + QString::fromLatin1(requestId));
    const QByteArray date = m_ws->response().header("Date");
    if (!date.isEmpty())
        m_setup.http->skew().observeServerDate(date, m_setup.http->clock().nowUtc());
    markOpen();
    if (!m_pending.isEmpty() && m_ws)
        m_ws->sendBinary(m_pending.read(m_pending.size()));
}

void EiceStream::onRejected(const HttpResponseHead& head, const QByteArray& body)
{
    std::optional<qint64> offset;
    bool skewChanged = false;
    const QByteArray date = head.header("Date");
    if (!date.isEmpty()) {
        const QDateTime local = m_setup.http->clock().nowUtc();
        const QDateTime server = ClockSkew::parseHttpDate(date);
        if (server.isValid())
            offset = local.secsTo(server);
        skewChanged = m_setup.http->skew().observeServerDate(date, local);
    }
    m_peakRx = qMax(m_peakRx, m_ws->peakReceiveBuffered());
    m_peakTx = qMax(m_peakTx, m_ws->peakSendBuffered());
    dropWebSocket();
    if ((head.status == 403 || head.status == 401) && skewChanged && !m_skewRetried && !m_closeRequested) {
        qCInfo(lcTunnel) << "tunnel refused with HTTP" << head.status << "and a clock offset of" << offset.value_or(0)
                         << "s; signing again with the corrected time";
        m_skewRetried = true;
        fetchCredentials();
        return;
    }
    fail(EiceErrors::fromRejection(head, body, m_setup.target, offset, m_accountId));
}

void EiceStream::onClosed(quint16 code, const QString& reason)
{
    releaseSlot();
    if (m_closeRequested) {
        markClosed();
        return;
    }
    if (auto error = EiceErrors::fromClose(code, reason, m_setup.target)) {
        qCInfo(lcTunnel).noquote() << error->message;
        markFailed(*error);
        return;
    }
    markClosed();
}

qint64 EiceStream::bytesAvailable() const
{
    return m_ws ? m_ws->bytesAvailable() : 0;
}

QByteArray EiceStream::read(qint64 maxSize)
{
    return m_ws ? m_ws->read(maxSize) : QByteArray();
}

void EiceStream::write(const QByteArray& data)
{
    if (state() == State::Opening) {
        m_pending.append(data);
        m_peakTx = qMax<qint64>(m_peakTx, m_pending.size());
        return;
    }
    if (state() == State::Open && m_ws)
        m_ws->sendBinary(data);
}

qint64 EiceStream::bytesToWrite() const
{
    return m_pending.size() + (m_ws ? m_ws->bytesToWrite() : 0);
}

void EiceStream::close()
{
    if (isFinished() || m_closeRequested)
        return;
    m_closeRequested = true;
    if (state() == State::Open && m_ws) {
        // EICE has no half-close: the end of our side ends the tunnel (as with the AWS CLI).
        markClosing();
        m_ws->close();
        return;
    }
    // Still opening: give up the slot (or the place in the queue) and report closed from the event loop.
    markClosing();
    releaseSlot();
    dropWebSocket();
    QTimer::singleShot(0, this, [this] { markClosed(); });
}

void EiceStream::abort()
{
    releaseSlot();
    if (m_ws)
        m_ws->abort();
    markAborted();
}

void EiceStream::fail(const Error& error)
{
    releaseSlot();
    if (m_ws)
        m_ws->abort();
    markFailed(error);
}

void EiceStream::releaseSlot()
{
    if (m_setup.slots)
        m_setup.slots->release(this);
}

void EiceStream::dropWebSocket()
{
    if (!m_ws)
        return;
    m_ws->disconnect(this);
    m_ws->abort();
    m_ws->deleteLater();
    m_ws = nullptr;
}

qint64 EiceStream::peakReceiveBuffered() const
{
    return qMax(m_peakRx, m_ws ? m_ws->peakReceiveBuffered() : 0);
}

qint64 EiceStream::peakSendBuffered() const
{
    return qMax(m_peakTx, m_ws ? m_ws->peakSendBuffered() : 0);
}

} // namespace bl
