#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "devices/labels/couriersetup.h"
#include "devices/labels/training/shipxtrainingserver.h"
#include "devices/labels/zpltemplates.h"
#include "devices/printing/printerrouting.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/accountconnector.h"
#include "marketplace/allegro/allegrosync.h"
#include "security/filesecretstore.h"
#include "storage/orderstore.h"
#include "testsupport.h"
#include "trainingharness.h"

#include <QFileInfo>
#include <QSettings>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sd::automation;
using namespace sd::devices;

namespace {

Rule rule(const QByteArray &json)
{
    auto r = Rule::fromText(json);
    if (!r)
        qFatal("%s", qPrintable(r.error().userMessage));
    return *r;
}

qint64 scalar(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

// What a crash after the effects and before the jobs were marked done leaves: every job claimable again, and the
// dispatcher's cursor rewound so every event is read again (as tst_automation forces it).
bool forceRetries(storage::Database &db)
{
    QSqlQuery force(db.connection());
    return force.exec(u"UPDATE jobs SET state = 'pending', due_at = 0, lease_owner = NULL, lease_until = NULL"_qs) &&
           force.exec(u"UPDATE automation_state SET value = 0"_qs);
}

// Outside the test class: moc 6.4 misreads raw strings in a Q_OBJECT class body.
const QByteArray kLabelAndPrint = R"({"format": "sellerdesk.rule/1", "name": "label and print",
            "trigger": {"type": "order.downloaded"},
            "actions": [{"type": "generateLabel", "params": {"courier": "inpost", "format": "PDF"}},
                        {"type": "printLabel"}]})";
const QByteArray kShip = R"({"format": "sellerdesk.rule/1", "name": "ship",
            "trigger": {"type": "order.downloaded"},
            "actions": [{"type": "shipWithLabel", "params": {"courier": "allegro", "format": "PDF"}}]})";

void saveSender()
{
    labels::Sender s;
    s.name = u"Sklep Testowy"_qs;
    s.street = u"ul. Fabryczna 5"_qs;
    s.postalCode = u"00-950"_qs;
    s.city = u"Warszawa"_qs;
    s.email = u"sklep@example.com"_qs;
    s.phone = u"500600700"_qs;
    s.save();
}

} // namespace

