#pragma once

#include "domain/order.h"
#include "storage/database.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTest>

#include <memory>

namespace sd::test {

// The PostgreSQL server scripts/test starts on loopback, or empty when none runs.
QString postgresBaseUrl();
// Drops and creates a database called name on that server; returns its URL.
Result<QString> freshPostgresDatabase(const QString &name);
// True when the tests run in CI, where a missing server is a failure, never a skip.
bool inCi();

// A new empty SQLite profile in a temporary folder that lives as long as the returned holder.
struct TempDatabase
{
    std::shared_ptr<storage::Database> db;
    std::shared_ptr<void> keep; // the temporary folder
    QString path;
};
Result<TempDatabase> openFresh(const QString &engine, const QString &name);

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};
CliRun runCli(const QStringList &arguments, const QString &language = {});

// A small valid order for the given marketplace id (PLN, two line items, delivery to Gdańsk).
domain::Order sampleOrder(const QString &externalId);
// The engines a storage test runs on: "sqlite" always, "postgres" too (skipped or failed per SD_REQUIRE_POSTGRES).
void addEngineRows();

QByteArray readFile(const QString &path);
// The barcodes on a PDF's pages as zbarimg reads them from pdftoppm's 300 dpi rendering (poppler-utils, zbar-tools);
// an error when either tool is missing or fails.
Result<QStringList> decodePdfBarcodes(const QByteArray &pdf);
QJsonObject readJsonObject(const QString &path);
// The PDF's text as pdftotext (poppler-utils) reads it, spaces collapsed; empty when the tool is missing or fails.
QString pdfText(const QByteArray &pdf);

} // namespace sd::test

// Skips a PostgreSQL test when no server was started, except in CI, where that is a failure.
#define SD_REQUIRE_POSTGRES()                                                                                          \
    do {                                                                                                               \
        if (sd::test::postgresBaseUrl().isEmpty()) {                                                                   \
            if (sd::test::inCi())                                                                                      \
                QFAIL("SD_TEST_POSTGRES_URL is not set: scripts/test starts PostgreSQL for this test");                \
            QSKIP("no PostgreSQL test server (run through scripts/test)");                                             \
        }                                                                                                              \
    } while (false)

#define SD_VERIFY_OK(result)                                                                                           \
    do {                                                                                                               \
        const auto &sd_result_ = (result);                                                                             \
        if (!sd_result_.ok())                                                                                          \
            QFAIL(qPrintable(u"" #result " failed: "_qs + sd_result_.error().text()));                                 \
    } while (false)
