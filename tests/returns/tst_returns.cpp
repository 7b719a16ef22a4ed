#include "access/session.h"
#include "automation/dispatcher.h"
#include "automation/executors.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "documentfixtures.h"
#include "documents/documentservice.h"
#include "documents/settings.h"
#include "inventory/inventorystore.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrosync.h"
#include "messaging/outbox.h"
#include "returns/customerreturns.h"
#include "returns/returnservice.h"
#include "security/filesecretstore.h"
#include "storage/orderstore.h"
#include "testsupport.h"
#include "trainingharness.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace sd;
using namespace sd::returns;
using sd::marketplace::training::TrainingOptions;
using sd::marketplace::training::TrainingServer;

namespace {

const storage::ChangeContext kUser{u"user:anna"_qs, {}, 0};

// A rule that reacts to a return step (outside the class: moc 6.4 misreads some literals in a Q_OBJECT body).
constexpr char kReceivedRule[] = "{\"format\": \"sellerdesk.rule/1\", \"name\": \"returned\", "
                                 "\"trigger\": {\"type\": \"return.changed\", \"params\": {\"to\": \"received\"}}, "
                                 "\"actions\": [{\"type\": \"addTag\", \"params\": {\"tag\": \"zwrot\"}}]}";

qint64 scalar(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

// What a refused step must leave untouched: the cases, their items and files, events, history, messages, stock.
QList<qint64> footprint(storage::Database &db)
{
    QList<qint64> counts;
    for (const char *table : {"returns", "return_items", "return_attachments", "events", "order_history", "messages",
                              "stock_documents", "documents", "action_ledger"})
        counts.append(scalar(db, u"SELECT COUNT(*) FROM "_qs + QLatin1StringView(table)));
    return counts;
}

int stockIn(inventory::InventoryStore &inventory, const QString &sku, const QString &warehouse)
{
    auto stock = inventory.stockOf(sku);
    if (!stock)
        return -1;
    for (const auto &w : stock->warehouses)
        if (w.warehouse == warehouse)
            return w.quantity;
    return 0;
}

QStringList returnMessages(storage::OrderStore &store, qint64 orderId)
{
    QStringList keys;
    auto list = messaging::Outbox(store).list(orderId);
    if (list)
        for (const messaging::OutgoingMessage &m : *list)
            if (m.templateKey.startsWith(u"return"))
                keys.prepend(m.templateKey);
    return keys;
}

} // namespace

class TestReturns : public QObject
{
    Q_OBJECT

    // A company order of two kettles and a mug bought two days ago, invoiced; products in stock in MAG, and a
    // returns warehouse ZWR.
    struct Shop
    {
        test::TempDatabase fresh;
        std::unique_ptr<storage::OrderStore> store;
        qint64 orderId = 0;
    };

    std::optional<Shop> makeShop(const QString &engine, const QString &name)
    {
        auto fresh = test::openFresh(engine, name);
        if (!fresh) {
            qWarning() << fresh.error().text();
            return std::nullopt;
        }
        Shop shop{*fresh, std::make_unique<storage::OrderStore>(fresh->db), 0};
        documents::SettingsStore settings(fresh->db);
        if (!settings.setCompany(test::sampleCompany()))
            return std::nullopt;
        inventory::InventoryStore inventory(*shop.store);
        if (!inventory.addWarehouse(u"MAG"_qs, u"Magazyn"_qs, true) || !inventory.addWarehouse(u"ZWR"_qs, u"Zwroty"_qs))
            return std::nullopt;
        for (const QString &sku : {u"CZA"_qs, u"KUB"_qs}) {
            inventory::Product p;
            p.sku = sku;
            p.name = sku;
            if (!inventory.addProduct(p) || !inventory.receive(sku, 10, u"MAG"_qs, u"test"_qs))
                return std::nullopt;
        }
        domain::Order order = test::companyOrder(
            u"RMA-1"_qs, {test::item(u"Czajnik"_qs, 2, 12300, u"23"_qs), test::item(u"Kubek"_qs, 1, 2500, u"23"_qs)},
            1500);
        order.createdAt = QDateTime::currentDateTimeUtc().addDays(-2);
        order.total = order.computedTotal();
        order.payment.paidAmount = order.total;
        auto created = shop.store->apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0}));
        if (!created)
            return std::nullopt;
        shop.orderId = created->orderId;
        documents::IssueRequest invoice;
        invoice.orderId = shop.orderId;
        auto issued = documents::DocumentService(*shop.store).issueForOrder(invoice, kUser);
        if (!issued) {
            qWarning() << issued.error().text();
            return std::nullopt;
        }
        return shop;
    }

