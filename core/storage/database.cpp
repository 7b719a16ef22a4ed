#include "storage/database.h"

#include "storage/migrations.h"
#include "storage/sqlquery.h"
#include "util/logging.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSqlDriver>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

#include <sqlite3.h>

#include <string>
#include <unordered_map>

namespace sd::storage {

struct NativeStatement
{
    NativeStatement() = default;
    NativeStatement(const NativeStatement &) = delete;
    NativeStatement &operator=(const NativeStatement &) = delete;
    ~NativeStatement() { sqlite3_finalize(statement); }
    sqlite3_stmt *statement = nullptr;
};
// Per connection: its handle (null when it cannot be used natively) and its statements by key.
struct NativeConnection
{
    sqlite3 *handle = nullptr;
    std::unordered_map<std::string, NativeStatement> statements;
};

namespace {

struct TxState
{
    int depth = 0;
    bool batch = false;    // nested levels take no savepoints
    bool poisoned = false; // a nested level failed inside a batch
    std::vector<std::function<void(bool)>> hooks;
};
thread_local QHash<QString, TxState> t_tx;
thread_local std::unordered_map<std::string, std::unique_ptr<QSqlQuery>> t_statements;

thread_local QHash<QString, std::shared_ptr<NativeConnection>> t_native;
// The last one used on this thread, found without building the connection name (four statements per order).
thread_local quint64 t_nativeSerial = 0;
thread_local NativeConnection *t_nativeLast = nullptr;

QAtomicInteger<quint64> s_nextId = 1;

constexpr qint64 kMigrationLockKey = 7270431;

// Savepoint statements for the usual depths are prepared once: the import opens one per order.
constexpr int kCachedSavepoints = 4;
const char *const kSavepointKeys[kCachedSavepoints] = {"savepoint 0", "savepoint 1", "savepoint 2", "savepoint 3"};
const char *const kReleaseKeys[kCachedSavepoints] = {"release 0", "release 1", "release 2", "release 3"};

} // namespace

Database::Database(Engine engine, Options options)
    : m_engine(engine)
    , m_options(std::move(options))
    , m_serial(s_nextId.fetchAndAddRelaxed(1))
    , m_id(QStringLiteral("sd-db-%1").arg(m_serial))
{}

Database::~Database()
{
    closeThreadConnection();
}

Result<std::shared_ptr<Database>> Database::openProfile(const QString &directory)
{
    if (!QDir().mkpath(directory))
        return makeError(
            Error::Code::Io,
            QCoreApplication::translate("sd::storage", "The profile folder %1 cannot be created.").arg(directory));
    Options options;
    options.sqlitePath = QDir(directory).filePath(QStringLiteral("sellerdesk.sqlite"));
    return open(options);
}

Result<std::shared_ptr<Database>> Database::openUrl(const QString &postgresUrl)
{
    Options options;
    options.postgresUrl = postgresUrl;
    return open(options);
}

Result<std::shared_ptr<Database>> Database::open(const Options &options)
{
    const Engine engine = options.postgresUrl.isEmpty() ? Engine::Sqlite : Engine::Postgres;
    if (engine == Engine::Sqlite) {
        if (options.sqlitePath.isEmpty())
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::storage", "No database file was given."));
        const QFileInfo file(options.sqlitePath);
        if (file.exists() && !file.isFile())
            return makeError(Error::Code::WrongDatabase,
                             QCoreApplication::translate("sd::storage", "%1 is not a file.").arg(options.sqlitePath));
        // The permission bits, not only access(): a file the user made read-only stays untouched even for root.
        if (file.exists() && (!file.isWritable() || !(file.permissions() & QFileDevice::WriteOwner)))
            return makeError(
                Error::Code::ReadOnly,
                QCoreApplication::translate(
                    "sd::storage",
                    "The database %1 is read-only. SellerDesk needs to write to it: check the file's permissions.")
                    .arg(options.sqlitePath));
        const QFileInfo dir(file.absolutePath());
        if (!dir.exists())
            return makeError(
                Error::Code::Io,
                QCoreApplication::translate("sd::storage", "The folder %1 does not exist.").arg(file.absolutePath()));
        if (!dir.isWritable())
            return makeError(Error::Code::ReadOnly,
                             QCoreApplication::translate("sd::storage",
                                                         "The folder %1 is read-only. SellerDesk keeps its journal "
                                                         "beside the database and needs to write there.")
                                 .arg(file.absolutePath()));
    } else {
        const QUrl url(options.postgresUrl, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"postgresql" && url.scheme() != u"postgres") || url.host().isEmpty() ||
            url.path().size() < 2)
            return makeError(
                Error::Code::Invalid,
                QCoreApplication::translate(
                    "sd::storage",
                    "%1 is not a PostgreSQL address; expected postgresql://user:password@host:port/database")
                    .arg(url.toDisplayString(QUrl::RemovePassword)));
    }

