#include "access/backup.h"
#include "access/passwordhash.h"
#include "access/session.h"
#include "access/userstore.h"
#include "automation/rulestore.h"
#include "documents/documentservice.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrorecords.h"
#include "marketplace/allegro/selleractions.h"
#include "storage/actionledger.h"
#include "storage/orderchangelistener.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace sd;

namespace {

automation::Rule sampleRule()
{
    auto parsed = automation::Rule::fromJson(QJsonObject{
        {u"format"_qs, u"sellerdesk.rule/1"_qs},
        {u"name"_qs, u"Tag new orders"_qs},
        {u"trigger"_qs, QJsonObject{{u"type"_qs, u"order.downloaded"_qs}}},
        {u"actions"_qs,
         QJsonArray{QJsonObject{{u"type"_qs, u"addTag"_qs}, {u"params"_qs, QJsonObject{{u"tag"_qs, u"x"_qs}}}}}}});
    return parsed ? *parsed : automation::Rule{};
}

} // namespace

class TestAccess : public QObject
{
    Q_OBJECT

private slots:
    void init() { access::Session::setCurrent(access::Session::implicitAdministrator()); }
    void cleanup() { access::Session::setCurrent(access::Session::implicitAdministrator()); }

    void passwordsAreHashedAndVerified()
    {
        const QString hash = access::hashPassword(u"zażółć-123"_qs, 1000);
        QVERIFY(hash.startsWith(u"pbkdf2-sha256$1000$"));
        QVERIFY(!hash.contains(u"zażółć"));
        QVERIFY(access::verifyPassword(u"zażółć-123"_qs, hash));
        QVERIFY(!access::verifyPassword(u"zażółć-124"_qs, hash));
        QVERIFY(!access::verifyPassword(u"zażółć-123"_qs, u"plain"_qs));
        // Two hashes of one password differ (random salt).
        QVERIFY(access::hashPassword(u"same-password"_qs, 1000) != access::hashPassword(u"same-password"_qs, 1000));
    }

    void usersRolesAndAutoLogin_data() { test::addEngineRows(); }
    void usersRolesAndAutoLogin()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_access_users"_qs);
        SD_VERIFY_OK(fresh);
        access::UserStore users(fresh->db);
        // A fresh profile: no users, the implicit administrator, no login.
        auto automatic = users.autoLogin(u"desk-1"_qs);
        SD_VERIFY_OK(automatic);
        QVERIFY(automatic->has_value() && (*automatic)->implicit && (*automatic)->can(access::Permission::ManageUsers));

        auto packerFirst = users.add(u"piotr"_qs, u"packer"_qs, u"secret-1"_qs);
        QVERIFY(!packerFirst.ok());
        QVERIFY(packerFirst.error().userMessage.contains(u"administrator"));
        qputenv("SD_WORKSTATION", "desk-1");
        SD_VERIFY_OK(users.add(u"anna"_qs, u"administrator"_qs, u"secret-anna"_qs));
        SD_VERIFY_OK(users.add(u"piotr"_qs, u"packer"_qs, u"secret-piotr"_qs));
        QCOMPARE(users.add(u"piotr"_qs, u"packer"_qs, u"secret-piotr"_qs).error().code, Error::Code::Conflict);
        QCOMPARE(users.add(u"ewa"_qs, u"packer"_qs, u"short"_qs).error().code, Error::Code::Invalid);
        QCOMPARE(users.add(u"ewa"_qs, u"nobody"_qs, u"secret-ewa"_qs).error().code, Error::Code::NotFound);

        // The first user became desk-1's auto-login; another workstation has to log in.
        automatic = users.autoLogin(u"desk-1"_qs);
        SD_VERIFY_OK(automatic);
        QVERIFY(automatic->has_value());
        QCOMPARE((*automatic)->user, u"anna"_qs);
        automatic = users.autoLogin(u"desk-2"_qs);
        SD_VERIFY_OK(automatic);
        QVERIFY(!automatic->has_value());

        QCOMPARE(users.login(u"piotr"_qs, u"wrong-one"_qs).error().code, Error::Code::Forbidden);
        QCOMPARE(users.login(u"nobody"_qs, u"wrong-one"_qs).error().userMessage,
                 users.login(u"piotr"_qs, u"wrong-one"_qs).error().userMessage);
        auto packer = users.login(u"piotr"_qs, u"secret-piotr"_qs);
        SD_VERIFY_OK(packer);
        QCOMPARE(packer->role, u"packer"_qs);
        QVERIFY(packer->can(access::Permission::Pack));
        QVERIFY(!packer->can(access::Permission::EditRules));

