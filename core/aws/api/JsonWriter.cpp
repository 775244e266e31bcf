#include "core/aws/api/JsonWriter.h"

namespace bl {

void JsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_hasItems.isEmpty()) {
        if (m_hasItems.last())
            m_out += ", ";
        m_hasItems.last() = true;
    }
}

JsonWriter& JsonWriter::beginObject()
{
    separate();
    m_out += '{';
    m_hasItems.append(false);
    return *this;
}

JsonWriter& JsonWriter::endObject()
{
    m_out += '}';
    if (!m_hasItems.isEmpty())
        m_hasItems.removeLast();
    return *this;
}

JsonWriter& JsonWriter::beginArray()
{
    separate();
    m_out += '[';
    m_hasItems.append(false);
    return *this;
}

JsonWriter& JsonWriter::endArray()
{
    m_out += ']';
    if (!m_hasItems.isEmpty())
        m_hasItems.removeLast();
    return *this;
}

JsonWriter& JsonWriter::key(const QString& name)
{
    separate();
    m_out += quote(name) + ": ";
    m_afterKey = true;
    return *this;
}

JsonWriter& JsonWriter::value(const QString& text)
{
    separate();
    m_out += quote(text);
    return *this;
}

JsonWriter& JsonWriter::value(qint64 number)
{
    separate();
    m_out += QByteArray::number(number);
    return *this;
}

JsonWriter& JsonWriter::value(bool flag)
{
    separate();
    m_out += flag ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::value(const QStringList& texts)
{
    beginArray();
    for (const QString& t : texts)
        value(t);
    return endArray();
}

QByteArray JsonWriter::quote(const QString& text)
{
    static const char hex[] = "0123456789abcdef";
    QByteArray out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const QChar qc : text) {
        const char16_t c = qc.unicode();
        switch (c) {
        case u'"':
            out += "\\\"";
            break;
        case u'\\':
            out += "\\\\";
            break;
        case u'\n':
            out += "\\n";
            break;
        case u'\r':
            out += "\\r";
            break;
        case u'\t':
            out += "\\t";
            break;
        case u'\b':
            out += "\\b";
            break;
        case u'\f':
            out += "\\f";
            break;
        default:
            if (c < 0x20 || c > 0x7E) {
                // UTF-16 code units, so characters outside the BMP become surrogate pairs as in Python.
                out += "\\u";
                out += hex[(c >> 12) & 0xF];
                out += hex[(c >> 8) & 0xF];
                out += hex[(c >> 4) & 0xF];
                out += hex[c & 0xF];
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
    return out;
}

} // namespace bl
