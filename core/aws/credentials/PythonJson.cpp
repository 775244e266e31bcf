#include "core/aws/credentials/PythonJson.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <cmath>

namespace bl {

namespace {

void appendString(QByteArray& out, const QString& s)
{
    out += PythonJson::quote(s);
}

void appendNumber(QByteArray& out, double d)
{
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.0e15)
        out += QByteArray::number(static_cast<qint64>(d));
    else
        out += QByteArray::number(d, 'g', 17);
}

void append(QByteArray& out, const QJsonValue& v, const QByteArray& itemSep, const QByteArray& keySep)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        break;
    case QJsonValue::Bool:
        out += v.toBool() ? "true" : "false";
        break;
    case QJsonValue::Double:
        appendNumber(out, v.toDouble());
        break;
    case QJsonValue::String:
        appendString(out, v.toString());
        break;
    case QJsonValue::Array: {
        out += '[';
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (i > 0)
                out += itemSep;
            append(out, a.at(i), itemSep, keySep);
        }
        out += ']';
        break;
    }
    case QJsonValue::Object: {
        out += '{';
        const QJsonObject o = v.toObject();
        // Python sorts str keys by code point; QString's operator< compares UTF-16 units, which only
        // differs for characters beyond the BMP, never in AWS parameter names.
        QStringList keys = o.keys();
        std::sort(keys.begin(), keys.end());
        bool first = true;
        for (const QString& k : std::as_const(keys)) {
            if (!first)
                out += itemSep;
            first = false;
            appendString(out, k);
            out += keySep;
            append(out, o.value(k), itemSep, keySep);
        }
        out += '}';
        break;
    }
    }
}

} // namespace

QByteArray PythonJson::dumps(const QJsonValue& value, Separators separators)
{
    const bool compact = separators == Separators::Compact;
    QByteArray out;
    append(out, value, compact ? QByteArrayLiteral(",") : QByteArrayLiteral(", "),
           compact ? QByteArrayLiteral(":") : QByteArrayLiteral(": "));
    return out;
}

QString PythonJson::sha1Hex(const QByteArray& data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha1).toHex());
}

QByteArray PythonJson::quote(const QString& s)
{
    QByteArray out;
    out.reserve(s.size() + 2);
    out += '"';
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        switch (u) {
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
            // Python's ensure_ascii escapes everything outside ' '..'~', UTF-16 code unit by code unit, so
            // characters outside the BMP become surrogate pairs.
            if (u < 0x20 || u > 0x7e)
                out += "\\u" + QByteArray::number(u, 16).rightJustified(4, '0');
            else
                out += static_cast<char>(u);
        }
    }
    out += '"';
    return out;
}

} // namespace bl
