#include "core/aws/api/QueryParams.h"

namespace bl {

QueryParams::QueryParams(const QByteArray& action, const QByteArray& version)
{
    m_params.append({QByteArrayLiteral("Action"), action});
    m_params.append({QByteArrayLiteral("Version"), version});
}

void QueryParams::add(const QByteArray& name, const QString& value)
{
    m_params.append({name, value.toUtf8()});
}

void QueryParams::addList(const QByteArray& name, const QStringList& values)
{
    for (qsizetype i = 0; i < values.size(); ++i)
        add(name + '.' + QByteArray::number(i + 1), values.at(i));
}

void QueryParams::addFilters(const QList<Ec2Filter>& filters)
{
    for (qsizetype i = 0; i < filters.size(); ++i) {
        const QByteArray prefix = QByteArrayLiteral("Filter.") + QByteArray::number(i + 1);
        add(prefix + ".Name", filters.at(i).name);
        addList(prefix + ".Value", filters.at(i).values);
    }
}

QByteArray QueryParams::encode() const
{
    QByteArray out;
    for (const auto& [name, value] : m_params) {
        if (!out.isEmpty())
            out += '&';
        out += formEncode(name) + '=' + formEncode(value);
    }
    return out;
}

QByteArray QueryParams::formEncode(const QByteArray& raw)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(raw.size() * 3);
    for (const char c : raw) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '_'
            || u == '.' || u == '~') {
            out += c;
        } else if (u == ' ') {
            out += '+';
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0x0F];
        }
    }
    return out;
}

} // namespace bl
