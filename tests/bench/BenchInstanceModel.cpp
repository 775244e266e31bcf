// Benchmark of the desktop app's instance list with 10,000 instances (prints figures; never a pass/fail on
// speed): the store is filled from an in-process fakeaws with a generated fleet, then
//  1. building InstanceModel from the store (what the window does after the first refresh) and the peak memory
//     it adds, beside the same rows in a QStandardItemModel (the usual Qt way, the reference);
//  2. search-as-you-type: one keystroke each for 8 characters of a name, timed through InstanceFilterProxy, beside
//     QSortFilterProxyModel's own fixed-string filter over the reference model;
//  3. an in-place refresh that changes nothing (the 5-minute background refresh).
// Usage: bl-bench-instance-model [instances] (default 10000). Use a RelWithDebInfo or Release build.

#include "tests/unit/inventory/FakeAwsSessions.h"

#include "core/inventory/InstanceStore.h"
#include "ui/InstanceFilterProxy.h"
#include "ui/InstanceModel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

// Resident set size now, from /proc/self/statm (pages).
double rssMiB()
{
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = f.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toDouble() * 4096.0 / (1024.0 * 1024.0) : 0;
}

double ms(const QElapsedTimer& t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 10000;
    std::printf("Instance list benchmark: %d instances (generated fleet, 4 regions), Qt %s\n", count, qVersion());

    inventorytest::FakeAwsSessions aws(fakeaws::Fleet::generated(count, 4, 1));
    if (!aws.ok()) {
        std::fprintf(stderr, "fakeaws: %s\n", qPrintable(aws.error()));
        return 1;
    }
    bl::InstanceStore store;
    store.setSources({aws.source(aws.addSession(QStringLiteral("bench")), {})});
    {
        QSignalSpy finished(&store, &bl::InstanceStore::refreshFinished);
        QElapsedTimer t;
        t.start();
        store.refresh();
        if (!finished.wait(300000)) {
            std::fprintf(stderr, "the first refresh did not finish\n");
            return 1;
        }
        std::printf("first refresh from fakeaws (network + XML + store): %.0f ms, %lld entries\n", ms(t),
                    static_cast<long long>(store.entries().size()));
    }
    if (store.entries().size() != count) {
        std::fprintf(stderr, "expected %d entries, got %lld\n", count, static_cast<long long>(store.entries().size()));
        return 1;
    }

    // 1. Load.
    const double rss0 = rssMiB();
    QElapsedTimer t;
    t.start();
    bl::InstanceModel model(store);
    bl::InstanceFilterProxy proxy;
    proxy.setSourceModel(&model);
    const double loadMs = ms(t);
    const double modelMiB = rssMiB() - rss0;

    const double rss1 = rssMiB();
    t.restart();
    QStandardItemModel reference(0, bl::InstanceModel::ColumnCount);
    for (int row = 0; row < model.rowCount(); ++row) {
        QList<QStandardItem*> items;
        for (int c = 0; c < bl::InstanceModel::ColumnCount; ++c)
            items << new QStandardItem(model.index(row, c).data().toString());
        reference.appendRow(items);
    }
    QSortFilterProxyModel referenceProxy;
    referenceProxy.setSourceModel(&reference);
    referenceProxy.setFilterKeyColumn(-1);
    referenceProxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    const double referenceLoadMs = ms(t);
    const double referenceMiB = rssMiB() - rss1;

    // 2. Search, one keystroke at a time, 5 rounds.
    // What a person types: the first characters of an instance's name, here one from the middle of the fleet.
    const QString typed = store.entries().at(count / 2).instance.name.left(8);
    std::vector<double> ours;
    std::vector<double> theirs;
    int oursRows = 0;
    int theirsRows = 0;
    for (int round = 0; round < 5; ++round) {
        for (int n = 1; n <= typed.size(); ++n) {
            t.restart();
            proxy.setSearchText(typed.left(n));
            oursRows = proxy.rowCount();
            ours.push_back(ms(t));
            t.restart();
            referenceProxy.setFilterFixedString(typed.left(n));
            theirsRows = referenceProxy.rowCount();
            theirs.push_back(ms(t));
        }
        proxy.setSearchText({});
        referenceProxy.setFilterFixedString({});
    }

    // 3. A background refresh that changes nothing.
    QSignalSpy finished(&store, &bl::InstanceStore::refreshFinished);
    t.restart();
    store.refresh();
    finished.wait(300000);
    const double refreshMs = ms(t);

    std::printf("\n%-44s %12s %12s %8s\n", "", "Bastionless", "reference", "ratio");
    std::printf("%-44s %9.1f ms %9.1f ms %7.2fx\n", "build model + proxy from the store", loadMs, referenceLoadMs,
                loadMs / referenceLoadMs);
    std::printf("%-44s %8.1f MiB %8.1f MiB %7.2fx\n", "resident memory the model adds", modelMiB, referenceMiB,
                referenceMiB > 0 ? modelMiB / referenceMiB : 0.0);
    std::printf("%-44s %9.2f ms %9.2f ms %7.2fx\n",
                qPrintable(QStringLiteral("search keystroke, median (\"%1\", %2 keys)").arg(typed).arg(ours.size())),
                median(ours), median(theirs), median(ours) / median(theirs));
    std::printf("%-44s %9.2f ms %9.2f ms\n", "search keystroke, worst", *std::max_element(ours.begin(), ours.end()),
                *std::max_element(theirs.begin(), theirs.end()));
    std::printf("%-44s %12d %12d\n", "rows matching the whole word", oursRows, theirsRows);
    std::printf("%-44s %9.0f ms\n", "unchanged background refresh (fakeaws)", refreshMs);
    std::printf("\nreference: QStandardItemModel with the same display strings + QSortFilterProxyModel fixed-string\n"
                "filter over all columns (Bastionless also searches tags and addresses).\n");
    return 0;
}
