#pragma once
// Every access key fakeaws accepts: the default test user's long-term key, keys a test adds, and the
// temporary keys STS and the SSO portal issue. The signature verifier looks callers up here.

#include "core/aws/base/Credentials.h"

#include <QDateTime>
#include <QHash>
#include <QString>

#include <optional>

namespace fakeaws {

struct Identity
{
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken; // non-empty: temporary credentials, the token must be sent
    std::optional<QDateTime> expiration; // UTC; temporary credentials stop working after it
    QString accountId;
    QString arn; // arn:aws:iam::<acct>:user/<name> or arn:aws:sts::<acct>:assumed-role/<role>/<session>
    QString userId; // AIDA... for users, AROA...:<session> for roles

    bool isTemporary() const { return !sessionToken.isEmpty(); }
    bool isAssumedRole() const { return arn.contains(QLatin1String(":assumed-role/")); }
    bl::Credentials credentials() const;
};

class Identities
{
public:
    static constexpr const char* kDefaultAccountId = "123456789012";
    static constexpr const char* kDefaultAccessKeyId = "AKIAFAKEAWSTESTKEY01";
    static constexpr const char* kDefaultSecretAccessKey = "fakeaws/TestSecretKey+OnlyFor127.0.0.1xy";

    Identities();

    const Identity& defaultIdentity() const { return m_default; } // stays valid while keys are added
    // Adds or replaces (same access key id). Missing account/arn/userId are filled for a user in the default
    // account.
    void add(Identity identity);
    bool remove(const QString& accessKeyId);
    std::optional<Identity> find(const QString& accessKeyId) const;
    int count() const { return static_cast<int>(m_byKey.size()); }

    // New temporary credentials (ASIA key, secret, session token) for a principal, registered and returned.
    Identity issueTemporary(const QString& accountId, const QString& arn, const QString& userId,
                            const QDateTime& expiration);
    // Makes every temporary credential expire at `when` (tests of "ExpiredToken").
    void expireTemporary(const QDateTime& when);

    static QString randomString(int length, const char* alphabet);

private:
    Identity m_default;
    QHash<QString, Identity> m_byKey;
};

} // namespace fakeaws
