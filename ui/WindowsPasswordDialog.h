#pragma once
// WindowsPasswordDialog: "Get Windows password…" for one Windows instance. It asks EC2 for the password with
// the key pair's .pem kept in the keychain; when there is none (or it is the wrong one) the person picks the
// .pem file, which is tried and then kept in the keychain (the file itself is not needed again). The password
// shows masked, with Show and Copy. The work is WindowsPasswords'; this is only its window.

#include "core/inventory/InventoryTypes.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace bl {

class WindowsPasswords;

class WindowsPasswordDialog : public QDialog
{
    Q_OBJECT
public:
    // Asks for the password with the stored .pem at once.
    WindowsPasswordDialog(WindowsPasswords& passwords, const InventoryEntry& entry, QWidget* parent = nullptr);

    // Tries the .pem at path and keeps it in the keychain when it decrypts the password (the file chooser
    // ends here; tests call it directly).
    void usePemFile(const QString& path);
    QString status() const;

private:
    void choosePemFile();
    void showPassword(const QString& password);
    void showError(const Error& error);
    void setBusy(const QString& text);

    WindowsPasswords& m_passwords;
    InventoryEntry m_entry;
    QLabel* m_status;
    QLineEdit* m_password;
    QPushButton* m_choose;
    QPushButton* m_show;
    QPushButton* m_copy;
};

} // namespace bl
