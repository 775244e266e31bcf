#pragma once
// The form body of an AWS query-protocol request (EC2 and STS): "Action=...&Version=...&..." with the
// parameters in the order they were added, encoded exactly as botocore does (unreserved characters kept,
// space as '+', everything else %XX upper-case), so bodies match the SDK's byte for byte.

#include "core/aws/api/Types.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace bl {

class QueryParams
{
public:
    QueryParams(const QByteArray& action, const QByteArray& version);

    void add(const QByteArray& name, const QString& value);
    // EC2 lists: Name.1=a&Name.2=b (no ".member"; indices start at 1).
    void addList(const QByteArray& name, const QStringList& values);
    // Filter.N.Name=...&Filter.N.Value.M=...
    void addFilters(const QList<Ec2Filter>& filters);

    const QList<QPair<QByteArray, QByteArray>>& params() const { return m_params; }
    QByteArray encode() const;

    static QByteArray formEncode(const QByteArray& raw);
    static constexpr const char* contentType = "application/x-www-form-urlencoded; charset=utf-8";

private:
    QList<QPair<QByteArray, QByteArray>> m_params; // decoded, UTF-8
};

} // namespace bl
