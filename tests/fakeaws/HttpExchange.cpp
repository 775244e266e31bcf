#include "HttpExchange.h"

#include "HttpConnection.h"

namespace fakeaws {

HttpExchange::HttpExchange(HttpConnection* connection, quint64 serial, bool upgradable)
    : m_connection(connection)
    , m_serial(serial)
    , m_upgradable(upgradable)
{ }

void HttpExchange::respond(const HttpResponse& response) const
{
    if (m_connection)
        m_connection->respond(m_serial, response);
}

void HttpExchange::abort() const
{
    if (m_connection)
        m_connection->abortExchange(m_serial);
}

bool HttpExchange::canTakeSocket() const
{
    return m_upgradable && m_connection && m_connection->isPending(m_serial);
}

QSslSocket* HttpExchange::takeSocket() const
{
    if (!canTakeSocket())
        return nullptr;
    return m_connection->detachSocket(m_serial);
}

bool HttpExchange::isAlive() const
{
    return m_connection && m_connection->isPending(m_serial);
}

} // namespace fakeaws
