#pragma once
// Reads a fixture from tests/data/api/ for the api unit tests.

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTest>

namespace apitest {

inline QByteArray fixture(const char* name)
{
    QFile f(QStringLiteral(BL_TESTDATA_DIR "/api/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly)) {
        qWarning("missing fixture %s", name);
        return {};
    }
    return f.readAll();
}

} // namespace apitest
