#pragma once
// A non-modal strip above the instance list naming what could not be listed (per profile and region). It
// stays small: one line per problem, cut to the window's width, the first few only; "Details" unfolds every
// problem with its hint. Dismissing hides it until an error appears that was not on it when it was dismissed.

#include "core/inventory/InventoryTypes.h"

#include <QFrame>
#include <QSet>

class QLabel;
class QToolButton;

namespace bl {

class ErrorBanner : public QFrame
{
    Q_OBJECT
public:
    static constexpr int maxLines = 3;

    explicit ErrorBanner(QWidget* parent = nullptr);

    void setErrors(const QList<InventoryError>& errors);
    QString text() const { return m_full; } // every problem with its hint, as plain text
    bool isExpanded() const { return m_expanded; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void render();

    QLabel* m_icon;
    QLabel* m_title;
    QLabel* m_text;
    QToolButton* m_details;
    QToolButton* m_dismiss;
    QList<InventoryError> m_errors;
    QString m_full;
    bool m_expanded = false;
    QStringList m_shown; // fingerprints of the errors on the banner now
    QSet<QString> m_dismissed; // fingerprints of the errors on it when it was dismissed
};

} // namespace bl