// The label rule actions (generateLabel, printLabel, shipWithLabel) run as rules run: through the dispatcher and the
// scheduler, against the training courier servers, exactly once under retries.
class TestLabelRules : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::shared_ptr<security::FileSecretStore> m_secrets;

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"SellerDeskTest"_qs);
        QCoreApplication::setApplicationName(u"tst_labelrules"_qs);
        QSettings().clear();
        saveSender();
        m_secrets = std::make_shared<security::FileSecretStore>(m_dir.filePath(u"secrets.enc"_qs), "pw", 1000);
        SD_VERIFY_OK(m_secrets->unlock());
        labels::setRuleSecrets(m_secrets);
    }
    void cleanupTestCase()
    {
        labels::setRuleSecrets(nullptr);
        QSettings().clear();
    }

    // InPost: the label made by a rule lands on the order; the next action prints it through the print queue. A
    // courier that cannot be reached makes a retry later; forced retries after success send nothing again.
    void inpostLabelAndPrint()
    {
        labels::ShipXTrainingServer::Options options;
        labels::ShipXTrainingServer server(options);
        auto url = server.start();
        SD_VERIFY_OK(url);
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QString away = u"http://127.0.0.1:%1"_qs.arg(closed.serverPort());
        closed.close();
        QSettings settings;
        settings.setValue(u"couriers/inpost/url"_qs, away); // first attempt: the courier is unreachable
        settings.setValue(u"couriers/inpost/organization"_qs, options.organizationId);
        SD_VERIFY_OK(m_secrets->write(QString::fromLatin1(labels::kShipXTokenKey), options.token));
        const QString pdf = m_dir.filePath(u"label.pdf"_qs);
        SD_VERIFY_OK(printing::PrinterRouting::setPrinter(printing::PrinterRouting::Role::Label, u"pdf:"_qs + pdf));

        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_labelrules_inpost"_qs);
        SD_VERIFY_OK(fresh);
        storage::Database &db = *fresh->db;
        storage::OrderStore store(fresh->db);
        RuleStore rules(fresh->db);
        SD_VERIFY_OK(rules.save(rule(kLabelAndPrint), u"user:anna"_qs));
        domain::Order order = test::sampleOrder(u"rule-label-1"_qs);
        order.delivery.pickupPoint = {};
        order.delivery.address.phone = u"600700800"_qs;
        order.buyer.email = u"buyer@allegromail.pl"_qs;
        auto created =
            store.apply(storage::OrderChange::create(order, {u"marketplace:allegro-pl"_qs, u"import"_qs, 0}));
        SD_VERIFY_OK(created);
        const qint64 id = created->orderId;

        Scheduler scheduler(store, rules, Executors::withDefaults(), u"ws-1"_qs);
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(server.shipmentsCreated(), 0);
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM jobs WHERE state = 'pending' AND attempts = 1"_qs), 1);
        QVERIFY(store.load(id)->shipments.isEmpty());

        // The courier is back: the retry makes the label, the chain prints it.
        settings.setValue(u"couriers/inpost/url"_qs, url->toString());
        QVERIFY(QSqlQuery(db.connection()).exec(u"UPDATE jobs SET due_at = 0 WHERE state = 'pending'"_qs));
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(server.shipmentsCreated(), 1);
        auto loaded = store.load(id);
        SD_VERIFY_OK(loaded);
        QCOMPARE(loaded->shipments.size(), 1);
        const QString tracking = loaded->shipments.first().waybill;
        QCOMPARE(tracking.size(), 24);
        QCOMPARE(loaded->shipments.first().carrierId, u"INPOST"_qs);
        QCOMPARE(
            scalar(db,
                   u"SELECT COUNT(*) FROM action_ledger WHERE idempotency_key LIKE '%/label' AND state = 'done'"_qs),
            1);
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM print_jobs WHERE state = 'printed' AND order_id = "_qs +
                                QString::number(id)),
                 1);
        QVERIFY(QFileInfo(pdf).size() > 0);
        auto codes = test::decodePdfBarcodes([&] {
            QFile f(pdf);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }());
        SD_VERIFY_OK(codes);
        QCOMPARE(*codes, QStringList{tracking});

        // Forced retries: no second shipment, no second print job, no new history.
        const qint64 history = scalar(db, u"SELECT COUNT(*) FROM order_history"_qs);
        QVERIFY(forceRetries(db));
        Scheduler other(store, rules, Executors::withDefaults(), u"ws-2"_qs);
        SD_VERIFY_OK(other.runUntilIdle());
        QCOMPARE(server.shipmentsCreated(), 1);
        QCOMPARE(store.load(id)->shipments.size(), 1);
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM print_jobs"_qs), 1);
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM order_history"_qs), history);
        SD_VERIFY_OK(printing::PrinterRouting::setPrinter(printing::PrinterRouting::Role::Label, QString()));
    }

    // D5 in one action on an Allegro order: the "Wysyłam z Allegro" label, its tracking on the order, and the order
    // marked SENT on Allegro once, however often the job runs again.
    void shipWithLabelOnAllegro()
    {
        marketplace::training::TrainingOptions options;
        options.autoApprove = true;
        options.orders = 1;
        TrainingHarness training(options);
        QVERIFY2(training.url().isValid(), qPrintable(training.error()));
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_labelrules_allegro"_qs);
        SD_VERIFY_OK(fresh);
        storage::Database &db = *fresh->db;
        storage::OrderStore store(fresh->db);
        RuleStore rules(fresh->db);
        SD_VERIFY_OK(rules.save(rule(kShip), u"user:anna"_qs));
        marketplace::allegro::ClientOptions clientOptions;
        clientOptions.retry.timeScale = 0.001;
        auto connected = training.connectAccount(fresh->db, m_secrets, clientOptions);
        SD_VERIFY_OK(connected);
        marketplace::allegro::AllegroSync syncer(fresh->db, m_secrets);
        syncer.setClientOptions(clientOptions);
        SD_VERIFY_OK(syncer.syncAccount(connected->id));
        const qint64 id = scalar(db, u"SELECT MIN(id) FROM orders"_qs);
        QVERIFY(id > 0);
        const QString formId = store.load(id)->externalId;

        Scheduler scheduler(store, rules, Executors::withDefaults(), u"ws-1"_qs);
        SD_VERIFY_OK(scheduler.runUntilIdle());
        auto loaded = store.load(id);
        SD_VERIFY_OK(loaded);
        QCOMPARE(loaded->shipments.size(), 1);
        QVERIFY(!loaded->shipments.first().waybill.isEmpty());
        const QJsonObject form =
            training.run([&](marketplace::training::TrainingServer &s) { return s.checkoutForm(formId); });
        QCOMPARE(form[u"fulfillment"][u"status"].toString(), u"SENT"_qs);
        const QString revision = form[u"revision"].toString();
        QCOMPARE(
            scalar(db, u"SELECT COUNT(*) FROM action_ledger WHERE idempotency_key LIKE '%/sent' AND state = 'done'"_qs),
            1);
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM jobs WHERE state = 'done'"_qs) >= 1, true);

        // Forced retries: Allegro's order is not written again (its revision stays), no second label.
        const qint64 history = scalar(db, u"SELECT COUNT(*) FROM order_history"_qs);
        QVERIFY(forceRetries(db));
        Scheduler other(store, rules, Executors::withDefaults(), u"ws-2"_qs);
        SD_VERIFY_OK(other.runUntilIdle());
        const QJsonObject after =
            training.run([&](marketplace::training::TrainingServer &s) { return s.checkoutForm(formId); });
        QCOMPARE(after[u"revision"].toString(), revision);
        QCOMPARE(store.load(id)->shipments.size(), 1);
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM order_history"_qs), history);
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM action_ledger WHERE idempotency_key LIKE '%/label'"_qs), 1);
    }
};

QTEST_MAIN(TestLabelRules)
#include "tst_labelrules.moc"
