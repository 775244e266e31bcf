// bastionless: the desktop app. Reads the normal AWS environment and ~/.aws files, lists every profile's
// instances and connects with a double-click.

#include "app/gui/GuiServices.h"
#include "app/gui/GuiSettings.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QSettings>
#include <QTimer>

#include <cstdio>
#include <cstring>

namespace {

constexpr const char* kUsage = "Usage: bastionless [--all-regions] [--select INSTANCE] [--screenshot FILE]\n"
                               "\n"
                               "The Bastionless desktop app: every EC2 instance of every AWS profile in one list,\n"
                               "one double-click to a shell or a remote desktop.\n"
                               "\n"
                               "  --all-regions      list every enabled region of every profile\n"
                               "  --select INSTANCE  select this instance (Name tag or id) once it is listed\n"
                               "  --screenshot FILE  save the window as PNG after the first refresh, then quit\n"
                               "  --version          print the version\n"
                               "  --help             print this help\n";

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

} // namespace

int main(int argc, char* argv[])
{
    if (const int rc = earlyAnswer(argc, argv); rc >= 0)
        return rc;

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Bastionless"));
    QApplication::setOrganizationName(QStringLiteral("Bastionless"));
    QApplication::setApplicationVersion(QStringLiteral(BL_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.bastionless.Bastionless"));

    QCommandLineParser parser;
    parser.addOptions({
        {QStringLiteral("all-regions"), QStringLiteral("List every enabled region of every profile.")},
        {QStringLiteral("select"), QStringLiteral("Select this instance once it is listed."),
         QStringLiteral("instance")},
        {QStringLiteral("screenshot"), QStringLiteral("Save the window as PNG after the first refresh, then quit."),
         QStringLiteral("file")},
    });
    if (!parser.parse(QApplication::arguments()) || !parser.positionalArguments().isEmpty()) {
        const QString why = parser.errorText().isEmpty()
            ? QStringLiteral("unexpected argument %1").arg(parser.positionalArguments().value(0))
            : parser.errorText();
        std::fprintf(stderr, "bastionless: %s\n%s", qPrintable(why), kUsage);
        return 2;
    }

    QSettings settings;
    const bl::GuiSettings guiSettings(settings);
    bl::GuiOptions options;
    options.allRegions = parser.isSet(QStringLiteral("all-regions"));
    bl::GuiServices services(QProcessEnvironment::systemEnvironment(), guiSettings, options);

    bl::MainWindow window(services.store(), services.actions());
    if (parser.isSet(QStringLiteral("select"))) {
        QObject::connect(
            &services.store(), &bl::InstanceStore::refreshFinished, &window,
            [&window, wanted = parser.value(QStringLiteral("select"))] { window.selectInstance(wanted); },
            Qt::SingleShotConnection);
    }
    if (parser.isSet(QStringLiteral("screenshot")))
        scheduleScreenshot(window, services.store(), parser.value(QStringLiteral("screenshot")));
    window.show();
    services.store().refresh();
    return QApplication::exec();
}
