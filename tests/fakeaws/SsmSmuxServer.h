#pragma once
// The server half of smux protocol version 1 (PROTOCOLS.md §6.8) as a plain class: parses the byte stream
// the client sends (the concatenated Output payloads, split anywhere) into frames, keeps track of which
// streams are open, and builds the server's frames. The SSM agent emulator runs it over the data channel
// in mux mode; sockets live elsewhere.

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>

namespace fakeaws {

class SsmSmuxServer
{
public:
    static constexpr quint8 kVersion = 1;
    enum class Cmd : quint8 { Syn = 0, Fin = 1, Psh = 2, Nop = 3, Upd = 4 };
    static constexpr int kMaxFrameData = 32768; // what the server puts in one PSH

    struct Event
    {
        enum class Kind { Open, Data, Close, Error };
        Kind kind = Kind::Data;
        quint32 streamId = 0;
        QByteArray data; // Data: the PSH payload; Error: empty
        QString error; // Error: why the smux session is dead (e.g. a version-2 frame)
    };

    // Decodes client bytes. A SYN for an open stream, PSH/FIN for an unknown one are ignored (as smux does);
    // a frame with another version or an unknown command is an Error, after which nothing is decoded.
    void feed(const QByteArray& bytes, QList<Event>& out);
    bool isBroken() const { return m_broken; }
    bool isOpen(quint32 streamId) const { return m_open.contains(streamId); }
    // The server closes a stream: returns its FIN frame (empty when the stream is not open).
    QByteArray finish(quint32 streamId);
    qsizetype openStreams() const { return m_open.size(); }
    qint64 buffered() const { return m_buffer.size(); }

    static QByteArray frame(Cmd cmd, quint32 streamId, const QByteArray& data = {});
    // PSH frames of at most kMaxFrameData bytes each.
    static QByteArray dataFrames(quint32 streamId, const QByteArray& data);

private:
    QByteArray m_buffer;
    QSet<quint32> m_open;
    bool m_broken = false;
};

} // namespace fakeaws
