#pragma once
// Plain value types of fakeaws's Session Manager emulator: the agent's settings (live: changes apply to
// running sessions), what tests can read back about each session, and the data-channel counters.

#include "SsmFaults.h"

#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>

namespace fakeaws {

struct SsmAgentSettings
{
    static constexpr const char* kDefaultAgentVersion = "3.3.40.0";

    // The AgentVersion of the handshake; empty: the instance's reported agent version, else 3.3.40.0.
    // "3.0.161.0" makes clients choose basic mode (§6.7).
    QString agentVersion;
    // The real agent reads 1024 bytes per message and sleeps 1 ms after each; pacing=false skips the sleep.
    bool pacing = false;
    int chunkBytes = 1024;
    int paceMs = 1;
    int handshakeTimeoutMs = 15000;
    int retransmitCheckMs = 100; // how often the oldest unacked message is looked at
    int maxIncomingBuffered = 100000; // out-of-order client messages kept (acked) for later
    qint64 muxReceiveBuffer = 4 * 1024 * 1024; // smux: unwritten bytes before the agent stops acking input
    // The agent stops reading targets while its messages from the oldest unacked one to the newest span this many
    // bytes (or more).
    qint64 maxUnackedBytes = 8 * 1024 * 1024;
    int connectTimeoutMs = 5000;
    // After a ResumeSession the agent's unacknowledged messages are all sent again at once, as if the message
    // gateway kept what the client missed while it was away. Whether the real service does that is unconfirmed
    // (PROTOCOLS.md §9); false: only the agent's own retransmission, its oldest message every 100 ms, which
    // takes minutes to repair a backlog of thousands of messages lost with the old WebSocket.
    bool replayOnReconnect = true;
    SsmFaults faults;
};

struct SsmSessionRecord
{
    QString sessionId;
    QString target;
    QString documentName;
    QMap<QString, QStringList> parameters;
    QString startedBy; // principal ARN
    QDateTime startedAt;
    int resumeCount = 0;
    bool terminated = false;
    QString terminatedBy; // principal ARN (TerminateSession API), "TerminateSession flag", "target closed", ...
    int channelsOpened = 0; // data-channel WebSockets that passed the token check
    int channelsRefused = 0;
    bool anyUpgradeSigned = false;
    bool lastUpgradeSigned = false;
    QString clientId; // from OpenDataChannel
    QString clientVersion; // from the HandshakeResponse
    QString mode; // "basic", "mux", "stdio"; empty before the handshake completed
    bool handshakeComplete = false;
    QString agentVersion; // sent in the HandshakeRequest
};

struct SsmCounters
{
    qint64 sessionsStarted = 0;
    qint64 resumes = 0;
    qint64 terminations = 0;
    qint64 channelsOpened = 0;
    qint64 channelsRefused = 0;
    qint64 channelsKilled = 0; // dropped without a close frame by the kill-after fault or dropDataChannels()
    qint64 messagesToClient = 0; // stream messages, first transmissions
    qint64 outputMessagesToClient = 0; // of which Output
    qint64 largestOutputPayload = 0;
    qint64 messagesFromClient = 0; // stream messages seen (after inbound drops)
    qint64 acksToClient = 0;
    qint64 acksFromClient = 0;
    qint64 retransmissions = 0;
    qint64 droppedToClient = 0;
    qint64 droppedFromClient = 0;
    qint64 duplicatedToClient = 0;
    qint64 reorderedToClient = 0;
    qint64 delayedToClient = 0;
    qint64 acksWithheld = 0;
    qint64 duplicatesFromClient = 0; // seq below expected: re-acked
    qint64 earlyDiscarded = 0; // client data before HandshakeComplete: acked and thrown away
    qint64 notReady = 0; // client data neither acked nor counted (target busy or not connected)
    qint64 bytesToTarget = 0;
    qint64 bytesFromTarget = 0;
    qint64 peakUnackedMessages = 0;
    qint64 peakUnackedBytes = 0;
    qint64 peakIncomingBuffered = 0;
    QList<qint64> droppedSequences; // agent sequence numbers dropped on their first transmission, in order
};

} // namespace fakeaws
