#include "Ec2Query.h"

#include <QMap>
#include <QRegularExpression>

namespace fakeaws {

Ec2Query::Ec2Query(Params params)
    : m_params(std::move(params))
{ }

bool Ec2Query::has(const QByteArray& name) const
{
    for (const auto& [key, value] : m_params) {
        if (key == name)
            return true;
    }
    return false;
}

QString Ec2Query::value(const QByteArray& name) const
{
    for (const auto& [key, value] : m_params) {
        if (key == name)
            return QString::fromUtf8(value);
    }
    return {};
}

QStringList Ec2Query::list(const QByteArray& prefix) const
{
    QMap<int, QString> byIndex;
    const QByteArray head = prefix + '.';
    for (const auto& [key, value] : m_params) {
        if (!key.startsWith(head))
            continue;
        bool ok = false;
        const int index = key.mid(head.size()).toInt(&ok);
        if (ok && index >= 1)
            byIndex.insert(index, QString::fromUtf8(value));
    }
    return byIndex.values();
}

std::optional<QList<Ec2Query::Filter>> Ec2Query::filters(const QStringList& known, QString* error) const
{
    static const QRegularExpression namePattern(QStringLiteral("^Filter\\.(\\d+)\\.Name$"));
    static const QRegularExpression valuePattern(QStringLiteral("^Filter\\.(\\d+)\\.Value\\.(\\d+)$"));
    QMap<int, QString> names;
    QMap<int, QMap<int, QString>> values;
    for (const auto& [key, value] : m_params) {
        const QString k = QString::fromLatin1(key);
        if (const auto m = namePattern.match(k); m.hasMatch())
            names.insert(m.captured(1).toInt(), QString::fromUtf8(value));
        else if (const auto v = valuePattern.match(k); v.hasMatch())
            values[v.captured(1).toInt()].insert(v.captured(2).toInt(), QString::fromUtf8(value));
    }
    auto fail = [error](const QString& why) -> std::optional<QList<Filter>> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (!names.contains(it.key()))
            return fail(QStringLiteral("The filter Filter.%1 has values but no name.").arg(it.key()));
    }
    QList<Filter> out;
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        const QString& name = it.value();
        const bool isTag =
            name.startsWith(QLatin1String("tag:")) && name.size() > 4 && known.contains(QStringLiteral("tag:"));
        if (!isTag && (name.startsWith(QLatin1String("tag:")) || !known.contains(name)))
            return fail(QStringLiteral("The filter '%1' is invalid").arg(name));
        const QStringList filterValues = values.value(it.key()).values();
        if (filterValues.isEmpty())
            return fail(QStringLiteral("The filter '%1' requires at least one value").arg(name));
        out.append({name, filterValues});
    }
    return out;
}

bool Ec2Query::matches(const QList<Filter>& filters, const ValuesOf& valuesOf)
{
    for (const Filter& filter : filters) {
        const QStringList candidates = valuesOf(filter.name);
        bool any = false;
        for (const QString& pattern : filter.values) {
            for (const QString& candidate : candidates) {
                if (wildcardMatch(pattern, candidate)) {
                    any = true;
                    break;
                }
            }
            if (any)
                break;
        }
        if (!any)
            return false;
    }
    return true;
}

bool Ec2Query::wildcardMatch(const QString& pattern, const QString& value)
{
    // Iterative glob with single-star backtracking: linear in practice, no recursion on hostile patterns.
    qsizetype p = 0;
    qsizetype v = 0;
    qsizetype starP = -1;
    qsizetype starV = 0;
    while (v < value.size()) {
        if (p < pattern.size() && pattern[p] == QLatin1Char('*')) {
            starP = ++p;
            starV = v;
            continue;
        }
        if (p < pattern.size()) {
            QChar expected = pattern[p];
            qsizetype width = 1;
            bool any = expected == QLatin1Char('?');
            if (expected == QLatin1Char('\\') && p + 1 < pattern.size()) {
                expected = pattern[p + 1];
                width = 2;
                any = false;
            }
            if (any || expected == value[v]) {
                p += width;
                ++v;
                continue;
            }
        }
        if (starP < 0)
            return false;
        p = starP;
        v = ++starV;
    }
    while (p < pattern.size() && pattern[p] == QLatin1Char('*'))
        ++p;
    return p == pattern.size();
}

} // namespace fakeaws
