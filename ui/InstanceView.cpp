#include "ui/InstanceView.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QPainter>

namespace bl {

InstanceView::InstanceView(QWidget* parent)
    : QTreeView(parent)
{
    setGrouped(false);
    setExpandsOnDoubleClick(false); // activated() opens and closes groups, so a double-click does it once
    setUniformRowHeights(true);
    setAllColumnsShowFocus(true);
    setAlternatingRowColors(true);
    setSortingEnabled(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setContextMenuPolicy(Qt::CustomContextMenu);
    header()->setStretchLastSection(true);
    header()->setSortIndicatorShown(true);
}

void InstanceView::setGrouped(bool grouped)
{
    setRootIsDecorated(grouped);
    setItemsExpandable(grouped);
}

void InstanceView::setPlaceholderText(const QString& text)
{
    if (text == m_placeholder)
        return;
    m_placeholder = text;
    viewport()->update();
}

void InstanceView::keyPressEvent(QKeyEvent* event)
{
    const Qt::KeyboardModifiers mods = event->modifiers() & ~(Qt::ShiftModifier | Qt::KeypadModifier);
    const QString text = event->text();
    if (event->key() == Qt::Key_Escape) {
        Q_EMIT escapePressed();
        event->accept();
        return;
    }
    // Printable text goes to the search box; navigation and shortcuts stay with the list.
    if (mods == Qt::NoModifier && !text.isEmpty() && text.at(0).isPrint() && !text.at(0).isSpace()) {
        Q_EMIT typed(text);
        event->accept();
        return;
    }
    QTreeView::keyPressEvent(event);
}

void InstanceView::paintEvent(QPaintEvent* event)
{
    QTreeView::paintEvent(event);
    if (m_placeholder.isEmpty() || (model() && model()->rowCount(rootIndex()) > 0))
        return;
    QPainter p(viewport());
    QColor color = palette().color(QPalette::PlaceholderText);
    p.setPen(color);
    const QRect area = viewport()->rect().adjusted(24, 24, -24, -24);
    p.drawText(area, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, m_placeholder);
}

} // namespace bl
