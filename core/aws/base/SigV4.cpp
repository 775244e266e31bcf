// SigV4 header signing and query presigning (PROTOCOLS.md §1). Kept free of I/O and of the clock so that
// the client, fakeaws and the tests all share one definition of every canonical form.

#include "core/aws/base/SigV4.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QTimeZone>

#include <algorithm>

namespace bl::sigv4 {

namespace {

const QByteArray kAlgorithm = QByteArrayLiteral("AWS4-HMAC-SHA256");
const QByteArray kTerminator = QByteArrayLiteral("aws4_request");

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
        || c == '.' || c == '~';
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Hop-by-hop and proxy headers that botocore never signs, because intermediaries may change them.
bool isUnsignable(const QByteArray& lowerName)
{
    static const QList<QByteArray> deny = {
        QByteArrayLiteral("connection"),
        QByteArrayLiteral("expect"),
        QByteArrayLiteral("keep-alive"),
        QByteArrayLiteral("proxy-authenticate"),
        QByteArrayLiteral("proxy-authorization"),
        QByteArrayLiteral("te"),
        QByteArrayLiteral("trailer"),
        QByteArrayLiteral("transfer-encoding"),
        QByteArrayLiteral("upgrade"),
        QByteArrayLiteral("user-agent"),
        QByteArrayLiteral("x-amzn-trace-id"),
        // A stale signature from an earlier attempt must not be signed into the new one.
        QByteArrayLiteral("authorization"),
    };
    return deny.contains(lowerName);
}

// Trims and folds every whitespace run (including obs-fold line breaks) into one space.
QByteArray collapseWhitespace(const QByteArray& value)
{
    QByteArray out;
    out.reserve(value.size());
    bool pendingSpace = false;
    for (char c : value) {
        if (isSpace(c)) {
            pendingSpace = !out.isEmpty();
            continue;
        }
        if (pendingSpace)
            out.append(' ');
        pendingSpace = false;
        out.append(c);
    }
    return out;
}

// RFC 3986 dot-segment removal as botocore does it: empty segments vanish too, a trailing slash survives.
QByteArray normalizePath(const QByteArray& path)
{
    QList<QByteArray> out;
    for (const QByteArray& segment : path.split('/')) {
        if (segment.isEmpty() || segment == ".")
            continue;
        if (segment == "..") {
            if (!out.isEmpty())
                out.removeLast();
            continue;
        }
        out.append(segment);
    }
    QByteArray result = '/' + out.join('/');
    if (!out.isEmpty() && path.endsWith('/'))
        result.append('/');
    return result;
}

QByteArray credentialScope(const QByteArray& dateStamp, const Scope& scope)
{
    return dateStamp + '/' + scope.region + '/' + scope.service + '/' + kTerminator;
}

HeaderList withoutHeader(const HeaderList& headers, const QByteArray& lowerName)
{
    HeaderList out;
    for (const auto& header : headers) {
        if (header.first.toLower() != lowerName)
            out.append(header);
    }
    return out;
}

QByteArray encodePairs(const QueryList& params)
{
    QByteArray out;
    for (const auto& param : params) {
        if (!out.isEmpty())
            out.append('&');
        out += uriEncode(param.first) + '=' + uriEncode(param.second);
    }
    return out;
}

bool isLowerHex(const QByteArray& s)
{
    return std::all_of(s.cbegin(), s.cend(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

} // namespace

QByteArray uriEncode(const QByteArray& raw, bool encodeSlash)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(raw.size() * 3);
    for (char c : raw) {
        if (isUnreserved(c) || (c == '/' && !encodeSlash)) {
            out.append(c);
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out.append('%');
            out.append(hex[byte >> 4]);
            out.append(hex[byte & 0x0f]);
        }
    }
    return out;
}

QByteArray canonicalUri(const QByteArray& path)
{
    // Non-S3 services expect the wire path encoded once more ("%20" -> "%2520").
    return uriEncode(normalizePath(path), false);
}

QByteArray canonicalQuery(const QueryList& decodedParams)
{
    QList<QPair<QByteArray, QByteArray>> encoded;
    encoded.reserve(decodedParams.size());
    for (const auto& param : decodedParams)
        encoded.append({uriEncode(param.first), uriEncode(param.second)});
    // Byte order on the encoded forms: "X-Amz-*" sorts before lower-case operation parameters.
    std::sort(encoded.begin(), encoded.end());
    QByteArray out;
    for (const auto& param : encoded) {
        if (!out.isEmpty())
            out.append('&');
        out += param.first + '=' + param.second;
    }
    return out;
}

QPair<QByteArray, QByteArray> canonicalHeaders(const HeaderList& headers, const QList<QByteArray>& namesToSign)
{
    QList<QByteArray> names;
    for (const QByteArray& name : namesToSign) {
        const QByteArray lower = name.toLower().trimmed();
        if (!lower.isEmpty() && !names.contains(lower))
            names.append(lower);
    }
    std::sort(names.begin(), names.end());

    QByteArray block;
    for (const QByteArray& name : names) {
        QList<QByteArray> values;
        for (const auto& header : headers) {
            if (header.first.toLower().trimmed() == name)
                values.append(collapseWhitespace(header.second));
        }
        block += name + ':' + values.join(',') + '\n';
    }
    return {block, names.join(';')};
}

QByteArray canonicalRequest(const QByteArray& method, const QByteArray& path, const QueryList& query,
                            const HeaderList& headers, const QList<QByteArray>& namesToSign,
                            const QByteArray& payloadHashHex)
{
    const auto [block, signedList] = canonicalHeaders(headers, namesToSign);
    return method.toUpper() + '\n' + canonicalUri(path) + '\n' + canonicalQuery(query) + '\n' + block + '\n'
        + signedList + '\n' + payloadHashHex;
}

QByteArray stringToSign(const QByteArray& amzDateValue, const Scope& scope, const QByteArray& canonicalRequestValue)
{
    return kAlgorithm + '\n' + amzDateValue + '\n' + credentialScope(amzDateValue.left(8), scope) + '\n'
        + sha256Hex(canonicalRequestValue);
}

QByteArray signingKey(const QByteArray& secret, const QByteArray& dateStamp, const Scope& scope)
{
    const QByteArray kDate = hmacSha256(QByteArrayLiteral("AWS4") + secret, dateStamp);
    const QByteArray kRegion = hmacSha256(kDate, scope.region);
    const QByteArray kService = hmacSha256(kRegion, scope.service);
    return hmacSha256(kService, kTerminator);
}

QByteArray hmacSha256(const QByteArray& key, const QByteArray& data)
{
    return QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Sha256);
}

QByteArray sha256Hex(const QByteArray& data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray amzDate(const QDateTime& utc)
{
    if (!utc.isValid())
        return {};
    return utc.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
}

QDateTime parseAmzDate(const QByteArray& s)
{
    if (s.size() != 16 || s.at(8) != 'T' || s.at(15) != 'Z')
        return {};
    const auto digits = [&s](int from, int count, int* out) {
        int v = 0;
        for (int i = from; i < from + count; ++i) {
            const char c = s.at(i);
            if (c < '0' || c > '9')
                return false;
            v = v * 10 + (c - '0');
        }
        *out = v;
        return true;
    };
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(0, 4, &year) || !digits(4, 2, &month) || !digits(6, 2, &day) || !digits(9, 2, &hour)
        || !digits(11, 2, &minute) || !digits(13, 2, &second))
        return {};
    const QDate date(year, month, day);
    const QTime time(hour, minute, second);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, QTimeZone::utc());
}

QueryList parseQueryString(const QByteArray& encodedQuery)
{
    // '+' stays a literal plus: AWS clients encode spaces as %20, and a verifier must see what was signed.
    QueryList out;
    for (const QByteArray& piece : encodedQuery.split('&')) {
        if (piece.isEmpty())
            continue;
        const qsizetype eq = piece.indexOf('=');
        const QByteArray key = eq < 0 ? piece : piece.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : piece.mid(eq + 1);
        out.append({QByteArray::fromPercentEncoding(key), QByteArray::fromPercentEncoding(value)});
    }
    return out;
}

Signature signHeaders(const Request& request, const Credentials& creds, const Scope& scope, const QDateTime& utc)
{
    const QByteArray date = amzDate(utc);
    const QByteArray token = creds.sessionToken.toUtf8();

    HeaderList headers = withoutHeader(request.headers, QByteArrayLiteral("x-amz-date"));
    headers = withoutHeader(headers, QByteArrayLiteral("authorization"));
    Signature sig;
    sig.addedHeaders.append({QByteArrayLiteral("X-Amz-Date"), date});
    headers.append(sig.addedHeaders.last());
    if (!token.isEmpty()) {
        headers = withoutHeader(headers, QByteArrayLiteral("x-amz-security-token"));
        sig.addedHeaders.append({QByteArrayLiteral("X-Amz-Security-Token"), token});
        headers.append(sig.addedHeaders.last());
    }

    QList<QByteArray> names;
    for (const auto& header : headers) {
        const QByteArray lower = header.first.toLower().trimmed();
        if (!isUnsignable(lower))
            names.append(lower);
    }

    sig.signedHeaders = canonicalHeaders(headers, names).second;
    sig.canonicalRequest =
        canonicalRequest(request.method, request.path, request.query, headers, names, sha256Hex(request.body));
    sig.stringToSign = stringToSign(date, scope, sig.canonicalRequest);
    sig.signature =
        hmacSha256(signingKey(creds.secretAccessKey.toUtf8(), date.left(8), scope), sig.stringToSign).toHex();
    sig.authorization = kAlgorithm + " Credential=" + creds.accessKeyId.toUtf8() + '/'
        + credentialScope(date.left(8), scope) + ", SignedHeaders=" + sig.signedHeaders
        + ", Signature=" + sig.signature;
    sig.addedHeaders.append({QByteArrayLiteral("Authorization"), sig.authorization});
    return sig;
}

Presigned presign(const Request& request, const Credentials& creds, const Scope& scope, const QDateTime& utc,
                  int expiresSeconds)
{
    const QByteArray date = amzDate(utc);
    const QByteArray token = creds.sessionToken.toUtf8();

    QList<QByteArray> names;
    for (const auto& header : request.headers)
        names.append(header.first.toLower().trimmed());
    const QByteArray signedList = canonicalHeaders(request.headers, names).second;

    // botocore's order for the final URL; the canonical form sorts them anyway.
    QueryList auth = {
        {QByteArrayLiteral("X-Amz-Algorithm"), kAlgorithm},
        {QByteArrayLiteral("X-Amz-Credential"),
         creds.accessKeyId.toUtf8() + '/' + credentialScope(date.left(8), scope)},
        {QByteArrayLiteral("X-Amz-Date"), date},
        {QByteArrayLiteral("X-Amz-Expires"), QByteArray::number(expiresSeconds)},
        {QByteArrayLiteral("X-Amz-SignedHeaders"), signedList},
    };
    if (!token.isEmpty())
        auth.append({QByteArrayLiteral("X-Amz-Security-Token"), token});

    Presigned out;
    out.canonicalRequest = canonicalRequest(request.method, request.path, request.query + auth, request.headers, names,
                                            sha256Hex(request.body));
    out.stringToSign = stringToSign(date, scope, out.canonicalRequest);
    out.signature =
        hmacSha256(signingKey(creds.secretAccessKey.toUtf8(), date.left(8), scope), out.stringToSign).toHex();
    out.query = encodePairs(request.query + auth) + "&X-Amz-Signature=" + out.signature;
    return out;
}

AuthorizationHeader parseAuthorization(const QByteArray& value)
{
    AuthorizationHeader out;
    const QByteArray prefix = kAlgorithm + ' ';
    const QByteArray trimmed = value.trimmed();
    if (!trimmed.startsWith(prefix))
        return out;
    QByteArray credential;
    bool haveSignedHeaders = false;
    for (const QByteArray& rawPart : trimmed.mid(prefix.size()).split(',')) {
        const QByteArray part = rawPart.trimmed();
        const qsizetype eq = part.indexOf('=');
        if (eq <= 0)
            return out;
        const QByteArray key = part.left(eq);
        const QByteArray val = part.mid(eq + 1);
        if (key == "Credential") {
            credential = val;
        } else if (key == "SignedHeaders") {
            out.signedHeaders = val;
            haveSignedHeaders = true;
        } else if (key == "Signature") {
            out.signature = val;
        } else {
            return out;
        }
    }
    const QList<QByteArray> scopeParts = credential.split('/');
    if (scopeParts.size() != 5 || scopeParts.at(4) != kTerminator)
        return out;
    out.accessKeyId = scopeParts.at(0);
    out.date = scopeParts.at(1);
    out.region = scopeParts.at(2);
    out.service = scopeParts.at(3);
    out.valid = !out.accessKeyId.isEmpty() && out.date.size() == 8 && !out.region.isEmpty() && !out.service.isEmpty()
        && haveSignedHeaders && !out.signedHeaders.isEmpty() && out.signature.size() == 64 && isLowerHex(out.signature);
    return out;
}

} // namespace bl::sigv4
