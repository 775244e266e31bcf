// SsoLoginDialog against fakeaws' IAM Identity Center: the dialog shows the user code and the verification
// address, "opens the browser" through the seam (here: the emulator approves the code, as a person would in
// the browser), shows progress while polling and ends with "Logged in" and the token shared with the AWS CLI.
// Cancel stops the flow; an unapproved code ends with an error a person understands.
#include "core/aws/credentials/CredentialsFactory.h"
#include "core/aws/credentials/SsoLogin.h"
#include "core/aws/http/AwsHttpClient.h"
#include "tests/fakeaws/FakeAws.h"
#include "ui/SsoLoginDialog.h"

#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

class TestSsoLoginDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void loginReachesSuccess();
    void cancelStopsPolling();
    void expiredCodeIsExplained();

private:
    std::unique_ptr<SsoLoginDialog> makeDialog(UrlOpener opener);

    fakeaws::FakeAws m_fake;
    std::unique_ptr<QTemporaryDir> m_home;
    QProcessEnvironment m_env;
    SystemClock m_clock;
    ClockSkew m_skew;
    std::unique_ptr<AwsHttpClient> m_http;
    std::optional<AwsConfig> m_config;
};

void TestSsoLoginDialog::initTestCase()
{
    const auto started = m_fake.start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
}

void TestSsoLoginDialog::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    const QString config =
        QStringLiteral("[profile sso]\nsso_session = fake\nsso_account_id = %1\n"
                       "sso_role_name = ReadOnly\n\n[sso-session fake]\nsso_start_url = %2\n"
                       "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n")
            .arg(m_fake.defaultIdentity().accountId, m_fake.endpointUrl() + QStringLiteral("/start"));
    QVERIFY(QDir().mkpath(m_home->filePath(QStringLiteral(".aws"))));
    QFile file(m_home->filePath(QStringLiteral(".aws/config")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(config.toUtf8());
    file.close();
    m_env = QProcessEnvironment();
    m_env.insert(QStringLiteral("HOME"), m_home->path());
    m_env.insert(QStringLiteral("AWS_ENDPOINT_URL"), m_fake.endpointUrl());
    m_env.insert(QStringLiteral("AWS_CA_BUNDLE"), m_fake.caBundlePath());
    HttpSettings settings = HttpSettings::fromEnvironment(m_env);
    settings.maxAttempts = 1;
    m_http = std::make_unique<AwsHttpClient>(settings, m_clock, m_skew);
    Result<AwsConfig> loaded = AwsConfig::load(m_env);
    QVERIFY(loaded.ok());
    m_config = loaded.value();
    m_fake.sso().oidc().setPollIntervalSecs(1);
    m_fake.sso().oidc().setDeviceCodeLifetimeSecs(600);
}

std::unique_ptr<SsoLoginDialog> TestSsoLoginDialog::makeDialog(UrlOpener opener)
{
    CredentialsOptions o(*m_config, *m_http, m_clock);
    o.env = m_env;
    o.explicitProfile = QStringLiteral("sso");
    auto login = createSsoLogin(o);
    if (!login.ok()) {
        qWarning("%s", qPrintable(login.error().toString()));
        return nullptr;
    }
    return std::make_unique<SsoLoginDialog>(std::move(login.value()), QStringLiteral("sso"), std::move(opener));
}

void TestSsoLoginDialog::loginReachesSuccess()
{
    QList<QUrl> opened;
    auto dialog = makeDialog([&](const QUrl& url) {
        opened.append(url);
        m_fake.approveAllDeviceCodes(); // the person approves in the browser
        return true;
    });
    QVERIFY(dialog);
    QCOMPARE(dialog->objectName(), QStringLiteral("ssoLoginDialog"));
    QSignalSpy loggedIn(dialog.get(), &SsoLoginDialog::loggedIn);
    dialog->open();
    dialog->start();
    auto* progress = dialog->findChild<QProgressBar*>(QStringLiteral("progressBar"));
    auto* code = dialog->findChild<QLabel*>(QStringLiteral("userCodeLabel"));
    auto* status = dialog->findChild<QLabel*>(QStringLiteral("statusLabel"));
    QVERIFY(progress && code && status);
    QCOMPARE(progress->maximum(), 0); // busy while waiting

    QVERIFY(loggedIn.wait(30000));
    QCOMPARE(loggedIn.first().first().toString(), QStringLiteral("sso"));
    QCOMPARE(opened.size(), 1);
    QVERIFY2(opened.first().toString().startsWith(m_fake.endpointUrl()), qPrintable(opened.first().toString()));
    QVERIFY(!code->text().isEmpty() && code->text() != QStringLiteral("…"));
    QVERIFY2(status->text().startsWith(QLatin1String("Logged in")), qPrintable(status->text()));
    QVERIFY(dialog->succeeded());
    QVERIFY(dialog->findChild<QPushButton*>(QStringLiteral("closeButton")));
    if (qEnvironmentVariableIsSet("BL_SCREENSHOT_DIR"))
        dialog->grab().save(qEnvironmentVariable("BL_SCREENSHOT_DIR") + QStringLiteral("/sso-login.png"));
    // The token is where the AWS CLI finds it.
    QCOMPARE(QDir(m_home->filePath(QStringLiteral(".aws/sso/cache"))).entryList(QDir::Files).size() >= 1, true);
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("closeButton")), Qt::LeftButton);
    QCOMPARE(dialog->result(), int(QDialog::Accepted));
}

