#pragma once
// The instance menu's "Log in as" submenu: says who SSH logs in as and why (an override, the
// bastionless:os-user tag, a guess from the image, the default), and lets the person type another user name
// or go back to automatic. The choice goes through InstanceActions into the settings file bastionless-cli reads.

#include "core/inventory/InventoryTypes.h"

#include <QMenu>

class QInputDialog;

namespace bl {

class InstanceActions;

class OsUserMenu : public QMenu
{
    Q_OBJECT
public:
    // dialogParent: the window the "Other user…" dialog belongs to (the menu itself closes first).
    OsUserMenu(InstanceActions& actions, const InventoryEntry& entry, QWidget* dialogParent, QWidget* parent = nullptr);

    // The "Log in as" dialog for key, already open (non-modal); it deletes itself when closed.
    static QInputDialog* askForUser(InstanceActions& actions, const QString& key, const QString& name, QWidget* parent);
};

} // namespace bl