private Q_SLOTS:
    void init() { access::Session::setCurrent(access::Session::implicitAdministrator()); }
    void cleanup() { access::Session::setCurrent(access::Session::implicitAdministrator()); }

    void flowEndToEnd_data() { test::addEngineRows(); }
    void flowEndToEnd()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto shop = makeShop(engine, u"sd_returns_flow"_qs);
        QVERIFY(shop);
        storage::OrderStore &store = *shop->store;
        storage::Database &db = *shop->fresh.db;
        ReturnService service(store);
        inventory::InventoryStore inventory(store);
        QCOMPARE(stockIn(inventory, u"CZA"_qs, u"MAG"_qs), 10);

        QTemporaryDir dir;
        const QString photo = dir.filePath(u"damage.png"_qs);
        {
            QFile f(photo);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::fromHex("89504e470d0a1a0a") + QByteArray(300, 'x'));
        }

        ReturnRequest request;
        request.orderId = shop->orderId;
        request.items = {{u"CZA"_qs, 1}};
        request.reason = u"Odstąpienie od umowy"_qs;
        request.attachments = {photo};
        auto rma = service.registerReturn(request, kUser);
        SD_VERIFY_OK(rma);
        QCOMPARE(rma->state, ReturnState::Registered);
        QVERIFY(rma->number.startsWith(u"ZW/1/"));
        QCOMPARE(rma->items.size(), 1);
        QCOMPARE(rma->items.at(0).quantity, 1);
        QCOMPARE(rma->items.at(0).line, 0);
        QCOMPARE(rma->attachments.size(), 1);
        QCOMPARE(rma->attachments.at(0).mimeType, u"image/png"_qs);
        auto data = service.store().attachmentData(rma->attachments.at(0).id);
        SD_VERIFY_OK(data);
        QCOMPARE(*data, test::readFile(photo));
        QCOMPARE(returnMessages(store, shop->orderId), QStringList{u"returnRegistered"_qs});

        // Bad input: nothing is written.
        const QList<qint64> before = footprint(db);
        auto refused = [&](const Result<ReturnCase> &r, const QString &fragment) {
            QVERIFY(!r);
            QVERIFY2(r.error().userMessage.contains(fragment), qPrintable(r.error().userMessage));
            QCOMPARE(footprint(db), before);
        };
        ReturnRequest bad = request;
        bad.attachments.clear();
        bad.items = {{u"CZA"_qs, 2}}; // two bought, one in a return already
        refused(service.registerReturn(bad, kUser), u"Only 1 of CZA can be returned"_qs);
        bad.items = {{u"KUB"_qs, 2}};
        refused(service.registerReturn(bad, kUser), u"Only 1 of KUB were bought"_qs);
        bad.items = {{u"NOPE"_qs, 1}};
        refused(service.registerReturn(bad, kUser), u"has no item NOPE"_qs);
        bad.items = {};
        refused(service.registerReturn(bad, kUser), u"at least one item"_qs);
        bad.items = {{u"KUB"_qs, 1}};
        bad.reason.clear();
        refused(service.registerReturn(bad, kUser), u"reason is required"_qs);
        bad.reason = u"za późno"_qs;
        bad.today = QDate::currentDate().addDays(20);
        refused(service.registerReturn(bad, kUser), u"return term of order"_qs);
        bad.attachments = {dir.filePath(u"missing.jpg"_qs)};
        bad.today = {};
        refused(service.registerReturn(bad, kUser), u"Cannot read the attachment"_qs);
        bad.orderId = 999999;
        bad.attachments.clear();
        QVERIFY(!service.registerReturn(bad, kUser));
        QCOMPARE(footprint(db), before);
        refused(service.advance({rma->id, ReturnState::Refunded, {}, false, false}, kUser), u"not refunded"_qs);
        refused(service.advance({rma->id, ReturnState::Received, u"XYZ"_qs, false, false}, kUser), u"XYZ"_qs);
        // A packer may not refund.
        access::Role packer = access::builtinRoles().at(0);
        access::Session::setCurrent(access::Session::forRole(u"piotr"_qs, packer));
        auto forbidden = service.refund(*rma, kUser);
        QVERIFY(!forbidden);
        QCOMPARE(forbidden.error().code, Error::Code::Forbidden);
        access::Session::setCurrent(access::Session::implicitAdministrator());

        // A late return with the operator's reason is accepted and says so.
        ReturnRequest late;
        late.orderId = shop->orderId;
        late.items = {{u"KUB"_qs, 1}};
        late.reason = u"Uszkodzony"_qs;
        late.lateOverride = u"Klient stały, zgoda kierownika"_qs;
        late.today = QDate::currentDate().addDays(20);
        auto second = service.registerReturn(late, kUser);
        SD_VERIFY_OK(second);
        QCOMPARE(second->lateOverride, late.lateOverride);
        SD_VERIFY_OK(service.advance({second->id, ReturnState::Rejected, {}, false, false}, kUser));

        // Received into the chosen warehouse: the stock comes back there, once.
        auto received = service.advance({rma->id, ReturnState::Received, u"ZWR"_qs, false, false}, kUser);
        SD_VERIFY_OK(received);
        QCOMPARE(received->warehouse, u"ZWR"_qs);
        QVERIFY(received->stockDocument.startsWith(u"PZ/"));
        QCOMPARE(stockIn(inventory, u"CZA"_qs, u"ZWR"_qs), 1);
        QCOMPARE(stockIn(inventory, u"CZA"_qs, u"MAG"_qs), 10);
        QCOMPARE(stockIn(inventory, u"KUB"_qs, u"ZWR"_qs), 0);
        QVERIFY(!service.advance({rma->id, ReturnState::Received, u"ZWR"_qs, false, false}, kUser));
        QCOMPARE(stockIn(inventory, u"CZA"_qs, u"ZWR"_qs), 1);

        SD_VERIFY_OK(service.advance({rma->id, ReturnState::Inspected, {}, false, false}, kUser));
        // Not an Allegro order of a connected account: the marketplace refund is refused, nothing changes.
        const QList<qint64> beforeRefund = footprint(db);
        QVERIFY(!service.advance({rma->id, ReturnState::Refunded, {}, true, true}, kUser));
        QCOMPARE(footprint(db), beforeRefund);
        auto refunded = service.advance({rma->id, ReturnState::Refunded, {}, false, true}, kUser);
        SD_VERIFY_OK(refunded);
        QCOMPARE(refunded->refund, u"manual"_qs);
        QVERIFY(!refunded->correction.isEmpty());
        // Advanced twice: refused, and still one correction.
        QVERIFY(!service.advance({rma->id, ReturnState::Refunded, {}, false, true}, kUser));
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM documents WHERE doc_type = 'correction'"_qs), 1);
        documents::DocumentService documents(store);
        auto correction = documents.store().resolve(refunded->correction);
        SD_VERIFY_OK(correction);
        QCOMPARE(correction->lines.at(0).quantity, 1); // two kettles, one came back
        QCOMPARE(correction->lines.at(1).quantity, 1); // the mug stays
        QCOMPARE(correction->totals().gross.minor(), -12300);

        // The buyer heard of every step once; the history and the events show every step.
        QCOMPARE(returnMessages(store, shop->orderId),
                 (QStringList{u"returnRegistered"_qs, u"returnRegistered"_qs, u"returnRejected"_qs,
                              u"returnReceived"_qs, u"returnInspected"_qs, u"returnRefunded"_qs}));
        QStringList steps;
        auto history = store.history(shop->orderId);
        SD_VERIFY_OK(history);
        for (const storage::HistoryEntry &h : *history)
            if (h.field == u"return "_qs + rma->number)
                steps.append(h.oldValue + u">"_qs + h.newValue);
        QCOMPARE(steps, (QStringList{u">registered"_qs, u"registered>received"_qs, u"received>inspected"_qs,
                                     u"inspected>refunded"_qs}));
        auto events = store.eventsAfter(0, 100000);
        SD_VERIFY_OK(events);
        QStringList kinds;
        for (const storage::EventRecord &e : *events)
            if (e.type.startsWith(u"return.") && e.payload.value(u"return").toInteger() == rma->id)
                kinds.append(e.type + u':' + e.payload.value(u"to").toString());
        QCOMPARE(kinds, (QStringList{u"return.registered:registered"_qs, u"return.changed:received"_qs,
                                     u"return.changed:inspected"_qs, u"return.changed:refunded"_qs}));
        auto open = service.store().list({std::nullopt, shop->orderId, true, 100});
        SD_VERIFY_OK(open);
        QVERIFY(open->isEmpty());
    }

    // "Return state changed" fires on the step it names, through the events the steps record.
    void rulesReactToReturnSteps()
    {
        auto shop = makeShop(u"sqlite"_qs, u"sd_returns_rules"_qs);
        QVERIFY(shop);
        storage::OrderStore &store = *shop->store;
        automation::RuleStore rules(shop->fresh.db);
        auto rule = automation::Rule::fromText(QByteArray(kReceivedRule));
        SD_VERIFY_OK(rule);
        SD_VERIFY_OK(rules.save(*rule, u"user:anna"_qs));
        ReturnService service(store);
        ReturnRequest request;
        request.orderId = shop->orderId;
        request.reason = u"Nie pasuje"_qs;
        request.items = {{u"KUB"_qs, 1}};
        auto rejected = service.registerReturn(request, kUser);
        SD_VERIFY_OK(rejected);
        SD_VERIFY_OK(service.advance({rejected->id, ReturnState::Rejected, {}, false, false}, kUser));
        automation::Dispatcher dispatcher(store, rules);
        automation::Scheduler scheduler(store, rules, automation::Executors::withDefaults(), u"ws-test"_qs);
        SD_VERIFY_OK(dispatcher.dispatch());
        SD_VERIFY_OK(scheduler.runDue());
        QVERIFY(!store.load(shop->orderId)->tags.contains(u"zwrot"_qs));
        request.items = {{u"CZA"_qs, 1}};
        auto received = service.registerReturn(request, kUser);
        SD_VERIFY_OK(received);
        SD_VERIFY_OK(service.advance({received->id, ReturnState::Received, {}, false, false}, kUser));
        SD_VERIFY_OK(dispatcher.dispatch());
        SD_VERIFY_OK(scheduler.runDue());
        QVERIFY(store.load(shop->orderId)->tags.contains(u"zwrot"_qs));
    }

    void settings_data() { test::addEngineRows(); }
    void settings()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto shop = makeShop(engine, u"sd_returns_settings"_qs);
        QVERIFY(shop);
        ReturnService service(*shop->store);
        auto s = ReturnSettings::load(*shop->fresh.db);
        SD_VERIFY_OK(s);
        QCOMPARE(s->termDays, 14);
        QVERIFY(!s->set(u"termDays"_qs, u"zero"_qs));
        QVERIFY(!s->set(u"termFrom"_qs, u"yesterday"_qs));
        SD_VERIFY_OK(s->set(u"termDays"_qs, u"30"_qs));
        SD_VERIFY_OK(s->save(*shop->fresh.db));
        ReturnRequest request;
        request.orderId = shop->orderId;
        request.items = {{u"#2"_qs, 1}};
        request.reason = u"Nie pasuje"_qs;
        request.today = QDate::currentDate().addDays(20); // late at 14 days, in time at 30
        SD_VERIFY_OK(service.registerReturn(request, kUser));
        SD_VERIFY_OK(s->set(u"informBuyer"_qs, u"off"_qs));
        SD_VERIFY_OK(s->save(*shop->fresh.db));
        request.items = {{u"#1"_qs, 1}};
        SD_VERIFY_OK(service.registerReturn(request, kUser));
        QCOMPARE(returnMessages(*shop->store, shop->orderId).size(), 1);
    }

    // The refund goes to Allegro (the training marketplace) once, however often the step is tried; Allegro's
    // customer returns become cases once.
    void allegroRefundAndCustomerReturns_data() { test::addEngineRows(); }
    void allegroRefundAndCustomerReturns()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        TrainingOptions options;
        options.autoApprove = true;
        TrainingHarness server(options);
        QVERIFY2(server.url().isValid(), qPrintable(server.error()));
        auto fresh = test::openFresh(engine, u"sd_returns_allegro"_qs);
        SD_VERIFY_OK(fresh);
        auto db = fresh->db;
        QTemporaryDir dir;
        auto secrets = std::make_shared<security::FileSecretStore>(dir.filePath(u"secrets.enc"_qs), "pw", 1000);
        SD_VERIFY_OK(secrets->unlock());
        auto access = std::make_shared<automation::MarketplaceAccess>();
        access->secrets = secrets;
        access->options.retry.timeScale = 0.001;
        access->options.retry.requestTimeoutMs = 10000;
        auto account = server.connectAccount(db, secrets, access->options);
        SD_VERIFY_OK(account);

        const QStringList ids = server.run([](TrainingServer &s) {
            QStringList paid;
            const QStringList made = s.generateOrders(30);
            for (const QString &id : made) {
                const QJsonObject f = s.checkoutForm(id);
                if (f.value(u"payment").toObject().value(u"type").toString() == u"ONLINE" &&
                    f.value(u"marketplace").toObject().value(u"id").toString() == u"allegro-pl" && s.buyerPays(id))
                    paid.append(id);
                if (paid.size() == 2)
                    break;
            }
            return paid;
        });
        QCOMPARE(ids.size(), 2);
        marketplace::allegro::AllegroSync syncer(db, secrets);
        syncer.setClientOptions(access->options);
        SD_VERIFY_OK(syncer.syncAccount(account->id));
        storage::OrderStore store(db);
        auto local = store.resolve(ids.at(0));
        SD_VERIFY_OK(local);
        auto order = store.load(*local);
        SD_VERIFY_OK(order);

        ReturnService service(store, access);
        ReturnRequest request;
        request.orderId = *local;
        request.items = {{u"#1"_qs, 1}};
        request.reason = u"Odstąpienie od umowy"_qs;
        auto rma = service.registerReturn(request, kUser);
        SD_VERIFY_OK(rma);
        SD_VERIFY_OK(service.advance({rma->id, ReturnState::Received, {}, false, false}, kUser));
        SD_VERIFY_OK(service.advance({rma->id, ReturnState::Inspected, {}, false, false}, kUser));
        auto refunded = service.advance({rma->id, ReturnState::Refunded, {}, true, false}, kUser);
        SD_VERIFY_OK(refunded);
        QVERIFY(!refunded->refund.isEmpty());
        QVERIFY(refunded->refund != u"manual");

        auto refundsOnAllegro = [&]() {
            marketplace::allegro::AllegroClient client(*marketplace::AccountStore(db).get(account->id), db, secrets,
                                                       access->options);
            QUrlQuery q;
            q.addQueryItem(u"order.id"_qs, ids.at(0));
            auto answer = client.getJson(u"/payments/refunds"_qs, q);
            return answer ? answer->value(u"refunds").toArray() : QJsonArray{};
        };
        QJsonArray refunds = refundsOnAllegro();
        QCOMPARE(refunds.size(), 1);
        const QJsonArray lines = refunds.at(0).toObject().value(u"lineItems").toArray();
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.at(0).toObject().value(u"id").toString(), order->items.at(0).externalId);
        // Retried and advanced twice: still one refund.
        auto again = service.refund(*refunded, kUser);
        SD_VERIFY_OK(again);
        QCOMPARE(*again, refunded->refund);
        QVERIFY(!service.advance({rma->id, ReturnState::Refunded, {}, true, false}, kUser));
        QCOMPARE(refundsOnAllegro().size(), 1);

        // Customer returns: the second order's becomes a case once; one for an order not downloaded yet waits.
        const QString customerReturn = server.run([&](TrainingServer &s) { return s.buyerReturns(ids.at(1), 1); });
        QVERIFY(!customerReturn.isEmpty());
        const QString notYet = server.run([](TrainingServer &s) {
            for (const QString &id : s.generateOrders(20))
                if (s.buyerPays(id))
                    return s.buyerReturns(id, 1);
            return QString();
        });
        QVERIFY(!notYet.isEmpty());
        CustomerReturns importer(service);
        auto first = importer.downloadAccount(account->id, access);
        SD_VERIFY_OK(first);
        QCOMPARE(first->read, 2);
        QCOMPARE(first->created, 1);
        QCOMPARE(first->skipped.size(), 1);
        auto second = importer.downloadAccount(account->id, access);
        SD_VERIFY_OK(second);
        QCOMPARE(second->created, 0);
        QCOMPARE(second->known, 1);
        auto imported = service.store().list({std::nullopt, *store.resolve(ids.at(1)), false, 100});
        SD_VERIFY_OK(imported);
        QCOMPARE(imported->size(), 1);
        QCOMPARE(imported->at(0).externalId, customerReturn);
        QCOMPARE(imported->at(0).source, u"allegro"_qs);
        QCOMPARE(imported->at(0).units(), 1);
        QVERIFY(imported->at(0).reason.contains(u"DONT_LIKE_IT"));
    }
};

QTEST_GUILESS_MAIN(TestReturns)
#include "tst_returns.moc"
