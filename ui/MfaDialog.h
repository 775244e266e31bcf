#pragma once
// Asks for the six-digit code of an MFA device when a role profile needs one. OK stays disabled until the code
// is six digits. Opened with open(); codeEntered() carries the answer, rejected() a cancel.

#include <QDialog>

class QDialogButtonBox;
class QLineEdit;

namespace bl {

class MfaDialog : public QDialog
{
    Q_OBJECT
public:
    MfaDialog(const QString& mfaSerial, QWidget* parent = nullptr);

    static bool isValidCode(const QString& code); // exactly six ASCII digits
    QString code() const;

Q_SIGNALS:
    void codeEntered(const QString& code);

private:
    QLineEdit* m_code;
    QDialogButtonBox* m_buttons;
};

} // namespace bl
