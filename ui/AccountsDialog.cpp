#include "ui/AccountsDialog.h"

#include "core/aws/credentials/SsoLogin.h"
#include "core/secrets/AppAccounts.h"
#include "ui/AccountKeysDialog.h"
#include "ui/AccountsModel.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace bl {

AccountsDialog::AccountsDialog(AccountsModel& model, AppAccounts& accounts, SsoLoginFactory ssoLogin, UrlOpener openUrl,
                               QWidget* parent)
    : QDialog(parent)
    , m_model(model)
    , m_accounts(accounts)
    , m_ssoLogin(std::move(ssoLogin))
    , m_openUrl(std::move(openUrl))
    , m_view(new QTableView(this))
    , m_status(new QLabel(this))
    , m_add(new QPushButton(tr("&Add access keys…"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_sso(new QPushButton(tr("&SSO Login…"), this))
{
    setObjectName(QStringLiteral("accountsDialog"));
    setWindowTitle(tr("Accounts"));
    m_view->setObjectName(QStringLiteral("accountsView"));
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_add->setObjectName(QStringLiteral("addKeysButton"));
    m_remove->setObjectName(QStringLiteral("removeButton"));
    m_sso->setObjectName(QStringLiteral("ssoLoginButton"));

    m_view->setModel(&m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    auto* note = new QLabel(tr("Profiles come from ~/.aws/config and ~/.aws/credentials; edit those files (or use "
                               "`aws configure`) to change them. Access keys added here keep their secret in the "
                               "system keychain."),
                            this);
    note->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_sso);
    buttons->addStretch();
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    close->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("closeButton"));
    buttons->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    resize(760, 420);

    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_add, &QPushButton::clicked, this, &AccountsDialog::addKeys);
    connect(m_remove, &QPushButton::clicked, this, &AccountsDialog::removeSelected);
    connect(m_sso, &QPushButton::clicked, this, &AccountsDialog::ssoLogin);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AccountsDialog::updateButtons);
    connect(&m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->resizeColumnsToContents();
        updateButtons();
    });
    m_view->resizeColumnsToContents();
    updateButtons();
}

QString AccountsDialog::selectedName() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(AccountsModel::NameRole).toString();
}

void AccountsDialog::selectName(const QString& name)
{
    const int row = m_model.rowOf(name);
    if (row >= 0)
        m_view->selectRow(row);
    else
        m_view->clearSelection();
}

void AccountsDialog::updateButtons()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    const QModelIndex current = rows.isEmpty() ? QModelIndex() : rows.first();
    m_remove->setEnabled(current.isValid() && current.data(AccountsModel::IsAppAccountRole).toBool());
    m_sso->setEnabled(current.isValid() && current.data(AccountsModel::CanSsoLoginRole).toBool()
                      && static_cast<bool>(m_ssoLogin));
}

void AccountsDialog::showError(const Error& error)
{
    m_status->setText(error.hint.isEmpty() ? error.message : error.message + QLatin1Char('\n') + error.hint);
    m_status->show();
}

void AccountsDialog::addKeys()
{
    m_status->hide();
    auto* dialog = new AccountKeysDialog(m_accounts, m_model.names(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AccountKeysDialog::accountAdded, this, [this](const QString& name) {
        selectName(name);
        Q_EMIT accountsChanged();
    });
    dialog->open();
}

void AccountsDialog::removeSelected()
{
    const QString name = selectedName();
    if (name.isEmpty() || !m_accounts.account(name))
        return;
    auto* box = new QMessageBox(QMessageBox::Question, tr("Remove account"),
                                tr("Remove the account %1 and delete its secret access key from the system "
                                   "keychain?")
                                    .arg(name),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmRemoveBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [this, box, name] {
        if (box->standardButton(box->clickedButton()) != QMessageBox::Yes)
            return;
        m_accounts.remove(name, this, [this](Result<void> removed) {
            if (!removed.ok()) {
                showError(removed.error());
                return;
            }
            m_status->hide();
            Q_EMIT accountsChanged();
        });
    });
    box->open();
}

void AccountsDialog::ssoLogin()
{
    const QString profile = selectedName();
    if (profile.isEmpty() || !m_ssoLogin)
        return;
    m_status->hide();
    Result<std::unique_ptr<SsoLogin>> login = m_ssoLogin(profile);
    if (!login.ok()) {
        showError(login.error());
        return;
    }
    auto* dialog = new SsoLoginDialog(std::move(login.value()), profile, m_openUrl, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SsoLoginDialog::loggedIn, this, [this](const QString& who) {
        Q_EMIT ssoLoggedIn(who);
        Q_EMIT accountsChanged();
    });
    dialog->open();
    dialog->start();
}

} // namespace bl
