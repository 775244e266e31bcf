#pragma once
// Context menus driven like a person would: a right click on a row opens the menu (Qt turns the press into a
// context-menu event, on the real X server as on offscreen), the menu is found as the active popup, and an
// entry is clicked at its place in the menu once the menu is on screen. Entries are found by objectName.

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QTest>
#include <QWindow>

namespace guitest {

inline constexpr int menuWaitMs = 15000;

// The popup menu on screen with this objectName, or null.
inline QMenu* openPopup(const QString& objectName)
{
    auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
    return menu && menu->isVisible() && menu->objectName() == objectName ? menu : nullptr;
}

// Right-clicks the row of index and returns the context menu with this objectName once it is shown. The click
// goes to the top-level window, as the window system delivers it, so that Qt makes the context-menu event itself
// (a click sent straight to the widget would not).
inline QMenu* rightClickRow(QAbstractItemView& view, const QModelIndex& index, const QString& menuName)
{
    QWindow* window = view.window()->windowHandle();
    if (!window)
        return nullptr;
    const QPoint pos = window->mapFromGlobal(view.viewport()->mapToGlobal(view.visualRect(index).center()));
    QTest::mouseClick(window, Qt::RightButton, {}, pos);
    if (!QTest::qWaitFor([&menuName] { return openPopup(menuName) != nullptr; }, menuWaitMs))
        return nullptr;
    QMenu* menu = openPopup(menuName);
    return QTest::qWaitForWindowExposed(menu, menuWaitMs) ? menu : nullptr;
}

inline QAction* entry(const QMenu& menu, const QString& objectName)
{
    for (QAction* a : menu.actions()) {
        if (a->objectName() == objectName)
            return a;
    }
    return nullptr;
}

// Clicks the entry in the open menu. False (with a warning) when it is missing, outside the menu or the menu
// stays open (a disabled entry does nothing, like for a person).
inline bool clickEntry(QMenu& menu, const QString& objectName)
{
    QAction* action = entry(menu, objectName);
    if (!action) {
        qWarning("no entry %s in the menu", qPrintable(objectName));
        return false;
    }
    const QPoint at = menu.actionGeometry(action).center();
    if (!menu.rect().contains(at)) {
        qWarning("the entry %s is outside the open menu", qPrintable(objectName));
        return false;
    }
    QTest::mouseMove(&menu, at);
    QTest::mouseClick(&menu, Qt::LeftButton, {}, at);
    QMenu* const watched = &menu;
    return QTest::qWaitFor([watched] { return QApplication::activePopupWidget() != watched; }, menuWaitMs);
}

// Clicks a submenu's title in the open menu and returns the submenu once it is on screen.
inline QMenu* openSubmenu(QMenu& menu, const QString& submenuName)
{
    QMenu* sub = menu.findChild<QMenu*>(submenuName);
    if (!sub)
        return nullptr;
    const QPoint at = menu.actionGeometry(sub->menuAction()).center();
    QTest::mouseMove(&menu, at);
    QTest::mouseClick(&menu, Qt::LeftButton, {}, at);
    if (!QTest::qWaitFor([sub] { return sub->isVisible(); }, menuWaitMs))
        return nullptr;
    return QTest::qWaitForWindowExposed(sub, menuWaitMs) ? sub : nullptr;
}

} // namespace guitest
