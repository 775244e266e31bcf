#pragma once
// Seeded misbehaviour of fakeaws's Session Manager data channel (PROTOCOLS.md §6.12 "Fault injection"):
// what to drop, duplicate, reorder or delay, when to cut the WebSocket, and the odd-but-legal message shapes
// the service produces. Every random decision is a pure function of (seed, kind, sequence number, attempt),
// not of a shared generator, so the same seed gives the same pattern however timers interleave.

#include <QString>

#include <optional>

namespace fakeaws {

struct SsmFaults
{
    // Agent -> client stream messages (including retransmissions, each attempt decided on its own).
    double drop = 0;
    double duplicate = 0;
    double reorder = 0; // held back and sent after the next message
    double delay = 0;
    int delayMs = 50;
    // Client -> agent stream messages the agent never sees (the client has to retransmit them).
    double dropInbound = 0;
    // Acks the agent owes the client but does not send.
    double withholdAcks = 0;
    quint64 seed = 1;

    // Drops the WebSocket without a close frame once this many Output payload bytes (both directions) have
    // passed on one connection; < 0: never. killEveryTime: on every connection, else only the first time.
    qint64 killAfterBytes = -1;
    bool killEveryTime = false;
    bool nulPaddedType = false; // agent messages carry NUL-padded MessageTypes
    // Mux mode: cut the smux byte stream into messages of random sizes (1..chunk) instead of full chunks, so
    // frames are split across messages and several small frames share one.
    bool splitSmux = false;
    // A minimal-header pause_publication + start_publication pair before every Nth data message (0: never).
    int publicationNoticeEvery = 0;
    int nullTokenResumes = 0; // the next N ResumeSession calls answer TokenValue null

    enum class Kind { Drop, Duplicate, Reorder, Delay, DropInbound, WithholdAck, Split };
    // Whether the fault of this kind hits the message (seq, attempt); for Split, the chunk size instead.
    bool hits(Kind kind, qint64 seq, int attempt = 0) const;
    int pick(Kind kind, qint64 seq, int range) const; // 0..range-1
    bool any() const;

    // "drop=0.05,reorder=0.05,duplicate=0.01,delay=0.02,delay-ms=40,drop-in=0.01,withhold-acks=0.1,seed=7,
    //  kill-after=65536,kill-every=1,nul-type=1,split=1,notice-every=50,null-token=1". nullopt + *error when bad.
    static std::optional<SsmFaults> parse(const QString& spec, QString* error);

private:
    double uniform(Kind kind, qint64 seq, int attempt) const;
};

} // namespace fakeaws
