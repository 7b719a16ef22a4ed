#include "bench.h"

#include "marketplace/allegro/checkoutformgenerator.h"
#include "marketplace/orderimporter.h"
#include "storage/database.h"
#include "storage/orderquery.h"
#include "storage/orderstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <ctime>

#include <string>
#include <variant>
#include <vector>

namespace sd::cli {

namespace {

using Value = std::variant<std::monostate, sqlite3_int64, double, std::string>;
using Row = std::vector<Value>;

struct Table
{
    std::string name;
    int columns = 0;
    std::vector<Row> rows;
};

Error sqliteError(sqlite3 *db, const char *what)
{
    return makeError(
        Error::Code::Storage,
        QCoreApplication::translate("sd::cli", "The benchmark's SQLite step failed: %1").arg(QString::fromLatin1(what)),
        QString::fromUtf8(sqlite3_errmsg(db)));
}

Result<void> execSql(sqlite3 *db, const std::string &sql)
{
    char *message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const QString text = QString::fromUtf8(message ? message : "");
        sqlite3_free(message);
        return makeError(Error::Code::Storage,
                         QCoreApplication::translate("sd::cli", "The benchmark's SQLite step failed: %1")
                             .arg(QString::fromStdString(sql)),
                         text);
    }
    return {};
}

Result<Table> readTable(sqlite3 *db, const std::string &name)
{
    Table table{name, 0, {}};
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, ("SELECT * FROM " + name + " ORDER BY rowid").c_str(), -1, &stmt, nullptr) != SQLITE_OK)
        return sqliteError(db, "read rows");
    table.columns = sqlite3_column_count(stmt);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        Row row;
        row.reserve(table.columns);
        for (int c = 0; c < table.columns; ++c) {
            switch (sqlite3_column_type(stmt, c)) {
            case SQLITE_INTEGER:
                row.emplace_back(sqlite3_column_int64(stmt, c));
                break;
            case SQLITE_FLOAT:
                row.emplace_back(sqlite3_column_double(stmt, c));
                break;
            case SQLITE_NULL:
                row.emplace_back(std::monostate());
                break;
            default:
                row.emplace_back(std::string(reinterpret_cast<const char *>(sqlite3_column_text(stmt, c)),
                                             size_t(sqlite3_column_bytes(stmt, c))));
            }
        }
        table.rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return table;
}

Result<void> insertTable(sqlite3 *db, const Table &table)
{
    std::string sql = "INSERT INTO " + table.name + " VALUES (";
    for (int c = 0; c < table.columns; ++c)
        sql += c ? ",?" : "?";
    sql += ")";
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
        return sqliteError(db, "prepare insert");
    for (const Row &row : table.rows) {
        for (int c = 0; c < table.columns; ++c) {
            const Value &v = row[size_t(c)];
            if (const auto *i = std::get_if<sqlite3_int64>(&v))
                sqlite3_bind_int64(stmt, c + 1, *i);
            else if (const auto *d = std::get_if<double>(&v))
                sqlite3_bind_double(stmt, c + 1, *d);
            else if (const auto *s = std::get_if<std::string>(&v))
                sqlite3_bind_text(stmt, c + 1, s->data(), int(s->size()), SQLITE_STATIC);
            else
                sqlite3_bind_null(stmt, c + 1);
        }
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            sqlite3_finalize(stmt);
            return sqliteError(db, "insert row");
        }
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return {};
}

// On a shared machine the wall clock depends on the neighbours; the processor time spent does much less.
double cpuSeconds(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

} // namespace

