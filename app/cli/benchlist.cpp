#include "benchlist.h"

#include "marketplace/allegro/checkoutformgenerator.h"
#include "marketplace/orderimporter.h"
#include "storage/catalogstore.h"
#include "storage/migrations.h"
#include "storage/orderquery.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QStandardPaths>

#include <sqlite3.h>
#include <sys/resource.h>

namespace sd::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

// What the list does for one screen: count the matches and read the first page.
double screenMs(storage::OrderQuery &query, const storage::OrderQuery::Filter &filter, bool withCounts, int *rows)
{
    QElapsedTimer timer;
    timer.start();
    // As MainWindow::applyFilter does: when the tab counts are (re)counted, the list's total is one of them (or
    // their sum for "All"), so there is no separate COUNT; without them the model counts on its own.
    qint64 total = -1;
    if (withCounts) {
        storage::OrderQuery::Filter withoutStatus = filter;
        withoutStatus.statusId = 0;
        const auto counts = query.countsByStatus(withoutStatus).value_or(QHash<qint64, qint64>{});
        total = 0;
        for (qint64 n : counts)
            total += n;
        if (filter.statusId)
            total = counts.value(filter.statusId);
    } else {
        total = query.count(filter).value_or(-1);
    }
    auto page = query.page(filter, std::nullopt, 200);
    *rows = page ? int(page->size()) : -1;
    Q_UNUSED(total);
    return timer.nsecsElapsed() / 1e6;
}

// The schema of a cached profile, read without opening it as a profile (which would upgrade it); 0 if unknown.
int cachedSchemaVersion(const QString &file)
{
    sqlite3 *db = nullptr;
    int version = 0;
    if (sqlite3_open_v2(file.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &stmt, nullptr) ==
                SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW)
            version = sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return version;
}

} // namespace

Result<std::shared_ptr<storage::Database>> openBenchProfile(const QString &dir, int orders, QTextStream &out)
{
    const bool fresh = !QFileInfo::exists(dir + u"/complete"_qs);
    if (fresh)
        QDir(dir).removeRecursively();
    const int cachedSchema = fresh ? 0 : cachedSchemaVersion(dir + u"/sellerdesk.sqlite"_qs);
    const bool upgrade = cachedSchema > 0 && cachedSchema < storage::latestSchemaVersion();
    if (upgrade)
        out << tr("upgrading the cached profile from schema %1 to %2 (once; it fills the new columns and "
                  "indexes of every order)…")
                   .arg(cachedSchema)
                   .arg(storage::latestSchemaVersion())
            << Qt::endl;
    QElapsedTimer upgradeTimer;
    upgradeTimer.start();
    auto db = storage::Database::openProfile(dir);
    if (!db)
        return db.error();
    if (upgrade)
        out << tr("upgraded in %1 s").arg(upgradeTimer.elapsed() / 1000.0, 0, 'f', 1) << Qt::endl;
    if (fresh) {
        out << tr("building a profile with %1 orders in %2 (once; later runs reuse it)…").arg(orders).arg(dir)
            << Qt::endl;
        storage::OrderStore store(*db);
        marketplace::OrderImporter importer(store, u"bench"_qs);
        marketplace::allegro::CheckoutFormGenerator generator(1000000);
        QElapsedTimer timer;
        timer.start();
        for (int done = 0; done < orders; done += 1000) {
            const auto report = importer.importJson(
                QJsonDocument(generator.batch(qMin(1000, orders - done))).toJson(QJsonDocument::Compact));
            if (!report.rejected.isEmpty())
                return makeError(Error::Code::Internal, report.rejected.constFirst().reason);
        }
        out << tr("built in %1 s").arg(timer.elapsed() / 1000.0, 0, 'f', 1) << Qt::endl;
        QFile marker(dir + u"/complete"_qs);
        if (!marker.open(QIODevice::WriteOnly))
            return makeError(Error::Code::Io, tr("Cannot write %1").arg(marker.fileName()));
    }
    return *db;
}

