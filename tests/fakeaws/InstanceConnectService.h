#pragma once
// EC2 Instance Connect's SendSSHPublicKey (PROTOCOLS.md §4), JSON 1.1, validated like the real service.
// Every accepted key is also appended to <pushedKeysDir>/<os-user>.keys as
// "<unix-seconds> <instance-id> <public key line>", so an OpenSSH sshd playing the instance can admit it for
// 60 seconds through tests/fakeaws/authorized-keys-command.sh (or recentKeys() from C++).

#include "FakeHttp.h"
#include "Fleet.h"

#include <functional>

namespace fakeaws {

class InstanceConnectService : public ServiceHandler
{
public:
    static constexpr int kKeyLifetimeSecs = 60;

    // pushedKeysDir empty: keys are validated but not recorded.
    InstanceConnectService(Fleet& fleet, QString pushedKeysDir);
    HttpResponse handle(const HttpRequest& request, const CallContext& context) override;

    // The clock stamped on recorded keys. It is the machine's clock by default (not CallContext.now, which a
    // fault may skew), because the sshd that reads the file judges the 60 s with the machine's clock too.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    QString pushedKeysDir() const { return m_pushedKeysDir; }

    // Key lines pushed for (instance, user) no more than kKeyLifetimeSecs before now, oldest first.
    static QStringList recentKeys(const QString& pushedKeysDir, const QString& instanceId, const QString& osUser,
                                  const QDateTime& now);
    // Why a key line is unacceptable (empty when fine): length, shape, type, base64 blob.
    static QString checkPublicKey(const QString& key);

private:
    HttpResponse sendSshPublicKey(const QJsonObject& body, const CallContext& context);
    bool record(const QString& instanceId, const QString& osUser, const QString& key, QString* error) const;

    Fleet& m_fleet;
    QString m_pushedKeysDir;
    std::function<QDateTime()> m_clock;
};

} // namespace fakeaws