    std::shared_ptr<Database> db(new Database(engine, options));
    if (auto r = db->checkAndMigrate(); !r)
        return r.error();
    return db;
}

QString Database::describe() const
{
    if (m_engine == Engine::Sqlite)
        return m_options.sqlitePath;
    return QUrl(m_options.postgresUrl).toDisplayString(QUrl::RemovePassword | QUrl::RemoveQuery);
}

QString Database::connectionName() const
{
    return m_id + u'-' + QString::number(reinterpret_cast<quintptr>(QThread::currentThreadId()), 16);
}

Result<void> Database::openConnection(QSqlDatabase &db)
{
    if (m_engine == Engine::Sqlite) {
        db.setDatabaseName(m_options.sqlitePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(m_options.busyTimeoutMs));
        if (!db.open())
            return toError(db.lastError(), "open sqlite");
        // Reading sqlite_master fails on a file that is not SQLite. Nothing is written before the file is known
        // to be ours: even switching to WAL rewrites the header of someone else's database.
        for (const char *sql : {"PRAGMA foreign_keys = ON", "SELECT COUNT(*) FROM sqlite_master"}) {
            QSqlQuery query(db);
            if (!query.exec(QString::fromLatin1(sql))) {
                Error error = toError(query.lastError(), sql);
                db.close();
                if (error.detail.contains(u"malformed"))
                    return damaged(error.detail);
                if (error.code == Error::Code::WrongDatabase || error.code == Error::Code::Storage)
                    return makeError(
                        Error::Code::WrongDatabase,
                        QCoreApplication::translate(
                            "sd::storage", "%1 is not a SellerDesk database (it is not an SQLite database at all).")
                            .arg(m_options.sqlitePath),
                        error.detail);
                return error;
            }
        }
        if (m_identityChecked)
            return useWal(db);
        return {};
    }

    const QUrl url(m_options.postgresUrl);
    db.setHostName(url.host());
    db.setPort(url.port(5432));
    db.setDatabaseName(url.path().mid(1));
    db.setUserName(url.userName());
    db.setPassword(url.password());
    // TLS: postgresql://...?sslmode=require (or verify-full with sslrootcert=FILE), as libpq spells it.
    QString options = QStringLiteral("connect_timeout=10;application_name=sellerdesk");
    const QUrlQuery urlQuery(url);
    for (const char *key : {"sslmode", "sslrootcert"})
        if (const QString value = urlQuery.queryItemValue(QLatin1StringView(key)); !value.isEmpty())
            options += u';' + QLatin1StringView(key) + u'=' + value;
    db.setConnectOptions(options);
    if (!db.open()) {
        const Error error = toError(db.lastError(), "open postgresql");
        return makeError(
            Error::Code::Io,
            QCoreApplication::translate("sd::storage", "Cannot connect to the PostgreSQL database %1.").arg(describe()),
            error.detail);
    }
    QSqlQuery query(db);
    query.exec(QStringLiteral("SET client_min_messages TO WARNING"));
    return {};
}

Error Database::damaged(const QString &detail) const
{
    return makeError(Error::Code::WrongDatabase,
                     QCoreApplication::translate(
                         "sd::storage", "The database %1 is damaged. Restore your latest backup "
                                        "(sellerdesk-cli backup restore FILE); SellerDesk did not change the file.")
                         .arg(m_options.sqlitePath),
                     detail);
}

