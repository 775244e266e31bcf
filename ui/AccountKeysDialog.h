#pragma once
// The "Add access keys" form: account name, access key id, secret access key (never shown: password echo)
// and an optional region. Hands them to AppAccounts, which checks them and stores the secret in the keychain;
// the form only shows the answer. Opened with open(); accepted once the account is stored.

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace bl {

class AppAccounts;

class AccountKeysDialog : public QDialog
{
    Q_OBJECT
public:
    // takenNames: names already used by ~/.aws profiles. accounts must outlive the dialog.
    AccountKeysDialog(AppAccounts& accounts, QStringList takenNames, QWidget* parent = nullptr);

Q_SIGNALS:
    void accountAdded(const QString& name);

private:
    void submit();
    void setBusy(bool busy);

    AppAccounts& m_accounts;
    QStringList m_takenNames;
    QLineEdit* m_name;
    QLineEdit* m_accessKeyId;
    QLineEdit* m_secret;
    QLineEdit* m_region;
    QLabel* m_error;
    QDialogButtonBox* m_buttons;
};

} // namespace bl
