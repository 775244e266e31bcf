#include "ui/MfaDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace bl {

MfaDialog::MfaDialog(const QString& mfaSerial, QWidget* parent)
    : QDialog(parent)
    , m_code(new QLineEdit(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("mfaDialog"));
    setWindowTitle(tr("MFA code"));
    m_code->setObjectName(QStringLiteral("mfaCodeEdit"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("okButton"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);

    auto* label = new QLabel(tr("Enter the current code of the MFA device\n%1").arg(mfaSerial), this);
    label->setObjectName(QStringLiteral("mfaSerialLabel"));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_code->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{0,6}")), m_code));
    m_code->setMaxLength(6);
    m_code->setPlaceholderText(tr("6 digits"));
    m_code->setInputMethodHints(Qt::ImhDigitsOnly);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(m_code);
    layout->addWidget(m_buttons);

    connect(m_code, &QLineEdit::textChanged, this,
            [this](const QString& text) { m_buttons->button(QDialogButtonBox::Ok)->setEnabled(isValidCode(text)); });
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!isValidCode(code()))
            return;
        Q_EMIT codeEntered(code());
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

bool MfaDialog::isValidCode(const QString& code)
{
    if (code.size() != 6)
        return false;
    for (const QChar c : code) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    }
    return true;
}

QString MfaDialog::code() const
{
    return m_code->text().trimmed();
}

} // namespace bl