// PRAGMA quick_check at every start: a damaged file is named as such instead of failing later, halfway through a
// change.
Result<void> Database::checkIntegrity(QSqlDatabase &db)
{
    QSqlQuery check(db);
    if (!check.exec(QStringLiteral("PRAGMA quick_check")))
        return damaged(check.lastError().text());
    const QString first = check.next() ? check.value(0).toString() : QString();
    if (first != u"ok")
        return damaged(first);
    return {};
}

Result<void> Database::useWal(QSqlDatabase &db)
{
    for (const char *pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -65536",
                               "PRAGMA temp_store = MEMORY", "PRAGMA wal_autocheckpoint = 16384"}) {
        if (auto r = exec(db, QString::fromLatin1(pragma), pragma); !r)
            return r;
    }
    return {};
}

QSqlDatabase Database::connection()
{
    const QString name = connectionName();
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name, false);
    QSqlDatabase db = QSqlDatabase::addDatabase(
        m_engine == Engine::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), name);
    if (auto r = openConnection(db); !r) {
        qCWarning(lcStorage) << "cannot open" << describe() << r.error().detail;
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
        return QSqlDatabase();
    }
    return db;
}

void Database::closeThreadConnection()
{
    const QString name = connectionName();
    t_tx.remove(name);
    if (t_nativeSerial == m_serial)
        t_nativeLast = nullptr;
    t_native.remove(name); // finalised before the connection closes, or SQLite would keep it open
    const std::string prefix = name.toStdString() + '/';
    std::erase_if(t_statements, [&](const auto &entry) { return entry.first.starts_with(prefix); });
    if (!QSqlDatabase::contains(name))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

Result<void> Database::checkAndMigrate()
{
    const QString name = connectionName();
    QSqlDatabase db = QSqlDatabase::addDatabase(
        m_engine == Engine::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), name);
    if (auto r = openConnection(db); !r) {
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
        return r;
    }

    // Several workstations may start at once against a new PostgreSQL database: one migrates, the others wait.
    QSqlQuery lock(db);
    if (m_engine == Engine::Postgres &&
        !lock.exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(kMigrationLockKey)))
        return toError(lock.lastError(), "migration lock");

    auto result = [&]() -> Result<void> {
        QSqlQuery tables(db);
        const QString listSql =
            m_engine == Engine::Sqlite
                ? QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                : QStringLiteral(
                      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
        if (!tables.exec(listSql)) {
            const Error error = toError(tables.lastError(), "list tables");
            if (m_engine == Engine::Sqlite)
                return makeError(
                    Error::Code::WrongDatabase,
                    QCoreApplication::translate("sd::storage", "%1 is not a SellerDesk database.").arg(describe()),
                    error.detail);
            return error;
        }
        QStringList names;
        while (tables.next())
            names << tables.value(0).toString();
        tables.finish();

        if (names.isEmpty()) {
            if (!db.transaction())
                return toError(db.lastError(), "begin create meta");
            for (const char *sql : {"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                                    "INSERT INTO meta (key, value) VALUES ('application', 'sellerdesk')",
                                    "INSERT INTO meta (key, value) VALUES ('schema_version', '0')"}) {
                if (auto r = exec(db, QString::fromLatin1(sql), "create meta"); !r) {
                    db.rollback();
                    return r;
                }
            }
            if (!db.commit())
                return toError(db.lastError(), "commit create meta");
        } else {
            QSqlQuery app(db);
            if (!names.contains(u"meta"_qs) ||
                !app.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'application'")) || !app.next() ||
                app.value(0).toString() != u"sellerdesk")
                return makeError(Error::Code::WrongDatabase,
                                 QCoreApplication::translate("sd::storage",
                                                             "%1 is not a SellerDesk database: it holds other "
                                                             "tables. Choose another file or an empty database.")
                                     .arg(describe()));
        }
        if (m_engine == Engine::Sqlite) {
            if (auto r = checkIntegrity(db); !r)
                return r;
            if (auto r = useWal(db); !r)
                return r;
        }
        m_identityChecked = true;
        return migrate(db, m_engine);
    }();

    if (m_engine == Engine::Postgres)
        lock.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(kMigrationLockKey));
    lock.finish();
    if (!result) {
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
    }
    return result;
}

