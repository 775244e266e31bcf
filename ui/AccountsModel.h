#pragma once
// The accounts the app can use, one row each: every profile of ~/.aws with its kind (static keys, role with or
// without MFA, IAM Identity Center, credential_process), the environment's keys when set, and the accounts
// added in the app (keys in the keychain). Rebuilt when the app accounts change or setConfig() is called.

#include "core/aws/base/AwsConfig.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QProcessEnvironment>

namespace bl {

class AppAccounts;

enum class AccountKind { StaticKeys, AssumeRole, Sso, Process, WebIdentity, Environment, AppKeys, Unknown };

struct AccountRow
{
    QString name;
    AccountKind kind = AccountKind::Unknown;
    bool mfa = false; // a role that asks for an MFA code
    QString region;
    QString details; // for people; never a secret
};

class AccountsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Kind, Region, Details, ColumnCount };
    enum Role {
        NameRole = Qt::UserRole + 1,
        KindRole, // int(AccountKind)
        IsAppAccountRole, // can be removed in the app
        CanSsoLoginRole, // an IAM Identity Center profile
    };

    // appAccounts may be null (no keychain accounts); it must outlive the model otherwise.
    explicit AccountsModel(AppAccounts* appAccounts, QObject* parent = nullptr);

    void setConfig(const AwsConfig& config, const QProcessEnvironment& env);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const AccountRow* rowAt(int row) const;
    int rowOf(const QString& name) const; // -1 if absent
    QStringList names() const;

    static QString kindLabel(AccountKind kind, bool mfa); // "keys", "role (MFA)", "SSO", "keys in keychain", ...
    static QList<AccountRow> buildRows(const AwsConfig& config, const QProcessEnvironment& env,
                                       const AppAccounts* appAccounts);

private:
    void rebuild();

    QPointer<AppAccounts> m_appAccounts;
    AwsConfig m_config;
    QProcessEnvironment m_env;
    QList<AccountRow> m_rows;
};

} // namespace bl
