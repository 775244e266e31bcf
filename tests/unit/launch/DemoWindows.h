#pragma once
// The launch tests' view of fakeaws's demo fleet: an InventoryEntry for one of its Windows instances, and the
// demo key pair's private key (tests/data/fakeaws/demo-windows-key.pem) that decrypts their passwords.

#include "tests/fakeaws/Fleet.h"

#include "core/inventory/InventoryTypes.h"

#include <QFile>

namespace launchtest {

inline const fakeaws::Instance* demoInstance(const fakeaws::Fleet& fleet, const QString& name)
{
    for (const fakeaws::Instance& i : fleet.instances()) {
        if (i.name() == name)
            return &i;
    }
    return nullptr;
}

inline bl::InventoryEntry entryFor(const fakeaws::Instance& i, const QString& source = QStringLiteral("prod"))
{
    bl::InventoryEntry e;
    e.instance.id = i.id;
    e.instance.name = i.name();
    e.instance.region = i.region;
    e.instance.platform = i.isWindows() ? QStringLiteral("windows") : QStringLiteral("linux");
    e.instance.keyName = i.keyName;
    e.source = source;
    e.cliProfile = source;
    return e;
}

inline QByteArray demoWindowsKey()
{
    QFile f(QStringLiteral(BL_TESTDATA_DIR "/fakeaws/demo-windows-key.pem"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace launchtest
