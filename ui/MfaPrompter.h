#pragma once
// Adapts MfaDialog to CredentialsOptions::mfaPrompt: each request opens a dialog (open(), never exec()) and
// answers with the code, or Cancelled when the person cancels. If the asking context dies first, the dialog
// goes away without answering. The parent window may be set after construction (services exist before it).

#include "core/aws/credentials/CredentialsProvider.h"

#include <QObject>
#include <QPointer>
#include <QWidget>

namespace bl {

class MfaPrompter : public QObject
{
    Q_OBJECT
public:
    explicit MfaPrompter(QWidget* parentWindow = nullptr, QObject* parent = nullptr);

    void setParentWindow(QWidget* window) { m_window = window; }
    // The callback for CredentialsOptions::mfaPrompt. Valid while this object lives.
    MfaPrompt prompt();
    void ask(const QString& mfaSerial, QObject* context, Callback<QString> answer);

Q_SIGNALS:
    void dialogOpened(QWidget* dialog); // for tests and focus handling

private:
    QPointer<QWidget> m_window;
};

} // namespace bl
