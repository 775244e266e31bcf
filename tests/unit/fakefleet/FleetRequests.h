#pragma once
// Builds the requests the fakeaws handlers receive after the server has verified them: form-encoded EC2
// query calls and JSON 1.1 calls, plus the CallContext (region, time) they run in.

#include "FakeHttp.h"

#include <QJsonObject>

namespace fakefleettest {

using QueryParams = QList<QPair<QString, QString>>;

class FleetRequests
{
public:
    static QByteArray formEncode(const QueryParams& params);
    // POST / with Action, Version=2016-11-15 and params.
    static fakeaws::HttpRequest ec2(const QString& action, const QueryParams& params = {});
    static fakeaws::HttpRequest json(const QByteArray& target, const QJsonObject& body);
    static fakeaws::CallContext context(const QString& region, const QDateTime& now = {});
};

} // namespace fakefleettest
