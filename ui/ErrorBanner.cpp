#include "ui/ErrorBanner.h"

#include <QGridLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace bl {

ErrorBanner::ErrorBanner(QWidget* parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(this))
    , m_text(new QLabel(this))
    , m_details(new QToolButton(this))
    , m_dismiss(new QToolButton(this))
{
    setObjectName(QStringLiteral("errorBanner"));
    m_title->setObjectName(QStringLiteral("errorBannerTitle"));
    m_text->setObjectName(QStringLiteral("errorBannerText"));
    m_details->setObjectName(QStringLiteral("errorBannerDetails"));
    m_dismiss->setObjectName(QStringLiteral("errorBannerDismiss"));
    setFrameShape(QFrame::StyledPanel);
    // Fixed colours on purpose: a warning strip must read as one whatever the theme.
    setStyleSheet(QStringLiteral("QFrame#errorBanner { background: #fff4e5; border: 1px solid #f0b357; "
                                 "border-radius: 4px; } QFrame#errorBanner QLabel { color: #4a3000; background: "
                                 "transparent; border: none; }"));
    m_icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(22, 22));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Ignored: the compact lines are cut to whatever width the window gives, never the other way round.
    m_text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_details->setAutoRaise(true);
    m_dismiss->setAutoRaise(true);
    m_dismiss->setText(QStringLiteral("Dismiss"));
    m_dismiss->setToolTip(QStringLiteral("Hide until something else goes wrong"));

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->setHorizontalSpacing(10);
    layout->setVerticalSpacing(2);
    layout->addWidget(m_icon, 0, 0, 2, 1, Qt::AlignTop);
    layout->addWidget(m_title, 0, 1);
    layout->addWidget(m_text, 1, 1);
    layout->addWidget(m_details, 0, 2, Qt::AlignTop);
    layout->addWidget(m_dismiss, 0, 3, Qt::AlignTop);
    layout->setColumnStretch(1, 1);

    connect(m_details, &QToolButton::clicked, this, [this] {
        m_expanded = !m_expanded;
        render();
    });
    connect(m_dismiss, &QToolButton::clicked, this, [this] {
        m_dismissed = QSet<QString>(m_shown.cbegin(), m_shown.cend());
        hide();
    });
    hide();
}

void ErrorBanner::setErrors(const QList<InventoryError>& errors)
{
    m_errors = errors;
    QStringList full;
    for (const InventoryError& e : errors)
        full << QStringLiteral("%1: %2").arg(e.where(), e.error.toString());
    m_full = full.join(QLatin1Char('\n'));

    // A refresh brings its errors back one by one: a subset of the dismissed ones must not reopen the banner.
    m_shown.clear();
    bool anyNew = false;
    for (const InventoryError& e : errors) {
        m_shown << e.where() + QLatin1Char('\n') + e.error.message;
        anyNew = anyNew || !m_dismissed.contains(m_shown.constLast());
    }
    if (!anyNew) {
        hide();
        return;
    }
    m_dismissed.clear();
    render();
    show();
}

void ErrorBanner::resizeEvent(QResizeEvent* event)
{
    QFrame::resizeEvent(event);
    if (!m_expanded && !m_errors.isEmpty())
        render();
}

void ErrorBanner::render()
{
    const qsizetype n = m_errors.size();
    m_title->setText(n == 1 ? QStringLiteral("Some instances could not be listed")
                            : QStringLiteral("%1 problems while listing instances").arg(n));
    m_details->setText(m_expanded ? QStringLiteral("Less") : QStringLiteral("Details"));
    m_details->setToolTip(m_expanded ? QStringLiteral("Show one line per problem")
                                     : QStringLiteral("Show every problem with what to do about it"));
    setToolTip(m_expanded ? QString() : m_full);

    if (m_expanded) {
        QStringList html;
        for (const InventoryError& e : std::as_const(m_errors)) {
            QString line =
                QStringLiteral("<b>%1</b>: %2").arg(e.where().toHtmlEscaped(), e.error.summary().toHtmlEscaped());
            if (!e.error.hint.isEmpty())
                line += QStringLiteral("<br>&nbsp;&nbsp;&nbsp;<i>%1</i>").arg(e.error.hint.toHtmlEscaped());
            html << line;
        }
        m_text->setTextFormat(Qt::RichText);
        m_text->setWordWrap(true);
        m_text->setText(html.join(QStringLiteral("<br>")));
        return;
    }
    // One line each, cut to the width we have; with a single problem its hint fits on a second line.
    const QFontMetrics metrics(m_text->font());
    const int width = qMax(100, m_text->width());
    QStringList lines;
    for (qsizetype i = 0; i < qMin<qsizetype>(n, maxLines); ++i) {
        const InventoryError& e = m_errors.at(i);
        lines << metrics.elidedText(QStringLiteral("%1 — %2").arg(e.where(), e.error.summary()), Qt::ElideRight, width);
        if (n == 1 && !e.error.hint.isEmpty())
            lines << metrics.elidedText(e.error.hint, Qt::ElideRight, width);
    }
    if (n > maxLines)
        lines << QStringLiteral("…and %1 more").arg(n - maxLines);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(false);
    m_text->setText(lines.join(QLatin1Char('\n')));
}

} // namespace bl
