#include "ui/AccountKeysDialog.h"

#include "core/secrets/AppAccounts.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace bl {

AccountKeysDialog::AccountKeysDialog(AppAccounts& accounts, QStringList takenNames, QWidget* parent)
    : QDialog(parent)
    , m_accounts(accounts)
    , m_takenNames(std::move(takenNames))
    , m_name(new QLineEdit(this))
    , m_accessKeyId(new QLineEdit(this))
    , m_secret(new QLineEdit(this))
    , m_region(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("accountKeysDialog"));
    setWindowTitle(tr("Add access keys"));
    m_name->setObjectName(QStringLiteral("accountNameEdit"));
    m_accessKeyId->setObjectName(QStringLiteral("accessKeyIdEdit"));
    m_secret->setObjectName(QStringLiteral("secretAccessKeyEdit"));
    m_region->setObjectName(QStringLiteral("regionEdit"));
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Add"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("addButton"));

    m_name->setPlaceholderText(tr("work-admin"));
    m_accessKeyId->setPlaceholderText(tr("AKIA…"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(tr("stored in the system keychain only"));
    m_region->setPlaceholderText(tr("optional, e.g. eu-west-1"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("Account &name:"), m_name);
    form->addRow(tr("Access &key id:"), m_accessKeyId);
    form->addRow(tr("&Secret access key:"), m_secret);
    form->addRow(tr("Default &region:"), m_region);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &AccountKeysDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // The secret should not linger in a hidden widget.
    connect(this, &QDialog::finished, m_secret, &QLineEdit::clear);
}

void AccountKeysDialog::setBusy(bool busy)
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    for (QLineEdit* edit : {m_name, m_accessKeyId, m_secret, m_region})
        edit->setReadOnly(busy);
}

void AccountKeysDialog::submit()
{
    AppAccount account;
    account.name = m_name->text().trimmed();
    account.accessKeyId = m_accessKeyId->text().trimmed();
    account.region = m_region->text().trimmed();
    const QString secret = m_secret->text().trimmed();

    const Result<void> valid = m_accounts.validate(account, secret, m_takenNames);
    if (!valid.ok()) {
        m_error->setText(valid.error().hint.isEmpty() ? valid.error().message
                                                      : valid.error().message + QLatin1Char('\n') + valid.error().hint);
        m_error->show();
        return;
    }
    setBusy(true);
    m_error->setText(tr("Storing the secret in the system keychain…"));
    m_error->show();
    m_accounts.add(account, secret, this, [this, name = account.name](Result<void> added) {
        setBusy(false);
        if (!added.ok()) {
            m_error->setText(added.error().message + QLatin1Char('\n') + added.error().hint);
            return;
        }
        m_error->hide();
        Q_EMIT accountAdded(name);
        accept();
    });
}

} // namespace bl
