#include "ui/SsoLoginDialog.h"

#include "core/aws/credentials/SsoLogin.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace bl {

UrlOpener SsoLoginDialog::systemUrlOpener()
{
    return [](const QUrl& url) { return QDesktopServices::openUrl(url); };
}

SsoLoginDialog::SsoLoginDialog(std::unique_ptr<SsoLogin> login, QString profile, UrlOpener openUrl, QWidget* parent)
    : QDialog(parent)
    , m_login(std::move(login))
    , m_profile(std::move(profile))
    , m_openUrl(std::move(openUrl))
    , m_intro(new QLabel(this))
    , m_code(new QLabel(this))
    , m_address(new QLabel(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_openBrowser(new QPushButton(tr("Open &browser again"), this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("ssoLoginDialog"));
    setWindowTitle(tr("IAM Identity Center login — %1").arg(m_profile));
    m_code->setObjectName(QStringLiteral("userCodeLabel"));
    m_address->setObjectName(QStringLiteral("verificationUrlLabel"));
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_openBrowser->setObjectName(QStringLiteral("openBrowserButton"));
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    m_intro->setText(tr("Signing in profile %1 with IAM Identity Center. Confirm in the browser that it shows this "
                        "code:")
                         .arg(m_profile));
    m_intro->setWordWrap(true);
    QFont big = m_code->font();
    big.setPointSizeF(big.pointSizeF() * 2);
    big.setBold(true);
    m_code->setFont(big);
    m_code->setAlignment(Qt::AlignCenter);
    m_code->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_code->setText(tr("…"));
    m_address->setOpenExternalLinks(false);
    m_address->setWordWrap(true);
    m_address->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setRange(0, 0); // busy: the length of the wait is the person's
    m_progress->setTextVisible(false);
    m_openBrowser->setEnabled(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_code);
    layout->addWidget(m_address);
    layout->addWidget(m_openBrowser, 0, Qt::AlignLeft);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    setMinimumWidth(480);

    connect(m_address, &QLabel::linkActivated, this, [this](const QString&) { openBrowser(); });
    connect(m_openBrowser, &QPushButton::clicked, this, &SsoLoginDialog::openBrowser);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SsoLoginDialog::cancelOrClose);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    if (m_login) {
        connect(m_login.get(), &SsoLogin::verificationReady, this, &SsoLoginDialog::showVerification);
        connect(m_login.get(), &SsoLogin::progress, m_status, &QLabel::setText);
    }
}

SsoLoginDialog::~SsoLoginDialog()
{
    if (m_login)
        m_login->cancel();
}

void SsoLoginDialog::start()
{
    if (!m_login || m_login->isRunning())
        return;
    m_status->setText(tr("Contacting IAM Identity Center…"));
    m_login->start([this](Result<SsoToken> token) {
        if (token.ok()) {
            finish(true,
                   tr("Logged in. The session is valid until %1 and is shared with the AWS CLI.")
                       .arg(QLocale().toString(token->expiresAt.toLocalTime(), QLocale::ShortFormat)));
            Q_EMIT loggedIn(m_profile);
            return;
        }
        const Error& e = token.error();
        if (e.kind == ErrorKind::Cancelled)
            return; // the person asked for it; the dialog is already closing
        finish(false, e.hint.isEmpty() ? e.message : e.message + QLatin1Char('\n') + e.hint);
        Q_EMIT failed(e);
    });
}

void SsoLoginDialog::showVerification(const QString& uri, const QString& uriComplete, const QString& userCode)
{
    m_code->setText(userCode);
    m_url = QUrl(uriComplete.isEmpty() ? uri : uriComplete);
    m_address->setText(tr("If no browser opened, go to <a href=\"%1\">%2</a> and enter the code.")
                           .arg(m_url.toString(QUrl::FullyEncoded).toHtmlEscaped(), uri.toHtmlEscaped()));
    m_openBrowser->setEnabled(true);
    m_status->setText(tr("Waiting for approval in the browser…"));
    openBrowser();
}

void SsoLoginDialog::openBrowser()
{
    if (m_url.isEmpty() || !m_openUrl)
        return;
    // Said next to the address, where it stays: progress lines replace the status line.
    if (!m_openUrl(m_url))
        m_address->setText(tr("Could not open a browser. Go to <a href=\"%1\">%2</a> yourself and enter the code.")
                               .arg(m_url.toString(QUrl::FullyEncoded).toHtmlEscaped(),
                                    m_url.toString(QUrl::FullyEncoded).toHtmlEscaped()));
}

void SsoLoginDialog::finish(bool ok, const QString& text)
{
    m_done = true;
    m_succeeded = ok;
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    m_progress->setVisible(ok);
    m_openBrowser->setEnabled(false);
    m_status->setText(text);
    m_buttons->setStandardButtons(QDialogButtonBox::Close);
    m_buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("closeButton"));
}

void SsoLoginDialog::cancelOrClose()
{
    if (!m_done && m_login)
        m_login->cancel();
    if (m_succeeded)
        accept();
    else
        reject();
}

} // namespace bl
