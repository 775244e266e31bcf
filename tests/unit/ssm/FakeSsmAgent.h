#pragma once
// FakeSsmAgent: the agent's half of the SSM data channel for socket-free tests, built on our own codec. It
// builds output_stream_data frames (handshake, data, flags), acks, and runs a minimal reliable receiver/sender
// (in-order reassembly, re-acks duplicates, retransmits its oldest unacked message) for the lossy-link test.

#include "core/ssm/SsmMessage.h"
#include "core/ssm/SsmPayloads.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

#include <map>

class FakeSsmAgent
{
public:
    static constexpr quint64 Date = 1705320000000ULL;

    // Frames with explicit sequence numbers (scripted tests).
    static QByteArray frame(qint64 seq, bl::SsmPayloadType type, const QByteArray& payload, quint64 flags = 0);
    static QByteArray handshakeRequestPayload(const QString& agentVersion, const QString& sessionType,
                                              const QJsonObject& properties, bool withKms = false);
    static QByteArray handshakeCompletePayload(const QString& customerMessage = {});
    static QByteArray ackFor(const bl::SsmMessage& msg);
    static QByteArray control(const char* type, const QByteArray& payload = {});
    // Decodes a frame the client sent (QFAIL-free: returns an invalid message type on error).
    static bl::SsmMessage decode(const QByteArray& wire);

    // --- reliable agent (lossy test) ---
    // Queues payload as the next output_stream_data; returns its frame.
    QByteArray send(bl::SsmPayloadType type, const QByteArray& payload);
    // Handles one frame from the client; returns the frames to send back (acks).
    QList<QByteArray> receive(const QByteArray& wire, qint64 nowMs);
    // Retransmits the oldest unacked message when older than rtoMs.
    QList<QByteArray> tick(qint64 nowMs, qint64 rtoMs = 200);
    // Marks every unacked message as just sent (used by send()).
    void markSent(qint64 seq, qint64 nowMs);

    QByteArray received; // Output payloads in order
    QList<bl::SsmMessage> inputs; // every input_stream_data delivered in order (handshake, data, flags)
    int unacked() const { return static_cast<int>(m_outbox.size()); }

private:
    struct Out
    {
        QByteArray frame;
        qint64 sentMs = 0;
    };
    qint64 m_nextSeq = 0;
    qint64 m_expected = 0;
    std::map<qint64, Out> m_outbox;
    std::map<qint64, bl::SsmMessage> m_buffer;
};
