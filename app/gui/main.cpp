// bastionless: the desktop app. Reads the normal AWS environment and ~/.aws files, lists every profile's
// instances and connects with a double-click.

#include "app/gui/AppDialogs.h"
#include "app/gui/GuiServices.h"
#include "app/gui/GuiSettings.h"
#include "core/secrets/AppSettingsFile.h"
#include "ui/DesktopIntegration.h"
#include "ui/MainWindow.h"
#include "ui/SingleInstance.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMenu>
#include <QPainter>
#include <QScreen>
#include <QSet>
#include <QSettings>
#include <QTimer>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>

namespace {

qint64 realtimeUs()
{
    timespec now {};
    ::clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<qint64>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}

// Opt-in start-up probe for tests/bench/bench-gui.sh (BASTIONLESS_BENCH_FIRST_PAINT=1). Prints to stderr, in ms
// since the launcher's timestamp taken just before it exec'd this program (BASTIONLESS_BENCH_EXEC_US, CLOCK_REALTIME
// in µs; without it, since the top of main()): "main-ms" when main() began, "first-paint-ms" when the main window's
// first frame has been painted and flushed to the window system (the event loop turn after its first Paint event),
// "first-rows-ms" when the list first has rows, "list-loaded-ms" when the first refresh finished.
class StartupProbe final : public QObject
{
public:
    StartupProbe()
        : m_origin(qEnvironmentVariableIsSet("BASTIONLESS_BENCH_EXEC_US")
                       ? qEnvironmentVariable("BASTIONLESS_BENCH_EXEC_US").toLongLong()
                       : realtimeUs())
    {
        print("main-ms", {});
    }
    static bool wanted() { return qEnvironmentVariableIntValue("BASTIONLESS_BENCH_FIRST_PAINT") == 1; }

    void watch(QWidget& window, bl::InstanceStore& store)
    {
        window.installEventFilter(this);
        connect(&store, &bl::InstanceStore::changed, this, [this, &store] {
            if (!m_rows && !store.entries().isEmpty()) {
                m_rows = true;
                print("first-rows-ms", QStringLiteral(" rows %1").arg(store.entries().size()));
            }
        });
        connect(
            &store, &bl::InstanceStore::refreshFinished, this,
            [this, &store] { print("list-loaded-ms", QStringLiteral(" rows %1").arg(store.entries().size())); },
            Qt::SingleShotConnection);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint) {
            watched->removeEventFilter(this);
            // The frame reaches the window system when this painting pass ends, before the next timer runs.
            QTimer::singleShot(0, this, [this] { print("first-paint-ms", {}); });
        }
        return false;
    }

private:
    void print(const char* what, const QString& extra) const
    {
        std::fprintf(stderr, "bastionless-bench: %s %.1f%s\n", what,
                     static_cast<double>(realtimeUs() - m_origin) / 1000.0, qPrintable(extra));
        std::fflush(stderr);
    }

    qint64 m_origin;
    bool m_rows = false;
};

constexpr const char* kUsage =
    "Usage: bastionless [--all-regions] [--select INSTANCE] [--screenshot FILE] [--screenshot-tray FILE]\n"
    "\n"
    "The Bastionless desktop app: every EC2 instance of every AWS profile in one list,\n"
    "one double-click to a shell or a remote desktop. One runs per user: a second launch\n"
    "shows the running one's window (selecting INSTANCE there) and exits. With a system\n"
    "tray, closing the window keeps tunnels running; Quit in the tray icon's menu ends them.\n"
    "\n"
    "  --all-regions           list every enabled region of every profile\n"
    "  --select INSTANCE       select this instance (Name tag or id) once it is listed\n"
    "  --screenshot FILE       save the window as PNG after the first refresh, then quit\n"
    "  --screenshot-tray FILE  save the tray icon's menu as PNG after the first refresh, then quit\n"
    "  --version               print the version\n"
    "  --help                  print this help\n";

// --version and --help must work without a display, so they are answered before QApplication exists.
int earlyAnswer(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
            std::printf("bastionless %s\n", BL_VERSION);
            return 0;
        }
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::fputs(kUsage, stdout);
            return 0;
        }
    }
    return -1;
}

