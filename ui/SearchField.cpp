#include "ui/SearchField.h"

#include <QKeyEvent>

namespace bl {

SearchField::SearchField(QWidget* parent)
    : QLineEdit(parent)
{
    setClearButtonEnabled(true);
    setPlaceholderText(QStringLiteral("Search by name, ID, IP address or tag  (Ctrl+F)"));
}

void SearchField::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Escape:
        if (text().isEmpty())
            Q_EMIT leaveRequested();
        else
            clear();
        event->accept();
        return;
    case Qt::Key_Down:
    case Qt::Key_Return:
    case Qt::Key_Enter:
        Q_EMIT leaveRequested();
        event->accept();
        return;
    default:
        QLineEdit::keyPressEvent(event);
    }
}

} // namespace bl
