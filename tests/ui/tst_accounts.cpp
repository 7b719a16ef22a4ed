// The marketplace accounts page, the sync line in the status bar and the connector log, against a real training
// marketplace on 127.0.0.1 (in this process) and a real encrypted secret file.
#include "accountsdialog.h"
#include "connectorcontroller.h"
#include "connectorlog.h"
#include "exchangelogmodel.h"
#include "mainwindow.h"
#include "marketplace/training/trainingserver.h"
#include "security/filesecretstore.h"
#include "storage/orderquery.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace sd;
using Environment = marketplace::MarketplaceAccount::Environment;

class TestAccounts : public QObject
{
    Q_OBJECT

private:
    struct Setup
    {
        test::TempDatabase profile;
        std::unique_ptr<marketplace::training::TrainingServer> server;
        std::unique_ptr<ui::MainWindow> window;
        std::shared_ptr<security::FileSecretStore> secrets;
    };

    std::unique_ptr<Setup> setUp(int orders, bool autoApprove)
    {
        auto setup = std::make_unique<Setup>();
        auto profile = test::openFresh(u"sqlite"_qs, u"accounts"_qs);
        if (!profile)
            return nullptr;
        setup->profile = *profile;
        marketplace::training::TrainingOptions options;
        options.orders = orders;
        options.autoApprove = autoApprove;
        options.seed = 7;
        setup->server = std::make_unique<marketplace::training::TrainingServer>(options);
        if (!setup->server->start())
            return nullptr;
        setup->window = std::make_unique<ui::MainWindow>(setup->profile.db);
        ui::ConnectorController *connector = setup->window->connector();
        marketplace::allegro::ClientOptions client;
        client.retry.timeScale = 0.01; // device-flow polls and back-offs in milliseconds
        client.retry.maxAttempts = 3;
        connector->setClientOptions(client);
        connector->setCheckInterval(100); // how often due accounts are looked for
        setup->secrets = std::make_shared<security::FileSecretStore>(m_dir.filePath(u"secrets.sdvault"_qs),
                                                                     "correct horse battery", 1000);
        if (!setup->secrets->unlock())
            return nullptr;
        connector->setSecrets(setup->secrets);
        setup->window->show();
        return setup;
    }

    static ui::AccountsDialog *openAccounts(ui::MainWindow &window)
    {
        window.openPage(u"accounts"_qs);
        return window.findChild<ui::AccountsDialog *>();
    }

