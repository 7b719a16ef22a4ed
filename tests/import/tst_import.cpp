#include "marketplace/allegro/checkoutformgenerator.h"
#include "marketplace/allegro/checkoutformparser.h"
#include "marketplace/orderimporter.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlQuery>

using namespace sd;
using namespace sd::marketplace;

class TestImport : public QObject
{
    Q_OBJECT

private:
    static QString data(const char *name) { return QFINDTESTDATA(u"../data/allegro/"_qs + QString::fromLatin1(name)); }

    static int rows(storage::Database &db, const QString &table)
    {
        QSqlQuery q(db.connection());
        if (!q.exec(u"SELECT COUNT(*) FROM "_qs + table) || !q.next())
            return -1;
        return q.value(0).toInt();
    }

private Q_SLOTS:
    void fullFormMapsEveryField()
    {
        auto order =
            allegro::CheckoutFormParser(u"my-shop"_qs).parse(test::readJsonObject(data("checkout-form-full.json")));
        SD_VERIFY_OK(order);
        QCOMPARE(order->marketplace, u"allegro-pl"_qs);
        QCOMPARE(order->account, u"my-shop"_qs);
        QCOMPARE(order->externalId, u"29738e61-7f6a-11e8-ac45-09db60ede9d6"_qs);
        QCOMPARE(order->revision, u"819b5836"_qs);
        QCOMPARE(order->marketplaceStatus, u"READY_FOR_PROCESSING"_qs);
        QCOMPARE(order->fulfillmentStatus, u"NEW"_qs);
        QCOMPARE(order->buyer.externalId, u"23123123"_qs);
        QCOMPARE(order->buyer.login, u"kasia_nowak"_qs);
        QCOMPARE(order->buyer.email, u"kasia.nowak+a1b2c3@allegromail.pl"_qs);
        QCOMPARE(order->buyer.lastName, u"Nowak-Żółkiewska"_qs);
        QCOMPARE(order->buyer.phone, u"+48 600 700 800"_qs);
        QCOMPARE(order->buyer.language, u"pl-PL"_qs);
        QCOMPARE(order->buyer.companyName, u"Nowak Handel Sp. z o.o."_qs);
        QCOMPARE(order->buyer.nip, u"5260250274"_qs);
        QCOMPARE(order->delivery.methodName, u"Allegro Paczkomaty InPost"_qs);
        QCOMPARE(order->delivery.address.street, u"Długa 5/3"_qs);
        QCOMPARE(order->delivery.address.postCode, u"80-831"_qs);
        QCOMPARE(order->delivery.address.phone, u"600700800"_qs);
        QCOMPARE(order->delivery.pickupPoint.id, u"GDA08M"_qs);
        QCOMPARE(order->delivery.pickupPoint.address.city, u"Gdańsk"_qs);
        QCOMPARE(order->delivery.cost, domain::Money(1299, u"PLN"_qs));
        QCOMPARE(order->payment.method, u"ONLINE"_qs);
        QCOMPARE(order->payment.provider, u"P24"_qs);
        QCOMPARE(order->payment.paidAmount, domain::Money(27389, u"PLN"_qs));
        QCOMPARE(order->payment.status, domain::PaymentStatus::Paid);
        QCOMPARE(order->payment.finishedAt, QDateTime(QDate(2026, 11, 20), QTime(10, 1, 2, 123), Qt::UTC));
        QVERIFY(order->invoice.wanted);
        QCOMPARE(order->invoice.companyName, u"Nowak Handel Sp. z o.o."_qs);
        QCOMPARE(order->invoice.nip, u"5260250274"_qs);
        QCOMPARE(order->invoice.vatPayerStatus, u"ACTIVE"_qs);
        QCOMPARE(order->invoice.address.city, u"Warszawa"_qs);
        QCOMPARE(order->items.size(), 2);
        QCOMPARE(order->items[0].externalId, u"62ae358b-8f65-4fc4-9c77-bedf604a2e2b"_qs);
        QCOMPARE(order->items[0].offerId, u"12345678901"_qs);
        QCOMPARE(order->items[0].sku, u"CZ-1700-S"_qs);
        QCOMPARE(order->items[0].quantity, 2);
        QCOMPARE(order->items[0].unitPrice, domain::Money(8995, u"PLN"_qs));
        QCOMPARE(order->items[0].originalPrice, domain::Money(9900, u"PLN"_qs));
        QCOMPARE(order->items[0].vatRate, domain::VatRate::percent(23));
        QCOMPARE(order->items[1].sku, QString());
        QCOMPARE(order->adjustments.size(), 1);
        QCOMPARE(order->adjustments[0].description, u"Pakowanie na prezent"_qs);
        QCOMPARE(order->adjustments[0].amount, domain::Money(500, u"PLN"_qs));
        QCOMPARE(order->total, domain::Money(27389, u"PLN"_qs));
        QCOMPARE(order->computedTotal(), order->total);
        QCOMPARE(order->buyerComment, u"Proszę o wysyłkę w piątek, w czerwonym kolorze."_qs);
        QCOMPARE(order->notes, u"Stały klient"_qs);
        QCOMPARE(order->createdAt, QDateTime(QDate(2026, 11, 20), QTime(9, 58, 41, 321), Qt::UTC));
        QCOMPARE(order->marketplaceUpdatedAt, QDateTime(QDate(2026, 11, 20), QTime(10, 1, 5), Qt::UTC));
    }

