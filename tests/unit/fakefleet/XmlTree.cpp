#include "XmlTree.h"

#include <QXmlStreamReader>

namespace fakefleettest {

const XmlNode* XmlNode::child(const QString& childName) const
{
    for (const XmlNode& c : children) {
        if (c.name == childName)
            return &c;
    }
    return nullptr;
}

QList<const XmlNode*> XmlNode::all(const QString& childName) const
{
    QList<const XmlNode*> out;
    for (const XmlNode& c : children) {
        if (c.name == childName)
            out.append(&c);
    }
    return out;
}

const XmlNode* XmlNode::at(const QString& path) const
{
    const XmlNode* node = this;
    for (const QString& step : path.split(QLatin1Char('/'))) {
        node = node->child(step);
        if (!node)
            return nullptr;
    }
    return node;
}

QString XmlNode::value(const QString& path) const
{
    const XmlNode* node = at(path);
    return node ? node->text : QString();
}

QStringList XmlNode::childNames() const
{
    QStringList out;
    for (const XmlNode& c : children)
        out.append(c.name);
    return out;
}

std::optional<XmlNode> XmlNode::parse(const QByteArray& xml, QString* error)
{
    QXmlStreamReader reader(xml);
    QList<XmlNode> stack;
    std::optional<XmlNode> root;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement()) {
            XmlNode node;
            node.name = reader.name().toString();
            node.namespaceUri = reader.namespaceUri().toString();
            stack.append(node);
        } else if (reader.isCharacters() && !stack.isEmpty()) {
            stack.last().text += reader.text();
        } else if (reader.isEndElement()) {
            XmlNode done = stack.takeLast();
            if (stack.isEmpty())
                root = done;
            else
                stack.last().children.append(done);
        }
    }
    if (reader.hasError()) {
        if (error)
            *error = reader.errorString();
        return std::nullopt;
    }
    if (!root && error)
        *error = QStringLiteral("no root element");
    return root;
}

} // namespace fakefleettest