    static qint64 storedOrders(const std::shared_ptr<storage::Database> &db)
    {
        return storage::OrderQuery(db).count({}).value_or(-1);
    }

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
    }

    void deviceFlowConnectsAndDownloads()
    {
        auto setup = setUp(12, false);
        QVERIFY(setup);
        ui::ConnectorController *connector = setup->window->connector();
        ui::AccountsDialog *accounts = openAccounts(*setup->window);
        QVERIFY(accounts);
        QCOMPARE(accounts->table()->rowCount(), 0);

        QSignalSpy finished(accounts, &ui::AccountsDialog::connectFinished);
        QString problem;
        QVERIFY2(accounts->addAccount(u"Sklep szkoleniowy"_qs, Environment::Training,
                                      setup->server->baseUrl().toString(), {}, {}, &problem),
                 qPrintable(problem));
        QVERIFY(accounts->isConnecting());
        // The page shows the code and the address to open; nothing is connected until the user approves.
        QTRY_VERIFY_WITH_TIMEOUT(!accounts->userCode().isEmpty(), 10000);
        QVERIFY(accounts->verificationUrl().isValid());
        QCOMPARE(accounts->verificationUrl().host(), u"127.0.0.1"_qs);
        QTest::qWait(150); // several polls answered "authorization_pending"
        QCOMPARE(finished.count(), 0);
        QVERIFY(setup->server->approveDevice(accounts->userCode()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY2(accounts->message().contains(u"Connected"_qs), qPrintable(accounts->message()));
        QCOMPARE(accounts->table()->rowCount(), 1);
        QCOMPARE(accounts->table()->item(0, 3)->text(), u"connected"_qs);

        // Connecting starts a download: every order of the shop arrives, the list refreshes by itself.
        const qint64 expected = setup->server->orderIds().size();
        QVERIFY(expected >= 12);
        QTRY_COMPARE_WITH_TIMEOUT(storedOrders(setup->profile.db), expected, 20000);
        auto *list = setup->window->findChild<QTableView *>();
        QVERIFY(list);
        QTRY_VERIFY_WITH_TIMEOUT(list->model()->rowCount() > 0, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(connector->statusButton()->text().contains(u"new"_qs), 10000);
        QVERIFY2(connector->statusButton()->text().contains(u"Sklep szkoleniowy"_qs),
                 qPrintable(connector->statusButton()->text()));

        // The connector log has every exchange, and no secret in any of them.
        ui::ExchangeLogModel *log = connector->log();
        QAbstractItemModelTester tester(log, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(log->rowCount() >= expected);
        bool sawEvents = false;
        bool sawRedactedToken = false;
        for (int row = 0; row < log->rowCount(); ++row) {
            const QString text = ui::ExchangeLogModel::describe(log->entry(row));
            // Token values are replaced by *** and the Authorization header never reaches the log.
            static const QRegularExpression token(
                u"\"(access_token|refresh_token|device_code)\": \"(?!\\*\\*\\*\")"_qs);
            QVERIFY2(!text.contains(token), qPrintable(text.left(600)));
            QVERIFY2(!text.contains(u"Bearer "_qs), qPrintable(text.left(300)));
            QVERIFY2(!text.contains(u"Authorization:"_qs, Qt::CaseInsensitive), qPrintable(text.left(300)));
            sawEvents = sawEvents || log->entry(row).exchange.url.path() == u"/order/events";
            sawRedactedToken = sawRedactedToken || text.contains(u"\"access_token\": \"***\""_qs);
        }
        QVERIFY(sawEvents);
        QVERIFY(sawRedactedToken); // the token answer is in the log, with its values hidden
        setup->window->openPage(u"log"_qs);
        auto *logView = setup->window->findChild<ui::ConnectorLog *>();
        QVERIFY(logView);
        QCOMPARE(logView->visibleRows(), log->rowCount());
        logView->table()->selectRow(0);
        QVERIFY(!logView->details().isEmpty());
        logView->setErrorsOnly(true);
        QCOMPARE(logView->visibleRows(), log->failures());

        // A second download finds nothing new.
        const int before = log->rowCount();
        connector->downloadNow();
        QTRY_VERIFY_WITH_TIMEOUT(log->rowCount() > before && !connector->isDownloading(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(connector->statusButton()->text().contains(u"0 new"_qs), 10000);
        QCOMPARE(storedOrders(setup->profile.db), expected);
    }

    void failuresShowInTheStatusBarAndOnThePage()
    {
        auto setup = setUp(5, true);
        QVERIFY(setup);
        ui::ConnectorController *connector = setup->window->connector();
        ui::AccountsDialog *accounts = openAccounts(*setup->window);
        QSignalSpy finished(accounts, &ui::AccountsDialog::connectFinished);
        QVERIFY(
            accounts->addAccount(u"Szkolenie"_qs, Environment::Training, setup->server->baseUrl().toString(), {}, {}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(storedOrders(setup->profile.db), qint64(setup->server->orderIds().size()), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!connector->isDownloading(), 10000);

        // Every request fails: the download gives up with a message in red, nothing already stored is lost.
        auto storm = marketplace::training::FaultPlan::parse(u"503=1"_qs);
        SD_VERIFY_OK(storm);
        setup->server->setFaults(*storm);
        const qint64 stored = storedOrders(setup->profile.db);
        QSignalSpy syncs(connector, &ui::ConnectorController::syncFinished);
        connector->downloadNow();
        QTRY_VERIFY_WITH_TIMEOUT(!syncs.isEmpty(), 20000);
        QCOMPARE(syncs.last().first().toBool(), false);
        QVERIFY2(connector->statusButton()->text().contains(u"failed"_qs),
                 qPrintable(connector->statusButton()->text()));
        QVERIFY(connector->statusButton()->styleSheet().contains(u"#b00020"_qs));
        QCOMPARE(storedOrders(setup->profile.db), stored);
        QVERIFY(connector->log()->failures() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!accounts->table()->item(0, 5)->text().isEmpty(), 5000);

        // The storm ends: the next download succeeds and new orders arrive.
        setup->server->setFaults({});
        const QStringList fresh = setup->server->generateOrders(3);
        syncs.clear();
        connector->downloadNow();
        QTRY_VERIFY_WITH_TIMEOUT(!syncs.isEmpty(), 20000);
        QCOMPARE(syncs.last().first().toBool(), true);
        QCOMPARE(storedOrders(setup->profile.db), stored + fresh.size());
        QTRY_VERIFY_WITH_TIMEOUT(accounts->table()->item(0, 5)->text().isEmpty(), 5000);
    }

    void periodicDownloadFollowsTheInterval()
    {
        auto setup = setUp(3, true);
        QVERIFY(setup);
        ui::ConnectorController *connector = setup->window->connector();
        ui::AccountsDialog *accounts = openAccounts(*setup->window);
        QSignalSpy finished(accounts, &ui::AccountsDialog::connectFinished);
        QVERIFY(
            accounts->addAccount(u"Co chwilę"_qs, Environment::Training, setup->server->baseUrl().toString(), {}, {}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(storedOrders(setup->profile.db), qint64(setup->server->orderIds().size()), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!connector->isDownloading(), 10000);
        const qint64 before = storedOrders(setup->profile.db);

        // New orders in the shop wait for the account's interval (5 minutes by default)...
        const QStringList fresh = setup->server->generateOrders(2);
        QTest::qWait(600); // several checks of the due accounts
        QCOMPARE(storedOrders(setup->profile.db), before);
        // ...and come in by themselves once it has passed.
        QSqlQuery backdate(setup->profile.db->connection());
        QVERIFY(backdate.exec(u"UPDATE marketplace_accounts SET last_sync_at = last_sync_at - 600000"_qs));
        QTRY_COMPARE_WITH_TIMEOUT(storedOrders(setup->profile.db), before + fresh.size(), 10000);
    }

    void badInputIsRefusedWithAReason()
    {
        auto setup = setUp(0, true);
        QVERIFY(setup);
        ui::AccountsDialog *accounts = openAccounts(*setup->window);
        QString problem;
        QVERIFY(!accounts->addAccount(u"  "_qs, Environment::Training, setup->server->baseUrl().toString(), {}, {},
                                      &problem));
        QVERIFY(problem.contains(u"name"_qs));
        QVERIFY(
            !accounts->addAccount(u"Obcy"_qs, Environment::Training, u"http://192.0.2.10:8470"_qs, {}, {}, &problem));
        QVERIFY(problem.contains(u"this computer"_qs));
        QVERIFY(!accounts->addAccount(u"Prawdziwe"_qs, Environment::Production, {}, {}, "secret", &problem));
        QVERIFY(problem.contains(u"Client ID"_qs));
        QCOMPARE(accounts->message(), problem);
        QVERIFY(!accounts->isConnecting());
        QCOMPARE(setup->window->connector()->accounts().list()->size(), 0);

        // A training shop nobody answers at: the page says so and stays usable.
        QSignalSpy finished(accounts, &ui::AccountsDialog::connectFinished);
        QVERIFY(accounts->addAccount(u"Nieosiągalny"_qs, Environment::Training, u"http://127.0.0.1:9"_qs, {}, {}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!accounts->message().isEmpty());
        QVERIFY(!accounts->isConnecting());
    }

    void renameIntervalDisconnectRemove()
    {
        auto setup = setUp(2, true);
        QVERIFY(setup);
        ui::AccountsDialog *accounts = openAccounts(*setup->window);
        QSignalSpy finished(accounts, &ui::AccountsDialog::connectFinished);
        QVERIFY(
            accounts->addAccount(u"Pierwsze"_qs, Environment::Training, setup->server->baseUrl().toString(), {}, {}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QVERIFY(accounts->selectAccount(u"Pierwsze"_qs));
        QVERIFY(accounts->renameCurrent(u"Drugie"_qs));
        QCOMPARE(accounts->table()->item(0, 0)->text(), u"Drugie"_qs);
        QVERIFY(accounts->setCurrentInterval(10));
        QCOMPARE(setup->window->connector()->accounts().list()->first().syncIntervalSeconds, 600);
        QVERIFY(accounts->disconnectCurrent());
        QCOMPARE(accounts->table()->item(0, 3)->text(), u"not connected"_qs);
        QVERIFY(!setup->window->connector()->accounts().list()->first().connected);
        const qint64 orders = storedOrders(setup->profile.db);
        QVERIFY(accounts->removeCurrent());
        QCOMPARE(accounts->table()->rowCount(), 0);
        QCOMPARE(storedOrders(setup->profile.db), orders); // the orders stay
    }
};

QTEST_MAIN(TestAccounts)
#include "tst_accounts.moc"
