#pragma once
// A tiny DOM for the tests: parses a response with QXmlStreamReader (so malformed XML fails the test) and
// lets assertions walk it by element path, the way a depth-aware client would.

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace fakefleettest {

struct XmlNode
{
    QString name;
    QString namespaceUri;
    QString text; // concatenated character data of this element (not of its children)
    QList<XmlNode> children;

    const XmlNode* child(const QString& name) const;
    QList<const XmlNode*> all(const QString& name) const;
    // "a/b/c": first match at each step; empty when absent.
    QString value(const QString& path) const;
    const XmlNode* at(const QString& path) const;
    QStringList childNames() const;

    static std::optional<XmlNode> parse(const QByteArray& xml, QString* error);
};

} // namespace fakefleettest
