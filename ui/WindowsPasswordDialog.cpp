#include "ui/WindowsPasswordDialog.h"

#include "core/launch/WindowsPasswords.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace bl {

namespace {

// A key pair .pem is a few kilobytes; anything much larger is not one.
constexpr qint64 kMaxPemSize = 64 * 1024;

QString nameOf(const Instance& i)
{
    return i.name.isEmpty() ? i.id : QStringLiteral("%1 (%2)").arg(i.name, i.id);
}

} // namespace

WindowsPasswordDialog::WindowsPasswordDialog(WindowsPasswords& passwords, const InventoryEntry& entry, QWidget* parent)
    : QDialog(parent)
    , m_passwords(passwords)
    , m_entry(entry)
{
    setObjectName(QStringLiteral("windowsPasswordDialog"));
    setWindowTitle(QStringLiteral("Windows password — %1").arg(nameOf(entry.instance)));

    auto* explanation = new QLabel(
        QStringLiteral("EC2 keeps the Administrator password of %1 encrypted with its key pair%2. The key pair's "
                       ".pem file decrypts it; it is kept in the keychain once it worked.")
            .arg(nameOf(entry.instance),
                 entry.instance.keyName.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(entry.instance.keyName)),
        this);
    explanation->setWordWrap(true);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("windowsPasswordStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("windowsPasswordField"));
    m_password->setReadOnly(true);
    m_password->setEchoMode(QLineEdit::Password);

    m_show = new QPushButton(QStringLiteral("Show"), this);
    m_show->setObjectName(QStringLiteral("windowsPasswordShow"));
    m_show->setCheckable(true);
    m_show->setEnabled(false);
    connect(m_show, &QPushButton::toggled, this, [this](bool on) {
        m_password->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
        m_show->setText(on ? QStringLiteral("Hide") : QStringLiteral("Show"));
    });
    m_copy = new QPushButton(QStringLiteral("Copy"), this);
    m_copy->setObjectName(QStringLiteral("windowsPasswordCopy"));
    m_copy->setEnabled(false);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_password->text());
        m_status->setText(QStringLiteral("Copied the password to the clipboard."));
    });
    auto* passwordRow = new QHBoxLayout;
    passwordRow->addWidget(m_password, 1);
    passwordRow->addWidget(m_show);
    passwordRow->addWidget(m_copy);

    auto* form = new QFormLayout;
    form->addRow(QStringLiteral("User:"), new QLabel(QStringLiteral("Administrator"), this));
    form->addRow(QStringLiteral("Password:"), passwordRow);

    m_choose = new QPushButton(QStringLiteral("Choose .pem file…"), this);
    m_choose->setObjectName(QStringLiteral("windowsPasswordChoosePem"));
    connect(m_choose, &QPushButton::clicked, this, &WindowsPasswordDialog::choosePemFile);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_choose, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    setBusy(QStringLiteral("Asking EC2 for the password…"));
    m_passwords.password(m_entry, this, [this](Result<QString> password) {
        if (password)
            showPassword(*password);
        else
            showError(password.error());
    });
}

QString WindowsPasswordDialog::status() const
{
    return m_status->text();
}

void WindowsPasswordDialog::setBusy(const QString& text)
{
    m_status->setText(text);
    m_choose->setEnabled(false);
}

void WindowsPasswordDialog::showPassword(const QString& password)
{
    m_password->setText(password);
    m_show->setEnabled(true);
    m_copy->setEnabled(true);
    m_choose->setEnabled(true);
    m_status->setText(QStringLiteral("This is the password Windows set at first boot; it no longer works once "
                                     "someone changed it on the instance."));
}

void WindowsPasswordDialog::showError(const Error& error)
{
    m_choose->setEnabled(true);
    m_status->setText(error.hint.isEmpty() ? error.message : QStringLiteral("%1\n%2").arg(error.message, error.hint));
    if (m_password->text().isEmpty())
        m_choose->setFocus();
}

void WindowsPasswordDialog::choosePemFile()
{
    auto* chooser = new QFileDialog(this, QStringLiteral("The key pair's .pem file"), QString(),
                                    QStringLiteral("Private keys (*.pem);;All files (*)"));
    chooser->setObjectName(QStringLiteral("windowsPasswordPemChooser"));
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    chooser->setFileMode(QFileDialog::ExistingFile);
    connect(chooser, &QFileDialog::fileSelected, this, &WindowsPasswordDialog::usePemFile);
    chooser->open();
}

void WindowsPasswordDialog::usePemFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxPemSize) {
        showError(Error::make(ErrorKind::Io,
                              file.isOpen() ? QStringLiteral("%1 is too large to be a key pair's .pem file").arg(path)
                                            : QStringLiteral("Could not read %1: %2").arg(path, file.errorString()),
                              QStringLiteral("Choose the .pem file EC2 gave you when the key pair was created.")));
        return;
    }
    const QByteArray pem = file.readAll();
    setBusy(QStringLiteral("Decrypting the password with %1…").arg(path));
    m_passwords.passwordWithKey(m_entry, pem, this, [this, pem](Result<QString> password) {
        if (!password) {
            showError(password.error());
            return;
        }
        showPassword(*password);
        m_passwords.storeKey(m_entry, pem, this, [this](Result<void> stored) {
            if (stored)
                m_status->setText(QStringLiteral("The .pem is kept in the keychain: RDP fills the password in from "
                                                 "now on, and the file is not needed here again."));
            else
                showError(stored.error());
        });
    });
}

} // namespace bl
