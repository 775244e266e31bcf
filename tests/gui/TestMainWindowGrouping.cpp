// The main window's "Group by" and "Log in as…", driven through objectNames against an in-process fakeaws:
// grouping by region shows one group per region with its count, a search narrows the groups, Enter on an
// instance connects and on a group opens or closes it, the choice is remembered; a login user typed in the
// instance menu is written where bastionless-cli reads it, and "Automatic" removes it again.

#include "AppFixture.h"

#include "core/connect/ConnectionPreferences.h"
#include "core/connect/OsUserOverrides.h"
#include "core/connect/TransportChooser.h"
#include "core/secrets/AppSettingsFile.h"
#include "ui/InstanceGroupProxy.h"
#include "ui/InstanceModel.h"
#include "ui/InstanceView.h"
#include "ui/SearchField.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QFileInfo>
#include <QInputDialog>
#include <QMap>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace bl;
using guitest::AppFixture;

class TestMainWindowGrouping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void groupByRegion();
    void groupChoiceIsRemembered();
    void logInAsWritesWhereCliReads();
    void logInAsRefusesBadName();

private:
    QTemporaryDir m_config;
};

namespace {

template<typename T>
T* child(QObject& w, const char* name)
{
    return w.findChild<T*>(QString::fromLatin1(name));
}

QAction* menuAction(QMenu& menu, const char* name)
{
    for (QAction* a : menu.actions()) {
        if (a->objectName() == QLatin1String(name))
            return a;
    }
    return nullptr;
}

template<typename T>
T* visibleTopLevel(const char* name)
{
    for (QWidget* w : QApplication::topLevelWidgets()) {
        if (auto* t = qobject_cast<T*>(w); t && t->objectName() == QLatin1String(name) && t->isVisible())
            return t;
    }
    return nullptr;
}

QMenu* openContextMenu(InstanceView& view, const QModelIndex& index)
{
    const QPoint pos = view.visualRect(index).center();
    QContextMenuEvent event(QContextMenuEvent::Mouse, pos, view.viewport()->mapToGlobal(pos));
    QApplication::sendEvent(view.viewport(), &event);
    return visibleTopLevel<QMenu>("instanceContextMenu");
}

void doubleClick(QWidget* widget, const QPoint& pos)
{
    for (const QEvent::Type type : {QEvent::MouseButtonPress, QEvent::MouseButtonRelease, QEvent::MouseButtonDblClick,
                                    QEvent::MouseButtonRelease}) {
        const bool down = type != QEvent::MouseButtonRelease;
        QMouseEvent event(type, QPointF(pos), QPointF(widget->mapToGlobal(pos)), Qt::LeftButton,
                          down ? Qt::LeftButton : Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(widget, &event);
    }
}

// Region -> number of instances whose search text has every word of search, from the window's own model.
QMap<QString, int> regionsMatching(MainWindow& window, const QString& search)
{
    QMap<QString, int> counts;
    InstanceModel& model = window.model();
    const QStringList words = search.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (int row = 0; row < model.rowCount(); ++row) {
        const QString text = model.index(row, 0).data(InstanceModel::SearchTextRole).toString();
        if (std::all_of(words.cbegin(), words.cend(), [&text](const QString& w) { return text.contains(w); }))
            ++counts[model.index(row, InstanceModel::Region).data().toString()];
    }
    return counts;
}

QMap<QString, int> shownGroups(InstanceView& view)
{
    QMap<QString, int> groups;
    const QAbstractItemModel* m = view.model();
    for (int g = 0; g < m->rowCount(); ++g) {
        const QModelIndex group = m->index(g, 0);
        groups.insert(group.data(InstanceGroupProxy::GroupNameRole).toString(), m->rowCount(group));
    }
    return groups;
}

void chooseGrouping(QComboBox& combo, const QString& label)
{
    combo.setFocus();
    const Qt::Key key = combo.findText(label) < combo.currentIndex() ? Qt::Key_Up : Qt::Key_Down;
    for (int i = 0; i < combo.count() && combo.currentText() != label; ++i)
        QTest::keyClick(&combo, key);
}

} // namespace

void TestMainWindowGrouping::initTestCase()
{
    QVERIFY(m_config.isValid());
    // The product's settings file names, under a private XDG_CONFIG_HOME: the same file bastionless-cli finds.
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    QCoreApplication::setOrganizationName(QLatin1String(AppSettingsFile::Organization));
    QCoreApplication::setApplicationName(QLatin1String(AppSettingsFile::Application));
}

void TestMainWindowGrouping::init()
{
    QSettings().clear();
}

void TestMainWindowGrouping::groupByRegion()
{
    AppFixture app({QStringLiteral("us-east-1"), QStringLiteral("eu-west-1")});
    QVERIFY2(app.ok(), qPrintable(app.aws.error()));
    MainWindow& window = app.openWindow();
    QAbstractItemModelTester tester(&window.groups(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(app.refresh());
    auto* view = child<InstanceView>(window, "instanceView");
    auto* combo = child<QComboBox>(window, "groupByCombo");
    QVERIFY(combo);
    QCOMPARE(combo->currentText(), QStringLiteral("None"));
    QCOMPARE(view->model()->rowCount(), window.model().rowCount()); // flat

    QVERIFY(window.selectInstance(QStringLiteral("jenkins")));
    const QString jenkins = window.currentKey();
    chooseGrouping(*combo, QStringLiteral("Region"));
    QCOMPARE(combo->currentText(), QStringLiteral("Region"));
    QCOMPARE(window.currentKey(), jenkins); // the selection survives the regrouping
    QVERIFY(view->currentIndex().parent().isValid());
    QCOMPARE(QSettings().value(QStringLiteral("mainWindow/groupBy")).toString(), QStringLiteral("region"));
    const QMap<QString, int> all = regionsMatching(window, {});
    QCOMPARE(all.size(), 2);
    QCOMPARE(shownGroups(*view), all);
    if (const QString dir = qEnvironmentVariable("BL_SCREENSHOT_DIR"); !dir.isEmpty())
        window.grab().save(dir + QStringLiteral("/grouped-by-region.png"));
    for (int g = 0; g < view->model()->rowCount(); ++g) {
        const QModelIndex group = view->model()->index(g, 0);
        QVERIFY(view->isExpanded(group));
        QCOMPARE(group.data().toString(),
                 QStringLiteral("%1 — %2 instances")
                     .arg(group.data(InstanceGroupProxy::GroupNameRole).toString())
                     .arg(all.value(group.data(InstanceGroupProxy::GroupNameRole).toString())));
    }

    // A refresh that brings a new instance and renames another updates the groups in place: the selection and
    // what is open stay.
    view->collapse(view->model()->index(1, 0));
    {
        fakeaws::Fleet& fleet = app.aws.fleet();
        fakeaws::Instance added = *fleet.instance(app.aws.idOf(QStringLiteral("kafka-1")));
        added.id = QStringLiteral("i-0feedfacefeed0001");
        for (auto& tag : added.tags) {
            if (tag.first == QLatin1String("Name"))
                tag.second = QStringLiteral("zz-added");
        }
        fleet.addInstance(added);
        for (auto& tag : fleet.instance(app.aws.idOf(QStringLiteral("analytics-etl")))->tags) {
            if (tag.first == QLatin1String("Name"))
                tag.second = QStringLiteral("zz-renamed");
        }
    }
    QVERIFY(app.refresh());
    QMap<QString, int> more = all;
    ++more[QStringLiteral("eu-west-1")];
    QCOMPARE(regionsMatching(window, {}), more);
    QCOMPARE(shownGroups(*view), more);
    QCOMPARE(window.currentKey(), jenkins);
    QVERIFY(view->isExpanded(view->model()->index(0, 0)));
    QVERIFY(!view->isExpanded(view->model()->index(1, 0)));
    const QModelIndex eu = view->model()->index(0, 0);
    const int last = view->model()->rowCount(eu) - 1;
    QCOMPARE(view->model()->index(last - 1, InstanceModel::Name, eu).data().toString(), QStringLiteral("zz-added"));
    QCOMPARE(view->model()->index(last, InstanceModel::Name, eu).data().toString(), QStringLiteral("zz-renamed"));
    view->expand(view->model()->index(1, 0));
    const QMap<QString, int> allNow = more;

    // Typing in the list searches; groups without a match go.
    view->setFocus();
    QTest::keyClicks(view, QStringLiteral("kafka"));
    QCOMPARE(child<SearchField>(window, "searchField")->text(), QStringLiteral("kafka"));
    const QMap<QString, int> kafka = regionsMatching(window, QStringLiteral("kafka"));
    QCOMPARE(kafka.keys(), QStringList {QStringLiteral("eu-west-1")});
    QCOMPARE(shownGroups(*view), kafka);
    QCOMPARE(view->model()->index(0, 0).data().toString(),
             QStringLiteral("eu-west-1 — %1 instances").arg(kafka.value(QStringLiteral("eu-west-1"))));

    // Enter on an instance connects it.
    QVERIFY(window.selectInstance(QStringLiteral("kafka-1")));
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Return);
    QTRY_COMPARE(app.launcher.started.size(), 1);
    QVERIFY(app.launcher.started.constFirst().arguments.contains(app.aws.idOf(QStringLiteral("kafka-1"))));

    // Enter on a group opens and closes it; the actions say why they are off.
    const QModelIndex group = view->model()->index(0, 0);
    view->setCurrentIndex(group);
    QVERIFY(window.currentKey().isEmpty());
    QAction* ssh = child<QAction>(window, "actionSsh");
    QVERIFY(!ssh->isEnabled());
    QVERIFY2(ssh->toolTip().contains(QStringLiteral("group")), qPrintable(ssh->toolTip()));
    QTest::keyClick(view, Qt::Key_Return);
    QVERIFY(!view->isExpanded(group));
    QTest::keyClick(view, Qt::Key_Enter);
    QVERIFY(view->isExpanded(group));
    doubleClick(view->viewport(), view->visualRect(group).center());
    QVERIFY(!view->isExpanded(group)); // once, not twice
    QCOMPARE(app.launcher.started.size(), 1);

    // Esc clears the search and every group is back; a refresh keeps the grouping and the selection.
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Escape);
    QCOMPARE(shownGroups(*view), allNow);
    QVERIFY(window.selectInstance(QStringLiteral("web-1")));
    const QString key = window.currentKey();
    QVERIFY(!key.isEmpty());
    view->collapse(view->model()->index(0, 0));
    QVERIFY(app.refresh());
    QCOMPARE(shownGroups(*view), allNow);
    QCOMPARE(window.currentKey(), key);
    QVERIFY(!view->isExpanded(view->model()->index(0, 0))); // what the person closed stays closed
    QVERIFY(view->isExpanded(view->model()->index(1, 0)));
}

void TestMainWindowGrouping::groupChoiceIsRemembered()
{
    AppFixture app({QStringLiteral("us-east-1"), QStringLiteral("eu-west-1")});
    QVERIFY2(app.ok(), qPrintable(app.aws.error()));
    {
        MainWindow& window = app.openWindow();
        QVERIFY(app.refresh());
        chooseGrouping(*child<QComboBox>(window, "groupByCombo"), QStringLiteral("VPC"));
        QVERIFY(window.selectInstance(QStringLiteral("web-1")));
        QVERIFY(!window.currentKey().isEmpty());
        window.close();
        app.window.reset();
    }
    MainWindow& again = app.openWindow();
    QCOMPARE(child<QComboBox>(again, "groupByCombo")->currentText(), QStringLiteral("VPC"));
    QCOMPARE(again.groups().mode(), InstanceGroupProxy::Mode::Vpc);
    auto* view = child<InstanceView>(again, "instanceView");
    QVERIFY(view->model()->rowCount() > 0);
    QVERIFY(view->model()->index(0, 0).data(InstanceGroupProxy::IsGroupRole).toBool());
    QVERIFY(view->rootIsDecorated());

    chooseGrouping(*child<QComboBox>(again, "groupByCombo"), QStringLiteral("None"));
    QCOMPARE(view->model()->rowCount(), again.model().rowCount());
    QVERIFY(!view->rootIsDecorated());
    QCOMPARE(QSettings().value(QStringLiteral("mainWindow/groupBy")).toString(), QStringLiteral("none"));
}

void TestMainWindowGrouping::logInAsWritesWhereCliReads()
{
    AppFixture app;
    QVERIFY2(app.ok(), qPrintable(app.aws.error()));
    QSettings settings;
    OsUserOverrides users(settings);
    app.actions.setOsUserOverrides(&users);
    MainWindow& window = app.openWindow();
    QVERIFY(app.refresh());
    QVERIFY(window.selectInstance(QStringLiteral("build-runner")));
    const QString key = window.currentKey();
    const InventoryEntry* entry = app.store.entry(key);
    QVERIFY(entry);
    const QString id = entry->instance.id;
    const OsUser::Choice automatic = app.actions.osUser(key);
    QVERIFY(!automatic.user.isEmpty());
    QVERIFY(automatic.user != QLatin1String("alice"));

    auto* view = child<InstanceView>(window, "instanceView");
    QMenu* menu = openContextMenu(*view, view->currentIndex());
    QVERIFY(menu);
    auto* logIn = child<QMenu>(*menu, "menuOsUser");
    QVERIFY(logIn);
    QCOMPARE(logIn->title(), QStringLiteral("Log in as %1").arg(automatic.user));
    QVERIFY(menuAction(*logIn, "osUserCurrent")->text().contains(automatic.reason));
    QVERIFY(menuAction(*logIn, "osUserAuto")->isChecked());
    QVERIFY(!menuAction(*logIn, "osUserOverride"));
    menuAction(*logIn, "osUserOther")->trigger();
    menu->close();

    QInputDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = visibleTopLevel<QInputDialog>("osUserDialog")));
    QCOMPARE(dialog->textValue(), automatic.user);
    dialog->setTextValue(QStringLiteral("alice"));
    dialog->accept();

    QCOMPARE(settings.value(QStringLiteral("instances/%1/osUser").arg(id)).toString(), QStringLiteral("alice"));
    // bastionless-cli opens this file and asks the transport chooser, which now says alice.
    const QString cliPath = ConnectionPreferences::defaultPath(QProcessEnvironment::systemEnvironment());
    QCOMPARE(QFileInfo(cliPath).canonicalFilePath(), QFileInfo(settings.fileName()).canonicalFilePath());
    const ConnectionPreferences prefs = ConnectionPreferences::load(cliPath);
    QCOMPARE(prefs.osUser(id), QStringLiteral("alice"));
    TransportChooser chooser(*app.store.sources().constFirst().session, {QStringLiteral("us-east-1")});
    chooser.setPreferences(prefs);
    QCOMPARE(chooser.osUserFor(entry->instance).user, QStringLiteral("alice"));
    QCOMPARE(app.actions.osUser(key).user, QStringLiteral("alice"));

    // The SSH command the app starts is that CLI for this instance.
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Return);
    QTRY_COMPARE(app.launcher.started.size(), 1);
    const QStringList argv = app.launcher.started.constFirst().arguments;
    QVERIFY(argv.contains(QStringLiteral("/opt/bastionless/bin/bastionless-cli")));
    QVERIFY(argv.contains(id));

    // The menu now shows the override; Automatic removes it.
    menu = openContextMenu(*view, view->currentIndex());
    QVERIFY(menu);
    logIn = child<QMenu>(*menu, "menuOsUser");
    QCOMPARE(logIn->title(), QStringLiteral("Log in as alice"));
    QVERIFY(menuAction(*logIn, "osUserOverride")->isChecked());
    QVERIFY(!menuAction(*logIn, "osUserAuto")->isChecked());
    menuAction(*logIn, "osUserAuto")->trigger();
    menu->close();
    QVERIFY(!settings.contains(QStringLiteral("instances/%1/osUser").arg(id)));
    QCOMPARE(ConnectionPreferences::load(cliPath).osUser(id), QString());
    QCOMPARE(app.actions.osUser(key).user, automatic.user);
}

