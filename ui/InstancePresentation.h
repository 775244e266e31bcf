#pragma once
// How instance data looks on screen: state colours and dots, the reachability text and its tooltip, the
// platform label. Shared by the model and anything else that shows instances (the tray, later).

#include "core/inventory/InventoryTypes.h"

#include <QColor>
#include <QIcon>

namespace bl {

class InstancePresentation
{
public:
    static QColor stateColor(InstanceState state);
    static QIcon stateIcon(InstanceState state); // a dot in stateColor, cached
    static QString platformText(const Instance& instance); // "Windows", "Ubuntu", "Linux/UNIX", ...
    // "EICE · SSM · public IP", "Not reachable: ...", "checking…"; short enough for a column.
    static QString reachabilityText(const InventoryEntry& entry);
    static QColor reachabilityColor(const InventoryEntry& entry); // invalid: the default text colour
    static QString reachabilityTooltip(const InventoryEntry& entry);
    // One line about the selected instance: who, where, and how it can be reached or why not.
    static QString summary(const InventoryEntry& entry);
    static QString tagsTooltip(const Instance& instance);
};

} // namespace bl
