#include "devices/fiscal/fiscalreceipts.h"
#include "devices/labels/couriersetup.h"
#include "devices/labels/training/shipxtrainingserver.h"
#include "devices/printing/printerrouting.h"
#include "orderdevicestab.h"
#include "orderview.h"
#include "security/filesecretstore.h"
#include "simulatorharness.h"
#include "testsupport.h"

#include <QFileInfo>
#include <QPushButton>
#include <QSettings>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;

// The order view's receipt and label actions: issue a receipt once, an unknown receipt left to the operator with a
// resolve action, a label made with the chosen courier (its tracking number shown), printed, and reprinted only with
// a reason.
class TestOrderDevices : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    static qint64 addOrder(storage::OrderStore &store, const QString &externalId)
    {
        domain::Order order = test::sampleOrder(externalId);
        order.delivery.pickupPoint = {};
        order.delivery.address.phone = u"600700800"_qs;
        order.buyer.email = u"buyer@allegromail.pl"_qs;
        auto created = store.apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0}));
        return created ? created->orderId : 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"SellerDeskTest"_qs);
        QCoreApplication::setApplicationName(u"tst_orderdevices"_qs);
        QSettings().clear();
    }
    void cleanupTestCase()
    {
        QSettings().clear();
        devices::labels::setRuleSecrets(nullptr);
        qunsetenv("SD_FISCAL_PRINTER");
    }

    void receiptIssuedOnceAndUnknownResolved()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_order_receipt"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        const qint64 id = addOrder(store, u"gui-receipt"_qs);
        QVERIFY(id);
        SimulatorHarness sim;
        qunsetenv("SD_FISCAL_PRINTER");
        ui::OrderView view(store);
        view.showOrder(id);
        ui::OrderDevicesTab *tab = view.devicesTab();
        QVERIFY(tab);
        QCOMPARE(view.tabs()->indexOf(tab) >= 0, true);
        QVERIFY(tab->receiptText().contains(u"No receipt yet"));
        QVERIFY(!tab->issueReceipt()); // no fiscal printer set: said so, nothing done
        QVERIFY(tab->message().contains(u"No fiscal printer"));

        qputenv("SD_FISCAL_PRINTER", sim.address().toUtf8());
        auto *issue = tab->findChild<QPushButton *>(u"issueReceipt"_qs);
        QVERIFY(issue && issue->isEnabled());
        QTest::mouseClick(issue, Qt::LeftButton);
        QVERIFY2(tab->receiptText().contains(u"printed") && tab->receiptText().contains(u"no. 1"),
                 qPrintable(tab->receiptText() + tab->message()));
        QVERIFY(!issue->isEnabled());
        QVERIFY(tab->issueReceipt()); // asked again: the stored receipt, nothing printed
        QCOMPARE(sim.simulator().receipts().size(), 1);
        QVERIFY(!tab->resolveButton()->isVisibleTo(tab));

        // Another order whose receipt nobody can account for: the operator's resolve action settles it.
        const qint64 other = addOrder(store, u"gui-unknown"_qs);
        QVERIFY(
            QSqlQuery(fresh->db->connection())
                .exec(u"INSERT INTO fiscal_receipts (order_id, ledger_key, state, printer, total, baseline, "
                      "attempts, created_at, updated_at) VALUES (%1, '%2', 'unknown', '', 1, 0, 1, 0, 0)"_qs.arg(other)
                          .arg(devices::fiscal::FiscalReceipts::ledgerKey(other))));
        view.showOrder(other);
        QVERIFY(tab->receiptText().contains(u"unknown"));
        QVERIFY(tab->resolveButton()->isVisibleTo(tab));
        QVERIFY(tab->resolveReceipt(false, std::nullopt));
        QVERIFY(tab->receiptText().contains(u"not printed"));
        QVERIFY(!tab->resolveButton()->isVisibleTo(tab));
        QVERIFY(issue->isEnabled()); // not printed: it may be issued now
        qunsetenv("SD_FISCAL_PRINTER");
    }

    void labelCreatedPrintedAndReprintedWithAReason()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_order_label"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        const qint64 id = addOrder(store, u"gui-label"_qs);
        QVERIFY(id);
        devices::labels::ShipXTrainingServer::Options options;
        devices::labels::ShipXTrainingServer server(options);
        auto url = server.start();
        SD_VERIFY_OK(url);
        QSettings settings;
        settings.setValue(u"couriers/inpost/url"_qs, url->toString());
        settings.setValue(u"couriers/inpost/organization"_qs, options.organizationId);
        auto secrets = std::make_shared<security::FileSecretStore>(m_dir.filePath(u"secrets.enc"_qs), "pw", 1000);
        SD_VERIFY_OK(secrets->unlock());
        SD_VERIFY_OK(secrets->write(QString::fromLatin1(devices::labels::kShipXTokenKey), options.token));
        devices::labels::setRuleSecrets(secrets);

        ui::OrderView view(store);
        view.showOrder(id);
        ui::OrderDevicesTab *tab = view.devicesTab();
        QVERIFY(tab->labelText().contains(u"No label yet"));
        auto *print = tab->findChild<QPushButton *>(u"printLabel"_qs);
        QVERIFY(print && !print->isEnabled());
        QVERIFY(tab->createLabel(u"inpost"_qs));
        QCOMPARE(server.shipmentsCreated(), 1);
        const QString tracking = store.load(id)->shipments.constFirst().waybill;
        QCOMPARE(tracking.size(), 24);
        QVERIFY(tab->labelText().contains(tracking));
        QVERIFY(print->isEnabled());
        QVERIFY(tab->createLabel(u"inpost"_qs)); // the same courier again: the stored label, no second shipment
        QCOMPARE(server.shipmentsCreated(), 1);

        QVERIFY(!tab->printLabel()); // no label printer yet
        QVERIFY(tab->message().contains(u"No label printer"));
        const QString pdf = m_dir.filePath(u"order-label.pdf"_qs);
        SD_VERIFY_OK(devices::printing::PrinterRouting::setPrinter(devices::printing::PrinterRouting::Role::Label,
                                                                   u"pdf:"_qs + pdf));
        QVERIFY2(tab->printLabel(), qPrintable(tab->message()));
        QVERIFY(QFileInfo(pdf).size() > 0);
        QVERIFY(!tab->printLabel()); // printed before: the duplicate guard asks for a reason
        QVERIFY(tab->needsReprintReason());
        QVERIFY(tab->printLabel(u"label torn"_qs));
        QSqlQuery q(fresh->db->connection());
        QVERIFY(q.exec(u"SELECT COUNT(*), COUNT(reprint_of) FROM print_jobs"_qs));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 2);
        QCOMPARE(q.value(1).toInt(), 1);
    }
};

QTEST_MAIN(TestOrderDevices)
#include "tst_orderdevices.moc"
