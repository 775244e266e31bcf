#pragma once
// A small read-only element tree for AWS XML responses, built in one pass with QXmlStreamReader.
// Response mappers look elements up by local name, so element order, namespaces and unknown elements do
// not matter. Nodes live in one flat array (no recursion), so deep or hostile input cannot overflow the
// stack; DTDs are refused because AWS never sends them.

#include "core/util/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace bl {

class XmlTree
{
public:
    class Element
    {
    public:
        Element() = default;
        bool isNull() const { return m_tree == nullptr || m_index < 0; }
        QString name() const;
        QString text() const; // the element's own character data, as sent
        Element child(QLatin1String name) const; // first direct child with that local name
        QList<Element> children(QLatin1String name) const;
        // <name><item>..</item><item>..</item></name> -> the item elements (EC2's list shape).
        QList<Element> items(QLatin1String name) const;
        QString childText(QLatin1String name) const { return child(name).text(); }
        QString childTrimmed(QLatin1String name) const { return child(name).text().trimmed(); }
        // Absent or unparsable -> fallback.
        int childInt(QLatin1String name, int fallback = -1) const;
        bool childBool(QLatin1String name, bool fallback = false) const;
        QDateTime childDateTime(QLatin1String name) const; // ISO 8601 -> UTC; invalid when absent/bad

    private:
        friend class XmlTree;
        Element(const XmlTree* tree, int index)
            : m_tree(tree)
            , m_index(index)
        { }
        const XmlTree* m_tree = nullptr;
        int m_index = -1;
    };

    // Parses a whole document. On malformed or truncated XML returns ErrorKind::Parse naming `what`
    // (e.g. "EC2 DescribeInstances") and the position. expectedRoot, when set, must be the root's local name.
    static Result<XmlTree> parse(const QByteArray& xml, const QString& what, QLatin1String expectedRoot = {});

    Element root() const { return Element(this, m_nodes.isEmpty() ? -1 : 0); }

    // The Parse error used by parse() and by mappers that find a required element missing.
    static Error parseError(const QString& what, const QString& reason);

private:
    struct Node
    {
        QString name;
        QString text;
        int firstChild = -1;
        int lastChild = -1;
        int nextSibling = -1;
    };
    QList<Node> m_nodes;
};

// ISO 8601 timestamp as AWS sends it ("2024-01-15T08:00:00.000Z") -> UTC; invalid on error.
QDateTime parseAwsTimestamp(const QString& text);

} // namespace bl