int Database::schemaVersion()
{
    QSqlQuery query(connection());
    if (query.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")) && query.next())
        return query.value(0).toInt();
    return -1;
}

Result<QSqlQuery *> Database::cached(const char *key, const QString &sql)
{
    const std::string id = connectionName().toStdString() + '/' + key;
    auto it = t_statements.find(id);
    if (it != t_statements.end())
        return it->second.get();
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return makeError(
            Error::Code::Storage,
            QCoreApplication::translate("sd::storage", "The database %1 cannot be opened.").arg(describe()));
    auto query = std::make_unique<QSqlQuery>(db);
    if (!query->prepare(sql))
        return toError(query->lastError(), key);
    QSqlQuery *raw = query.get();
    t_statements.emplace(id, std::move(query));
    return raw;
}

NativeConnection *Database::native()
{
    if (t_nativeLast && t_nativeSerial == m_serial)
        return t_nativeLast;
    const QString name = connectionName();
    auto it = t_native.constFind(name);
    if (it == t_native.constEnd()) {
        auto native = std::make_shared<NativeConnection>();
        QSqlDatabase db = connection();
        if (m_engine == Engine::Sqlite && db.isOpen()) {
            const QVariant handle = db.driver()->handle();
            // The handle is usable only if the driver runs on the very SQLite this program links (Debian's Qt
            // uses the system library); a Qt built with its own copy keeps to QtSql.
            QSqlQuery source(db);
            if (qstrcmp(handle.typeName(), "sqlite3*") == 0 &&
                source.exec(QStringLiteral("SELECT sqlite_source_id()")) && source.next() &&
                source.value(0).toString() == QLatin1StringView(sqlite3_sourceid()))
                native->handle = *static_cast<sqlite3 *const *>(handle.constData());
            else
                qCInfo(lcStorage) << "the SQLite driver uses another SQLite library; writing through QtSql only";
        }
        it = t_native.insert(name, native);
    }
    t_nativeSerial = m_serial;
    t_nativeLast = it->get();
    return t_nativeLast;
}

sqlite3_stmt *Database::nativeCached(const char *key, const char *sql)
{
    NativeConnection *native = this->native();
    if (!native->handle)
        return nullptr;
    NativeStatement &entry = native->statements[key];
    if (!entry.statement && sqlite3_prepare_v3(native->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &entry.statement,
                                               nullptr) != SQLITE_OK) {
        qCWarning(lcStorage) << "cannot prepare" << key << sqlite3_errmsg(native->handle) << "; using QtSql";
        native->statements.erase(key);
        return nullptr;
    }
    return entry.statement;
}

Result<qint64> Database::step(sqlite3_stmt *statement, const char *what)
{
    sqlite3 *handle = sqlite3_db_handle(statement);
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
        const qint64 rowid = sqlite3_last_insert_rowid(handle);
        sqlite3_reset(statement);
        return rowid;
    }
    sqlite3_reset(statement);
    // SQLite's own message, as QtSql reports it, so toError() maps it the same way (locked, unique, ...).
    const QSqlError error(QString(), QString::fromUtf8(sqlite3_errmsg(handle)), QSqlError::StatementError,
                          QString::number(sqlite3_extended_errcode(handle)));
    return toError(error, what);
}

Result<bool> Database::stepRow(sqlite3_stmt *statement, const char *what)
{
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(statement);
        return false;
    }
    sqlite3 *handle = sqlite3_db_handle(statement);
    sqlite3_reset(statement);
    const QSqlError error(QString(), QString::fromUtf8(sqlite3_errmsg(handle)), QSqlError::StatementError,
                          QString::number(sqlite3_extended_errcode(handle)));
    return toError(error, what);
}

Result<void> Database::runSavepoint(const QString &sql, const char *cacheKey, const char *what)
{
    // PostgreSQL cannot PREPARE a SAVEPOINT; there the statement is sent as it is.
    if (!cacheKey || m_engine == Engine::Postgres)
        return exec(connection(), sql, what);
    auto query = cached(cacheKey, sql);
    if (!query)
        return query.error();
    return exec(**query, what);
}

