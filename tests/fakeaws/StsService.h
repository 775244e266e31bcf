#pragma once
// STS as the credential chain uses it: GetCallerIdentity and AssumeRole (query protocol, PROTOCOLS.md §2.7).
// Any well-formed role ARN can be assumed; the role's name opts into the awkward cases: "Mfa" roles need
// SerialNumber + TokenCode, "External" roles need the ExternalId, "Denied" roles always refuse. The keys it
// issues are registered in Identities, so they work for the other services until they expire.

#include "FakeHttp.h"
#include "Identities.h"

namespace fakeaws {

class StsService : public ServiceHandler
{
public:
    explicit StsService(Identities& identities);

    HttpResponse handle(const HttpRequest& request, const CallContext& context) override;

    void setMfaCode(const QString& code) { m_mfaCode = code; }
    QString mfaCode() const { return m_mfaCode; }
    void setExternalId(const QString& externalId) { m_externalId = externalId; }
    QString externalId() const { return m_externalId; }

private:
    HttpResponse getCallerIdentity(const CallContext& context) const;
    HttpResponse assumeRole(const Params& params, const CallContext& context);

    Identities& m_identities;
    QString m_mfaCode = QStringLiteral("123456");
    QString m_externalId = QStringLiteral("fakeaws-external-id");
};

} // namespace fakeaws
