#pragma once
// Turns SIGINT/SIGTERM/SIGHUP into a Qt signal on the event loop (self-pipe), so commands can clean up
// (remove key files, close tunnels) instead of dying mid-way.

#include <QObject>

class QSocketNotifier;

namespace bl::cli {

class UnixSignals : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignals(QObject* parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    void interrupted(int signalNumber);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace bl::cli
