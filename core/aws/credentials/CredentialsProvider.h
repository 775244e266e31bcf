#pragma once
// Where credentials come from. Providers are asynchronous (assume-role, SSO and credential_process
// need I/O), cache what they fetched, and refresh before expiry.

#include "core/aws/base/Credentials.h"
#include "core/util/Result.h"

#include <QObject>
#include <QString>

#include <functional>

namespace bl {

class CredentialsProvider
{
public:
    virtual ~CredentialsProvider() = default;
    // Delivers valid credentials (cached while they have more than 15 min left; refreshed when fewer
    // than 15 min remain, and must be refreshed when fewer than 10 min remain).
    virtual void fetch(QObject* context, Callback<Credentials> done) = 0;
    // Forget cached credentials (e.g. after ExpiredToken) so the next fetch resolves again.
    virtual void invalidate() = 0;
    // For people: "environment variables", "profile dev: role arn:... via profile base", ...
    virtual QString describe() const = 0;
};

// Asks a person for an MFA code for the given device serial; answer with the 6 digits or an Error
// (Cancelled). The CLI reads the terminal; the GUI opens a dialog (non-blocking).
using MfaPrompt = std::function<void(const QString& mfaSerial, QObject* context, Callback<QString> answer)>;

} // namespace bl