        // A packer may not manage users, but may change their own password.
        access::Session::setCurrent(*packer);
        QCOMPARE(users.add(u"ewa"_qs, u"packer"_qs, u"secret-ewa"_qs).error().code, Error::Code::Forbidden);
        QCOMPARE(users.setPassword(u"anna"_qs, u"new-secret"_qs).error().code, Error::Code::Forbidden);
        SD_VERIFY_OK(users.setPassword(u"piotr"_qs, u"new-secret"_qs));
        SD_VERIFY_OK(users.login(u"piotr"_qs, u"new-secret"_qs));

        // Custom roles: an administrator adds one, users get it.
        access::Session::setCurrent(*users.login(u"anna"_qs, u"secret-anna"_qs));
        SD_VERIFY_OK(users.addRole(u"invoicer"_qs, quint32(access::Permission::IssueDocuments)));
        SD_VERIFY_OK(users.add(u"ewa"_qs, u"invoicer"_qs, u"secret-ewa"_qs));
        auto ewa = users.login(u"ewa"_qs, u"secret-ewa"_qs);
        SD_VERIFY_OK(ewa);
        QVERIFY(ewa->can(access::Permission::IssueDocuments));
        QVERIFY(!ewa->can(access::Permission::IssueCorrections));
        auto roles = users.roles();
        SD_VERIFY_OK(roles);
        QCOMPARE(roles->size(), 4);
        // The hash is stored, never the password.
        QSqlQuery q(fresh->db->connection());
        QVERIFY(q.exec(u"SELECT password_hash FROM users WHERE name = 'anna'"_qs) && q.next());
        QVERIFY(q.value(0).toString().startsWith(u"pbkdf2-sha256$"));
        QVERIFY(!q.value(0).toString().contains(u"secret-anna"));
        qunsetenv("SD_WORKSTATION");
    }

    void packerIsRefusedInTheCore()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_access_core"_qs);
        SD_VERIFY_OK(fresh);
        automation::RuleStore rules(fresh->db);
        storage::OrderStore orders(fresh->db);
        storage::ActionLedger ledger(fresh->db);
        documents::DocumentService documents(orders);
        marketplace::MarketplaceAccount account;
        account.name = u"shop"_qs;
        marketplace::allegro::AllegroClient client(account, fresh->db, nullptr);
        marketplace::allegro::AllegroRecords records(fresh->db);
        marketplace::allegro::SellerActions actions(client, orders, ledger, records);

        access::Role packerRole = access::builtinRoles().at(0);
        QCOMPARE(packerRole.name, u"packer"_qs);
        access::Session::setCurrent(access::Session::forRole(u"piotr"_qs, packerRole));

        auto saved = rules.save(sampleRule(), u"user:piotr"_qs);
        QVERIFY(!saved.ok());
        QCOMPARE(saved.error().code, Error::Code::Forbidden);
        QVERIFY2(saved.error().userMessage.contains(u"Not allowed"), qPrintable(saved.error().userMessage));
        QVERIFY(saved.error().userMessage.contains(u"piotr"));

        documents::CorrectionRequest correction;
        correction.documentId = 1;
        correction.returnAll = true;
        auto corrected = documents.correct(correction, {u"user:piotr"_qs, u"return"_qs, 0});
        QCOMPARE(corrected.error().code, Error::Code::Forbidden);
        documents::IssueRequest issue;
        issue.orderId = 1;
        QCOMPARE(documents.issueForOrder(issue, {u"user:piotr"_qs, {}, 0}).error().code, Error::Code::Forbidden);

        auto refunded = actions.refundPayment(u"manual/refund/1"_qs, 1, QJsonObject{});
        QCOMPARE(refunded.error().code, Error::Code::Forbidden);
        QCOMPARE(actions.claimCommissionRefunds(u"manual/claim/1"_qs, 1).error().code, Error::Code::Forbidden);

        // The automation passes: rules were allowed by whoever saved them.
        auto byRule = documents.correct(correction, {u"rule:3"_qs, u"return"_qs, 0});
        QVERIFY(byRule.error().code != Error::Code::Forbidden);

        // An administrator (and the office for documents) is allowed.
        access::Session::setCurrent(access::Session::forRole(u"anna"_qs, access::builtinRoles().at(2)));
        SD_VERIFY_OK(rules.save(sampleRule(), u"user:anna"_qs));
        access::Session::setCurrent(access::Session::forRole(u"olga"_qs, access::builtinRoles().at(1)));
        QVERIFY(documents.correct(correction, {u"user:olga"_qs, {}, 0}).error().code != Error::Code::Forbidden);
        QCOMPARE(rules.save(sampleRule(), u"user:olga"_qs).error().code, Error::Code::Forbidden);
        // A system scope (background services) is not limited by the person at the window.
        {
            access::SystemScope system;
            SD_VERIFY_OK(rules.save(sampleRule(), u"scheduler"_qs));
        }
        QCOMPARE(rules.save(sampleRule(), u"scheduler"_qs).error().code, Error::Code::Forbidden);
    }

    void historyRowsNameUserAndWorkstation_data() { test::addEngineRows(); }
    void historyRowsNameUserAndWorkstation()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_access_history"_qs);
        SD_VERIFY_OK(fresh);
        access::Session::setWorkstation(u"packing-table-2"_qs);
        access::Session::setCurrent(access::Session::forRole(u"piotr"_qs, access::builtinRoles().at(0)));
        storage::OrderStore orders(fresh->db);
        auto created =
            orders.apply(storage::OrderChange::create(test::sampleOrder(u"H-1"_qs), {u"user:piotr"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        auto history = orders.history(created->orderId);
        SD_VERIFY_OK(history);
        QVERIFY(!history->isEmpty());
        for (const auto &row : *history) {
            QCOMPARE(row.user, u"piotr"_qs);
            QCOMPARE(row.workstation, u"packing-table-2"_qs);
        }
        access::Session::setWorkstation(QString());
    }

    void changesReachAnotherWorkstation()
    {
        SD_REQUIRE_POSTGRES();
        auto url = test::freshPostgresDatabase(u"sd_access_notify"_qs);
        SD_VERIFY_OK(url);
        // Two workstations: two Database objects, two server sessions.
        auto a = storage::Database::openUrl(*url);
        SD_VERIFY_OK(a);
        auto b = storage::Database::openUrl(*url);
        SD_VERIFY_OK(b);
        storage::OrderChangeListener listener(*b);
        SD_VERIFY_OK(listener.start());
        QVERIFY(listener.listening());
        int heard = 0;
        connect(&listener, &storage::OrderChangeListener::changedElsewhere, this, [&heard] { ++heard; });

        storage::OrderStore storeA(*a);
        QElapsedTimer timer;
        timer.start();
        SD_VERIFY_OK(storeA.apply(storage::OrderChange::create(test::sampleOrder(u"N-1"_qs), {u"cli"_qs, {}, 0})));
        QTRY_VERIFY_WITH_TIMEOUT(heard >= 1, 1000);
        QVERIFY(timer.elapsed() < 1000);

        // Its own changes are not "elsewhere"; a rolled-back change notifies nobody.
        heard = 0;
        storage::OrderStore storeB(*b);
        SD_VERIFY_OK(storeB.apply(storage::OrderChange::create(test::sampleOrder(u"N-2"_qs), {u"cli"_qs, {}, 0})));
        {
            storage::Transaction tx(**a, "rolled back");
            SD_VERIFY_OK(storeA.apply(storage::OrderChange::create(test::sampleOrder(u"N-3"_qs), {u"cli"_qs, {}, 0})));
        }
        QTest::qWait(300);
        QCOMPARE(heard, 0);
        // Several changes in one transaction: one notification, at the commit.
        {
            storage::Transaction tx(**a, "batch");
            for (int i = 0; i < 5; ++i)
                SD_VERIFY_OK(storeA.apply(
                    storage::OrderChange::create(test::sampleOrder(u"M-%1"_qs.arg(i)), {u"cli"_qs, {}, 0})));
            QTest::qWait(200);
            QCOMPARE(heard, 0);
            SD_VERIFY_OK(tx.commit());
        }
        QTRY_COMPARE_WITH_TIMEOUT(heard, 1, 1000);
    }

    void damagedDatabaseIsNamed()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"sellerdesk.sqlite"_qs);
        {
            auto db = storage::Database::open({file, QString(), 5000});
            SD_VERIFY_OK(db);
            storage::OrderStore orders(*db);
            for (int i = 0; i < 200; ++i)
                SD_VERIFY_OK(orders.apply(
                    storage::OrderChange::create(test::sampleOrder(u"C-%1"_qs.arg(i)), {u"cli"_qs, {}, 0})));
            QSqlQuery q((*db)->connection());
            QVERIFY(q.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_qs));
        }
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 size = f.size();
        QVERIFY(size > 64 * 1024);
        // Garbage over the pages in the middle (the orders' b-tree); page 1 (the schema) stays.
        f.seek(size / 2 - (size / 2) % 4096);
        f.write(QByteArray(3 * 4096, '\x5a'));
        f.close();
        auto reopened = storage::Database::open({file, QString(), 5000});
        QVERIFY(!reopened.ok());
        QCOMPARE(reopened.error().code, Error::Code::WrongDatabase);
        QVERIFY2(reopened.error().userMessage.contains(u"damaged"), qPrintable(reopened.error().userMessage));
        QVERIFY(reopened.error().userMessage.contains(u"backup"));
        auto problem = access::quickCheck(file);
        SD_VERIFY_OK(problem);
        QVERIFY(!problem->isEmpty());
    }

    void backupWhileWritingAndRestore()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"sellerdesk.sqlite"_qs);
        const QString backupFile = dir.filePath(u"backup.sqlite"_qs);
        auto db = storage::Database::open({file, QString(), 5000});
        SD_VERIFY_OK(db);
        std::atomic<bool> stop = false;
        std::atomic<int> written = 0;
        // Another connection keeps writing orders (each with its history rows, one transaction each).
        QThread *writer = QThread::create([&] {
            auto other = storage::Database::open({file, QString(), 5000});
            if (!other)
                return;
            storage::OrderStore orders(*other);
            while (!stop && written < 5000) {
                if (orders.apply(storage::OrderChange::create(test::sampleOrder(u"B-%1"_qs.arg(written.load())),
                                                              {u"cli"_qs, {}, 0})))
                    ++written;
            }
            (*other)->closeThreadConnection();
        });
        writer->start();
        while (written < 50)
            QThread::msleep(5);
        auto report = access::createBackup(file, backupFile);
        const int writtenAtBackup = written;
        QThread::msleep(50);
        stop = true;
        writer->wait();
        delete writer;
        SD_VERIFY_OK(report);
        QVERIFY(report->pages > 0);
        QVERIFY(written > writtenAtBackup || written == 5000);

        // The copy is intact and consistent: every order has its creation history row, none is half-written.
        auto problem = access::quickCheck(backupFile);
        SD_VERIFY_OK(problem);
        QVERIFY2(problem->isEmpty(), qPrintable(*problem));
        qint64 backedUp = 0;
        {
            auto copy = storage::Database::open({backupFile, QString(), 5000});
            SD_VERIFY_OK(copy);
            QSqlQuery q((*copy)->connection());
            QVERIFY(q.exec(u"SELECT COUNT(*), (SELECT COUNT(DISTINCT order_id) FROM order_history) FROM orders"_qs));
            QVERIFY(q.next());
            backedUp = q.value(0).toLongLong();
            QCOMPARE(q.value(1).toLongLong(), backedUp);
            QVERIFY(backedUp >= 50);
        }

        // Restore: the profile goes back to the backup's orders.
        (*db)->closeThreadConnection();
        db->reset();
        SD_VERIFY_OK(access::restoreBackup(backupFile, file));
        auto restored = storage::Database::open({file, QString(), 5000});
        SD_VERIFY_OK(restored);
        storage::OrderStore orders(*restored);
        QCOMPARE(*orders.count(), backedUp);

        // A file that is not a SellerDesk database is never restored.
        QFile junk(dir.filePath(u"junk.sqlite"_qs));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a database at all");
        junk.close();
        QVERIFY(!access::restoreBackup(junk.fileName(), file).ok());
        QCOMPARE(*orders.count(), backedUp);
    }
};

QTEST_GUILESS_MAIN(TestAccess)
#include "tst_access.moc"
