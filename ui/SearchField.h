#pragma once
// The search box above the instance list: Esc clears it, Down and Enter hand the keyboard back to the list.

#include <QLineEdit>

namespace bl {

class SearchField : public QLineEdit
{
    Q_OBJECT
public:
    explicit SearchField(QWidget* parent = nullptr);

Q_SIGNALS:
    void leaveRequested(); // Down, Enter, or Esc on an empty field: go to the list

protected:
    void keyPressEvent(QKeyEvent* event) override;
};

} // namespace bl
