#include "ui/Icons.h"

#include <QFile>
#include <QHash>
#include <QImageReader>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include <functional>

namespace bl {

namespace {

const QColor kInk(0x37, 0x47, 0x4f);

// Paints on a 24x24 canvas at every size an icon is asked for.
QIcon painted(const std::function<void(QPainter&)>& draw)
{
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64, 128}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 24.0, size / 24.0);
        draw(p);
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

QPen inkPen(qreal width = 2.0)
{
    return QPen(kInk, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
}

void monitor(QPainter& p)
{
    p.setPen(inkPen());
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(QRectF(3, 4, 18, 12), 1.5, 1.5);
    p.drawLine(QPointF(12, 16), QPointF(12, 20));
    p.drawLine(QPointF(8, 20), QPointF(16, 20));
}

QIcon themed(const char* name, const std::function<void(QPainter&)>& draw)
{
    static QHash<QString, QIcon> cache;
    const QString key = QString::fromLatin1(name);
    if (const auto it = cache.constFind(key); it != cache.cend())
        return *it;
    const QIcon icon = QIcon::fromTheme(key, painted(draw));
    cache.insert(key, icon);
    return icon;
}

} // namespace

QIcon Icons::refresh()
{
    return themed("view-refresh", [](QPainter& p) {
        p.setPen(inkPen(2.2));
        p.setBrush(Qt::NoBrush);
        p.drawArc(QRectF(4.5, 4.5, 15, 15), 60 * 16, 280 * 16);
        QPainterPath head;
        head.moveTo(14.5, 2.5);
        head.lineTo(19.5, 5.5);
        head.lineTo(14.5, 9.5);
        head.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(kInk);
        p.drawPath(head);
    });
}

QIcon Icons::terminal()
{
    return themed("utilities-terminal", [](QPainter& p) {
        p.setPen(Qt::NoPen);
        p.setBrush(kInk);
        p.drawRoundedRect(QRectF(2, 4, 20, 16), 2.5, 2.5);
        p.setPen(QPen(Qt::white, 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPolyline(QList<QPointF> {{6, 9}, {9, 12}, {6, 15}});
        p.drawLine(QPointF(11, 15.5), QPointF(17, 15.5));
    });
}

QIcon Icons::remoteDesktop()
{
    return themed("preferences-desktop-remote-desktop", [](QPainter& p) {
        monitor(p);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x15, 0x65, 0xc0));
        p.drawRect(QRectF(6, 7, 5, 3));
        p.drawRect(QRectF(13, 7, 5, 3));
        p.drawRect(QRectF(6, 11, 5, 3));
        p.drawRect(QRectF(13, 11, 5, 3));
    });
}

QIcon Icons::vnc()
{
    return painted([](QPainter& p) {
        monitor(p);
        QPainterPath arrow; // a pointer: someone else's screen
        arrow.moveTo(9, 6.5);
        arrow.lineTo(9, 14);
        arrow.lineTo(11, 12);
        arrow.lineTo(12.5, 15);
        arrow.lineTo(14, 14.2);
        arrow.lineTo(12.6, 11.4);
        arrow.lineTo(15.2, 11.2);
        arrow.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x15, 0x65, 0xc0));
        p.drawPath(arrow);
    });
}

QIcon Icons::start()
{
    return themed("media-playback-start", [](QPainter& p) {
        QPainterPath play;
        play.moveTo(7, 4.5);
        play.lineTo(19.5, 12);
        play.lineTo(7, 19.5);
        play.closeSubpath();
        p.setPen(QPen(QColor(0x2e, 0x7d, 0x32), 1.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(QColor(0x2e, 0x7d, 0x32));
        p.drawPath(play);
    });
}

QIcon Icons::stop()
{
    return themed("media-playback-stop", [](QPainter& p) {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xc6, 0x28, 0x28));
        p.drawRoundedRect(QRectF(5.5, 5.5, 13, 13), 2, 2);
    });
}

QIcon Icons::app()
{
    // The installed theme icon or the SVG in the app's resources when Qt can read SVG; otherwise the same
    // drawing painted here, since the SVG image plugin is optional.
    const QString svg = QStringLiteral(":/icons/bastionless.svg");
    if (QImageReader::supportedImageFormats().contains("svg") && QFile::exists(svg))
        return QIcon::fromTheme(QStringLiteral("io.github.bastionless.Bastionless"), QIcon(svg));
    return QIcon::fromTheme(QStringLiteral("io.github.bastionless.Bastionless"), painted([](QPainter& p) {
                                QLinearGradient bg(0, 0, 0, 24);
                                bg.setColorAt(0, QColor(0x2b, 0x4c, 0x7e));
                                bg.setColorAt(1, QColor(0x1a, 0x2f, 0x52));
                                p.setPen(Qt::NoPen);
                                p.setBrush(bg);
                                p.drawRoundedRect(QRectF(1, 1, 22, 22), 5, 5);
                                p.setPen(QPen(Qt::white, 2.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
                                p.drawPolyline(QList<QPointF> {{6, 8}, {10, 12}, {6, 16}});
                                p.setPen(QPen(QColor(0xff, 0xa7, 0x26), 2.2, Qt::SolidLine, Qt::RoundCap));
                                p.drawLine(QPointF(12.5, 16.5), QPointF(18, 16.5));
                            }));
}

} // namespace bl