Result<void> benchList(int orders, QTextStream &out)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
                        u"/sellerdesk/bench-list-"_qs + QString::number(orders);
    auto db = openBenchProfile(dir, orders, out);
    if (!db)
        return db.error();
    (*db)->closeThreadConnection();
    db->reset();

    // A new process would start cold; this one reopens the profile so the first screen pays the opening too.
    QElapsedTimer open;
    open.start();
    auto reopened = storage::Database::openProfile(dir);
    if (!reopened)
        return reopened.error();
    storage::OrderQuery query(*reopened);
    int rows = 0;
    const double first = screenMs(query, {}, true, &rows);
    const double opened = open.nsecsElapsed() / 1e6;
    out << tr("first screen (open, tab counts, 200 rows): %1 ms, of which the queries %2 ms (%3 rows)   "
              "target < 200 ms")
               .arg(opened, 0, 'f', 1)
               .arg(first, 0, 'f', 1)
               .arg(rows)
        << Qt::endl;

    storage::CatalogStore catalog(*reopened);
    auto statuses = catalog.statuses();
    if (!statuses || statuses->isEmpty())
        return makeError(Error::Code::Internal, tr("The benchmark profile has no statuses."));
    // The busiest tab: the one a person switches to and waits for.
    auto counts = query.countsByStatus({});
    if (!counts)
        return counts.error();
    storage::OrderQuery::Filter tab;
    for (auto it = counts->cbegin(); it != counts->cend(); ++it)
        if (!tab.statusId || it.value() > counts->value(tab.statusId))
            tab.statusId = it.key();
    // A tab switch keeps the tab counts (they do not depend on the status) and takes the tab's total from
    // them, as the window does: only the first page is read.
    QElapsedTimer switchTimer;
    switchTimer.start();
    auto tabPage = query.page(tab, std::nullopt, 200);
    const double tabMs = switchTimer.nsecsElapsed() / 1e6;
    rows = tabPage ? int(tabPage->size()) : -1;
    out << tr("tab switch: %1 ms (%2 rows)   target < 50 ms").arg(tabMs, 0, 'f', 1).arg(rows) << Qt::endl;

    storage::OrderQuery::Filter filtered = tab;
    filtered.paymentStatus = u"unpaid"_qs;
    // A new filter recounts the tabs (GROUP BY) and reads the first page; the total is one of the counts.
    QElapsedTimer filterTimer;
    filterTimer.start();
    storage::OrderQuery::Filter filteredCounts = filtered;
    filteredCounts.statusId = 0;
    (void)query.countsByStatus(filteredCounts);
    auto filteredPage = query.page(filtered, std::nullopt, 200);
    const double filterMs = filterTimer.nsecsElapsed() / 1e6;
    rows = filteredPage ? int(filteredPage->size()) : -1;
    out << tr("status + payment filter: %1 ms (%2 rows)   target < 50 ms").arg(filterMs, 0, 'f', 1).arg(rows)
        << Qt::endl;

    auto sample = query.page({}, std::nullopt, 1);
    storage::OrderQuery::Filter search;
    search.search = sample && !sample->isEmpty() ? sample->constFirst().buyerLogin : u"kowalski"_qs;
    const double searchMs = screenMs(query, search, true, &rows);
    out << tr("search by buyer login \"%1\": %2 ms (%3 rows)   target < 100 ms")
               .arg(search.search)
               .arg(searchMs, 0, 'f', 1)
               .arg(rows)
        << Qt::endl;

    // A piece from inside the login ("kowal" of "jan_kowalski88"): found by the trigram index, not by words.
    storage::OrderQuery::Filter infix;
    infix.search = search.search.size() > 5 ? search.search.mid(2, search.search.size() - 3) : search.search;
    const double infixMs = screenMs(query, infix, true, &rows);
    out << tr("search inside buyer logins \"%1\": %2 ms (%3 rows)   target < 100 ms")
               .arg(infix.search)
               .arg(infixMs, 0, 'f', 1)
               .arg(rows)
        << Qt::endl;

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    out << tr("peak memory (RSS): %1 MB   target < 250 MB").arg(usage.ru_maxrss / 1024.0, 0, 'f', 0) << Qt::endl;
    return {};
}

} // namespace sd::cli
