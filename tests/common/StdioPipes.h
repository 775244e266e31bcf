#pragma once
// Two pipes standing in for ssh's standard input and output around a StdioTunnel (`bastionless-cli proxy`): the
// tunnel reads tunnelInput() and writes tunnelOutput(); the test plays ssh with send(), closeInput(),
// readAvailable() and closeOutput(). The test's read end is non-blocking so that reading never stalls the event loop.

#include <QByteArray>

class StdioPipes
{
public:
    StdioPipes();
    ~StdioPipes();
    StdioPipes(const StdioPipes&) = delete;
    StdioPipes& operator=(const StdioPipes&) = delete;

    bool ok() const { return m_ok; }
    int tunnelInput() const { return m_in[0]; }
    int tunnelOutput() const { return m_out[1]; }

    // One write of all of bytes to the tunnel's input; false when not all of it went in.
    bool send(const QByteArray& bytes);
    // ssh's end of input: the tunnel sees end of file.
    void closeInput();
    // At most maxBytes of what the tunnel wrote, from one read; empty when nothing is waiting.
    QByteArray readSome(int maxBytes);
    // All the tunnel has written so far, without waiting.
    QByteArray readAvailable();
    // ssh went away: the tunnel's writes now fail (EPIPE).
    void closeOutput();

private:
    int m_in[2] = {-1, -1};
    int m_out[2] = {-1, -1};
    bool m_ok = false;
};
