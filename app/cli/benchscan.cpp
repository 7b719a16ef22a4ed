#include "benchscan.h"

#include "benchlist.h"
#include "scanning/codeclassifier.h"
#include "scanning/packingsession.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QStandardPaths>

#include <algorithm>

namespace sd::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

struct Figures
{
    QList<double> ms;
    void add(double v) { ms.append(v); }
    double at(double quantile)
    {
        if (ms.isEmpty())
            return 0;
        std::sort(ms.begin(), ms.end());
        return ms.at(qMin(ms.size() - 1, qsizetype(quantile * double(ms.size()))));
    }
};

void print(QTextStream &out, const QString &what, Figures &f)
{
    out << tr("%1: median %2 ms, 95th percentile %3 ms, worst %4 ms (%5 scans)   target < 300 ms")
               .arg(what)
               .arg(f.at(0.5), 0, 'f', 2)
               .arg(f.at(0.95), 0, 'f', 2)
               .arg(f.at(1.0), 0, 'f', 2)
               .arg(f.ms.size())
        << Qt::endl;
}

} // namespace

Result<void> benchScan(int orders, int samples, QTextStream &out)
{
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + u"/sellerdesk/"_qs;
    const QString dir = cache + u"bench-scan-"_qs + QString::number(orders);
    // The list benchmark's profile holds the same generated orders: a copy saves building it again (the copy, not
    // the profile itself, since packing writes to it).
    const QString listDir = cache + u"bench-list-"_qs + QString::number(orders);
    if (!QFileInfo::exists(dir + u"/complete"_qs) && QFileInfo::exists(listDir + u"/complete"_qs) &&
        QFileInfo(listDir + u"/sellerdesk.sqlite-wal"_qs).size() == 0) {
        out << tr("copying the order list benchmark's profile to %1 (once)…").arg(dir) << Qt::endl;
        QDir(dir).removeRecursively();
        QDir().mkpath(dir);
        if (!QFile::copy(listDir + u"/sellerdesk.sqlite"_qs, dir + u"/sellerdesk.sqlite"_qs))
            return makeError(Error::Code::Io, tr("Cannot copy %1").arg(listDir));
        QFile marker(dir + u"/complete"_qs);
        if (!marker.open(QIODevice::WriteOnly))
            return makeError(Error::Code::Io, tr("Cannot write %1").arg(marker.fileName()));
    }
    auto db = openBenchProfile(dir, orders, out);
    if (!db)
        return db.error();
    storage::OrderStore store(*db);
    scanning::CodeClassifier classifier(*db);

    // Orders spread over the whole id range, so the lookups do not all hit the same pages.
    QSqlQuery range((*db)->connection());
    if (!range.exec(u"SELECT MIN(id), MAX(id) FROM orders"_qs) || !range.next())
        return makeError(Error::Code::Storage, tr("The benchmark profile has no orders."));
    const qint64 low = range.value(0).toLongLong();
    const qint64 high = range.value(1).toLongLong();
    range.finish();
    QRandomGenerator random(20261124);
    const storage::ChangeContext who{u"cli:bench"_qs, u"bench scan"_qs, 0};

    Figures orderScans;
    Figures itemScans;
    Figures lastScans;
    int packed = 0;
    for (int i = 0; i < samples; ++i) {
        const qint64 pick = low + qint64(random.bounded(quint64(high - low + 1)));
        auto external = store.load(pick);
        if (!external || external->externalId.isEmpty() || external->items.isEmpty())
            continue;
        QStringList codes;
        for (const domain::LineItem &item : external->items) {
            for (int unit = 0; unit < item.quantity && !item.sku.isEmpty(); ++unit)
                codes.append(item.sku);
        }
        if (codes.size() != [&] {
                int n = 0;
                for (const domain::LineItem &item : external->items)
                    n += item.quantity;
                return n;
            }())
            continue; // a line without a SKU cannot be scanned

        // The order's code: what opens it, then its packing (started, or resumed).
        QElapsedTimer timer;
        timer.start();
        auto target = classifier.classify(external->externalId);
        if (!target)
            return target.error();
        if (target->orderId != pick)
            return makeError(Error::Code::Internal, tr("Order %1 was not found by its marketplace id.").arg(pick));
        auto session = scanning::PackingSession::open(store, target->orderId, who);
        if (!session)
            return session.error();
        if (session->state() == scanning::PackingSession::State::Completed) {
            if (auto r = session->restart(); !r)
                return r.error();
        }
        orderScans.add(timer.nsecsElapsed() / 1e6);

        for (qsizetype c = 0; c < codes.size(); ++c) {
            timer.restart();
            auto outcome = session->scan(codes.at(c));
            if (!outcome)
                return outcome.error();
            const double ms = timer.nsecsElapsed() / 1e6;
            if (outcome->kind == scanning::PackingSession::ScanOutcome::Kind::Completed) {
                lastScans.add(ms);
                ++packed;
            } else {
                itemScans.add(ms);
            }
        }
    }
    out << tr("%1 orders in the profile, %2 orders packed by scans").arg(orders).arg(packed) << Qt::endl;
    print(out, tr("order scan (lookup + open the packing)"), orderScans);
    print(out, tr("item scan (line + session written)"), itemScans);
    print(out, tr("last item scan (+ order.packed event)"), lastScans);
    return {};
}

} // namespace sd::cli
