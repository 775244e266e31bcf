#pragma once
// DataChannelRig: a DataChannel on a pinned clock, with everything it sends decoded and everything it delivers
// collected, so tests can script the agent's side message by message.

#include "FakeSsmAgent.h"

#include "core/ssm/DataChannel.h"
#include "core/util/Clock.h"

#include <QJsonObject>

#include <utility>

struct DataChannelRig
{
    bl::FixedClock clock {QDateTime::fromMSecsSinceEpoch(1705320000000LL, Qt::UTC)};
    bl::DataChannel channel;
    QList<bl::SsmMessage> sent;
    QByteArray delivered;
    bool sinkReady = true;
    int readyCount = 0;
    bl::SsmHandshakeInfo info;
    QList<bl::Error> failures;

    explicit DataChannelRig(bl::DataChannelOptions options = {})
        : channel(clock, std::move(options))
    {
        QObject::connect(&channel, &bl::DataChannel::sendBinary, &channel,
                         [this](const QByteArray& f) { sent.append(FakeSsmAgent::decode(f)); });
        QObject::connect(&channel, &bl::DataChannel::ready, &channel, [this](const bl::SsmHandshakeInfo& i) {
            ++readyCount;
            info = i;
        });
        QObject::connect(&channel, &bl::DataChannel::failed, &channel,
                         [this](const bl::Error& e) { failures.append(e); });
        channel.setSink([this](const QByteArray& p) {
            if (!sinkReady)
                return false;
            delivered += p;
            return true;
        });
    }

    void advance(qint64 ms) { clock.set(clock.nowUtc().addMSecs(ms)); }
    bool feed(const QByteArray& frame) { return channel.receiveFrame(frame).ok(); }
    bool feedData(qint64 seq, const QByteArray& payload)
    {
        return feed(FakeSsmAgent::frame(seq, bl::SsmPayloadType::Output, payload));
    }
    QList<bl::SsmMessage> take() { return std::exchange(sent, {}); }

    static QJsonObject portProperties()
    {
        return {{QStringLiteral("portNumber"), QStringLiteral("22")},
                {QStringLiteral("type"), QStringLiteral("LocalPortForwarding")}};
    }
    // Connects and runs the handshake (agent seq 0 and 1, client seq 0); the next agent seq is 2.
    void handshake(const QString& agentVersion = QStringLiteral("3.3.40.0"))
    {
        channel.connectionOpened();
        feed(FakeSsmAgent::frame(
            0, bl::SsmPayloadType::HandshakeRequest,
            FakeSsmAgent::handshakeRequestPayload(agentVersion, QStringLiteral("Port"), portProperties()),
            bl::SsmMessage::FlagSyn));
        feed(FakeSsmAgent::frame(1, bl::SsmPayloadType::HandshakeComplete, FakeSsmAgent::handshakeCompletePayload()));
        const QList<bl::SsmMessage> msgs = take();
        // The agent acks our HandshakeResponse.
        for (const bl::SsmMessage& m : msgs) {
            if (m.isType(bl::SsmMessageType::InputStreamData))
                feed(FakeSsmAgent::ackFor(m));
        }
    }

    // Sequence numbers of the acks in msgs.
    static QList<qint64> ackedSeqs(const QList<bl::SsmMessage>& msgs)
    {
        QList<qint64> seqs;
        for (const bl::SsmMessage& m : msgs) {
            if (!m.isType(bl::SsmMessageType::Acknowledge))
                continue;
            auto ack = bl::SsmPayloads::parseAcknowledge(m.payload);
            seqs.append(ack.ok() ? ack->sequenceNumber : -1);
        }
        return seqs;
    }
    static QList<bl::SsmMessage> dataMessages(const QList<bl::SsmMessage>& msgs)
    {
        QList<bl::SsmMessage> out;
        for (const bl::SsmMessage& m : msgs) {
            if (m.isType(bl::SsmMessageType::InputStreamData))
                out.append(m);
        }
        return out;
    }
};
