#include "FleetTypes.h"

namespace fakeaws {

namespace {
struct StateRow
{
    InstanceState state;
    const char* name;
    int code;
};
constexpr StateRow kStates[] = {
    {InstanceState::Pending, "pending", 0},
    {InstanceState::Running, "running", 16},
    {InstanceState::ShuttingDown, "shutting-down", 32},
    {InstanceState::Terminated, "terminated", 48},
    {InstanceState::Stopping, "stopping", 64},
    {InstanceState::Stopped, "stopped", 80},
};
} // namespace

QString instanceStateName(InstanceState state)
{
    for (const StateRow& row : kStates) {
        if (row.state == state)
            return QString::fromLatin1(row.name);
    }
    return {};
}

int instanceStateCode(InstanceState state)
{
    for (const StateRow& row : kStates) {
        if (row.state == state)
            return row.code;
    }
    return -1;
}

std::optional<InstanceState> instanceStateFromName(const QString& name)
{
    for (const StateRow& row : kStates) {
        if (name == QLatin1String(row.name))
            return row.state;
    }
    return std::nullopt;
}

QString Instance::tag(const QString& key) const
{
    for (const auto& [k, v] : tags) {
        if (k == key)
            return v;
    }
    return {};
}

} // namespace fakeaws
