#pragma once
// SsmTransport: tunnels to one (instance, remote port) through AWS Systems Manager Session Manager, so the
// TunnelListener and StdioTunnel forward over SSM unchanged. One SsmSession per transport, started on the first
// openStream() and shared by every stream (PROTOCOLS.md §6.7):
//  - mux mode (agents > 3.0.196.0, port-forwarding documents): every stream is an smux stream; agent output is
//    fed to the smux session only while its receive limit allows (otherwise not acknowledged, retried when the
//    reader catches up), and smux output goes to the data channel in chunks bounded by its send window;
//  - basic mode (older agents): one stream at a time, the next waits; DisconnectToPort when one ends; no agent
//    output is acknowledged before a stream exists to take it;
//  - stream mode (AWS-StartSSHSession): one stream; its end ends the session.
// A session that failed or ended is replaced by a new one on the next openStream().

#include "core/ssm/SsmSession.h"
#include "core/tunnel/ByteStream.h"
#include "core/tunnel/TunnelTransport.h"

#include <QList>
#include <QPointer>

#include <optional>

namespace bl {

class SmuxSession;
class SsmStream;

struct SsmTransportOptions
{
    enum class Document {
        PortForwarding, // AWS-StartPortForwardingSession: a port on the instance
        PortForwardingToRemoteHost, // AWS-StartPortForwardingSessionToRemoteHost: host:port as seen from it
        SshSession, // AWS-StartSSHSession: one byte stream to the port (ssh ProxyCommand)
    };
    Document document = Document::PortForwarding;
    quint16 remotePort = 22;
    QString remoteHost; // PortForwardingToRemoteHost only
    QString documentNameOverride; // a custom Session document with the same parameters
    QString reason; // StartSession Reason (optional)
    QString region; // empty: the AwsSession's default region
    qint64 highWater = ByteStream::DefaultHighWater;
    SsmSessionOptions session;

    QString documentName() const;
    SsmSessionParameters parameters() const;
};

class SsmTransport : public TunnelTransport
{
    Q_OBJECT

public:
    // aws must outlive the transport; streams must not outlive it either (as with every transport).
    SsmTransport(AwsSession& aws, QString instanceId, SsmTransportOptions options, QObject* parent = nullptr);
    ~SsmTransport() override;

    ByteStream* openStream(QObject* parent) override;
    QString describe() const override;
    // Ends the current session (TerminateSession flag and API call), then done; see TunnelTransport.
    void shutdown(QObject* context, std::function<void()> done) override;

    const SsmTransportOptions& options() const { return m_options; }
    // The current session (null before the first stream); for progress in the GUI.
    SsmSession* session() const { return m_session; }
    int sessionsStarted() const { return m_sessionsStarted; }
    // Agent payloads not taken (left unacknowledged) because the reader was behind; for tests and diagnostics.
    qint64 refusedPayloads() const { return m_refused; }
    qint64 smuxBuffered() const;
    // Ends the current session gracefully (TerminateSession); sessionFinished() follows.
    void endSession();

    // --- for SsmStream ---
    void streamWrite(SsmStream* stream, const QByteArray& data);
    void streamRead(SsmStream* stream);
    void streamClose(SsmStream* stream);
    void streamGone(SsmStream* stream);
    qint64 streamPendingOutput(const SsmStream* stream) const;

Q_SIGNALS:
    void sessionStarting(bl::SsmSession* session);
    void sessionReady(const bl::SsmHandshakeInfo& info);
    // The session is over: reason for people; failed: session()->error() says why.
    void sessionFinished(const QString& reason, bool failed);

private:
    void ensureSession();
    void onReady(const SsmHandshakeInfo& info);
    void onSessionOver(const std::optional<Error>& error, const QString& reason);
    void attachPending();
    bool acceptPayload(const QByteArray& payload);
    void onFlag(SsmFlag flag);
    void pumpOutput();
    void pumpMux();
    void pumpSingle();
    void moveFromSmux(SsmStream* stream);
    void onSmuxRemoteClosed(quint32 id);
    void finishRemote(SsmStream* stream);
    void finishSingle(SsmStream* stream);
    static void closeLater(SsmStream* stream);
    SsmStream* byMuxId(quint32 id) const;
    qint64 sendRoom() const;
    Error connectError() const;
    void scheduleAttach();

    AwsSession& m_aws;
    QString m_instanceId;
    SsmTransportOptions m_options;
    QPointer<SsmSession> m_session;
    SmuxSession* m_smux = nullptr;
    SsmForwardMode m_mode = SsmForwardMode::Mux;
    bool m_ready = false;
    QList<QPointer<SsmStream>> m_streams; // of the current session, in open order
    QPointer<SsmStream> m_active; // basic / stream mode
    bool m_singleUsed = false; // stream mode: the session's one stream was attached
    int m_connectErrors = 0; // ConnectToPortError flags not yet matched to a stream
    bool m_attachScheduled = false;
    bool m_pumping = false;
    bool m_endRequested = false; // endSession(): open streams end normally with the session
    int m_sessionsStarted = 0;
    qint64 m_refused = 0;
};

} // namespace bl