// --screenshot: grab the window once the first refresh is in (or after a minute, whatever is there), then quit.
void scheduleScreenshot(bl::MainWindow& window, bl::InstanceStore& store, const QString& file)
{
    auto grab = [&window, file] {
        const bool saved = window.grab().save(file, "PNG");
        std::fprintf(stderr, saved ? "bastionless: saved %s\n" : "bastionless: could not write %s\n", qPrintable(file));
        QCoreApplication::exit(saved ? 0 : 1);
    };
    QObject::connect(
        &store, &bl::InstanceStore::refreshFinished, &window, [grab] { QTimer::singleShot(400, qApp, grab); },
        Qt::SingleShotConnection);
    QTimer::singleShot(60000, &window, grab);
}

// Everything the running app is made of, built once this process knows it is the only instance, in this
// order: settings, services, window, tray.
struct DesktopApp
{
    explicit DesktopApp(const bl::GuiOptions& options)
        : guiSettings(settings)
        , services(QProcessEnvironment::systemEnvironment(), guiSettings, options)
        , window(services.store(), services.actions())
        , desktop(services.tunnelManager(), services.favourites())
        , dialogs(services, &window)
    {
        desktop.setWindow(&window);
        window.addAppActions({dialogs.accountsAction(), dialogs.settingsAction()});
        services.mfaPrompter().setParentWindow(&window);
        QObject::connect(&desktop, &bl::DesktopIntegration::quitRequested, qApp, &QCoreApplication::quit,
                         Qt::QueuedConnection);
        // A profile whose login ran out is worth a notification while the window is hidden; once per episode.
        QObject::connect(&services.store(), &bl::InstanceStore::errorsChanged, &desktop, [this] {
            QSet<QString> now;
            for (const bl::InventoryError& e : services.store().errors()) {
                if (e.region.isEmpty() && e.error.kind == bl::ErrorKind::Credentials)
                    now.insert(e.source);
            }
            for (const QString& source : now) {
                if (!loginNeeded.contains(source) && !window.isVisible()) // a shown window has its banner
                    desktop.notifyLoginNeeded(source);
            }
            loginNeeded = now;
        });
    }

    // What a second launch asked for: the window, with its --select instance selected.
    void raise(const QString& select)
    {
        desktop.showWindow();
        if (!select.isEmpty() && !window.selectInstance(select)) {
            QObject::connect(
                &services.store(), &bl::InstanceStore::refreshFinished, &window,
                [this, select] { window.selectInstance(select); }, Qt::SingleShotConnection);
        }
    }

    QSettings settings;
    bl::GuiSettings guiSettings;
    bl::GuiServices services;
    bl::MainWindow window;
    bl::DesktopIntegration desktop;
    bl::AppDialogs dialogs;
    QSet<QString> loginNeeded;
};

// --screenshot-tray: the icon's menu as a person sees it, opened under the icon in the tray host's panel, over a
// plain desktop background (a bare X server has a black root window). Without a tray, the menu alone.
void scheduleTrayScreenshot(bl::DesktopIntegration& desktop, bl::InstanceStore& store, const QString& file)
{
    auto save = [file](const QPixmap& shot) {
        const bool saved = !shot.isNull() && shot.save(file, "PNG");
        std::fprintf(stderr, saved ? "bastionless: saved %s\n" : "bastionless: could not write %s\n", qPrintable(file));
        QCoreApplication::exit(saved ? 0 : 1);
    };
    auto grab = [&desktop, save] {
        QMenu* menu = desktop.menu();
        if (!desktop.hasTrayIcon()) {
            menu->adjustSize();
            save(menu->grab());
            return;
        }
        const QRect icon = desktop.trayIcon()->geometry();
        const int panelHeight = icon.bottom() + 1 + icon.top();
        menu->popup(QPoint(icon.right() + 1 - menu->sizeHint().width(), panelHeight));
        QTimer::singleShot(700, menu, [menu, panelHeight, save] {
            QScreen* screen = menu->screen();
            const QRect m = menu->geometry();
            constexpr int pad = 28;
            const QRect area(QPoint(qMax(0, m.left() - pad), 0),
                             QPoint(screen->geometry().right(), qMin(screen->geometry().bottom(), m.bottom() + pad)));
            QPixmap shot(area.size());
            QPainter painter(&shot);
            QLinearGradient desk(0, 0, 0, area.height());
            desk.setColorAt(0, QColor(0x3c, 0x5a, 0x80));
            desk.setColorAt(1, QColor(0x27, 0x3c, 0x58));
            painter.fillRect(shot.rect(), desk);
            painter.drawPixmap(0, 0, screen->grabWindow(0, area.x(), 0, area.width(), panelHeight));
            painter.drawPixmap(m.topLeft() - area.topLeft(),
                               screen->grabWindow(0, m.x(), m.y(), m.width(), m.height()));
            painter.end();
            save(shot);
        });
    };
    QObject::connect(
        &store, &bl::InstanceStore::refreshFinished, &desktop, [grab] { QTimer::singleShot(1500, qApp, grab); },
        Qt::SingleShotConnection);
    QTimer::singleShot(60000, &desktop, grab);
}

} // namespace

