#include "storage/catalogstore.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <future>

using namespace sd;
using namespace sd::storage;

class TestMigrations : public QObject
{
    Q_OBJECT

private:
    static int countRows(Database &db, const QString &table)
    {
        QSqlQuery q(db.connection());
        if (!q.exec(u"SELECT COUNT(*) FROM "_qs + table) || !q.next())
            return -1;
        return q.value(0).toInt();
    }

    static QByteArray hashOf(const QString &path)
    {
        return QCryptographicHash::hash(test::readFile(path), QCryptographicHash::Sha256);
    }

private Q_SLOTS:
    void freshDatabaseIsMigrated_data() { test::addEngineRows(); }
    void freshDatabaseIsMigrated()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_mig_fresh"_qs);
        SD_VERIFY_OK(fresh);
        Database &db = *fresh->db;
        QCOMPARE(db.schemaVersion(), latestSchemaVersion());
        QCOMPARE(countRows(db, u"statuses"_qs), 5);
        for (const char *table :
             {"orders", "order_items", "order_tags", "order_history", "events", "action_ledger", "tags", "jobs"})
            QCOMPARE(countRows(db, QString::fromLatin1(table)), 0);
        if (engine == u"sqlite") {
            QSqlQuery q(db.connection());
            QVERIFY(q.exec(u"PRAGMA journal_mode"_qs) && q.next());
            QCOMPARE(q.value(0).toString(), u"wal"_qs);
            QVERIFY(q.exec(u"PRAGMA foreign_keys"_qs) && q.next());
            QCOMPARE(q.value(0).toInt(), 1);
        }
    }

    void reopenKeepsDataAndDoesNotSeedTwice_data() { test::addEngineRows(); }
    void reopenKeepsDataAndDoesNotSeedTwice()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_mig_reopen"_qs);
        SD_VERIFY_OK(fresh);
        CatalogStore catalog(fresh->db);
        SD_VERIFY_OK(catalog.addStatus(u"Czeka na dostawę"_qs, StatusGroup::InProgress, u"#112233"_qs));
        fresh->db.reset();
        auto reopened =
            engine == u"postgres" ? Database::openUrl(fresh->path) : Database::open({fresh->path, QString(), 5000});
        SD_VERIFY_OK(reopened);
        QCOMPARE((*reopened)->schemaVersion(), latestSchemaVersion());
        QCOMPARE(countRows(**reopened, u"statuses"_qs), 6);
        CatalogStore again(*reopened);
        auto status = again.statusByName(u"Czeka na dostawę"_qs);
        SD_VERIFY_OK(status);
        QCOMPARE(status->color, u"#112233"_qs);
    }

    void newerSchemaIsRefused_data() { test::addEngineRows(); }
    void newerSchemaIsRefused()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_mig_newer"_qs);
        SD_VERIFY_OK(fresh);
        {
            QSqlQuery q(fresh->db->connection());
            QVERIFY(
                q.exec(u"UPDATE meta SET value = '%1' WHERE key = 'schema_version'"_qs.arg(latestSchemaVersion() + 1)));
        }
        fresh->db.reset();
        auto reopened =
            engine == u"postgres" ? Database::openUrl(fresh->path) : Database::open({fresh->path, QString(), 5000});
        QVERIFY(!reopened.ok());
        QCOMPARE(reopened.error().code, Error::Code::WrongDatabase);
        QVERIFY2(reopened.error().userMessage.contains(u"newer"), qPrintable(reopened.error().userMessage));
    }

    void fileThatIsNotADatabaseIsLeftAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"notes.sqlite"_qs);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("Lista zakupów: mleko, chleb, masło.\n").repeated(200));
        file.close();
        const QByteArray before = hashOf(path);
        auto opened = Database::open({path, QString(), 5000});
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, Error::Code::WrongDatabase);
        QVERIFY2(opened.error().userMessage.contains(u"not a SellerDesk database"),
                 qPrintable(opened.error().userMessage));
        QCOMPARE(hashOf(path), before);
    }

    void otherApplicationsDatabaseIsLeftAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"other.sqlite"_qs);
        {
            QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"other"_qs);
            other.setDatabaseName(path);
            QVERIFY(other.open());
            QSqlQuery q(other);
            QVERIFY(q.exec(u"CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)"_qs));
            QVERIFY(q.exec(u"INSERT INTO customers (name) VALUES ('Zenon')"_qs));
            other.close();
        }
        QSqlDatabase::removeDatabase(u"other"_qs);
        const QByteArray before = hashOf(path);
        auto opened = Database::open({path, QString(), 5000});
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, Error::Code::WrongDatabase);
        QVERIFY(opened.error().userMessage.contains(u"other tables"));
        QCOMPARE(hashOf(path), before);
    }

    void readOnlyFileIsReported()
    {
        QTemporaryDir dir;
        {
            auto db = Database::openProfile(dir.path());
            SD_VERIFY_OK(db);
        }
        const QString path = dir.filePath(u"sellerdesk.sqlite"_qs);
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        const QByteArray before = hashOf(path);
        auto opened = Database::open({path, QString(), 5000});
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, Error::Code::ReadOnly);
        QVERIFY(opened.error().userMessage.contains(u"read-only"));
        QCOMPARE(hashOf(path), before);
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    }

    void lockedDatabaseGivesAClearMessageAndNoDamage()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"sellerdesk.sqlite"_qs);
        auto opened = Database::open({path, QString(), 300});
        SD_VERIFY_OK(opened);
        auto db = *opened;
        OrderStore store(db);
        SD_VERIFY_OK(store.apply(OrderChange::create(test::sampleOrder(u"A-1"_qs), {u"test"_qs, {}, 0})));

        // Another program holds the write lock.
        QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"locker"_qs);
        other.setDatabaseName(path);
        QVERIFY(other.open());
        QSqlQuery lock(other);
        QVERIFY(lock.exec(u"BEGIN EXCLUSIVE"_qs));

        auto blocked = store.apply(OrderChange::create(test::sampleOrder(u"A-2"_qs), {u"test"_qs, {}, 0}));
        QVERIFY(!blocked.ok());
        QCOMPARE(blocked.error().code, Error::Code::Locked);
        QVERIFY2(blocked.error().userMessage.contains(u"locked by another program"),
                 qPrintable(blocked.error().userMessage));

        QVERIFY(lock.exec(u"ROLLBACK"_qs));
        lock = QSqlQuery();
        other.close();
        other = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"locker"_qs);

        auto count = store.count();
        SD_VERIFY_OK(count);
        QCOMPARE(*count, 1);
        SD_VERIFY_OK(store.apply(OrderChange::create(test::sampleOrder(u"A-2"_qs), {u"test"_qs, {}, 0})));
        QCOMPARE(*store.count(), 2);
    }

    void workstationsStartingTogetherMigrateOnce()
    {
        SD_REQUIRE_POSTGRES();
        auto url = test::freshPostgresDatabase(u"sd_mig_race"_qs);
        SD_VERIFY_OK(url);
        const QString target = *url;
        auto openIt = [target]() {
            auto db = Database::openUrl(target);
            const bool ok = db.ok();
            if (ok)
                (*db)->closeThreadConnection();
            return ok;
        };
        std::vector<std::future<bool>> starts;
        for (int i = 0; i < 4; ++i)
            starts.push_back(std::async(std::launch::async, openIt));
        for (auto &f : starts)
            QVERIFY(f.get());
        auto db = Database::openUrl(target);
        SD_VERIFY_OK(db);
        QCOMPARE((*db)->schemaVersion(), latestSchemaVersion());
        QCOMPARE(countRows(**db, u"statuses"_qs), 5);
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