    void badFormsAreRefusedWithTheFieldAndReason_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing id") << u"id"_qs << u"<remove>"_qs << u"the required field id is missing"_qs;
        QTest::newRow("quantity text") << u"lineItems.0.quantity"_qs << u"\"dwa\""_qs
                                       << u"the field lineItems[0].quantity must be a whole number"_qs;
        QTest::newRow("quantity fraction")
            << u"lineItems.0.quantity"_qs << u"1.5"_qs << u"the field lineItems[0].quantity must be a whole number"_qs;
        QTest::newRow("quantity zero") << u"lineItems.0.quantity"_qs << u"0"_qs << u"must be at least 1"_qs;
        QTest::newRow("unknown currency") << u"summary.totalToPay.currency"_qs << u"\"XYZ\""_qs
                                          << u"summary.totalToPay.currency has an unknown currency \"XYZ\""_qs;
        QTest::newRow("amount as number")
            << u"lineItems.1.price.amount"_qs << u"76"_qs << u"the field lineItems[1].price.amount must be text"_qs;
        QTest::newRow("bad amount") << u"delivery.cost.amount"_qs << u"\"12,999\""_qs
                                    << u"delivery.cost.amount is not an amount"_qs;
        QTest::newRow("no line items") << u"lineItems"_qs << u"[]"_qs << u"no line items"_qs;
        QTest::newRow("buyer not object") << u"buyer"_qs << u"\"kasia\""_qs << u"the field buyer must be an object"_qs;
        QTest::newRow("unknown status") << u"status"_qs << u"\"PAID\""_qs << u"unknown value \"PAID\""_qs;
        QTest::newRow("bad date") << u"updatedAt"_qs << u"\"wczoraj\""_qs << u"updatedAt is not a date"_qs;
        QTest::newRow("guest missing") << u"buyer.guest"_qs << u"<remove>"_qs << u"buyer.guest is missing"_qs;
    }
    void badFormsAreRefusedWithTheFieldAndReason()
    {
        QFETCH(QString, path);
        QFETCH(QString, value);
        QFETCH(QString, reason);
        // Edit the fixture at path (dots, numbers for list positions) with Python-like simplicity.
        QJsonObject form = test::readJsonObject(data("checkout-form-full.json"));
        const QStringList parts = path.split(u'.');
        std::function<QJsonValue(QJsonValue, int)> edit = [&](QJsonValue node, int depth) -> QJsonValue {
            const QString &key = parts.at(depth);
            const bool last = depth == parts.size() - 1;
            const QJsonValue replacement = value == u"<remove>"
                                               ? QJsonValue(QJsonValue::Undefined)
                                               : QJsonDocument::fromJson((u"[" + value + u"]").toUtf8()).array().at(0);
            if (node.isArray()) {
                QJsonArray array = node.toArray();
                const int index = key.toInt();
                array[index] = last ? replacement : edit(array.at(index), depth + 1);
                return array;
            }
            QJsonObject object = node.toObject();
            if (last && replacement.isUndefined())
                object.remove(key);
            else
                object[key] = last ? replacement : edit(object.value(key), depth + 1);
            return object;
        };
        form = edit(form, 0).toObject();
        auto parsed = allegro::CheckoutFormParser().parse(form);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, Error::Code::Invalid);
        QVERIFY2(parsed.error().userMessage.contains(reason), qPrintable(parsed.error().userMessage));
        if (path != u"id")
            QVERIFY(parsed.error().userMessage.startsWith(u"Order 29738e61-7f6a-11e8-ac45-09db60ede9d6: "));
    }

    void fileShapesAreAllRead()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        OrderImporter importer(store);
        auto single = importer.importFile(data("checkout-form-full.json"));
        SD_VERIFY_OK(single);
        QCOMPARE(single->created, 1);
        auto array = importer.importFile(data("checkout-forms-array.json"));
        SD_VERIFY_OK(array);
        QCOMPARE(array->created, 2);
        QCOMPARE(array->unchanged, 1);
        auto page = importer.importFile(data("checkout-forms-page.json"));
        SD_VERIFY_OK(page);
        QCOMPARE(page->unchanged, 2);
        QCOMPARE(page->created + page->updated + page->rejected.size(), 0);
        QCOMPARE(*store.count(), 3);
        auto missing = importer.importFile(u"/nonexistent/orders.json"_qs);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, Error::Code::Io);
    }

    void reimportOfTheSameRevisionChangesNothing()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        OrderImporter importer(store);
        SD_VERIFY_OK(importer.importFile(data("checkout-forms-array.json")));
        const int history = rows(*fresh->db, u"order_history"_qs);
        const int events = rows(*fresh->db, u"events"_qs);
        auto again = importer.importFile(data("checkout-forms-array.json"));
        SD_VERIFY_OK(again);
        QCOMPARE(again->unchanged, 3);
        QCOMPARE(again->created, 0);
        QCOMPARE(again->updated, 0);
        QCOMPARE(rows(*fresh->db, u"orders"_qs), 3);
        QCOMPARE(rows(*fresh->db, u"order_history"_qs), history);
        QCOMPARE(rows(*fresh->db, u"events"_qs), events);
    }

    void newerRevisionUpdatesOnlyWhatChanged_data() { test::addEngineRows(); }
    void newerRevisionUpdatesOnlyWhatChanged()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_import_revision"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        OrderImporter importer(store, u"my-shop"_qs);
        SD_VERIFY_OK(importer.importFile(data("checkout-form-full.json")));
        auto id = store.findByExternal(u"allegro-pl"_qs, u"my-shop"_qs, u"29738e61-7f6a-11e8-ac45-09db60ede9d6"_qs);
        SD_VERIFY_OK(id);
        QVERIFY(id->has_value());
        // The seller's own work on the order must survive the update.
        SD_VERIFY_OK(store.apply(storage::OrderChange::update(**id,
                                                              [](domain::Order &o) -> Result<void> {
                                                                  o.status = u"To ship"_qs;
                                                                  o.tags = {u"Pilne"_qs};
                                                                  o.notes = u"Zadzwonić przed wysyłką"_qs;
                                                                  return {};
                                                              },
                                                              {u"user:anna"_qs, {}, 0})));
        const int eventsBefore = rows(*fresh->db, u"events"_qs);

        auto newer = importer.importFile(data("checkout-form-full-newer.json"));
        SD_VERIFY_OK(newer);
        QCOMPARE(newer->updated, 1);
        auto order = store.load(**id);
        SD_VERIFY_OK(order);
        QCOMPARE(order->revision, u"9a8b7c6d"_qs);
        QCOMPARE(order->delivery.address.street, u"Ogarna 101"_qs);
        QCOMPARE(order->delivery.address.postCode, u"80-826"_qs);
        QCOMPARE(order->status, u"To ship"_qs);
        QCOMPARE(order->tags, QStringList{u"Pilne"_qs});
        QCOMPARE(order->notes, u"Zadzwonić przed wysyłką"_qs);

        auto history = store.history(**id);
        SD_VERIFY_OK(history);
        QStringList fields;
        for (const auto &h : *history)
            if (h.actor == u"marketplace:allegro-pl" && h.field != u"order")
                fields << h.field;
        QCOMPARE(fields, (QStringList{u"revision"_qs, u"delivery.address.street"_qs, u"delivery.address.postCode"_qs,
                                      u"marketplaceUpdatedAt"_qs}));
        const auto street = std::find_if(history->begin(), history->end(),
                                         [](const auto &h) { return h.field == u"delivery.address.street"; });
        QCOMPARE(street->oldValue, u"Długa 5/3"_qs);
        QCOMPARE(street->newValue, u"Ogarna 101"_qs);
        auto events = store.eventsAfter(0);
        QVERIFY(std::any_of(events->begin() + eventsBefore, events->end(), [](const auto &e) {
            return e.type == QString::fromLatin1(storage::EventType::kDeliveryChanged);
        }));

        // A late, older revision does not undo the newer one.
        auto older = importer.importFile(data("checkout-form-full-older.json"));
        SD_VERIFY_OK(older);
        QCOMPARE(older->unchanged, 1);
        QCOMPARE(store.load(**id)->delivery.address.street, u"Ogarna 101"_qs);
        QCOMPARE(store.load(**id)->revision, u"9a8b7c6d"_qs);
    }

    void badOrdersAreReportedAndTheOthersImported()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        OrderImporter importer(store);
        auto report = importer.importFile(data("checkout-forms-bad-fields.json"));
        SD_VERIFY_OK(report);
        QCOMPARE(report->created, 3);
        QCOMPARE(report->rejected.size(), 3);
        QCOMPARE(report->rejected[0].orderId, u"bad00000-0000-4000-8000-00000000000a"_qs);
        QVERIFY(report->rejected[0].reason.contains(u"lineItems[0].quantity"));
        QCOMPARE(report->rejected[1].orderId, u"bad00000-0000-4000-8000-00000000000b"_qs);
        QVERIFY(report->rejected[1].reason.contains(u"XYZ"));
        QCOMPARE(report->rejected[2].orderId, u"bad00000-0000-4000-8000-00000000000c"_qs);
        QVERIFY(report->rejected[2].reason.contains(u"buyer"));
        QCOMPARE(rows(*fresh->db, u"orders"_qs), 3);
        QCOMPARE(rows(*fresh->db, u"events"_qs), 3);
        QCOMPARE(rows(*fresh->db, u"order_history"_qs), 3);
        QCOMPARE(rows(*fresh->db, u"order_items"_qs), 4);
    }

    void malformedJsonLosesOnlyTheBrokenOrder()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        OrderImporter importer(store);
        auto report = importer.importFile(data("checkout-forms-malformed.json"));
        SD_VERIFY_OK(report);
        QCOMPARE(report->created, 2);
        QCOMPARE(report->rejected.size(), 1);
        QCOMPARE(report->rejected[0].orderId, u"bad00000-0000-4000-8000-00000000000a"_qs);
        QVERIFY2(report->rejected[0].reason.contains(u"not valid JSON"), qPrintable(report->rejected[0].reason));
        QCOMPARE(rows(*fresh->db, u"orders"_qs), 2);
    }

    void storageFailureInsideABatchCostsOnlyThatOrder()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        QSignalSpy changed(&store, &storage::OrderStore::ordersChanged);
        {
            QSqlQuery q(fresh->db->connection());
            QVERIFY(
                q.exec(u"CREATE TRIGGER sd_test_fail BEFORE INSERT ON orders WHEN NEW.external_id = "
                       "'5d1f9c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"_qs));
        }
        OrderImporter importer(store);
        auto report = importer.importFile(data("checkout-forms-array.json"));
        SD_VERIFY_OK(report);
        QCOMPARE(report->created, 2);
        QCOMPARE(report->rejected.size(), 1);
        QCOMPARE(report->rejected[0].orderId, u"5d1f9c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"_qs);
        QCOMPARE(rows(*fresh->db, u"orders"_qs), 2);
        QCOMPARE(rows(*fresh->db, u"events"_qs), 2);
        QCOMPARE(rows(*fresh->db, u"order_history"_qs), 2);
        QCOMPARE(rows(*fresh->db, u"order_items"_qs), 3);
        QCOMPARE(fresh->db->transactionDepth(), 0);
        // One notification after the commit, naming only the orders that were saved.
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QList<qint64>>().size(), 2);
    }

    void truncatedFileImportsTheCompleteOrders()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        OrderImporter importer(store);
        auto report = importer.importFile(data("checkout-forms-truncated.json"));
        SD_VERIFY_OK(report);
        QCOMPARE(report->created, 2);
        QCOMPARE(report->rejected.size(), 1);
        QCOMPARE(report->rejected[0].orderId, u"7e2a0b1c-2d3e-4f50-9a6b-7c8d9e0f1a2b"_qs);
        QVERIFY2(report->rejected[0].reason.contains(u"cut short"), qPrintable(report->rejected[0].reason));
        QCOMPARE(rows(*fresh->db, u"orders"_qs), 2);
        QCOMPARE(rows(*fresh->db, u"order_items"_qs), 3);

        auto garbage = importer.importJson("this is not json at all");
        QCOMPARE(garbage.created, 0);
        QCOMPARE(garbage.rejected.size(), 1);
        auto notAList = importer.importJson(R"({"checkoutForms": 5})");
        QCOMPARE(notAList.rejected.size(), 1);
        QVERIFY(notAList.rejected[0].reason.contains(u"checkoutForms"));
    }

    // Enough forms that they are read on a worker thread while earlier ones are written: the outcome is the same
    // as one by one, a bad entry costs only itself, batches never span files, and a second run changes nothing.
    void manyFilesAreReadAheadWithTheSameOutcome()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        QSignalSpy changed(&store, &storage::OrderStore::ordersChanged);
        OrderImporter importer(store);
        importer.setBatchSize(70);
        allegro::CheckoutFormGenerator generator(7);
        QJsonArray first = generator.batch(300);
        QJsonArray second = generator.batch(250);
        second[10] = 42;
        QJsonObject noId = second.at(20).toObject();
        noId.remove(u"id"_qs);
        second[20] = noId;
        const QString failing = second.at(100).toObject().value(u"id").toString();
        {
            QSqlQuery q(fresh->db->connection());
            QVERIFY(q.exec(u"CREATE TRIGGER sd_test_fail BEFORE INSERT ON orders WHEN NEW.external_id = '"_qs +
                           failing + u"' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"_qs));
        }
        const QList<QByteArray> files = {QJsonDocument(first).toJson(QJsonDocument::Compact),
                                         QJsonDocument(second).toJson(QJsonDocument::Compact),
                                         QByteArray("[{\"id\": 1,"), QByteArray(R"({"checkoutForms": 5})")};
        const ImportReport report = importer.importJsonFiles(files);
        QCOMPARE(report.created, 547);
        QCOMPARE(report.rejected.size(), 5);
        QCOMPARE(report.rejected[0].orderId, u"(entry 11)"_qs);
        QCOMPARE(report.rejected[1].orderId, u"(entry 21)"_qs);
        QCOMPARE(report.rejected[2].orderId, failing);
        QCOMPARE(rows(*fresh->db, u"orders"_qs), 547);
        QCOMPARE(rows(*fresh->db, u"events"_qs), 547);
        QCOMPARE(rows(*fresh->db, u"order_history"_qs), 547);
        QCOMPARE(fresh->db->transactionDepth(), 0);
        // The orders wait in the search queue, and the first search indexes them before it runs.
        QSqlQuery q(fresh->db->connection());
        QVERIFY(q.exec(u"SELECT (SELECT COUNT(*) FROM search_queue), (SELECT COUNT(*) FROM orders_fts)"_qs));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 547);
        QCOMPARE(q.value(1).toInt(), 0);
        q.finish();
        const QString last = second.at(249).toObject().value(u"id").toString();
        auto found = store.list({{}, last.left(8), 10});
        SD_VERIFY_OK(found);
        QCOMPARE(found->size(), 1);
        QCOMPARE(found->at(0).externalId, last);
        QVERIFY(q.exec(u"SELECT (SELECT COUNT(*) FROM search_queue), (SELECT COUNT(*) FROM orders_fts)"_qs));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 0);
        QCOMPARE(q.value(1).toInt(), 547);
        q.finish();
        int notified = 0;
        for (const auto &signal : changed)
            notified += int(signal.at(0).value<QList<qint64>>().size());
        QCOMPARE(notified, 547);

        const ImportReport again = importer.importJsonFiles(files);
        QCOMPARE(again.created, 0);
        QCOMPARE(again.unchanged, 547);
        QCOMPARE(rows(*fresh->db, u"events"_qs), 547);
    }
};

QTEST_GUILESS_MAIN(TestImport)
#include "tst_import.moc"
