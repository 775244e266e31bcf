#pragma once
// The desktop app as the GUI tests see it: an in-process fakeaws with the demo fleet, one profile's session
// ("demo"), the store, start/stop, the recording launcher and fake tunnels, ConnectService, InstanceActions
// and, on demand, the main window — composed the way app/gui composes them, minus the real processes.

#include "RecordingLauncher.h"

#include "tests/unit/inventory/FakeAwsSessions.h"

#include "core/inventory/InstancePower.h"
#include "core/inventory/InstanceStore.h"
#include "core/launch/ConnectService.h"
#include "ui/InstanceActions.h"
#include "ui/MainWindow.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace guitest {

class AppFixture
{
public:
    static constexpr int waitMs = 20000;

    explicit AppFixture(const QStringList& regions = {QStringLiteral("us-east-1")})
        : store()
        , power(store)
        , connect(launcher, tunnels, {})
        , actions(store, connect, power)
    {
        if (!aws.ok())
            return;
        bl::InventorySource source = aws.source(aws.addSession(QStringLiteral("demo")), regions);
        store.setSources({source});
        power.setPollInterval(50);
    }

    bool ok() const { return aws.ok(); }

    bl::MainWindow& openWindow()
    {
        window = std::make_unique<bl::MainWindow>(store, actions);
        window->show();
        // On a real X server (no window manager) keyboard focus goes to the window once it is activated.
        window->activateWindow();
        static_cast<void>(QTest::qWaitForWindowActive(window.get(), waitMs));
        return *window;
    }

    bool refresh()
    {
        QSignalSpy finished(&store, &bl::InstanceStore::refreshFinished);
        store.refresh();
        return finished.wait(waitMs);
    }

    inventorytest::FakeAwsSessions aws;
    RecordingLauncher launcher;
    FakeTunnels tunnels;
    bl::InstanceStore store;
    bl::InstancePower power;
    bl::ConnectService connect;
    bl::InstanceActions actions;
    std::unique_ptr<bl::MainWindow> window; // destroyed first
};

} // namespace guitest
