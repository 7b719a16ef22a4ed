#include "automation/dispatcher.h"
#include "automation/executors.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "inventory/inventorystore.h"
#include "scanning/codeclassifier.h"
#include "scanning/packingsession.h"
#include "scanning/picklist.h"
#include "storage/sqlquery.h"
#include "testsupport.h"
#include "trainingcourier.h"

#include <QSettings>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>

using namespace sd;
using namespace sd::scanning;
using Kind = PackingSession::ScanOutcome::Kind;

namespace {

qint64 scalar(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

automation::Rule rule(const QByteArray &json)
{
    auto r = automation::Rule::fromText(json);
    if (!r)
        qFatal("%s", qPrintable(r.error().userMessage));
    return *r;
}

struct Fixture
{
    test::TempDatabase fresh;
    std::unique_ptr<storage::OrderStore> store;
    std::unique_ptr<automation::RuleStore> rules;
    std::unique_ptr<inventory::InventoryStore> inventory;

    // Two mugs (SKU only on the line; the product knows the EAN), one phone (serial codes required).
    qint64 addOrder(const QString &externalId)
    {
        domain::Order order = test::sampleOrder(externalId);
        order.delivery.address.phone = u"600700800"_qs; // InPost wants the receiver's phone
        order.items.clear();
        domain::LineItem mug;
        mug.name = u"Kubek ceramiczny"_qs;
        mug.sku = u"KUB-01"_qs;
        mug.quantity = 2;
        mug.unitPrice = domain::Money(2999, u"PLN"_qs);
        mug.originalPrice = mug.unitPrice;
        order.items.append(mug);
        domain::LineItem phone;
        phone.name = u"Telefon X"_qs;
        phone.sku = u"TEL-X"_qs;
        phone.ean = u"5900000000008"_qs;
        phone.quantity = 1;
        phone.unitPrice = domain::Money(99900, u"PLN"_qs);
        phone.originalPrice = phone.unitPrice;
        order.items.append(phone);
        order.payment.paidAmount = domain::Money(0, u"PLN"_qs);
        order.total = order.computedTotal();
        order.payment.paidAmount = order.total;
        auto created =
            store->apply(storage::OrderChange::create(order, {u"marketplace:allegro-pl"_qs, u"import"_qs, 0}));
        if (!created)
            qWarning() << created.error().text();
        return created ? created->orderId : 0;
    }
};

const storage::ChangeContext kPacker{u"user:packer"_qs, u"packing station"_qs, 0};

} // namespace

class TestPacking : public QObject
{
    Q_OBJECT

    std::unique_ptr<Fixture> open(const QString &engine, const QString &name)
    {
        auto fixture = std::make_unique<Fixture>();
        auto fresh = test::openFresh(engine, name);
        if (!fresh) {
            qWarning() << fresh.error().text();
            return {};
        }
        fixture->fresh = *fresh;
        fixture->store = std::make_unique<storage::OrderStore>(fixture->fresh.db);
        fixture->rules = std::make_unique<automation::RuleStore>(fixture->fresh.db);
        fixture->inventory = std::make_unique<inventory::InventoryStore>(*fixture->store);
        inventory::Product mug;
        mug.sku = u"KUB-01"_qs;
        mug.ean = u"5901234123457"_qs;
        mug.name = u"Kubek ceramiczny"_qs;
        mug.location = u"A-03-2"_qs;
        inventory::Product phone;
        phone.sku = u"TEL-X"_qs;
        phone.ean = u"5900000000008"_qs;
        phone.name = u"Telefon X"_qs;
        phone.requiresSerial = true;
        if (!fixture->inventory->addProduct(mug) || !fixture->inventory->addProduct(phone))
            return {};
        return fixture;
    }

