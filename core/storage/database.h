#pragma once

#include "util/result.h"

#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace sd::storage {

struct NativeConnection;

// The SellerDesk database: the embedded SQLite file (default) or a shared PostgreSQL server.
// Qt allows a connection only in the thread that opened it, so connection() hands out one named
// connection per thread, opened on first use inside that thread.
class Database
{
public:
    enum class Engine { Sqlite, Postgres };

    struct Options
    {
        QString sqlitePath;  // a file; used when postgresUrl is empty
        QString postgresUrl; // postgresql://user:password@host:port/database
        int busyTimeoutMs = 5000;
    };

    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens (creating an SQLite file if needed), checks it is a SellerDesk database and migrates it.
    static Result<std::shared_ptr<Database>> open(const Options &options);
    // A profile directory holds sellerdesk.sqlite; the directory is created when missing.
    static Result<std::shared_ptr<Database>> openProfile(const QString &directory);
    static Result<std::shared_ptr<Database>> openUrl(const QString &postgresUrl);

    Engine engine() const { return m_engine; }
    bool isPostgres() const { return m_engine == Engine::Postgres; }
    QString describe() const; // for messages: the file path or host/database, never the password

    // This thread's connection (opened on first use). Empty on failure; see lastError().
    QSqlDatabase connection();
    // Closes this thread's connection; call it before a worker thread ends.
    void closeThreadConnection();

    int schemaVersion();

    // A statement prepared once per thread connection and kept: SQLite's prepare costs more than a small insert.
    // Call finish() on it after reading a result, so it does not hold a read lock.
    Result<QSqlQuery *> cached(const char *key, const QString &sql);

    // SQLite only: the same prepared-once statement on this thread connection's own sqlite3 handle, for the
    // order writes of a bulk import (QtSql's binding costs more than SQLite's insert). Null when the engine is
    // PostgreSQL or Qt's SQLite driver does not use the SQLite library SellerDesk links; callers then use cached().
    // Each run goes through step(), which resets the statement, so it never holds a lock afterwards.
    sqlite3_stmt *nativeCached(const char *key, const char *sql);
    // Runs a bound native statement to completion; its rowid for an INSERT. Errors as exec() reports them.
    Result<qint64> step(sqlite3_stmt *statement, const char *what);
    // Runs a bound native query up to its first row: true with the row's columns readable (the caller reads
    // them, then calls sqlite3_reset()), false when there is none. The statement is reset unless true.
    Result<bool> stepRow(sqlite3_stmt *statement, const char *what);

    // Transactions on this thread's connection. Nested calls become savepoints, except inside a batch:
    // there they cost nothing, and a failure at any level fails the whole batch (batchFailed()), which its
    // owner rolls back and may redo with savepoints. Bulk import uses that: failures are rare, savepoints not free.
    enum class Nesting { Savepoints, Batch };
    Result<void> begin(const char *what, Nesting nesting = Nesting::Savepoints);
    Result<void> commit(const char *what);
    void rollback();
    int transactionDepth() const;
    bool batchFailed() const;
    // Runs hook(committed) when the outermost transaction ends (at once when none is open).
    void afterTransaction(std::function<void(bool committed)> hook);

private:
    explicit Database(Engine engine, Options options);
    Result<void> openConnection(QSqlDatabase &db);
    Result<void> checkAndMigrate();
    Result<void> useWal(QSqlDatabase &db);
    Result<void> checkIntegrity(QSqlDatabase &db);
    Error damaged(const QString &detail) const;
    void finishTransaction(bool committed);
    Result<void> runSavepoint(const QString &sql, const char *cacheKey, const char *what);
    QString connectionName() const;

    NativeConnection *native();

    Engine m_engine;
    Options m_options;
    quint64 m_serial;
    QString m_id;
    bool m_identityChecked = false;
};

// A transaction that rolls back unless committed (RAII for early returns).
class Transaction
{
public:
    Transaction(Database &db, const char *what);
    ~Transaction();
    const Result<void> &started() const { return m_started; }
    Result<void> commit();

private:
    Database &m_db;
    const char *m_what;
    Result<void> m_started;
    bool m_done = false;
};

} // namespace sd::storage
