#include "ui/MfaPrompter.h"

#include "ui/MfaDialog.h"

namespace bl {

MfaPrompter::MfaPrompter(QWidget* parentWindow, QObject* parent)
    : QObject(parent)
    , m_window(parentWindow)
{ }

MfaPrompt MfaPrompter::prompt()
{
    QPointer<MfaPrompter> self(this);
    return [self](const QString& mfaSerial, QObject* context, Callback<QString> answer) {
        if (!self) {
            QMetaObject::invokeMethod(
                context,
                [answer] {
                    answer(Error::make(ErrorKind::Cancelled, QStringLiteral("No window to ask for the MFA code")));
                },
                Qt::QueuedConnection);
            return;
        }
        self->ask(mfaSerial, context, std::move(answer));
    };
}

void MfaPrompter::ask(const QString& mfaSerial, QObject* context, Callback<QString> answer)
{
    auto* dialog = new MfaDialog(mfaSerial, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // A dead asker gets no answer; its dialog just goes.
    connect(context, &QObject::destroyed, dialog, &QObject::deleteLater);
    connect(dialog, &MfaDialog::codeEntered, context, [answer](const QString& code) { answer(code); });
    connect(dialog, &QDialog::rejected, context, [answer] {
        answer(Error::make(ErrorKind::Cancelled, QStringLiteral("MFA code entry was cancelled"),
                           QStringLiteral("The role needs a current code from the MFA device to be assumed.")));
    });
    dialog->open();
    Q_EMIT dialogOpened(dialog);
}

} // namespace bl
