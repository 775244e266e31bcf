#pragma once
// SmuxTestPeer: a deliberately small, independent smux v1 server end for tests. It parses the client's byte
// stream with its own code (not SmuxFrame), records every frame and each stream's data, and builds frames to
// send back, so the tests check SmuxSession against a second implementation rather than against itself.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QMap>
#include <QSet>

class SmuxTestPeer
{
public:
    struct Frame
    {
        quint8 version = 0;
        quint8 command = 0;
        quint32 streamId = 0;
        QByteArray data;
    };

    // One encoded frame; version and command are taken as given so tests can build broken frames.
    static QByteArray frame(quint8 command, quint32 streamId, QByteArrayView data = {}, quint8 version = 1);

    // Parses whatever complete frames `bytes` finishes; partial frames wait for more.
    void feed(QByteArrayView bytes);

    const QList<Frame>& frames() const { return m_frames; }
    QList<quint32> openedStreams() const { return m_openOrder; }
    QByteArray received(quint32 id) const { return m_received.value(id); }
    bool finished(quint32 id) const { return m_finished.contains(id); }
    int nopCount() const { return m_nops; }
    // Frames that break the protocol from a server's point of view (bad version or command, data or FIN on a
    // stream that was never opened or already finished, a second SYN).
    int violations() const { return m_violations; }
    // Bytes of an unfinished frame still waiting for the rest.
    qsizetype partialBytes() const { return m_in.size(); }

private:
    void apply(const Frame& frame);

    QByteArray m_in;
    QList<Frame> m_frames;
    QList<quint32> m_openOrder;
    QSet<quint32> m_finished;
    QMap<quint32, QByteArray> m_received;
    int m_nops = 0;
    int m_violations = 0;
};