Result<void> benchImport(int orders, QTextStream &out)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::cli", "Cannot create a temporary folder for the benchmark."));

    QElapsedTimer timer;
    timer.start();
    // Files of 1,000 orders, as a marketplace download would deliver them.
    QList<QByteArray> files;
    marketplace::allegro::CheckoutFormGenerator generator(20261123);
    for (int done = 0; done < orders; done += 1000)
        files.push_back(QJsonDocument(generator.batch(qMin(1000, orders - done))).toJson(QJsonDocument::Compact));
    const double generateSeconds = timer.nsecsElapsed() / 1e9;
    out << QCoreApplication::translate("sd::cli", "generated %1 checkout forms in %2 s (not counted)")
               .arg(orders)
               .arg(generateSeconds, 0, 'f', 2)
        << Qt::endl;

    auto db = storage::Database::openProfile(dir.filePath(QStringLiteral("import")));
    if (!db)
        return db.error();
    storage::OrderStore store(*db);
    marketplace::OrderImporter importer(store, QStringLiteral("bench"));
    marketplace::ImportReport report;
    const double threadCpu = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    const double processCpu = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
    timer.restart();
    report += importer.importJsonFiles(files);
    const double importSeconds = timer.nsecsElapsed() / 1e9;
    const double writerCpu = cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - threadCpu;
    const double importCpu = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - processCpu;
    if (report.created != orders)
        return makeError(Error::Code::Internal,
                         QCoreApplication::translate("sd::cli", "The benchmark imported %1 of %2 orders (%3 rejected).")
                             .arg(report.created)
                             .arg(orders)
                             .arg(report.rejected.size()));
    // The search index is filled before the first search, not by the import: timed apart, shown, not counted.
    timer.restart();
    if (auto r = storage::OrderQuery(*db).refreshSearchIndex(); !r)
        return r.error();
    const double indexSeconds = timer.nsecsElapsed() / 1e9;
    const QString importedPath = (*db)->describe();
    db->reset();

    // The physical limit: the same rows, inserted with the bare SQLite C API in one transaction.
    sqlite3 *source = nullptr;
    if (sqlite3_open_v2(importedPath.toUtf8().constData(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        return sqliteError(source, "open imported profile");
    std::vector<std::string> schema;
    {
        sqlite3_stmt *stmt = nullptr;
        // A virtual table (full-text search) creates its own shadow tables.
        sqlite3_prepare_v2(source,
                           "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
                           "AND name NOT IN (SELECT name FROM pragma_table_list WHERE type = 'shadow') ORDER BY rowid",
                           -1, &stmt, nullptr);
        while (sqlite3_step(stmt) == SQLITE_ROW)
            schema.emplace_back(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
        sqlite3_finalize(stmt);
    }
    std::vector<Table> setup;
    std::vector<Table> tables;
    for (const char *name : {"meta", "statuses", "tags"}) {
        auto t = readTable(source, name);
        if (!t)
            return t.error();
        setup.push_back(std::move(*t));
    }
    size_t rowCount = 0;
    for (const char *name : {"orders", "order_items", "events", "order_history"}) {
        auto t = readTable(source, name);
        if (!t)
            return t.error();
        rowCount += t->rows.size();
        tables.push_back(std::move(*t));
    }
    sqlite3_close(source);

    sqlite3 *target = nullptr;
    const QByteArray targetPath = dir.filePath(QStringLiteral("plain.sqlite")).toUtf8();
    if (sqlite3_open(targetPath.constData(), &target) != SQLITE_OK)
        return sqliteError(target, "open plain database");
    auto closeTarget = qScopeGuard([&] { sqlite3_close(target); });
    for (const char *pragma : {"PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
                               "PRAGMA cache_size = -65536"})
        if (auto r = execSql(target, pragma); !r)
            return r;
    for (const std::string &sql : schema)
        if (auto r = execSql(target, sql); !r)
            return r;
    for (const Table &t : setup)
        if (auto r = insertTable(target, t); !r)
            return r;
    timer.restart();
    if (auto r = execSql(target, "BEGIN"); !r)
        return r;
    for (const Table &t : tables)
        if (auto r = insertTable(target, t); !r)
            return r;
    if (auto r = execSql(target, "COMMIT"); !r)
        return r;
    const double plainSeconds = timer.nsecsElapsed() / 1e9;
    // Like the import, the plain copy leaves its orders in the search queue (its triggers are the same).
    timer.restart();
    if (auto r = execSql(target, "BEGIN"); !r)
        return r;
    for (const char *sql : storage::OrderQuery::searchIndexStatements())
        if (auto r = execSql(target, sql); !r)
            return r;
    if (auto r = execSql(target, "COMMIT"); !r)
        return r;
    const double plainIndexSeconds = timer.nsecsElapsed() / 1e9;

    const double importRate = orders / importSeconds;
    const double plainRate = orders / plainSeconds;
    const double ratio = plainSeconds / importSeconds;
    out << QCoreApplication::translate(
               "sd::cli",
               "import:        %1 orders in %2 s = %3 orders/s (parse, map, compare, store with history and events)")
               .arg(orders)
               .arg(importSeconds, 0, 'f', 3)
               .arg(importRate, 0, 'f', 0)
        << Qt::endl;
    out << QCoreApplication::translate("sd::cli", "               processor time %1 s on the writing thread (%2 "
                                                  "orders/s), %3 s in all (reading and mapping on a second thread)")
               .arg(writerCpu, 0, 'f', 3)
               .arg(orders / writerCpu, 0, 'f', 0)
               .arg(importCpu, 0, 'f', 3)
        << Qt::endl;
    out << QCoreApplication::translate(
               "sd::cli", "plain sqlite3: the same %1 rows in %2 s = %3 orders/s (bulk insert, no parsing)")
               .arg(rowCount)
               .arg(plainSeconds, 0, 'f', 3)
               .arg(plainRate, 0, 'f', 0)
        << Qt::endl;
    out << QCoreApplication::translate("sd::cli", "search index (filled by the first search, not counted): import "
                                                  "%1 s, plain sqlite3 %2 s")
               .arg(indexSeconds, 0, 'f', 3)
               .arg(plainIndexSeconds, 0, 'f', 3)
        << Qt::endl;
    out << QCoreApplication::translate("sd::cli", "ratio (plain time / import time): %1   target >= 0.50: %2")
               .arg(ratio, 0, 'f', 2)
               .arg(ratio >= 0.5 ? QCoreApplication::translate("sd::cli", "met")
                                 : QCoreApplication::translate("sd::cli", "not met"))
        << Qt::endl;
    out << QCoreApplication::translate("sd::cli", "rate target >= 20000 orders/s: %1")
               .arg(importRate >= 20000 ? QCoreApplication::translate("sd::cli", "met")
                                        : QCoreApplication::translate("sd::cli", "not met"))
        << Qt::endl;
    return {};
}

} // namespace sd::cli
