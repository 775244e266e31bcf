#include "ui/AccountsModel.h"

#include "core/secrets/AppAccounts.h"

namespace bl {

namespace {

AccountKind kindOf(ProfileKind k)
{
    switch (k) {
    case ProfileKind::StaticKeys:
        return AccountKind::StaticKeys;
    case ProfileKind::AssumeRole:
        return AccountKind::AssumeRole;
    case ProfileKind::Sso:
        return AccountKind::Sso;
    case ProfileKind::Process:
        return AccountKind::Process;
    case ProfileKind::WebIdentity:
        return AccountKind::WebIdentity;
    case ProfileKind::Unknown:
        break;
    }
    return AccountKind::Unknown;
}

QString detailsOf(const ConfigSection& p, AccountKind kind)
{
    switch (kind) {
    case AccountKind::StaticKeys:
        return QStringLiteral("access key %1").arg(p.value(QStringLiteral("aws_access_key_id")));
    case AccountKind::AssumeRole: {
        const QString source = p.has(QStringLiteral("source_profile"))
            ? QStringLiteral("profile %1").arg(p.value(QStringLiteral("source_profile")))
            : p.value(QStringLiteral("credential_source"));
        return QStringLiteral("%1 via %2").arg(p.value(QStringLiteral("role_arn")), source);
    }
    case AccountKind::Sso: {
        const QString session = p.value(QStringLiteral("sso_session"));
        const QString where =
            session.isEmpty() ? p.value(QStringLiteral("sso_start_url")) : QStringLiteral("session %1").arg(session);
        return QStringLiteral("%1 / %2 (%3)")
            .arg(p.value(QStringLiteral("sso_account_id")), p.value(QStringLiteral("sso_role_name")), where);
    }
    case AccountKind::Process: {
        // Only the program: arguments of a credential_process may carry things better not shown.
        const QString command = p.value(QStringLiteral("credential_process")).trimmed();
        return QStringLiteral("runs %1").arg(command.section(QLatin1Char(' '), 0, 0));
    }
    default:
        return {};
    }
}

} // namespace

AccountsModel::AccountsModel(AppAccounts* appAccounts, QObject* parent)
    : QAbstractTableModel(parent)
    , m_appAccounts(appAccounts)
{
    if (appAccounts)
        connect(appAccounts, &AppAccounts::changed, this, &AccountsModel::rebuild);
    rebuild();
}

void AccountsModel::setConfig(const AwsConfig& config, const QProcessEnvironment& env)
{
    m_config = config;
    m_env = env;
    rebuild();
}

void AccountsModel::rebuild()
{
    beginResetModel();
    m_rows = buildRows(m_config, m_env, m_appAccounts.data());
    endResetModel();
}

QList<AccountRow> AccountsModel::buildRows(const AwsConfig& config, const QProcessEnvironment& env,
                                           const AppAccounts* appAccounts)
{
    QList<AccountRow> rows;
    const QString envKey = env.value(QStringLiteral("AWS_ACCESS_KEY_ID"));
    if (!envKey.isEmpty() && !env.value(QStringLiteral("AWS_SECRET_ACCESS_KEY")).isEmpty()) {
        AccountRow r;
        r.name = QStringLiteral("environment");
        r.kind = AccountKind::Environment;
        r.region = env.value(QStringLiteral("AWS_REGION"), env.value(QStringLiteral("AWS_DEFAULT_REGION")));
        r.details = QStringLiteral("AWS_ACCESS_KEY_ID %1").arg(envKey);
        rows.append(r);
    }
    for (const QString& name : config.profileNames()) {
        const std::optional<ConfigSection> p = config.profile(name);
        if (!p)
            continue;
        AccountRow r;
        r.name = name;
        r.kind = kindOf(config.profileKind(name));
        r.mfa = r.kind == AccountKind::AssumeRole && p->has(QStringLiteral("mfa_serial"));
        r.region = p->value(QStringLiteral("region"));
        r.details = detailsOf(*p, r.kind);
        rows.append(r);
    }
    if (appAccounts) {
        for (const AppAccount& a : appAccounts->accounts()) {
            AccountRow r;
            r.name = a.name;
            r.kind = AccountKind::AppKeys;
            r.region = a.region;
            r.details = QStringLiteral("access key %1; secret in the system keychain").arg(a.accessKeyId);
            rows.append(r);
        }
    }
    return rows;
}

QString AccountsModel::kindLabel(AccountKind kind, bool mfa)
{
    switch (kind) {
    case AccountKind::StaticKeys:
        return tr("keys");
    case AccountKind::AssumeRole:
        return mfa ? tr("role (MFA)") : tr("role");
    case AccountKind::Sso:
        return tr("SSO");
    case AccountKind::Process:
        return tr("process");
    case AccountKind::WebIdentity:
        return tr("web identity (unsupported)");
    case AccountKind::Environment:
        return tr("environment");
    case AccountKind::AppKeys:
        return tr("keys in keychain");
    case AccountKind::Unknown:
        break;
    }
    return tr("no credentials");
}

int AccountsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AccountsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AccountsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AccountRow& r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return r.name;
        case Kind:
            return kindLabel(r.kind, r.mfa);
        case Region:
            return r.region;
        case Details:
            return r.details;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return r.details;
    case NameRole:
        return r.name;
    case KindRole:
        return static_cast<int>(r.kind);
    case IsAppAccountRole:
        return r.kind == AccountKind::AppKeys;
    case CanSsoLoginRole:
        return r.kind == AccountKind::Sso;
    default:
        return {};
    }
}

QVariant AccountsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Kind:
        return tr("Kind");
    case Region:
        return tr("Region");
    case Details:
        return tr("Details");
    default:
        return {};
    }
}

const AccountRow* AccountsModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int AccountsModel::rowOf(const QString& name) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).name == name)
            return i;
    }
    return -1;
}

QStringList AccountsModel::names() const
{
    QStringList out;
    for (const AccountRow& r : m_rows)
        out.append(r.name);
    return out;
}

} // namespace bl
