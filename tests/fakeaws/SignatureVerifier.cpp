#include "SignatureVerifier.h"

#include "core/aws/base/SigV4.h"
#include "core/util/Clock.h"

namespace fakeaws {

namespace {

namespace sigv4 = bl::sigv4;

bool sameSignature(const QByteArray& a, const QByteArray& b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

AuthResult fail(AuthResult r, AuthFailure failure, QString detail = {})
{
    r.failure = failure;
    r.detail = std::move(detail);
    return r;
}

QString amzText(const QDateTime& t)
{
    return QString::fromLatin1(sigv4::amzDate(t));
}

// The messages AWS query services send for skew (boto/botocore#149, PROTOCOLS.md §1.8).
std::optional<AuthResult> checkSkew(const AuthResult& r, const QDateTime& signedAt, const QDateTime& now)
{
    const qint64 age = signedAt.secsTo(now);
    if (age > SignatureVerifier::kMaxSkewSecs) {
        return fail(r, AuthFailure::RequestExpired,
                    QStringLiteral("Signature expired: %1 is now earlier than %2 (%3 - 5 min.)")
                        .arg(amzText(signedAt), amzText(now.addSecs(-SignatureVerifier::kMaxSkewSecs)), amzText(now)));
    }
    if (-age > SignatureVerifier::kMaxSkewSecs) {
        return fail(r, AuthFailure::RequestNotYetValid,
                    QStringLiteral("Signature not yet current: %1 is still later than %2 (%3 + 5 min.)")
                        .arg(amzText(signedAt), amzText(now.addSecs(SignatureVerifier::kMaxSkewSecs)), amzText(now)));
    }
    return std::nullopt;
}

std::optional<AuthResult> checkToken(const AuthResult& r, const Identity& id, const QByteArray& token,
                                     const QDateTime& now)
{
    if (id.isTemporary() ? token != id.sessionToken.toUtf8() : !token.isEmpty())
        return fail(r, AuthFailure::InvalidToken);
    if (id.expiration && now >= *id.expiration)
        return fail(r, AuthFailure::ExpiredToken);
    return std::nullopt;
}

QList<QByteArray> signedHeaderNames(const QByteArray& list)
{
    QList<QByteArray> names;
    for (const QByteArray& n : list.split(';')) {
        if (!n.isEmpty())
            names.append(n);
    }
    return names;
}

bool allPresent(const HttpRequest& request, const QList<QByteArray>& names)
{
    for (const QByteArray& n : names) {
        bool found = false;
        for (const auto& h : request.headers)
            found = found || h.first.compare(n, Qt::CaseInsensitive) == 0;
        if (!found)
            return false;
    }
    return true;
}

QByteArray computeSignature(const Identity& id, const QByteArray& amzDate, const sigv4::Scope& scope,
                            const QByteArray& canonical)
{
    const QByteArray key = sigv4::signingKey(id.secretAccessKey.toUtf8(), amzDate.left(8), scope);
    return sigv4::hmacSha256(key, sigv4::stringToSign(amzDate, scope, canonical)).toHex();
}

} // namespace

SignatureVerifier::SignatureVerifier(const Identities& identities)
    : m_identities(identities)
{ }

std::optional<QPair<QString, QString>> SignatureVerifier::scopeOf(const HttpRequest& request)
{
    const sigv4::AuthorizationHeader auth = sigv4::parseAuthorization(request.header("Authorization"));
    if (!auth.valid)
        return std::nullopt;
    return QPair<QString, QString>(QString::fromUtf8(auth.region), QString::fromUtf8(auth.service));
}

AuthResult SignatureVerifier::verifyHeaders(const HttpRequest& request, const QDateTime& nowUtc) const
{
    AuthResult r;
    const QByteArray header = request.header("Authorization");
    if (header.isEmpty())
        return fail(r, AuthFailure::MissingAuthentication);
    const sigv4::AuthorizationHeader auth = sigv4::parseAuthorization(header);
    if (!auth.valid) {
        return fail(r, AuthFailure::IncompleteSignature,
                    QStringLiteral("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
                                   "parameters with the AWS4-HMAC-SHA256 algorithm."));
    }
    r.region = QString::fromUtf8(auth.region);
    r.service = QString::fromUtf8(auth.service);
    r.accessKeyId = QString::fromUtf8(auth.accessKeyId);

    QByteArray amzDate = request.header("X-Amz-Date");
    if (amzDate.isEmpty()) {
        const QDateTime date = bl::ClockSkew::parseHttpDate(request.header("Date"));
        amzDate = sigv4::amzDate(date);
    }
    const QDateTime signedAt = sigv4::parseAmzDate(amzDate);
    if (!signedAt.isValid()) {
        return fail(r, AuthFailure::IncompleteSignature,
                    QStringLiteral("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                                   "header."));
    }
    const QList<QByteArray> names = signedHeaderNames(auth.signedHeaders);
    if (!names.contains("host")) {
        return fail(r, AuthFailure::IncompleteSignature, QStringLiteral("'Host' must be a signed header."));
    }

    r.identity = m_identities.find(r.accessKeyId);
    if (!r.identity)
        return fail(r, AuthFailure::UnknownAccessKey);
    if (auto tokenFailure = checkToken(r, *r.identity, request.header("X-Amz-Security-Token"), nowUtc))
        return *tokenFailure;
    if (auth.date != amzDate.left(8)) {
        return fail(r, AuthFailure::SignatureMismatch,
                    QStringLiteral("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                                   "from HTTP: '%1' != '%2', from '%3'.")
                        .arg(QString::fromLatin1(auth.date), QString::fromLatin1(amzDate.left(8)),
                             QString::fromLatin1(amzDate)));
    }
    if (auto skew = checkSkew(r, signedAt, nowUtc))
        return *skew;

    if (!allPresent(request, names))
        return fail(r, AuthFailure::SignatureMismatch);
    const QByteArray canonical = sigv4::canonicalRequest(request.method, request.path, request.query, request.headers,
                                                         names, sigv4::sha256Hex(request.body));
    const QByteArray expected = computeSignature(*r.identity, amzDate, {auth.region, auth.service}, canonical);
    if (!sameSignature(expected, auth.signature))
        return fail(r, AuthFailure::SignatureMismatch);
    return r;
}

AuthResult SignatureVerifier::verifyPresigned(const HttpRequest& request, const QDateTime& nowUtc) const
{
    AuthResult r;
    QByteArray algorithm, credential, amzDate, expires, signedHeaders, signature, token;
    bl::sigv4::QueryList signedQuery;
    for (const auto& p : request.query) {
        if (p.first == "X-Amz-Signature") {
            signature = p.second;
            continue; // the only parameter outside the canonical query
        }
        signedQuery.append(p);
        if (p.first == "X-Amz-Algorithm")
            algorithm = p.second;
        else if (p.first == "X-Amz-Credential")
            credential = p.second;
        else if (p.first == "X-Amz-Date")
            amzDate = p.second;
        else if (p.first == "X-Amz-Expires")
            expires = p.second;
        else if (p.first == "X-Amz-SignedHeaders")
            signedHeaders = p.second;
        else if (p.first == "X-Amz-Security-Token")
            token = p.second;
    }
    if (signature.isEmpty() && credential.isEmpty())
        return fail(r, AuthFailure::MissingAuthentication);

    const QList<QByteArray> scope = credential.split('/');
    bool expiresOk = false;
    const int expiresSecs = expires.toInt(&expiresOk);
    const QDateTime signedAt = sigv4::parseAmzDate(amzDate);
    if (algorithm != "AWS4-HMAC-SHA256" || scope.size() != 5 || scope.at(4) != "aws4_request" || !signedAt.isValid()
        || !expiresOk || expiresSecs < 1 || expiresSecs > 604800 || signature.size() != 64 || signedHeaders.isEmpty()) {
        return fail(r, AuthFailure::IncompleteSignature,
                    QStringLiteral("AWS query-string parameters must include 'X-Amz-Algorithm', "
                                   "'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders' and "
                                   "'X-Amz-Expires'."));
    }
    r.accessKeyId = QString::fromUtf8(scope.at(0));
    r.region = QString::fromUtf8(scope.at(2));
    r.service = QString::fromUtf8(scope.at(3));

    r.identity = m_identities.find(r.accessKeyId);
    if (!r.identity)
        return fail(r, AuthFailure::UnknownAccessKey);
    if (auto tokenFailure = checkToken(r, *r.identity, token, nowUtc))
        return *tokenFailure;
    if (scope.at(1) != amzDate.left(8))
        return fail(r, AuthFailure::SignatureMismatch);
    if (nowUtc > signedAt.addSecs(expiresSecs))
        return fail(r, AuthFailure::RequestExpired, QStringLiteral("Request has expired"));
    if (signedAt.secsTo(nowUtc) < -kMaxSkewSecs)
        return fail(r, AuthFailure::RequestNotYetValid, QStringLiteral("Request is not yet valid"));

    const QList<QByteArray> names = signedHeaderNames(signedHeaders);
    if (!allPresent(request, names))
        return fail(r, AuthFailure::SignatureMismatch);
    const QByteArray canonical = sigv4::canonicalRequest(request.method, request.path, signedQuery, request.headers,
                                                         names, sigv4::sha256Hex(request.body));
    const QByteArray expected = computeSignature(*r.identity, amzDate, {scope.at(2), scope.at(3)}, canonical);
    if (!sameSignature(expected, signature))
        return fail(r, AuthFailure::SignatureMismatch);
    return r;
}

} // namespace fakeaws
