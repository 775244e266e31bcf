#include "core/ssm/SsmRttEstimator.h"

#include <algorithm>
#include <cmath>

namespace bl {

void SsmRttEstimator::addSample(double sampleMs)
{
    sampleMs = std::max(0.0, sampleMs);
    m_rttVar = 0.75 * m_rttVar + 0.25 * std::abs(m_rtt - sampleMs);
    m_rtt = 0.875 * m_rtt + 0.125 * sampleMs;
    m_rto = std::min(MaxRtoMs, m_rtt + std::max(ClockGranularityMs, 4.0 * m_rttVar));
}

} // namespace bl