void TestMainWindowGrouping::logInAsRefusesBadName()
{
    AppFixture app;
    QVERIFY2(app.ok(), qPrintable(app.aws.error()));
    QSettings settings;
    OsUserOverrides users(settings);
    app.actions.setOsUserOverrides(&users);
    MainWindow& window = app.openWindow();
    QVERIFY(app.refresh());
    QVERIFY(window.selectInstance(QStringLiteral("build-runner")));
    const QString key = window.currentKey();
    const QString id = app.store.entry(key)->instance.id;

    auto* view = child<InstanceView>(window, "instanceView");
    QMenu* menu = openContextMenu(*view, view->currentIndex());
    QVERIFY(menu);
    menuAction(*child<QMenu>(*menu, "menuOsUser"), "osUserOther")->trigger();
    menu->close();
    QInputDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = visibleTopLevel<QInputDialog>("osUserDialog")));
    dialog->setTextValue(QStringLiteral("root; rm -rf /"));
    dialog->accept();
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = visibleTopLevel<QMessageBox>("actionErrorBox")));
    QVERIFY2(box->text().contains(QStringLiteral("cannot be a login name")), qPrintable(box->text()));
    QVERIFY(!box->informativeText().isEmpty());
    QVERIFY(!settings.contains(QStringLiteral("instances/%1/osUser").arg(id)));
    box->close();

    // An empty name is "automatic", not an error.
    QVERIFY(users.set(id, QStringLiteral("admin")));
    app.actions.setOsUser(key, QStringLiteral("  "));
    QVERIFY(!settings.contains(QStringLiteral("instances/%1/osUser").arg(id)));
}

QTEST_MAIN(TestMainWindowGrouping)
#include "TestMainWindowGrouping.moc"
