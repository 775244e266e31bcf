// bl-bench-hello-window: the reference of bench-gui.sh. A bare Qt Widgets window (a main window with one label),
// timed exactly like the desktop app's start-up probe (app/gui/main.cpp, BASTIONLESS_BENCH_FIRST_PAINT): prints
// "bastionless-bench: main-ms <ms>" and "bastionless-bench: first-paint-ms <ms>" to stderr, in ms since the launcher's
// CLOCK_REALTIME timestamp BASTIONLESS_BENCH_EXEC_US taken just before exec, then idles until it is terminated.

#include <QApplication>
#include <QLabel>
#include <QMainWindow>
#include <QTimer>

#include <cstdio>
#include <ctime>

namespace {

qint64 realtimeUs()
{
    timespec now {};
    ::clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<qint64>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}

qint64 origin()
{
    static const qint64 at = qEnvironmentVariableIsSet("BASTIONLESS_BENCH_EXEC_US")
        ? qEnvironmentVariable("BASTIONLESS_BENCH_EXEC_US").toLongLong()
        : realtimeUs();
    return at;
}

void print(const char* what)
{
    std::fprintf(stderr, "bastionless-bench: %s %.1f\n", what, static_cast<double>(realtimeUs() - origin()) / 1000.0);
    std::fflush(stderr);
}

// The same measuring point as the app: the event loop turn after the window's first Paint event.
class FirstPaint final : public QObject
{
protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint) {
            watched->removeEventFilter(this);
            QTimer::singleShot(0, this, [] { print("first-paint-ms"); });
        }
        return false;
    }
};

} // namespace

int main(int argc, char** argv)
{
    print("main-ms");
    QApplication app(argc, argv);
    QMainWindow window;
    auto* label = new QLabel(QStringLiteral("Hello"), &window);
    label->setAlignment(Qt::AlignCenter);
    window.setCentralWidget(label);
    window.resize(1360, 760); // the app's default size
    FirstPaint probe;
    window.installEventFilter(&probe);
    window.show();
    return QApplication::exec();
}
