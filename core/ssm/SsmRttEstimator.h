#pragma once
// SsmRttEstimator: the TCP-like round-trip estimate both SSM ends use to time retransmissions (PROTOCOLS.md §6.5):
// initial RTT 100 ms, RTTVAR 0, RTO 200 ms; per sample R: RTTVAR = 0.75 RTTVAR + 0.25 |RTT - R|,
// RTT = 0.875 RTT + 0.125 R, RTO = RTT + max(10 ms, 4 RTTVAR), capped at 1 s.

namespace bl {

class SsmRttEstimator
{
public:
    static constexpr double InitialRttMs = 100.0;
    static constexpr double InitialRtoMs = 200.0;
    static constexpr double ClockGranularityMs = 10.0;
    static constexpr double MaxRtoMs = 1000.0;

    void addSample(double sampleMs);
    double rttMs() const { return m_rtt; }
    double rttVarMs() const { return m_rttVar; }
    double rtoMs() const { return m_rto; }

private:
    double m_rtt = InitialRttMs;
    double m_rttVar = 0.0;
    double m_rto = InitialRtoMs;
};

} // namespace bl