int main(int argc, char* argv[])
{
    std::unique_ptr<StartupProbe> probe;
    if (StartupProbe::wanted())
        probe = std::make_unique<StartupProbe>();
    if (const int rc = earlyAnswer(argc, argv); rc >= 0)
        return rc;

    QApplication app(argc, argv);
    // These names place the settings file; bastionless-cli --account opens the same one through AppSettingsFile.
    QApplication::setApplicationName(QLatin1String(bl::AppSettingsFile::Application));
    QApplication::setOrganizationName(QLatin1String(bl::AppSettingsFile::Organization));
    QApplication::setApplicationVersion(QStringLiteral(BL_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.bastionless.Bastionless"));

    QCommandLineParser parser;
    parser.addOptions({
        {QStringLiteral("all-regions"), QStringLiteral("List every enabled region of every profile.")},
        {QStringLiteral("select"), QStringLiteral("Select this instance once it is listed."),
         QStringLiteral("instance")},
        {QStringLiteral("screenshot"), QStringLiteral("Save the window as PNG after the first refresh, then quit."),
         QStringLiteral("file")},
        {QStringLiteral("screenshot-tray"),
         QStringLiteral("Save the tray menu as PNG after the first refresh, then quit."), QStringLiteral("file")},
    });
    if (!parser.parse(QApplication::arguments()) || !parser.positionalArguments().isEmpty()) {
        const QString why = parser.errorText().isEmpty()
            ? QStringLiteral("unexpected argument %1").arg(parser.positionalArguments().value(0))
            : parser.errorText();
        std::fprintf(stderr, "bastionless: %s\n%s", qPrintable(why), kUsage);
        return 2;
    }
    const QString select = parser.value(QStringLiteral("select"));
    const QString screenshot = parser.value(QStringLiteral("screenshot"));
    const QString trayScreenshot = parser.value(QStringLiteral("screenshot-tray"));
    bl::GuiOptions options;
    options.allRegions = parser.isSet(QStringLiteral("all-regions"));

    std::unique_ptr<DesktopApp> desktopApp;
    auto startApp = [&] {
        desktopApp = std::make_unique<DesktopApp>(options);
        DesktopApp& d = *desktopApp;
        if (!select.isEmpty()) {
            QObject::connect(
                &d.services.store(), &bl::InstanceStore::refreshFinished, &d.window,
                [&d, select] { d.window.selectInstance(select); }, Qt::SingleShotConnection);
        }
        if (!screenshot.isEmpty())
            scheduleScreenshot(d.window, d.services.store(), screenshot);
        if (!trayScreenshot.isEmpty())
            scheduleTrayScreenshot(d.desktop, d.services.store(), trayScreenshot);
        if (probe)
            probe->watch(d.window, d.services.store());
        if (trayScreenshot.isEmpty()) // the tray's picture shows the app as it is with its window closed
            d.window.show();
        d.services.store().refresh();
    };

    // Screenshots only look, so they run beside an app that is already running.
    std::unique_ptr<bl::SingleInstance> instance;
    if (!screenshot.isEmpty() || !trayScreenshot.isEmpty()) {
        startApp();
    } else {
        instance = std::make_unique<bl::SingleInstance>(bl::SingleInstance::defaultServerName());
        QObject::connect(instance.get(), &bl::SingleInstance::finished, &app, [&](bl::SingleInstance::Outcome outcome) {
            if (outcome == bl::SingleInstance::Outcome::Forwarded) {
                std::fputs("bastionless: already running; its window is shown\n", stderr);
                QCoreApplication::exit(0);
                return;
            }
            startApp();
            QObject::connect(instance.get(), &bl::SingleInstance::raiseRequested, &desktopApp->window,
                             [&](const QString& wanted) { desktopApp->raise(wanted); });
        });
        instance->start(select);
    }
    const int rc = QApplication::exec();
    desktopApp.reset(); // tunnels, window and tray go before the instance server and the application
    probe.reset();
    return rc;
}
