#pragma once
// SshWire: the SSH binary encoding (RFC 4251 §5) shared by the key formats, the agent protocol and
// known_hosts validation: big-endian uint32 and length-prefixed strings, written and read.

#include <QByteArray>
#include <QByteArrayView>

namespace bl {

class SshWire
{
public:
    static void appendUint32(QByteArray& out, quint32 value);
    static void appendString(QByteArray& out, QByteArrayView value);

    // Readers advance pos on success and leave it untouched (returning false) on truncated input.
    static bool readUint32(QByteArrayView in, qsizetype& pos, quint32& value);
    static bool readString(QByteArrayView in, qsizetype& pos, QByteArray& value);
};

} // namespace bl
