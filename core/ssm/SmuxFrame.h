#pragma once
// SmuxFrame: the 8-byte smux v1 frame header (PROTOCOLS.md §6.8) - version, cmd, little-endian data length and
// stream id - with encoding and decoding. The data that follows a header is handled by SmuxSession, which
// streams it straight into the receive buffers instead of collecting whole frames.

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

namespace bl {

struct SmuxFrame
{
    enum Command : quint8 {
        Syn = 0, // open a stream
        Fin = 1, // close a stream (full close)
        Psh = 2, // data
        Nop = 3, // keep-alive
        Upd = 4, // window update, smux v2 only: a protocol error in v1
    };
    static constexpr quint8 Version = 1;
    static constexpr qsizetype HeaderSize = 8;
    static constexpr qsizetype MaxLength = 0xffff;

    quint8 version = Version;
    quint8 command = Nop;
    quint16 length = 0;
    quint32 streamId = 0;

    // The 8 header bytes of this frame.
    QByteArray encodeHeader() const;
    // A whole frame: header plus data (data.size() <= MaxLength).
    static QByteArray encode(quint8 command, quint32 streamId, QByteArrayView data = {});
    // Reads a header from the first HeaderSize bytes of `bytes` (which must hold at least that many).
    static SmuxFrame decodeHeader(QByteArrayView bytes);
    // Whether a v1 session understands `command` (SYN, FIN, PSH, NOP).
    static bool isV1Command(quint8 command) { return command <= Nop; }
};

} // namespace bl
