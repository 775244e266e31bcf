#pragma once
// IAM Identity Center login for one profile, from the app: runs core's SsoLogin (device flow), shows the user
// code and the verification address, opens the browser through a seam (tests pass one that does not), shows
// progress while SsoLogin polls, and ends with "logged in" or an error a person can act on. Cancel stops the
// flow. Opened with open(); nothing here blocks.

#include "core/util/Result.h"

#include <QDialog>
#include <QUrl>

#include <functional>
#include <memory>

class QDialogButtonBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace bl {

class SsoLogin;

// Opens a URL for a person (the product: QDesktopServices::openUrl). false: it could not.
using UrlOpener = std::function<bool(const QUrl&)>;

class SsoLoginDialog : public QDialog
{
    Q_OBJECT
public:
    static UrlOpener systemUrlOpener();

    SsoLoginDialog(std::unique_ptr<SsoLogin> login, QString profile, UrlOpener openUrl, QWidget* parent = nullptr);
    ~SsoLoginDialog() override;

    // Starts the flow (call after open()).
    void start();
    bool succeeded() const { return m_succeeded; }

Q_SIGNALS:
    void loggedIn(const QString& profile);
    void failed(const bl::Error& error);

private:
    void showVerification(const QString& uri, const QString& uriComplete, const QString& userCode);
    void openBrowser();
    void finish(bool ok, const QString& text);
    void cancelOrClose();

    std::unique_ptr<SsoLogin> m_login;
    QString m_profile;
    UrlOpener m_openUrl;
    QUrl m_url;
    bool m_succeeded = false;
    bool m_done = false;

    QLabel* m_intro;
    QLabel* m_code;
    QLabel* m_address;
    QLabel* m_status;
    QProgressBar* m_progress;
    QPushButton* m_openBrowser;
    QDialogButtonBox* m_buttons;
};

} // namespace bl
