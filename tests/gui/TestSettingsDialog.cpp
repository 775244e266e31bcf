// SettingsDialog edits AppSettings and nothing else: the form shows the saved values, Save writes the edited
// ones (the file on disk changes), a region a person mistyped is shown as an error and nothing is saved, and
// Cancel leaves the file alone.
#include "core/connect/AppSettings.h"
#include "ui/SettingsDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;

class TestSettingsDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void showsSavedValues();
    void editAndSave();
    void badRegionIsNotSaved();
    void cancelKeepsFile();

private:
    template<typename T>
    T* child(QDialog& d, const char* name)
    {
        return d.findChild<T*>(QString::fromLatin1(name));
    }
    int rowOf(QTableWidget* table, const QString& profile)
    {
        for (int r = 0; r < table->rowCount(); ++r) {
            if (table->item(r, 0)->text() == profile)
                return r;
        }
        return -1;
    }
    QByteArray fileText()
    {
        QFile f(m_path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<QSettings> m_qsettings;
    std::unique_ptr<AppSettings> m_settings;
    const QStringList m_profiles {QStringLiteral("default"), QStringLiteral("prod")};
};

void TestSettingsDialog::init()
{
    m_settings.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("Bastionless.conf"));
    m_qsettings = std::make_unique<QSettings>(m_path, QSettings::IniFormat);
    m_settings = std::make_unique<AppSettings>(*m_qsettings);
    AppSettingsValues v;
    v.terminal = QStringLiteral("xterm");
    v.refreshIntervalSeconds = 120;
    v.profileRegions.insert(QStringLiteral("prod"), {false, {QStringLiteral("eu-west-1")}});
    QVERIFY(m_settings->save(v).ok());
}

void TestSettingsDialog::showsSavedValues()
{
    SettingsDialog dialog(*m_settings, m_profiles);
    QCOMPARE(dialog.objectName(), QStringLiteral("settingsDialog"));
    dialog.open();
    QCOMPARE(child<QComboBox>(dialog, "terminalCombo")->currentText(), QStringLiteral("xterm"));
    QCOMPARE(child<QSpinBox>(dialog, "refreshSpin")->value(), 120);
    QCOMPARE(child<QComboBox>(dialog, "transportCombo")->currentData().toString(), QStringLiteral("auto"));
    auto* table = child<QTableWidget>(dialog, "regionsTable");
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(rowOf(table, QStringLiteral("prod")), 1)->text(), QStringLiteral("eu-west-1"));
    QCOMPARE(table->item(rowOf(table, QStringLiteral("default")), 1)->text(), QString());
    if (qEnvironmentVariableIsSet("BL_SCREENSHOT_DIR"))
        dialog.grab().save(qEnvironmentVariable("BL_SCREENSHOT_DIR") + QStringLiteral("/settings.png"));
}

void TestSettingsDialog::editAndSave()
{
    SettingsDialog dialog(*m_settings, m_profiles);
    dialog.open();
    auto* terminal = child<QComboBox>(dialog, "terminalCombo");
    terminal->setCurrentText(QString());
    QTest::keyClicks(terminal->lineEdit(), QStringLiteral("konsole"));
    auto* transport = child<QComboBox>(dialog, "transportCombo");
    transport->setCurrentIndex(transport->findData(QStringLiteral("ssm")));
    auto* refresh = child<QSpinBox>(dialog, "refreshSpin");
    refresh->setValue(0);
    child<QCheckBox>(dialog, "allRegionsCheck")->setChecked(true);
    auto* table = child<QTableWidget>(dialog, "regionsTable");
    table->item(rowOf(table, QStringLiteral("default")), 1)->setText(QStringLiteral("all"));
    table->item(rowOf(table, QStringLiteral("prod")), 1)->setText(QStringLiteral("us-east-1 eu-west-2"));
    QTest::mouseClick(child<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    // A fresh reader of the file sees what was entered, under the keys GuiSettings reads.
    QSettings disk(m_path, QSettings::IniFormat);
    QCOMPARE(disk.value(QStringLiteral("connect/terminal")).toString(), QStringLiteral("konsole"));
    QCOMPARE(disk.value(QStringLiteral("connect/transport")).toString(), QStringLiteral("ssm"));
    QCOMPARE(disk.value(QStringLiteral("inventory/refreshIntervalSeconds")).toInt(), 0);
    QCOMPARE(disk.value(QStringLiteral("inventory/allRegions")).toBool(), true);
    QCOMPARE(disk.value(QStringLiteral("profiles/default/allRegions")).toBool(), true);
    QCOMPARE(disk.value(QStringLiteral("profiles/prod/regions")).toStringList(),
             (QStringList {QStringLiteral("us-east-1"), QStringLiteral("eu-west-2")}));
    QCOMPARE(m_settings->values().terminal, QStringLiteral("konsole"));
}

void TestSettingsDialog::badRegionIsNotSaved()
{
    const QByteArray before = fileText();
    SettingsDialog dialog(*m_settings, m_profiles);
    dialog.show();
    auto* table = child<QTableWidget>(dialog, "regionsTable");
    table->item(rowOf(table, QStringLiteral("prod")), 1)->setText(QStringLiteral("eu-west-1, Paris"));
    child<QSpinBox>(dialog, "refreshSpin")->setValue(60);
    QTest::mouseClick(child<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    auto* error = child<QLabel>(dialog, "errorLabel");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QLatin1String("prod")) && error->text().contains(QLatin1String("Paris")),
             qPrintable(error->text()));
    QCOMPARE(fileText(), before);
    QCOMPARE(m_settings->values().refreshIntervalSeconds, 120);
}

void TestSettingsDialog::cancelKeepsFile()
{
    const QByteArray before = fileText();
    SettingsDialog dialog(*m_settings, m_profiles);
    dialog.show();
    child<QSpinBox>(dialog, "refreshSpin")->setValue(30);
    dialog.reject();
    QCOMPARE(fileText(), before);
    QCOMPARE(m_settings->values().refreshIntervalSeconds, 120);
}

QTEST_MAIN(TestSettingsDialog)
#include "TestSettingsDialog.moc"
