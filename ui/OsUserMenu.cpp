#include "ui/OsUserMenu.h"

#include "core/connect/OsUserOverrides.h"
#include "ui/InstanceActions.h"

#include <QActionGroup>
#include <QInputDialog>

namespace bl {

OsUserMenu::OsUserMenu(InstanceActions& actions, const InventoryEntry& entry, QWidget* dialogParent, QWidget* parent)
    : QMenu(parent)
{
    const QString key = entry.key();
    setObjectName(QStringLiteral("menuOsUser"));
    setToolTipsVisible(true);
    const OsUser::Choice current = actions.osUser(key);
    setTitle(QStringLiteral("Log in as %1").arg(current.user));
    menuAction()->setToolTip(QStringLiteral("SSH logs in as %1 (%2)").arg(current.user, current.reason));
    OsUserOverrides* users = actions.osUserOverrides();
    if (!users)
        return;

    QAction* now = addAction(QStringLiteral("Now: %1 — %2").arg(current.user, current.reason));
    now->setObjectName(QStringLiteral("osUserCurrent"));
    now->setEnabled(false);
    addSeparator();

    const QString name = entry.instance.name.isEmpty() ? entry.instance.id : entry.instance.name;
    const OsUser::Choice automatic = OsUser::choose(entry.instance, {}, {}, users->defaultUser());
    const QString overridden = users->user(entry.instance.id);
    auto* group = new QActionGroup(this);
    QAction* autoAction = addAction(QStringLiteral("Automatic: %1").arg(automatic.user));
    autoAction->setObjectName(QStringLiteral("osUserAuto"));
    autoAction->setToolTip(
        QStringLiteral("Let Bastionless decide (%1), as the command line does").arg(automatic.reason));
    autoAction->setCheckable(true);
    autoAction->setChecked(overridden.isEmpty());
    group->addAction(autoAction);
    connect(autoAction, &QAction::triggered, &actions, [&actions, key] { actions.setOsUser(key, {}); });
    if (!overridden.isEmpty()) {
        QAction* chosen = addAction(overridden);
        chosen->setObjectName(QStringLiteral("osUserOverride"));
        chosen->setToolTip(QStringLiteral("Set for this instance"));
        chosen->setCheckable(true);
        chosen->setChecked(true);
        group->addAction(chosen);
    }
    addSeparator();
    QAction* other = addAction(QStringLiteral("Other user…"));
    other->setObjectName(QStringLiteral("osUserOther"));
    other->setToolTip(QStringLiteral("Type the user name to log in as on this instance"));
    connect(other, &QAction::triggered, dialogParent,
            [&actions, key, name, dialogParent] { askForUser(actions, key, name, dialogParent); });
}

QInputDialog* OsUserMenu::askForUser(InstanceActions& actions, const QString& key, const QString& name, QWidget* parent)
{
    auto* dialog = new QInputDialog(parent);
    dialog->setObjectName(QStringLiteral("osUserDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QStringLiteral("Log in as"));
    dialog->setLabelText(QStringLiteral("User name to log in to %1 as (empty: automatic):").arg(name));
    dialog->setTextValue(actions.osUser(key).user);
    connect(dialog, &QInputDialog::textValueSelected, &actions,
            [&actions, key](const QString& user) { actions.setOsUser(key, user); });
    dialog->open();
    return dialog;
}

} // namespace bl
