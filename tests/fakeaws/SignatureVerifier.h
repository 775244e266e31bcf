#pragma once
// Checks a request's SigV4 signature the way AWS does: recompute the canonical request from what arrived
// on the wire (bl::sigv4 building blocks), look the key up, compare, and check the time window and the
// session token. The result says what is wrong; ProtocolErrors turns that into each service's error shape.

#include "FakeHttp.h"
#include "Identities.h"

#include <optional>

namespace fakeaws {

enum class AuthFailure {
    None,
    MissingAuthentication, // no Authorization header / no X-Amz-Signature
    IncompleteSignature, // malformed Authorization, missing X-Amz-Date, host not signed, ...
    UnknownAccessKey,
    InvalidToken, // temporary key without its token, or with another token
    ExpiredToken,
    SignatureMismatch,
    RequestExpired, // X-Amz-Date more than 5 minutes in the past (or a presigned URL past its expiry)
    RequestNotYetValid, // X-Amz-Date more than 5 minutes in the future
};

struct AuthResult
{
    AuthFailure failure = AuthFailure::None;
    QString detail; // AWS's message text for skew failures ("Signature expired: ... is now earlier than ...")
    QString region;
    QString service;
    QString accessKeyId;
    std::optional<Identity> identity; // set when the key is known

    bool ok() const { return failure == AuthFailure::None; }
};

class SignatureVerifier
{
public:
    static constexpr int kMaxSkewSecs = 300;

    explicit SignatureVerifier(const Identities& identities);

    // Header-signed requests (Authorization: AWS4-HMAC-SHA256 ...).
    AuthResult verifyHeaders(const HttpRequest& request, const QDateTime& nowUtc) const;
    // Presigned query strings (X-Amz-Algorithm, X-Amz-Credential, ... X-Amz-Signature): EICE's WebSocket URL.
    AuthResult verifyPresigned(const HttpRequest& request, const QDateTime& nowUtc) const;

    // The credential scope of a header-signed request, without verifying anything (for routing).
    static std::optional<QPair<QString, QString>> scopeOf(const HttpRequest& request); // region, service

private:
    const Identities& m_identities;
};

} // namespace fakeaws
