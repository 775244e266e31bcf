#include "Pager.h"

#include <QList>

namespace fakeaws {

namespace {

constexpr auto kBase64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray makeToken(const QByteArray& scope, qsizetype offset, int pageNumber)
{
    return (QByteArrayLiteral("fk1|") + scope + '|' + QByteArray::number(offset) + '|' + QByteArray::number(pageNumber))
        .toBase64(kBase64);
}

} // namespace

std::optional<Pager::Page> Pager::page(const QByteArray& scope, qsizetype total, int maxResults,
                                       const PagingKnobs& knobs, const QByteArray& token)
{
    qsizetype offset = 0;
    int pageNumber = 1;
    if (!token.isEmpty()) {
        const auto decoded = QByteArray::fromBase64Encoding(token, kBase64 | QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return std::nullopt;
        const QList<QByteArray> parts = decoded.decoded.split('|');
        bool offsetOk = false;
        bool pageOk = false;
        if (parts.size() != 4 || parts[0] != "fk1" || parts[1] != scope)
            return std::nullopt;
        offset = parts[2].toLongLong(&offsetOk);
        pageNumber = parts[3].toInt(&pageOk);
        if (!offsetOk || !pageOk || offset < 0 || offset > total || pageNumber < 2)
            return std::nullopt;
    }
    Page page;
    page.begin = offset;
    page.end = offset;
    if (knobs.emptyPageEvery >= 2 && pageNumber % knobs.emptyPageEvery == 0 && offset < total) {
        page.nextToken = makeToken(scope, offset, pageNumber + 1);
        return page;
    }
    qsizetype size = total - offset;
    if (maxResults > 0)
        size = qMin<qsizetype>(size, maxResults);
    if (knobs.maxPageSize > 0)
        size = qMin<qsizetype>(size, knobs.maxPageSize);
    page.end = offset + size;
    if (page.end < total)
        page.nextToken = makeToken(scope, page.end, pageNumber + 1);
    return page;
}

} // namespace fakeaws