int Database::transactionDepth() const
{
    const auto it = t_tx.constFind(connectionName());
    return it == t_tx.constEnd() ? 0 : it->depth;
}

bool Database::batchFailed() const
{
    const auto it = t_tx.constFind(connectionName());
    return it != t_tx.constEnd() && it->poisoned;
}

void Database::afterTransaction(std::function<void(bool committed)> hook)
{
    TxState &tx = t_tx[connectionName()];
    if (tx.depth == 0)
        hook(true);
    else
        tx.hooks.push_back(std::move(hook));
}

void Database::finishTransaction(bool committed)
{
    TxState &tx = t_tx[connectionName()];
    auto hooks = std::move(tx.hooks);
    tx = TxState();
    for (auto &hook : hooks)
        hook(committed);
}

Result<void> Database::begin(const char *what, Nesting nesting)
{
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return makeError(
            Error::Code::Storage,
            QCoreApplication::translate("sd::storage", "The database %1 cannot be opened.").arg(describe()));
    TxState &tx = t_tx[connectionName()];
    if (tx.depth == 0) {
        // SQLite: take the write lock now (BEGIN IMMEDIATE), so a busy database fails here, before any work.
        QSqlQuery query(db);
        if (!query.exec(m_engine == Engine::Sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN")))
            return toError(query.lastError(), what);
        tx.batch = nesting == Nesting::Batch;
    } else if (!tx.batch) {
        if (auto r = runSavepoint(QStringLiteral("SAVEPOINT sp%1").arg(tx.depth),
                                  tx.depth < kCachedSavepoints ? kSavepointKeys[tx.depth] : nullptr, what);
            !r)
            return r;
    }
    ++tx.depth;
    return {};
}

Result<void> Database::commit(const char *what)
{
    QSqlDatabase db = connection();
    TxState &tx = t_tx[connectionName()];
    if (tx.depth <= 0)
        return makeError(Error::Code::Internal,
                         QCoreApplication::translate("sd::storage", "Commit without a transaction."),
                         QString::fromLatin1(what));
    if (tx.depth == 1) {
        if (tx.poisoned) {
            rollback();
            return makeError(
                Error::Code::Internal,
                QCoreApplication::translate("sd::storage", "A part of the batch failed; nothing of it was saved."),
                QString::fromLatin1(what));
        }
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("COMMIT"))) {
            const Error error = toError(query.lastError(), what);
            rollback();
            return error;
        }
        finishTransaction(true);
        return {};
    }
    if (!tx.batch) {
        if (auto r = runSavepoint(QStringLiteral("RELEASE SAVEPOINT sp%1").arg(tx.depth - 1),
                                  tx.depth - 1 < kCachedSavepoints ? kReleaseKeys[tx.depth - 1] : nullptr, what);
            !r) {
            rollback();
            return r;
        }
    }
    --tx.depth;
    return {};
}

void Database::rollback()
{
    QSqlDatabase db = connection();
    TxState &tx = t_tx[connectionName()];
    if (tx.depth <= 0)
        return;
    QSqlQuery query(db);
    if (tx.depth == 1) {
        query.exec(QStringLiteral("ROLLBACK"));
        finishTransaction(false);
        return;
    }
    if (tx.batch) {
        // No savepoint to go back to: the whole batch must be undone by its owner.
        tx.poisoned = true;
    } else {
        const QString name = QStringLiteral("sp%1").arg(tx.depth - 1);
        query.exec(u"ROLLBACK TO SAVEPOINT " + name);
        query.exec(u"RELEASE SAVEPOINT " + name);
    }
    --tx.depth;
}

Transaction::Transaction(Database &db, const char *what)
    : m_db(db)
    , m_what(what)
    , m_started(db.begin(what))
{}

Transaction::~Transaction()
{
    if (m_started && !m_done)
        m_db.rollback();
}

Result<void> Transaction::commit()
{
    m_done = true;
    return m_db.commit(m_what);
}

} // namespace sd::storage
