#pragma once
// AWS Signature Version 4 as pure functions of (request, credentials, scope, time): header signing
// (EC2, STS, SSM, EC2 Instance Connect) and presigned query strings (the EICE WebSocket URL).
// See PROTOCOLS.md §1. Nothing here does I/O or reads the clock.

#include "core/aws/base/Credentials.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>

namespace bl::sigv4 {

using HeaderList = QList<QPair<QByteArray, QByteArray>>; // name as sent, value as sent
using QueryList = QList<QPair<QByteArray, QByteArray>>; // DECODED key and value (raw bytes, UTF-8)

struct Request
{
    QByteArray method = "GET";
    QByteArray path = "/"; // the path as it appears on the wire (already percent-encoded)
    QueryList query; // decoded parameters, in the order they appear
    HeaderList headers; // must include Host (or host) for header signing
    QByteArray body;
};

struct Scope
{
    QByteArray region; // e.g. "us-east-1"
    QByteArray service; // signing name, e.g. "ec2", "ec2-instance-connect"
};

struct Signature
{
    HeaderList addedHeaders; // X-Amz-Date, X-Amz-Security-Token (if any), Authorization — add to the request
    QByteArray canonicalRequest;
    QByteArray stringToSign;
    QByteArray signature; // lowercase hex
    QByteArray authorization; // value of the Authorization header
    QByteArray signedHeaders; // "content-type;host;x-amz-date"
};

struct Presigned
{
    QByteArray query; // final encoded query string: operation params (in given order), X-Amz-* (CLI order),
                      // then &X-Amz-Signature=...; use verbatim after '?'
    QByteArray canonicalRequest;
    QByteArray stringToSign;
    QByteArray signature;
};

// Header signing (§1.1). Signs every header present except the deny list (§1.3); adds X-Amz-Date and,
// with a session token, X-Amz-Security-Token before signing.
Signature signHeaders(const Request& request, const Credentials& creds, const Scope& scope, const QDateTime& utc);

// Query presigning (§1.5, §1.6). Signs only the headers given (EICE: host). expiresSeconds -> X-Amz-Expires.
Presigned presign(const Request& request, const Credentials& creds, const Scope& scope, const QDateTime& utc,
                  int expiresSeconds);

// Building blocks, public so that fakeaws can verify signatures with the same definitions.
QByteArray uriEncode(const QByteArray& raw, bool encodeSlash = true); // RFC 3986 unreserved kept, %XX upper
QByteArray canonicalUri(const QByteArray& path); // normalised, double-encoded (non-S3)
QByteArray canonicalQuery(const QueryList& decodedParams);
// Canonical headers block ("name:value\n"...) and the signed-headers list, for the given header names
// (lower-case). Duplicate headers are joined with ',' and values trimmed/collapsed as the suite expects.
QPair<QByteArray, QByteArray> canonicalHeaders(const HeaderList& headers, const QList<QByteArray>& namesToSign);
QByteArray canonicalRequest(const QByteArray& method, const QByteArray& path, const QueryList& query,
                            const HeaderList& headers, const QList<QByteArray>& namesToSign,
                            const QByteArray& payloadHashHex);
QByteArray stringToSign(const QByteArray& amzDate, const Scope& scope, const QByteArray& canonicalRequest);
QByteArray signingKey(const QByteArray& secret, const QByteArray& dateStamp, const Scope& scope);
QByteArray hmacSha256(const QByteArray& key, const QByteArray& data);
QByteArray sha256Hex(const QByteArray& data);
QByteArray amzDate(const QDateTime& utc); // 20240115T120000Z
QDateTime parseAmzDate(const QByteArray& s); // inverse; invalid QDateTime on error
QueryList parseQueryString(const QByteArray& encodedQuery); // "a=b&c=%2F" -> decoded pairs

// Parsed "AWS4-HMAC-SHA256 Credential=AKID/20240115/us-east-1/ec2/aws4_request, SignedHeaders=..., Signature=..."
struct AuthorizationHeader
{
    QByteArray accessKeyId, date, region, service, signedHeaders, signature;
    bool valid = false;
};
AuthorizationHeader parseAuthorization(const QByteArray& value);

} // namespace bl::sigv4
