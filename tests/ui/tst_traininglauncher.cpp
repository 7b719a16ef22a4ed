// A training profile made by the first-run guide has no servers of its own: the window starts the training
// marketplace and the fiscal printer simulator (real sellerdesk-cli child processes on 127.0.0.1), connects the
// training account and downloads; everything it started stops with it.
#include "connectorcontroller.h"
#include "devices/printing/printerrouting.h"
#include "mainwindow.h"
#include "security/filesecretstore.h"
#include "storage/orderquery.h"
#include "testsupport.h"
#include "traininglauncher.h"
#include "util/trainingmode.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;

namespace {

int freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

} // namespace

class TestTrainingLauncher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"SellerDeskTest"_qs);
    }
    void cleanup() { sd::training::setActive(false); }

    void startsConnectsDownloadsAndStops()
    {
        const QString cli = qEnvironmentVariable("SD_CLI");
        if (cli.isEmpty())
            QSKIP("SD_CLI (the sellerdesk-cli to start) is not set; ctest sets it");
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        QTemporaryDir profile;
        const QUrl shop(u"http://127.0.0.1:"_qs + QString::number(freePort()));
        const QUrl fiscal(u"tcp://127.0.0.1:"_qs + QString::number(freePort()));
        QVERIFY(!ui::TrainingLauncher::answers(shop));
        QVERIFY(!ui::TrainingLauncher::answers(fiscal));
        marketplace::MarketplaceAccount account;
        account.name = u"Training shop"_qs;
        account.environment = marketplace::MarketplaceAccount::Environment::Training;
        account.apiBaseUrl = shop; // no auth address, as older guides left it
        account.clientId = u"sellerdesk-training"_qs;
        auto added = marketplace::AccountStore(fresh->db).add(account);
        SD_VERIFY_OK(added);
        SD_VERIFY_OK(devices::printing::PrinterRouting::setPrinter(devices::printing::PrinterRouting::Role::Fiscal,
                                                                   fiscal.toString()));
        sd::training::setActive(true);

        ui::MainWindow window(fresh->db);
        ui::ConnectorController *connector = window.connector();
        marketplace::allegro::ClientOptions client;
        client.retry.timeScale = 0.01;
        connector->setClientOptions(client);
        auto secrets = std::make_shared<security::FileSecretStore>(profile.filePath(u"secrets.sdvault"_qs),
                                                                   "correct horse battery", 1000);
        SD_VERIFY_OK(secrets->unlock());
        {
            ui::TrainingLauncher launcher(profile.path());
            launcher.setCliPath(cli);
            QSignalSpy started(&launcher, &ui::TrainingLauncher::marketplaceStarted);
            QSignalSpy connected(&launcher, &ui::TrainingLauncher::accountConnected);
            QSignalSpy problems(&launcher, &ui::TrainingLauncher::problem);
            launcher.ensure(connector); // the keychain has not answered yet: servers start, connecting waits
            QCOMPARE(launcher.running(), 2);
            QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 30000);
            QCOMPARE(started.first().first().toUrl().port(), shop.port());
            QVERIFY(connected.isEmpty());
            connector->setSecrets(secrets);
            QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 30000);
            QVERIFY2(problems.isEmpty(), problems.isEmpty() ? "" : qPrintable(problems.first().first().toString()));
            QVERIFY(marketplace::AccountStore(fresh->db).get(added->id)->connected);
            QTRY_VERIFY_WITH_TIMEOUT(ui::TrainingLauncher::answers(fiscal), 20000);
            // The download after connecting brings the training shop's orders.
            QTRY_VERIFY_WITH_TIMEOUT(storage::OrderQuery(fresh->db).count({}).value_or(0) > 0, 30000);
            // A second look starts nothing more and connects nothing twice.
            launcher.ensure(connector);
            QCOMPARE(launcher.running(), 2);
            QTest::qWait(200);
            QCOMPARE(connected.size(), 1);
        }
        // What it started stopped with it; the shop kept its state in the profile.
        QVERIFY(!ui::TrainingLauncher::answers(shop));
        QVERIFY(!ui::TrainingLauncher::answers(fiscal));
        QVERIFY(QFile::exists(profile.filePath(u"training-shop.json"_qs)));
    }

    void outsideTrainingNothingStarts()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        QTemporaryDir profile;
        ui::MainWindow window(fresh->db);
        ui::TrainingLauncher launcher(profile.path());
        launcher.setCliPath(u"/nonexistent/sellerdesk-cli"_qs);
        QSignalSpy problems(&launcher, &ui::TrainingLauncher::problem);
        launcher.ensure(window.connector());
        QCOMPARE(launcher.running(), 0);
        QVERIFY(problems.isEmpty());
    }
};

QTEST_MAIN(TestTrainingLauncher)
#include "tst_traininglauncher.moc"
