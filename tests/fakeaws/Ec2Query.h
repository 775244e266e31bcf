#pragma once
// Reads EC2-flavoured query parameters (PROTOCOLS.md §3.1): flattened lists "InstanceId.1=...", filters
// "Filter.1.Name=...&Filter.1.Value.1=...", and matches filters the way EC2 does (values OR-ed, filters
// AND-ed, * and ? wildcards).

#include "FakeHttp.h"

#include <QStringList>

#include <functional>
#include <optional>

namespace fakeaws {

class Ec2Query
{
public:
    struct Filter
    {
        QString name;
        QStringList values;
    };
    // Filter name -> the object's values for it (several for tags/groups, none when it has no such value).
    using ValuesOf = std::function<QStringList(const QString& filterName)>;

    explicit Ec2Query(Params params);

    bool has(const QByteArray& name) const;
    QString value(const QByteArray& name) const;
    // Prefix.1, Prefix.2, ... in index order.
    QStringList list(const QByteArray& prefix) const;
    bool hasList(const QByteArray& prefix) const { return !list(prefix).isEmpty(); }
    // nullopt + error (an InvalidParameterValue message) when a filter has no name or no values, or a name
    // that neither is in known nor starts with "tag:" (when "tag:" is in known).
    std::optional<QList<Filter>> filters(const QStringList& known, QString* error) const;

    static bool matches(const QList<Filter>& filters, const ValuesOf& valuesOf);
    // EC2 wildcards: * any run, ? one character, backslash escapes the next character.
    static bool wildcardMatch(const QString& pattern, const QString& value);

private:
    Params m_params;
};

} // namespace fakeaws