    qint64 events(Fixture &f, qint64 orderId, const char *type)
    {
        return scalar(f.store->database(), u"SELECT COUNT(*) FROM events WHERE order_id = %1 AND type = '%2'"_qs.arg(
                                               QString::number(orderId), QString::fromLatin1(type)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"SellerDeskTest"_qs);
        QCoreApplication::setApplicationName(u"tst_packing"_qs);
    }

    // Each kind of code a scanner reads opens what it names, from the local database only.
    void scanOpensEachCodeType_data() { test::addEngineRows(); }
    void scanOpensEachCodeType()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_scan_types"_qs);
        QVERIFY(f);
        const qint64 a = f->addOrder(u"7a3c1f20-5b11-11ef-9a1c-2d4f0e7a8b01"_qs);
        const qint64 b = f->addOrder(u"b-order"_qs);
        // Parcels as the label service and the Allegro records write them: a tracking number, and a label whose own
        // barcode is not the tracking number.
        for (const auto &[order, carrier, waybill, barcode] :
             {std::tuple{a, u"INPOST"_qs, u"620000012345678901234567"_qs, QString()},
              std::tuple{b, u"ALLEGRO"_qs, u"AD000000012PL"_qs, u"A000K2H5W3"_qs}}) {
            QSqlQuery insert(f->store->database().connection());
            insert.prepare(u"INSERT INTO order_shipments (order_id, carrier_id, waybill, label_barcode, created_at) "
                           "VALUES (?, ?, ?, ?, 0)"_qs);
            insert.addBindValue(order);
            insert.addBindValue(carrier);
            insert.addBindValue(waybill);
            insert.addBindValue(barcode.isNull() ? u""_qs : barcode);
            QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
        }
        auto manual = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "packed by hand",
            "trigger": {"type": "manual"}, "actions": [{"type": "addTag", "params": {"tag": "packed-by-hand"}}]})"),
                                     u"user:anna"_qs);
        SD_VERIFY_OK(manual);
        CodeClassifier classifier(f->fresh.db);
        SD_VERIFY_OK(classifier.addCommand(u"CMD-PACKED"_qs, manual->id));
        // A command barcode must not shadow anything a scan already finds.
        auto clash = classifier.addCommand(u"KUB-01"_qs, manual->id);
        QVERIFY(!clash);
        QCOMPARE(clash.error().code, Error::Code::Conflict);

        struct Case
        {
            QString code;
            ScanTarget::Kind kind;
            ScanTarget::Match match;
            qint64 id;
        };
        const QList<Case> cases{
            {QString::number(b), ScanTarget::Kind::Order, ScanTarget::Match::OrderId, b},
            {u"#"_qs + QString::number(a), ScanTarget::Kind::Order, ScanTarget::Match::OrderId, a},
            {u"7a3c1f20-5b11-11ef-9a1c-2d4f0e7a8b01"_qs, ScanTarget::Kind::Order, ScanTarget::Match::ExternalId, a},
            {u"620000012345678901234567"_qs, ScanTarget::Kind::Order, ScanTarget::Match::TrackingNumber, a},
            {u"ad000000012pl"_qs, ScanTarget::Kind::Order, ScanTarget::Match::TrackingNumber, b},
            {u"A000K2H5W3"_qs, ScanTarget::Kind::Order, ScanTarget::Match::LabelBarcode, b},
            {u"5901234123457"_qs, ScanTarget::Kind::Product, ScanTarget::Match::Ean, 1},
            {u"TEL-X"_qs, ScanTarget::Kind::Product, ScanTarget::Match::Sku, 2},
            {u"CMD-PACKED"_qs, ScanTarget::Kind::Command, ScanTarget::Match::Command, manual->id},
            {u"NO-SUCH-THING"_qs, ScanTarget::Kind::Unknown, ScanTarget::Match::None, 0},
        };
        for (const Case &c : cases) {
            auto target = classifier.classify(c.code);
            SD_VERIFY_OK(target);
            QVERIFY2(target->kind == c.kind && target->match == c.match, qPrintable(c.code));
            const qint64 id = c.kind == ScanTarget::Kind::Order     ? target->orderId
                              : c.kind == ScanTarget::Kind::Product ? target->productId
                                                                    : target->ruleId;
            QCOMPARE(id, c.id);
            QVERIFY(!target->describe().isEmpty());
        }
        auto listed = classifier.commands();
        SD_VERIFY_OK(listed);
        QCOMPARE(listed->size(), 1);
        QCOMPARE(listed->at(0).ruleName, u"packed by hand"_qs);

        // The command barcode runs its rule on the order at hand.
        automation::Dispatcher dispatcher(*f->store, *f->rules);
        SD_VERIFY_OK(dispatcher.requestManualRun(classifier.classify(u"CMD-PACKED"_qs)->ruleId, a, kPacker));
        automation::Scheduler scheduler(*f->store, *f->rules, automation::Executors::withDefaults(), u"ws-scan"_qs);
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(f->store->load(a)->tags, QStringList{u"packed-by-hand"_qs});
    }

    // The whole flow by scans: the last unit records order.packed, and the rules on it set the status and make the
    // courier's label (training ShipX), each through the action ledger.
    void packedOrderRunsItsFollowUps_data() { test::addEngineRows(); }
    void packedOrderRunsItsFollowUps()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_packing_flow"_qs);
        QVERIFY(f);
        test::TrainingCourier courier;
        SD_VERIFY_OK(courier.start());

        SD_VERIFY_OK(f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "after packing",
            "trigger": {"type": "order.packed"},
            "actions": [{"type": "generateLabel", "params": {"courier": "inpost", "format": "PDF"}},
                        {"type": "setStatus", "params": {"status": "Shipped"}}]})"),
                                    u"user:anna"_qs));
        const qint64 id = f->addOrder(u"flow-1"_qs);
        automation::Scheduler scheduler(*f->store, *f->rules, automation::Executors::withDefaults(), u"ws-pack"_qs);
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(f->store->load(id)->status, u"New"_qs);

        CodeClassifier classifier(f->fresh.db);
        auto target = classifier.classify(u"flow-1"_qs);
        SD_VERIFY_OK(target);
        QCOMPARE(target->orderId, id);
        auto session = PackingSession::open(*f->store, target->orderId, kPacker);
        SD_VERIFY_OK(session);
        QCOMPARE(session->unitsTotal(), 3);
        QCOMPARE(session->lines().at(0).location, u"A-03-2"_qs);
        // The mug by its EAN (the order line has only the SKU), then by its SKU.
        auto outcome = session->scan(u"5901234123457"_qs);
        SD_VERIFY_OK(outcome);
        QCOMPARE(outcome->kind, Kind::Ticked);
        QCOMPARE(session->scan(u"KUB-01"_qs)->kind, Kind::Ticked);
        QCOMPARE(session->scan(u"5900000000008"_qs)->kind, Kind::SerialNeeded);
        outcome = session->scan(u"SN-PHONE-0001"_qs);
        SD_VERIFY_OK(outcome);
        QCOMPARE(outcome->kind, Kind::Completed);
        QCOMPARE(session->state(), PackingSession::State::Completed);
        QCOMPARE(events(*f, id, EventType::kOrderPacked), 1);
        QVERIFY(!session->scan(u"KUB-01"_qs));

        SD_VERIFY_OK(scheduler.runUntilIdle());
        const domain::Order packed = *f->store->load(id);
        QCOMPARE(packed.status, u"Shipped"_qs);
        QCOMPARE(packed.shipments.size(), 1);
        QCOMPARE(courier.server().shipmentsCreated(), 1);
        storage::Database &db = f->store->database();
        QCOMPARE(
            scalar(db, u"SELECT COUNT(*) FROM order_shipments WHERE order_id = %1 AND label_data <> ''"_qs.arg(id)), 1);
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM job_runs WHERE outcome = 'done' AND kind = 'rule.action'"_qs), 2);
        QVERIFY(scalar(db, u"SELECT COUNT(*) FROM action_ledger WHERE state = 'done' AND idempotency_key LIKE "
                           "'%/label'"_qs) == 1);
        // The serial is on the event the rules saw.
        auto list = f->store->eventsAfter(0, 1000);
        SD_VERIFY_OK(list);
        bool found = false;
        for (const storage::EventRecord &e : *list) {
            if (e.type == QLatin1StringView(EventType::kOrderPacked)) {
                found = true;
                QCOMPARE(e.payload.value(u"serials").toObject().value(u"1").toArray().at(0).toString(),
                         u"SN-PHONE-0001"_qs);
                QCOMPARE(e.actor, u"user:packer"_qs);
            }
        }
        QVERIFY(found);
    }

    // A wrong item and an extra unit are refused, logged on the order, and change nothing else.
    void wrongItemAndExtraUnitAreRefused()
    {
        auto f = open(u"sqlite"_qs, {});
        QVERIFY(f);
        const qint64 id = f->addOrder(u"refuse-1"_qs);
        auto session = PackingSession::open(*f->store, id, kPacker);
        SD_VERIFY_OK(session);
        auto wrong = session->scan(u"4006381333931"_qs);
        SD_VERIFY_OK(wrong);
        QCOMPARE(wrong->kind, Kind::WrongItem);
        QVERIFY(wrong->refused());
        QVERIFY(wrong->message.contains(u"4006381333931"_qs));
        QCOMPARE(session->unitsPacked(), 0);
        QCOMPARE(session->scan(u"KUB-01"_qs)->kind, Kind::Ticked);
        QCOMPARE(session->scan(u"KUB-01"_qs)->kind, Kind::Ticked);
        auto extra = session->scan(u"5901234123457"_qs);
        SD_VERIFY_OK(extra);
        QCOMPARE(extra->kind, Kind::ExtraUnit);
        QCOMPARE(extra->line, 0);
        QCOMPARE(session->unitsPacked(), 2);
        QCOMPARE(events(*f, id, EventType::kPackingRefused), 2);
        QCOMPARE(events(*f, id, EventType::kOrderPacked), 0);
        QCOMPARE(session->state(), PackingSession::State::Open);
    }

    // Serial codes: asked for after the unit, the product's own code is not taken for one, a repeat is refused.
    void serialCodesAreCaptured()
    {
        auto f = open(u"sqlite"_qs, {});
        QVERIFY(f);
        domain::Order order = test::sampleOrder(u"serial-1"_qs);
        order.items.first().sku = u"TEL-X"_qs;
        order.items.first().quantity = 2;
        order.total = order.computedTotal();
        order.payment.paidAmount = order.total;
        auto created = f->store->apply(storage::OrderChange::create(order, kPacker));
        SD_VERIFY_OK(created);
        auto session = PackingSession::open(*f->store, created->orderId, kPacker);
        SD_VERIFY_OK(session);
        QCOMPARE(session->scan(u"TEL-X"_qs)->kind, Kind::SerialNeeded);
        QCOMPARE(session->awaitingSerial(), 0);
        // The product's EAN again: still waiting for the serial, nothing counted.
        QCOMPARE(session->scan(u"5900000000008"_qs)->kind, Kind::SerialNeeded);
        QCOMPARE(session->unitsPacked(), 0);
        QCOMPARE(session->scan(u"SN-A"_qs)->kind, Kind::SerialCaptured);
        QCOMPARE(session->unitsPacked(), 1);
        QCOMPARE(session->scan(u"TEL-X"_qs)->kind, Kind::SerialNeeded);
        QCOMPARE(session->scan(u"SN-A"_qs)->kind, Kind::DuplicateSerial);
        QCOMPARE(session->scan(u"SN-B"_qs)->kind, Kind::Completed);
        QCOMPARE(session->lines().at(0).serials, (QStringList{u"SN-A"_qs, u"SN-B"_qs}));
    }

    // Pausing, or the program ending without a word, loses nothing: opening the order again resumes.
    void pauseAndCrashResume()
    {
        auto f = open(u"sqlite"_qs, {});
        QVERIFY(f);
        const qint64 id = f->addOrder(u"pause-1"_qs);
        {
            auto session = PackingSession::open(*f->store, id, kPacker);
            SD_VERIFY_OK(session);
            QCOMPARE(session->scan(u"KUB-01"_qs)->kind, Kind::Ticked);
            SD_VERIFY_OK(session->pause());
            QCOMPARE(session->state(), PackingSession::State::Paused);
            QVERIFY(!session->scan(u"KUB-01"_qs));
        }
        QCOMPARE(scalar(f->store->database(), u"SELECT COUNT(*) FROM packing_sessions WHERE state = 'paused'"_qs), 1);
        {
            auto resumed = PackingSession::open(*f->store, id, kPacker);
            SD_VERIFY_OK(resumed);
            QCOMPARE(resumed->state(), PackingSession::State::Open);
            QCOMPARE(resumed->unitsPacked(), 1);
            QCOMPARE(resumed->scan(u"TEL-X"_qs)->kind, Kind::SerialNeeded);
            // No pause: the session object just goes away, as in a crash.
        }
        auto afterCrash = PackingSession::open(*f->store, id, kPacker);
        SD_VERIFY_OK(afterCrash);
        QCOMPARE(afterCrash->unitsPacked(), 1);
        QCOMPARE(afterCrash->awaitingSerial(), 1);
        QCOMPARE(afterCrash->scan(u"SN-1"_qs)->kind, Kind::SerialCaptured);
        QCOMPARE(afterCrash->scan(u"KUB-01"_qs)->kind, Kind::Completed);
    }

    // "Missing item": the order moves to the chosen status through the change API (history row), the lines short
    // are on the event, and the session ends keeping its count.
    void missingItemMovesTheOrder()
    {
        auto f = open(u"sqlite"_qs, {});
        QVERIFY(f);
        const qint64 id = f->addOrder(u"missing-1"_qs);
        auto session = PackingSession::open(*f->store, id, kPacker);
        SD_VERIFY_OK(session);
        QCOMPARE(session->scan(u"KUB-01"_qs)->kind, Kind::Ticked);
        QVERIFY(!session->reportMissing({}));
        QVERIFY(!session->reportMissing(u"No such status"_qs));
        QCOMPARE(f->store->load(id)->status, u"New"_qs);
        SD_VERIFY_OK(session->reportMissing(u"To ship"_qs));
        QCOMPARE(session->state(), PackingSession::State::Missing);
        QCOMPARE(f->store->load(id)->status, u"To ship"_qs);
        QCOMPARE(events(*f, id, EventType::kPackingMissing), 1);
        auto history = f->store->history(id);
        SD_VERIFY_OK(history);
        bool statusRow = false;
        for (const storage::HistoryEntry &h : *history)
            statusRow |= h.newValue == u"To ship" && h.actor == u"user:packer";
        QVERIFY(statusRow);
        auto later = PackingSession::open(*f->store, id, kPacker);
        SD_VERIFY_OK(later);
        QCOMPARE(later->unitsPacked(), 1);
    }

    // A pick list for a status or a selection: one row per product with its location, units summed over orders,
    // sorted by location; the PDF's barcodes read back as the products' codes.
    void pickListGroupsByProduct_data() { test::addEngineRows(); }
    void pickListGroupsByProduct()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_pick_list"_qs);
        QVERIFY(f);
        const qint64 a = f->addOrder(u"pick-1"_qs);
        const qint64 b = f->addOrder(u"pick-2"_qs);
        const qint64 c = f->addOrder(u"pick-3"_qs);
        SD_VERIFY_OK(f->store->apply(storage::OrderChange::setStatus(c, u"To ship"_qs, kPacker)));
        SD_VERIFY_OK(f->inventory->setPackingDetails(2, true, u"B-01-1"_qs));
        auto rows = PickList::forStatus(f->store->database(), u"New"_qs);
        SD_VERIFY_OK(rows);
        QCOMPARE(rows->size(), 2);
        QCOMPARE(rows->at(0).location, u"A-03-2"_qs);
        QCOMPARE(rows->at(0).sku, u"KUB-01"_qs);
        QCOMPARE(rows->at(0).ean, u"5901234123457"_qs);
        QCOMPARE(rows->at(0).quantity, 4);
        QCOMPARE(rows->at(0).orders, 2);
        QCOMPARE(rows->at(1).location, u"B-01-1"_qs);
        QCOMPARE(rows->at(1).quantity, 2);
        auto selected = PickList::forOrders(f->store->database(), {a, c});
        SD_VERIFY_OK(selected);
        QCOMPARE(selected->at(0).quantity, 4);
        QCOMPARE(selected->at(0).orders, 2);
        Q_UNUSED(b);
        auto pdf = PickList::pdf(*rows, u"Pick list"_qs);
        SD_VERIFY_OK(pdf);
        QVERIFY(pdf->startsWith("%PDF"));
        auto codes = test::decodePdfBarcodes(*pdf);
        SD_VERIFY_OK(codes);
        QCOMPARE(QSet<QString>(codes->cbegin(), codes->cend()),
                 (QSet<QString>{u"5901234123457"_qs, u"5900000000008"_qs}));
    }
};

QTEST_MAIN(TestPacking)
#include "tst_packing.moc"
