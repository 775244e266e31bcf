#include "core/aws/api/XmlTree.h"

#include <QXmlStreamReader>

namespace bl {

namespace {
// AWS responses nest a dozen levels at most; anything far deeper is not a response we understand.
constexpr int maxDepth = 128;
} // namespace

QString XmlTree::Element::name() const
{
    return isNull() ? QString() : m_tree->m_nodes.at(m_index).name;
}

QString XmlTree::Element::text() const
{
    return isNull() ? QString() : m_tree->m_nodes.at(m_index).text;
}

XmlTree::Element XmlTree::Element::child(QLatin1String name) const
{
    if (isNull())
        return {};
    for (int i = m_tree->m_nodes.at(m_index).firstChild; i >= 0; i = m_tree->m_nodes.at(i).nextSibling) {
        if (m_tree->m_nodes.at(i).name == name)
            return Element(m_tree, i);
    }
    return {};
}

QList<XmlTree::Element> XmlTree::Element::children(QLatin1String name) const
{
    QList<Element> out;
    if (isNull())
        return out;
    for (int i = m_tree->m_nodes.at(m_index).firstChild; i >= 0; i = m_tree->m_nodes.at(i).nextSibling) {
        if (m_tree->m_nodes.at(i).name == name)
            out.append(Element(m_tree, i));
    }
    return out;
}

QList<XmlTree::Element> XmlTree::Element::items(QLatin1String name) const
{
    return child(name).children(QLatin1String("item"));
}

int XmlTree::Element::childInt(QLatin1String name, int fallback) const
{
    const Element e = child(name);
    if (e.isNull())
        return fallback;
    bool ok = false;
    const int v = e.text().trimmed().toInt(&ok);
    return ok ? v : fallback;
}

bool XmlTree::Element::childBool(QLatin1String name, bool fallback) const
{
    const QString t = childTrimmed(name);
    if (t.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
        return true;
    if (t.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
        return false;
    return fallback;
}

QDateTime XmlTree::Element::childDateTime(QLatin1String name) const
{
    return parseAwsTimestamp(childTrimmed(name));
}

Error XmlTree::parseError(const QString& what, const QString& reason)
{
    return Error::make(ErrorKind::Parse, QStringLiteral("Could not read the %1 response: %2").arg(what, reason),
                       QStringLiteral("The answer was cut short or was not what AWS sends. Retry; if it keeps "
                                      "happening, check that no proxy rewrites the traffic, and report it with "
                                      "the debug log."));
}

Result<XmlTree> XmlTree::parse(const QByteArray& xml, const QString& what, QLatin1String expectedRoot)
{
    XmlTree tree;
    QXmlStreamReader reader(xml);
    QList<int> open; // indices of the elements not yet closed
    auto where = [&reader] {
        return QStringLiteral(" (line %1, column %2)").arg(reader.lineNumber()).arg(reader.columnNumber());
    };

    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement: {
            if (open.isEmpty() && !tree.m_nodes.isEmpty())
                return parseError(what, QStringLiteral("more than one root element") + where());
            if (open.size() >= maxDepth)
                return parseError(what, QStringLiteral("elements nested too deeply") + where());
            Node node;
            node.name = reader.name().toString();
            const int index = static_cast<int>(tree.m_nodes.size());
            tree.m_nodes.append(std::move(node));
            if (!open.isEmpty()) {
                Node& parent = tree.m_nodes[open.last()];
                if (parent.lastChild >= 0)
                    tree.m_nodes[parent.lastChild].nextSibling = index;
                else
                    parent.firstChild = index;
                tree.m_nodes[open.last()].lastChild = index;
            }
            open.append(index);
            break;
        }
        case QXmlStreamReader::EndElement:
            open.removeLast();
            break;
        case QXmlStreamReader::Characters:
            if (!open.isEmpty())
                tree.m_nodes[open.last()].text += reader.text();
            break;
        case QXmlStreamReader::DTD:
            return parseError(what, QStringLiteral("unexpected document type declaration") + where());
        default:
            break;
        }
    }
    if (reader.hasError()) {
        if (reader.error() == QXmlStreamReader::PrematureEndOfDocumentError) {
            return parseError(what,
                              xml.trimmed().isEmpty() ? QStringLiteral("the response was empty")
                                                      : QStringLiteral("the document ends early") + where());
        }
        return parseError(what, reader.errorString() + where());
    }
    if (tree.m_nodes.isEmpty())
        return parseError(what, QStringLiteral("the response was empty"));
    if (expectedRoot.size() > 0 && tree.m_nodes.first().name != expectedRoot) {
        return parseError(
            what, QStringLiteral("expected <%1> but got <%2>").arg(QString(expectedRoot), tree.m_nodes.first().name));
    }
    return tree;
}

QDateTime parseAwsTimestamp(const QString& text)
{
    if (text.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.isValid() ? t.toUTC() : QDateTime();
}

} // namespace bl
