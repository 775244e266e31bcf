// MfaDialog accepts exactly six digits (OK stays disabled otherwise), and MfaPrompter, the callback behind
// CredentialsOptions::mfaPrompt, answers with the code, with Cancelled on Cancel, never synchronously, and not
// at all when the asking object is gone.
#include "ui/MfaDialog.h"
#include "ui/MfaPrompter.h"

#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace bl;

class TestMfaDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validation_data();
    void validation();
    void typing_data();
    void typing();
    void prompterAnswersCode();
    void prompterCancel();
    void deadAskerGetsNoAnswer();

private:
    static MfaDialog* openPrompt(MfaPrompter& prompter, QObject* context, std::optional<Result<QString>>& out);
};

void TestMfaDialog::validation_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("valid");
    QTest::newRow("six digits") << "123456" << true;
    QTest::newRow("leading zeros") << "000042" << true;
    QTest::newRow("five") << "12345" << false;
    QTest::newRow("seven") << "1234567" << false;
    QTest::newRow("letters") << "12a456" << false;
    QTest::newRow("arabic-indic digits") << QStringLiteral("١٢٣٤٥٦") << false;
    QTest::newRow("empty") << "" << false;
}

void TestMfaDialog::validation()
{
    QFETCH(QString, code);
    QFETCH(bool, valid);
    QCOMPARE(MfaDialog::isValidCode(code), valid);
}

void TestMfaDialog::typing_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<bool>("okEnabled");
    QTest::newRow("complete") << "654321"
                              << "654321" << true;
    QTest::newRow("short") << "6543"
                           << "6543" << false;
    QTest::newRow("letters ignored") << "12ab34"
                                     << "1234" << false;
    QTest::newRow("extra digits ignored") << "12345678"
                                          << "123456" << true;
}

void TestMfaDialog::typing()
{
    QFETCH(QString, typed);
    QFETCH(QString, shown);
    QFETCH(bool, okEnabled);
    MfaDialog dialog(QStringLiteral("arn:aws:iam::111122223333:mfa/alice"));
    dialog.show();
    auto* edit = dialog.findChild<QLineEdit*>(QStringLiteral("mfaCodeEdit"));
    auto* ok = dialog.findChild<QPushButton*>(QStringLiteral("okButton"));
    QVERIFY(edit && ok);
    QVERIFY(!ok->isEnabled());
    QTest::keyClicks(edit, typed);
    QCOMPARE(edit->text(), shown);
    QCOMPARE(ok->isEnabled(), okEnabled);
}

MfaDialog* TestMfaDialog::openPrompt(MfaPrompter& prompter, QObject* context, std::optional<Result<QString>>& out)
{
    QSignalSpy opened(&prompter, &MfaPrompter::dialogOpened);
    MfaPrompt prompt = prompter.prompt();
    prompt(QStringLiteral("arn:aws:iam::111122223333:mfa/alice"), context, [&out](Result<QString> r) { out = r; });
    if (opened.count() != 1)
        return nullptr;
    return qobject_cast<MfaDialog*>(opened.first().first().value<QWidget*>());
}

void TestMfaDialog::prompterAnswersCode()
{
    MfaPrompter prompter;
    QObject context;
    std::optional<Result<QString>> out;
    MfaDialog* dialog = openPrompt(prompter, &context, out);
    QVERIFY(dialog);
    QCOMPARE(dialog->objectName(), QStringLiteral("mfaDialog"));
    QVERIFY(dialog->isVisible());
    QVERIFY(!out.has_value());
    QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("mfaCodeEdit")), QStringLiteral("246810"));
    if (qEnvironmentVariableIsSet("BL_SCREENSHOT_DIR"))
        dialog->grab().save(qEnvironmentVariable("BL_SCREENSHOT_DIR") + QStringLiteral("/mfa.png"));
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("okButton")), Qt::LeftButton);
    QTRY_VERIFY(out.has_value());
    QVERIFY(out->ok());
    QCOMPARE(out->value(), QStringLiteral("246810"));
}

void TestMfaDialog::prompterCancel()
{
    MfaPrompter prompter;
    QObject context;
    std::optional<Result<QString>> out;
    MfaDialog* dialog = openPrompt(prompter, &context, out);
    QVERIFY(dialog);
    auto* box = dialog->findChild<QDialogButtonBox*>();
    QTest::mouseClick(box->button(QDialogButtonBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(out.has_value());
    QVERIFY(!out->ok());
    QCOMPARE(out->error().kind, ErrorKind::Cancelled);
}

void TestMfaDialog::deadAskerGetsNoAnswer()
{
    MfaPrompter prompter;
    std::optional<Result<QString>> out;
    QPointer<MfaDialog> dialog;
    {
        QObject context;
        dialog = openPrompt(prompter, &context, out);
        QVERIFY(dialog);
    }
    QTRY_VERIFY(dialog.isNull());
    QVERIFY(!out.has_value());
}

QTEST_MAIN(TestMfaDialog)
#include "TestMfaDialog.moc"
