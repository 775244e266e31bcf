#include "SsmTestClient.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTest>
#include <QtEndian>

namespace ssmtest {

namespace {

void be32(QByteArray& out, quint32 v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(static_cast<char>((v >> shift) & 0xFF));
}

void be64(QByteArray& out, quint64 v)
{
    for (int shift = 56; shift >= 0; shift -= 8)
        out.append(static_cast<char>((v >> shift) & 0xFF));
}

quint64 rd(const QByteArray& b, int at, int n)
{
    quint64 v = 0;
    for (int i = 0; i < n; ++i)
        v = (v << 8) | static_cast<unsigned char>(b.at(at + i));
    return v;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

QByteArray encode(const QString& type, qint64 seq, quint64 flags, quint32 payloadType, const QByteArray& payload,
                  const QUuid& id, quint64 createdMs)
{
    QByteArray out;
    be32(out, 116);
    out.append(type.toLatin1().leftJustified(32, ' ', true));
    be32(out, 1);
    be64(out, createdMs);
    be64(out, static_cast<quint64>(seq));
    be64(out, flags);
    const QByteArray uuid = id.toRfc4122();
    out.append(uuid.right(8));
    out.append(uuid.left(8));
    out.append(QCryptographicHash::hash(payload, QCryptographicHash::Sha256));
    be32(out, payloadType);
    be32(out, static_cast<quint32>(payload.size()));
    out.append(payload);
    return out;
}

std::optional<Message> decode(const QByteArray& bytes)
{
    if (bytes.size() < 120 || rd(bytes, 0, 4) != 116)
        return std::nullopt;
    Message m;
    QByteArray type = bytes.mid(4, 32);
    while (!type.isEmpty() && (type.endsWith(' ') || type.endsWith('\0')))
        type.chop(1);
    m.type = QString::fromLatin1(type);
    m.seq = static_cast<qint64>(rd(bytes, 48, 8));
    m.flags = rd(bytes, 56, 8);
    m.id = QUuid::fromRfc4122(bytes.mid(72, 8) + bytes.mid(64, 8));
    m.payloadType = static_cast<quint32>(rd(bytes, 112, 4));
    const auto length = static_cast<qsizetype>(rd(bytes, 116, 4));
    if (length != bytes.size() - 120)
        return std::nullopt;
    m.payload = bytes.mid(120);
    if (QCryptographicHash::hash(m.payload, QCryptographicHash::Sha256) != bytes.mid(80, 32))
        return std::nullopt;
    return m;
}

QByteArray flag(quint32 value)
{
    QByteArray out;
    be32(out, value);
    return out;
}

QByteArray smuxFrame(quint8 cmd, quint32 streamId, const QByteArray& data)
{
    QByteArray out(8, '\0');
    out[0] = 1;
    out[1] = static_cast<char>(cmd);
    qToLittleEndian(static_cast<quint16>(data.size()), out.data() + 2);
    qToLittleEndian(streamId, out.data() + 4);
    return out + data;
}

QList<SmuxFrame> smuxParse(QByteArray& buffer)
{
    QList<SmuxFrame> frames;
    while (buffer.size() >= 8) {
        const quint16 length = qFromLittleEndian<quint16>(buffer.constData() + 2);
        if (buffer.size() < 8 + length)
            break;
        SmuxFrame f;
        f.cmd = static_cast<quint8>(buffer.at(1));
        f.streamId = qFromLittleEndian<quint32>(buffer.constData() + 4);
        f.data = buffer.mid(8, length);
        buffer.remove(0, 8 + length);
        frames.append(f);
    }
    return frames;
}

SsmTestClient::SsmTestClient(QObject* parent)
    : QObject(parent)
{
    connect(&m_ws, &QWebSocket::binaryMessageReceived, this, &SsmTestClient::onBinary);
    connect(&m_resend, &QTimer::timeout, this, [this] {
        if (!retransmit || !isConnected())
            return;
        for (auto it = m_unacked.begin(); it != m_unacked.end(); ++it) {
            if (nowMs() - it->second > 200) {
                m_ws.sendBinaryMessage(it->first);
                it->second = nowMs();
            }
        }
    });
    m_resend.start(100);
}

bool SsmTestClient::open(const QString& streamUrl, const QSslCertificate& ca, const QString& token,
                         const QList<QPair<QByteArray, QByteArray>>& headers, int timeoutMs)
{
    QNetworkRequest request {QUrl(streamUrl)};
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates({ca});
    m_ws.setSslConfiguration(tls);
    for (const auto& h : headers)
        request.setRawHeader(h.first, h.second);
    QSignalSpy connected(&m_ws, &QWebSocket::connected);
    m_ws.open(request);
    if (connected.isEmpty() && !connected.wait(timeoutMs))
        return false;
    const QJsonObject open {{QStringLiteral("MessageSchemaVersion"), QStringLiteral("1.0")},
                            {QStringLiteral("RequestId"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
                            {QStringLiteral("TokenValue"), token},
                            {QStringLiteral("ClientId"), QStringLiteral("5f0e8c1a-2b3c-4d5e-8f9a-0b1c2d3e4f5a")},
                            {QStringLiteral("ClientVersion"), QStringLiteral("1.2.650.0")}};
    m_ws.sendTextMessage(QString::fromUtf8(QJsonDocument(open).toJson(QJsonDocument::Compact)));
    return true;
}

void SsmTestClient::setSequenceState(qint64 outSeq, qint64 expected)
{
    m_outSeq = outSeq;
    m_expected = expected;
}

bool SsmTestClient::handshake(const QString& clientVersion, int timeoutMs)
{
    auto has = [this](quint32 type) {
        for (const Message& m : std::as_const(m_delivered)) {
            if (m.payloadType == type)
                return true;
        }
        return false;
    };
    if (!QTest::qWaitFor([&] { return has(5); }, timeoutMs))
        return false;
    const QByteArray response = QByteArrayLiteral("{\"ClientVersion\":\"") + clientVersion.toLatin1()
        + QByteArrayLiteral("\",\"ProcessedClientActions\":[{\"ActionType\":\"SessionType\",\"ActionStatus\":1,"
                            "\"ActionResult\":null,\"Error\":\"\"}],\"Errors\":null}");
    sendInput(6, response);
    return QTest::qWaitFor([&] { return has(7); }, timeoutMs);
}

QJsonObject SsmTestClient::handshakeRequest() const
{
    for (const Message& m : m_delivered) {
        if (m.payloadType == 5)
            return QJsonDocument::fromJson(m.payload).object();
    }
    return {};
}

qint64 SsmTestClient::sendInput(quint32 payloadType, const QByteArray& payload)
{
    const qint64 seq = m_outSeq++;
    const QByteArray bytes = encode(QStringLiteral("input_stream_data"), seq, 0, payloadType, payload);
    m_unacked.insert(seq, {bytes, nowMs()});
    if (isConnected())
        m_ws.sendBinaryMessage(bytes);
    return seq;
}

void SsmTestClient::onBinary(const QByteArray& bytes)
{
    const std::optional<Message> m = decode(bytes);
    if (!m) {
        m_undecodable.append(bytes);
        return;
    }
    m_raw.append(*m);
    if (m->type == QLatin1String("acknowledge")) {
        ++m_acksReceived;
        const QJsonObject a = QJsonDocument::fromJson(m->payload).object();
        m_unacked.remove(static_cast<qint64>(a.value(QStringLiteral("AcknowledgedMessageSequenceNumber")).toDouble()));
        return;
    }
    if (m->type != QLatin1String("output_stream_data"))
        return;
    if (m->seq < m_expected) {
        ++m_duplicates;
        ack(*m);
        return;
    }
    if (m->seq > m_expected) {
        m_buffer.insert(m->seq, *m);
        ack(*m);
        return;
    }
    deliver(*m);
    ack(*m);
    while (m_buffer.contains(m_expected))
        deliver(m_buffer.take(m_expected));
    Q_EMIT messageDelivered();
}

void SsmTestClient::deliver(const Message& m)
{
    ++m_expected;
    m_delivered.append(m);
    if (m.payloadType == 1)
        m_output.append(m.payload);
}

void SsmTestClient::ack(const Message& m)
{
    const bool handshakeMessage = m.payloadType == 5 || m.payloadType == 7;
    if (!ackOutputs && !handshakeMessage)
        return;
    const QByteArray payload = QByteArrayLiteral("{\"AcknowledgedMessageType\":\"") + m.type.toLatin1()
        + QByteArrayLiteral("\",\"AcknowledgedMessageId\":\"") + m.id.toByteArray(QUuid::WithoutBraces)
        + QByteArrayLiteral("\",\"AcknowledgedMessageSequenceNumber\":") + QByteArray::number(m.seq)
        + QByteArrayLiteral(",\"IsSequentialMessage\":true}");
    m_ws.sendBinaryMessage(encode(QStringLiteral("acknowledge"), 0, 3, 0, payload));
}

QList<quint32> SsmTestClient::flagsReceived() const
{
    QList<quint32> out;
    for (const Message& m : m_delivered) {
        if (m.payloadType == 10 && m.payload.size() == 4)
            out.append(static_cast<quint32>(rd(m.payload, 0, 4)));
    }
    return out;
}

std::optional<QJsonObject> SsmTestClient::channelClosed() const
{
    for (const Message& m : m_raw) {
        if (m.type == QLatin1String("channel_closed"))
            return QJsonDocument::fromJson(m.payload).object();
    }
    return std::nullopt;
}

} // namespace ssmtest
