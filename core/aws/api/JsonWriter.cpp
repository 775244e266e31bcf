#include "core/aws/api/JsonWriter.h"

#include "core/aws/credentials/PythonJson.h"

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
    return PythonJson::quote(text);
}

} // namespace bl
