#pragma once
// The Accounts window: every profile of ~/.aws with its kind, the environment's keys and the accounts added in
// the app. Add access keys (AccountKeysDialog), Remove an app account (after a confirmation), and SSO Login for
// an IAM Identity Center profile (SsoLoginDialog). Non-modal; every sub-dialog is opened with open().

#include "ui/SsoLoginDialog.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTableView;

namespace bl {

class AccountsModel;
class AppAccounts;

// Makes the SsoLogin for a profile (the product: createSsoLogin with the profile's CredentialsOptions).
using SsoLoginFactory = std::function<Result<std::unique_ptr<SsoLogin>>(const QString& profile)>;

class AccountsDialog : public QDialog
{
    Q_OBJECT
public:
    // model and accounts must outlive the dialog.
    AccountsDialog(AccountsModel& model, AppAccounts& accounts, SsoLoginFactory ssoLogin, UrlOpener openUrl,
                   QWidget* parent = nullptr);

    QString selectedName() const;
    void selectName(const QString& name);

Q_SIGNALS:
    // The app's sources should be rebuilt: an account was added or removed, or a profile logged in.
    void accountsChanged();
    void ssoLoggedIn(const QString& profile);

private:
    void updateButtons();
    void addKeys();
    void removeSelected();
    void ssoLogin();
    void showError(const Error& error);

    AccountsModel& m_model;
    AppAccounts& m_accounts;
    SsoLoginFactory m_ssoLogin;
    UrlOpener m_openUrl;
    QTableView* m_view;
    QLabel* m_status;
    QPushButton* m_add;
    QPushButton* m_remove;
    QPushButton* m_sso;
};

} // namespace bl
