#include "ui/InstanceFilterProxy.h"

#include "ui/InstanceModel.h"

namespace bl {

InstanceFilterProxy::InstanceFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(InstanceModel::SortRole);
    setDynamicSortFilter(true);
}

void InstanceFilterProxy::setSearchText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_terms = text.toCaseFolded().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateFilter();
}

bool InstanceFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_terms.isEmpty())
        return true;
    const QString haystack =
        sourceModel()->index(sourceRow, 0, sourceParent).data(InstanceModel::SearchTextRole).toString();
    for (const QString& term : m_terms) {
        if (!haystack.contains(term))
            return false;
    }
    return true;
}

} // namespace bl
