#pragma once
// The window's Accounts and Settings actions: each opens its dialog (modeless-safe, QDialog::open()) over the
// services' models. The dialogs hold no logic; GuiServices reacts to what they change.

#include <QObject>

class QAction;
class QWidget;

namespace bl {

class GuiServices;

class AppDialogs : public QObject
{
    Q_OBJECT
public:
    AppDialogs(GuiServices& services, QWidget* window);

    QAction* accountsAction() const { return m_accounts; }
    QAction* settingsAction() const { return m_settings; }

    void openAccounts();
    void openSettings();

private:
    GuiServices& m_services;
    QWidget* m_window;
    QAction* m_accounts;
    QAction* m_settings;
};

} // namespace bl
