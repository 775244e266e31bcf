#pragma once
// SsmVersion: dotted version comparison and the port-forwarding mode decisions that depend on the agent version
// (PROTOCOLS.md §6.7). Both ends decide independently, so these gates must match the agent's and the plugin's.

#include <QJsonObject>
#include <QString>

namespace bl {

// How the Output byte stream of a port session is used.
enum class SsmForwardMode {
    Stream, // no "type" property (AWS-StartSSHSession): one byte stream, the session ends with it
    Basic, // one local TCP connection at a time, DisconnectToPort between them
    Mux, // smux v1 over the Output stream, many connections
};

struct SsmModeDecision
{
    SsmForwardMode mode = SsmForwardMode::Stream;
    bool smuxKeepAliveNeeded = false; // send smux NOPs every 10 s (mux with agents <= 3.1.1511.0)
    bool terminateFlagSupported = false; // the TerminateSession flag works (agents > 2.3.722.0)
};

class SsmVersion
{
public:
    // Our handshake ClientVersion: >= 1.2.332 so the agent selects mux and turns its smux keep-alive off.
    static QString clientVersion();

    // Component-wise numeric comparison; missing components count as 0 ("3.1" == "3.1.0.0"). Non-numeric
    // components count as 0. Returns <0, 0 or >0.
    static int compare(const QString& a, const QString& b);

    static SsmModeDecision decide(const QString& agentVersion, const QJsonObject& properties);
};

} // namespace bl
