#pragma once
// Writes JSON 1.1 request bodies the way botocore does (json.dumps: ", " and ": " separators, keys in the
// order written, non-ASCII as \uXXXX), so a body matches the SDK's bytes and published signatures.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace bl {

class JsonWriter
{
public:
    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(const QString& name);
    JsonWriter& value(const QString& text);
    JsonWriter& value(qint64 number);
    JsonWriter& value(bool flag);
    JsonWriter& value(const QStringList& texts); // an array of strings

    QByteArray data() const { return m_out; }

    static QByteArray quote(const QString& text);

private:
    void separate();

    QByteArray m_out;
    QList<bool> m_hasItems; // one entry per open object/array
    bool m_afterKey = false;
};

} // namespace bl
