#pragma once
// SingleInstance: one desktop app per user. The first launch listens on a local socket named after the user;
// a later launch connects, asks it to raise its window (and select what the later launch's --select named),
// waits for its answer and exits. A socket file left behind by a crashed instance is removed and taken over.
// Everything runs from the event loop: nothing blocks while the handshake is under way.
//
// Wire format, one UTF-8 line each way: "raise\n" or "raise <select>\n"; the answer is "ok\n".

#include <QObject>

class QLocalServer;
class QLocalSocket;
class QTimer;

namespace bl {

class SingleInstance : public QObject
{
    Q_OBJECT
public:
    enum class Outcome {
        Primary, // nobody else runs: this instance listens now and gets raiseRequested()
        Forwarded, // a running instance took the request: this one should exit
        Standalone, // something answers on the name but not properly: run without single-instance
    };
    Q_ENUM(Outcome)

    explicit SingleInstance(QString serverName, QObject* parent = nullptr);
    ~SingleInstance() override;

    // "bastionless-<uid>", in $XDG_RUNTIME_DIR when there is one (a 0700 directory of this user).
    static QString defaultServerName();
    QString serverName() const { return m_name; }

    // Hands select (may be empty) to a running instance, or becomes the one. finished() follows once, from the
    // event loop, within handshakeTimeoutMs.
    void start(const QString& select = {});
    void setHandshakeTimeout(int ms) { m_timeoutMs = ms; }
    bool isPrimary() const;

Q_SIGNALS:
    void finished(bl::SingleInstance::Outcome outcome);
    // On the primary: a later launch asked to be shown; select is its --select argument (may be empty).
    void raiseRequested(const QString& select);

private:
    void tryConnect();
    void readAnswer();
    void onConnectError();
    void becomePrimary();
    void finish(Outcome outcome);
    void onNewConnection();
    void readRequest(QLocalSocket* socket);

    QString m_name;
    QString m_select;
    int m_timeoutMs = 3000;
    bool m_retried = false; // listen lost a race to another new instance: connect once more
    bool m_finished = false;
    QLocalServer* m_server = nullptr;
    QLocalSocket* m_client = nullptr;
    QTimer* m_timeout = nullptr;
};

} // namespace bl