void TestSsoLoginDialog::cancelStopsPolling()
{
    bool asked = false;
    auto dialog = makeDialog([&](const QUrl&) {
        asked = true;
        return false; // no browser: the dialog says so and keeps waiting
    });
    QVERIFY(dialog);
    QSignalSpy loggedIn(dialog.get(), &SsoLoginDialog::loggedIn);
    dialog->open();
    dialog->start();
    QTRY_VERIFY_WITH_TIMEOUT(asked, 20000);
    auto* address = dialog->findChild<QLabel*>(QStringLiteral("verificationUrlLabel"));
    QTRY_VERIFY(address->text().contains(QLatin1String("Could not open a browser")));
    QTest::qWait(1500); // a poll later the hint is still there
    QVERIFY(address->text().contains(QLatin1String("Could not open a browser")));
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("cancelButton")), Qt::LeftButton);
    QVERIFY(!dialog->isVisible());
    QCOMPARE(dialog->result(), int(QDialog::Rejected));
    m_fake.approveAllDeviceCodes();
    QTest::qWait(1500); // longer than a poll interval: nothing may arrive after cancel
    QCOMPARE(loggedIn.count(), 0);
}

void TestSsoLoginDialog::expiredCodeIsExplained()
{
    m_fake.sso().oidc().setDeviceCodeLifetimeSecs(1);
    auto dialog = makeDialog([](const QUrl&) { return true; }); // opened, never approved
    QVERIFY(dialog);
    std::optional<Error> failure;
    connect(dialog.get(), &SsoLoginDialog::failed, this, [&](const Error& e) { failure = e; });
    dialog->open();
    dialog->start();
    QTRY_VERIFY_WITH_TIMEOUT(failure.has_value(), 30000);
    auto* status = dialog->findChild<QLabel*>(QStringLiteral("statusLabel"));
    QVERIFY(!status->text().isEmpty());
    QVERIFY(!dialog->succeeded());
    QVERIFY(dialog->findChild<QPushButton*>(QStringLiteral("closeButton")));
    QCOMPARE(failure->kind, ErrorKind::Credentials);
    QVERIFY(status->text().contains(failure->message));
}

QTEST_MAIN(TestSsoLoginDialog)
#include "TestSsoLoginDialog.moc"
