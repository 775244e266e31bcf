#pragma once
// The instance list: a sortable QTreeView, flat or with expandable group rows, that hands printable keys to the search
// box (type to search), reports Esc, and paints a sentence instead of a blank area when it has no rows.

#include <QTreeView>

namespace bl {

class InstanceView : public QTreeView
{
    Q_OBJECT
public:
    explicit InstanceView(QWidget* parent = nullptr);

    void setPlaceholderText(const QString& text);
    // Grouped: group rows show the expand arrow and open or close with the keyboard.
    void setGrouped(bool grouped);
    QString placeholderText() const { return m_placeholder; }

Q_SIGNALS:
    void typed(const QString& text);
    void escapePressed();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    QString m_placeholder;
};

} // namespace bl
