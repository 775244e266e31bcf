#pragma once
// Search-as-you-type over the instance model: every word typed must appear (case-insensitively) in the
// row's name, id, private/public/IPv6 address, profile, or a tag "key=value". Sorting uses the model's
// SortRole, so addresses sort numerically and states by lifecycle.

#include <QSortFilterProxyModel>

namespace bl {

class InstanceFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit InstanceFilterProxy(QObject* parent = nullptr);

    void setSearchText(const QString& text);
    QString searchText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
    QStringList m_terms; // case-folded words
};

} // namespace bl
