#include "../documents/documentfixtures.h"
#include "automation/executors.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "documents/documentservice.h"
#include "inventory/inventorysettings.h"
#include "inventory/inventorystore.h"
#include "inventory/invoicestockgate.h"
#include "inventory/reservations.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QSqlQuery>

#include <functional>

using namespace sd;
using namespace sd::inventory;

namespace {

qint64 scalar(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

struct Fixture
{
    test::TempDatabase fresh;
    std::unique_ptr<storage::OrderStore> orders;
    std::unique_ptr<InventoryStore> inventory;
    storage::Database &db() { return *fresh.db; }

    qint64 addOrder(const QString &externalId, int quantity = 2)
    {
        domain::Order order = test::sampleOrder(externalId);
        order.items[0].quantity = quantity;
        order.total = order.computedTotal();
        order.payment.paidAmount = order.total;
        auto created = orders->apply(storage::OrderChange::create(order, {u"marketplace:allegro-pl"_qs, {}, 0}));
        if (!created)
            qWarning() << created.error().text();
        return created ? created->orderId : 0;
    }
    bool setStatus(qint64 id, const QString &status)
    {
        return orders->apply(storage::OrderChange::setStatus(id, status, {u"user:anna"_qs, {}, 0})).ok();
    }
};

std::unique_ptr<Fixture> open(const QString &engine, const QString &name)
{
    auto fresh = test::openFresh(engine, name);
    if (!fresh) {
        qWarning() << fresh.error().text();
        return {};
    }
    auto f = std::make_unique<Fixture>();
    f->fresh = *fresh;
    f->orders = std::make_unique<storage::OrderStore>(f->fresh.db);
    f->inventory = std::make_unique<InventoryStore>(*f->orders);
    return f;
}

} // namespace

// Products, warehouses and stock documents on both engines: stock derived from documents, never negative.
class TestInventory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void productsWarehousesAndDocuments_data() { test::addEngineRows(); }
    void productsWarehousesAndDocuments()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_inventory_docs"_qs);
        QVERIFY(f);
        InventoryStore &inv = *f->inventory;

        Product bad{0, u"CZ-1"_qs, u"5901234123458"_qs, u"Czajnik"_qs};
        auto refused = inv.addProduct(bad);
        QVERIFY(!refused);
        QVERIFY(refused.error().userMessage.contains(u"EAN"));
        QVERIFY(!inv.addProduct(Product{0, {}, {}, u"No SKU"_qs}));
        Product kettle{0, u"CZ-1"_qs, u"5 901234 123457"_qs, u"Czajnik elektryczny"_qs};
        kettle.purchasePrice = domain::Money(2500, u"PLN"_qs);
        kettle.weightGrams = 1200;
        auto added = inv.addProduct(kettle);
        SD_VERIFY_OK(added);
        QCOMPARE(added->ean, u"5901234123457"_qs);
        QCOMPARE(inv.addProduct(kettle).error().code, Error::Code::Conflict);
        QCOMPARE(inv.product(u"CZ-1"_qs)->purchasePrice.minor(), 2500);

        // No warehouse yet: a clear message.
        auto none = inv.receive(u"CZ-1"_qs, 1, {}, u"cli"_qs);
        QVERIFY(!none);
        QVERIFY(none.error().userMessage.contains(u"warehouse"));
        SD_VERIFY_OK(inv.addWarehouse(u"MAIN"_qs, u"Magazyn główny"_qs));
        SD_VERIFY_OK(inv.addWarehouse(u"SHOP"_qs, u"Sklep"_qs));
        QCOMPARE(inv.defaultWarehouse()->code, u"MAIN"_qs);

        auto pz = inv.receive(u"CZ-1"_qs, 10, {}, u"user:anna"_qs);
        SD_VERIFY_OK(pz);
        QCOMPARE(pz->number, u"PZ/1/%1"_qs.arg(QDate::currentDate().year()));
        QCOMPARE(pz->author, u"user:anna"_qs);
        auto mm = inv.transfer(u"CZ-1"_qs, 4, u"MAIN"_qs, u"SHOP"_qs, u"user:anna"_qs);
        SD_VERIFY_OK(mm);
        QCOMPARE(mm->lines.size(), 2);
        SD_VERIFY_OK(inv.issue(u"CZ-1"_qs, 3, u"SHOP"_qs, u"user:anna"_qs));
        auto second = inv.receive(u"CZ-1"_qs, 1, u"SHOP"_qs, u"user:anna"_qs);
        SD_VERIFY_OK(second);
        QCOMPARE(second->number, u"PZ/2/%1"_qs.arg(QDate::currentDate().year()));

        auto stock = inv.stock(added->id);
        SD_VERIFY_OK(stock);
        QCOMPARE(stock->total, 8);
        QCOMPARE(stock->warehouses.at(0).quantity, 6); // MAIN
        QCOMPARE(stock->warehouses.at(1).quantity, 2); // SHOP

        // Negative stock: refused with the numbers, nothing written (no document, no number taken, same levels).
        const qint64 documents = scalar(f->db(), u"SELECT COUNT(*) FROM stock_documents"_qs);
        const qint64 events = scalar(f->db(), u"SELECT COUNT(*) FROM events"_qs);
        auto tooMany = inv.issue(u"CZ-1"_qs, 3, u"SHOP"_qs, u"user:anna"_qs);
        QVERIFY(!tooMany);
        QVERIFY2(tooMany.error().userMessage.contains(u"Not enough stock of CZ-1 in the warehouse SHOP: 2 in stock, 3"),
                 qPrintable(tooMany.error().userMessage));
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM stock_documents"_qs), documents);
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM events"_qs), events);
        QCOMPARE(inv.totalStock(added->id).value_or(-1), 8);
        QVERIFY(!inv.transfer(u"CZ-1"_qs, 7, u"MAIN"_qs, u"SHOP"_qs, u"x"_qs));
        QVERIFY(!inv.issue(u"NOPE"_qs, 1, {}, u"x"_qs));
        QVERIFY(!inv.issue(u"CZ-1"_qs, 0, {}, u"x"_qs));
        auto wz = inv.issue(u"CZ-1"_qs, 1, u"SHOP"_qs, u"x"_qs);
        SD_VERIFY_OK(wz);
        QCOMPARE(wz->number, u"WZ/2/%1"_qs.arg(QDate::currentDate().year())); // the refused issue took no number

        // Stock-taking sets the counted quantity as a correction line.
        auto inw = inv.countStock(u"CZ-1"_qs, 2, u"MAIN"_qs, u"user:anna"_qs);
        SD_VERIFY_OK(inw);
        QCOMPARE(inw->lines.constFirst().quantity, -4);
        QCOMPARE(inv.totalStock(added->id).value_or(-1), 3);
        // The levels are the sum of the lines.
        QCOMPARE(scalar(f->db(), u"SELECT SUM(quantity) FROM stock_lines"_qs), 3);
        // Every document is a stock.changed event and queued a stock sync.
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM events WHERE type = 'stock.changed'"_qs),
                 scalar(f->db(), u"SELECT COUNT(*) FROM stock_documents"_qs));
        QVERIFY(scalar(f->db(), u"SELECT COUNT(*) FROM jobs WHERE kind = 'stock.sync'"_qs) >= 1);
    }

    void reservationsFollowTheOrderLifecycle_data() { test::addEngineRows(); }
    void reservationsFollowTheOrderLifecycle()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_inventory_reserve"_qs);
        QVERIFY(f);
        InventoryStore &inv = *f->inventory;
        Reservations reservations(inv);
        auto kettle = inv.addProduct(Product{0, u"CZ-1"_qs, {}, u"Czajnik"_qs});
        SD_VERIFY_OK(kettle);
        SD_VERIFY_OK(inv.addWarehouse(u"MAIN"_qs, u"Main"_qs));
        SD_VERIFY_OK(inv.addWarehouse(u"SHOP"_qs, u"Shop"_qs));
        SD_VERIFY_OK(inv.receive(u"CZ-1"_qs, 1, u"MAIN"_qs, u"x"_qs));
        SD_VERIFY_OK(inv.receive(u"CZ-1"_qs, 4, u"SHOP"_qs, u"x"_qs));

        const qint64 first = f->addOrder(u"res-1"_qs, 2);
        const qint64 second = f->addOrder(u"res-2"_qs, 1);
        QVERIFY(first && second);
        SD_VERIFY_OK(reservations.follow());
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 3);

        // Shipping issues the items (from the default warehouse first) and drops the reservation.
        QVERIFY(f->setStatus(first, u"Shipped"_qs));
        SD_VERIFY_OK(reservations.follow());
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 1);
        QCOMPARE(inv.totalStock(kettle->id).value_or(-1), 3);
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM stock_documents WHERE kind = 'WZ'"_qs), 1);
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM stock_lines l JOIN stock_documents d ON d.id = "
                                 "l.document_id WHERE d.kind = 'WZ'"_qs),
                 2);

        // Cancelling releases.
        QVERIFY(f->setStatus(second, u"Cancelled"_qs));
        SD_VERIFY_OK(reservations.follow());
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 0);

        // Each event acts once: reading the same events again issues nothing more and reserves nothing.
        QSqlQuery back(f->db().connection());
        QVERIFY(back.exec(u"UPDATE automation_state SET value = 0 WHERE name = 'inventory.reservations'"_qs));
        SD_VERIFY_OK(reservations.follow());
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM stock_documents WHERE kind = 'WZ'"_qs), 1);
        QCOMPARE(inv.totalStock(kettle->id).value_or(-1), 3);
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 0);

        // Shipping with too little stock: the order keeps its reservation and the event says why.
        const qint64 big = f->addOrder(u"res-big"_qs, 9);
        SD_VERIFY_OK(reservations.follow());
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 9);
        QVERIFY(f->setStatus(big, u"Shipped"_qs));
        SD_VERIFY_OK(reservations.follow());
        QCOMPARE(inv.totalStock(kettle->id).value_or(-1), 3);
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 9);
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM events WHERE type = 'stock.shortage'"_qs), 1);
    }

    void zeroStockFlagsTheOrderForManualInvoicing_data() { test::addEngineRows(); }
    void zeroStockFlagsTheOrderForManualInvoicing()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_inventory_c7"_qs);
        QVERIFY(f);
        InventoryStore &inv = *f->inventory;
        Reservations reservations(inv);
        SD_VERIFY_OK(inv.addProduct(Product{0, u"CZ-1"_qs, {}, u"Czajnik"_qs}));
        SD_VERIFY_OK(inv.addWarehouse(u"MAIN"_qs, u"Main"_qs));

        const qint64 empty = f->addOrder(u"c7-empty"_qs, 1);
        auto blocked = reservations.zeroStockBlocksInvoice(empty, u"invoicing"_qs);
        SD_VERIFY_OK(blocked);
        QVERIFY(*blocked);
        QVERIFY(f->orders->load(empty)->tags.contains(u"Invoice by hand"_qs));
        auto history = f->orders->history(empty);
        SD_VERIFY_OK(history);
        bool noted = false;
        for (const storage::HistoryEntry &h : *history)
            noted = noted || (h.actor == u"invoicing" && h.newValue.contains(u"Invoice by hand"));
        QVERIFY(noted);

        // The first order takes one unit (reserved), the second the other.
        SD_VERIFY_OK(inv.receive(u"CZ-1"_qs, 2, {}, u"x"_qs));
        const qint64 stocked = f->addOrder(u"c7-stocked"_qs, 1);
        SD_VERIFY_OK(reservations.follow());
        auto free = reservations.zeroStockBlocksInvoice(stocked);
        SD_VERIFY_OK(free);
        QVERIFY(!*free);
        QVERIFY(!f->orders->load(stocked)->tags.contains(u"Invoice by hand"_qs));
    }

    // Items changed by hand (the order editor's OrderStore change) or by the marketplace's update of the order (the
    // importer's OrderStore change, as the marketplace's actor): the reservation follows, never counted twice.
    void reservationsFollowItemEdits_data() { test::addEngineRows(); }
    void reservationsFollowItemEdits()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_inventory_edits"_qs);
        QVERIFY(f);
        InventoryStore &inv = *f->inventory;
        Reservations reservations(inv);
        auto kettle = inv.addProduct(Product{0, u"CZ-1"_qs, {}, u"Czajnik"_qs});
        auto mug = inv.addProduct(Product{0, u"KU-2"_qs, u"5901234123457"_qs, u"Kubek"_qs});
        SD_VERIFY_OK(kettle);
        SD_VERIFY_OK(mug);
        SD_VERIFY_OK(inv.addWarehouse(u"MAIN"_qs, u"Main"_qs));
        SD_VERIFY_OK(inv.receive(u"CZ-1"_qs, 10, {}, u"x"_qs));
        SD_VERIFY_OK(inv.receive(u"KU-2"_qs, 10, {}, u"x"_qs));
        const qint64 id = f->addOrder(u"edit-1"_qs, 2);
        QVERIFY(id);
        SD_VERIFY_OK(reservations.follow());
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 2);

        auto edit = [&](const QString &actor, const std::function<void(domain::Order &)> &change) {
            auto r = f->orders->apply(storage::OrderChange::update(id,
                                                                   [&](domain::Order &o) -> Result<void> {
                                                                       change(o);
                                                                       o.total = o.computedTotal();
                                                                       o.payment.paidAmount = o.total;
                                                                       return {};
                                                                   },
                                                                   {actor, u"edit"_qs, 0}));
            return r.ok() && reservations.follow().ok();
        };
        // More of the same line: 3 reserved, not 2 + 3.
        QVERIFY(edit(u"user:anna"_qs, [](domain::Order &o) { o.items[0].quantity = 3; }));
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 3);
        // Another SKU on the line: the kettle is free again, the mug reserved.
        QVERIFY(edit(u"user:anna"_qs, [](domain::Order &o) { o.items[0].sku = u"KU-2"_qs; }));
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 0);
        QCOMPARE(inv.reserved(mug->id).value_or(-1), 3);
        // The marketplace updates the order: a second line (matched by its EAN, written with spaces), fewer mugs.
        QVERIFY(edit(u"marketplace:allegro-pl"_qs, [](domain::Order &o) {
            domain::LineItem second = o.items[0];
            second.sku.clear();
            second.offerId.clear();
            second.ean = u"590 1234 12345 7"_qs;
            second.quantity = 1;
            o.items[0].quantity = 1;
            o.items[0].sku = u"CZ-1"_qs;
            o.items.append(second);
        }));
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 1);
        QCOMPARE(inv.reserved(mug->id).value_or(-1), 1);
        // Reading every event again changes nothing.
        QSqlQuery back(f->db().connection());
        QVERIFY(back.exec(u"UPDATE automation_state SET value = 0 WHERE name = 'inventory.reservations'"_qs));
        SD_VERIFY_OK(reservations.follow());
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 1);
        QCOMPARE(inv.reserved(mug->id).value_or(-1), 1);
        // Shipped, then edited: the items left once; the edit brings no reservation back.
        QVERIFY(f->setStatus(id, u"Shipped"_qs));
        SD_VERIFY_OK(reservations.follow());
        QVERIFY(edit(u"user:anna"_qs, [](domain::Order &o) { o.items[0].quantity = 4; }));
        QCOMPARE(inv.reserved(kettle->id).value_or(-1), 0);
        QCOMPARE(inv.totalStock(kettle->id).value_or(-1), 9);
        QCOMPARE(inv.totalStock(mug->id).value_or(-1), 9);

        // The order view's stock of each line, read in one statement.
        auto lines = lineStock(inv, *f->orders->load(id));
        SD_VERIFY_OK(lines);
        QCOMPARE(lines->size(), 2);
        QCOMPARE(lines->at(0).productId, kettle->id);
        QCOMPARE(lines->at(0).total, 9);
        QCOMPARE(lines->at(1).productId, mug->id);
        QCOMPARE(lines->at(1).warehouses.size(), 1);
        QCOMPARE(lines->at(1).warehouses.constFirst().warehouse, u"MAIN"_qs);
    }

    // C7 wired into automatic invoicing: the inventory's gate skips and tags an order whose product has no stock;
    // after restocking the same order is invoiced.
    void autoInvoicingWaitsForStock_data() { test::addEngineRows(); }
    void autoInvoicingWaitsForStock()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_inventory_gate"_qs);
        QVERIFY(f);
        InventoryStore &inv = *f->inventory;
        documents::DocumentService service(*f->orders);
        SD_VERIFY_OK(service.settings().setCompany(test::sampleCompany()));
        service.setStockGate(invoiceStockGate(*f->orders));
        SD_VERIFY_OK(inv.addWarehouse(u"MAIN"_qs, u"Main"_qs));
        SD_VERIFY_OK(inv.addProduct(Product{0, u"KUB"_qs, {}, u"Kubek"_qs}));
        // The issueInvoice rule action is automatic invoicing too.
        automation::RuleStore rules(f->fresh.db);
        auto rule = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "invoice",
            "trigger": {"type": "order.downloaded"}, "actions": [{"type": "issueInvoice", "params": {}}]})");
        SD_VERIFY_OK(rule);
        SD_VERIFY_OK(rules.save(*rule, u"user:anna"_qs));
        auto created = f->orders->apply(storage::OrderChange::create(
            test::companyOrder(u"gate-1"_qs, {test::item(u"Kubek"_qs, 1, 2460, u"23"_qs)}, 0),
            {u"marketplace:allegro-pl"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        const qint64 id = created->orderId;
        const storage::ChangeContext who{u"auto-invoice"_qs, u"download"_qs, 0};
        automation::Scheduler scheduler(*f->orders, rules, automation::Executors::withDefaults(), u"ws-test"_qs);
        SD_VERIFY_OK(scheduler.runDue());
        SD_VERIFY_OK(scheduler.runDue());
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM jobs WHERE kind = 'rule.action' AND state = 'failed'"_qs), 1);
        QCOMPARE(service.store().list({std::nullopt, std::nullopt, id, {}, 10})->size(), 0);

        auto first = service.autoInvoice({id}, who);
        SD_VERIFY_OK(first);
        QCOMPARE(first->issued, 0);
        QCOMPARE(first->flagged, 1);
        QVERIFY2(first->messages.join(u' ').contains(u"KUB"), qPrintable(first->messages.join(u' ')));
        QVERIFY(f->orders->load(id)->tags.contains(u"Invoice by hand"_qs));
        QCOMPARE(service.store().list({std::nullopt, std::nullopt, id, {}, 10})->size(), 0);

        SD_VERIFY_OK(inv.receive(u"KUB"_qs, 3, {}, u"x"_qs));
        auto second = service.autoInvoice({id}, who);
        SD_VERIFY_OK(second);
        QCOMPARE(second->flagged, 0);
        QCOMPARE(second->issued, 1);
        QCOMPARE(service.store().list({std::nullopt, std::nullopt, id, {}, 10})->size(), 1);
    }

    void returnStockActionRunsOnce_data() { test::addEngineRows(); }
    void returnStockActionRunsOnce()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_inventory_return"_qs);
        QVERIFY(f);
        InventoryStore &inv = *f->inventory;
        auto kettle = inv.addProduct(Product{0, u"CZ-1"_qs, {}, u"Czajnik"_qs});
        SD_VERIFY_OK(kettle);
        SD_VERIFY_OK(inv.addWarehouse(u"MAIN"_qs, u"Main"_qs));
        SD_VERIFY_OK(inv.addWarehouse(u"RET"_qs, u"Returns"_qs));
        automation::RuleStore rules(f->fresh.db);
        auto rule = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "returns",
            "trigger": {"type": "status.changed", "params": {"to": "Cancelled"}},
            "actions": [{"type": "returnStock", "params": {"warehouse": "RET"}}]})");
        SD_VERIFY_OK(rule);
        SD_VERIFY_OK(rules.save(*rule, u"user:anna"_qs));
        // Two kettles in stock leave with the order; the buyer sends them back and the order is cancelled.
        DocumentRequest delivery;
        delivery.kind = DocumentKind::Receipt;
        delivery.lines.append({kettle->id, inv.defaultWarehouse()->id, 0, 2});
        SD_VERIFY_OK(inv.post(delivery));
        const qint64 order = f->addOrder(u"ret-1"_qs, 2);
        Reservations reservations(inv);
        SD_VERIFY_OK(reservations.issue(*f->orders->load(order), u"user:anna"_qs));
        QCOMPARE(inv.totalStock(kettle->id).value_or(-1), 0);
        // A second order was only reserved: its return gives the reservation up and receives nothing.
        const qint64 reserved = f->addOrder(u"ret-2"_qs, 1);
        SD_VERIFY_OK(reservations.reserve(*f->orders->load(reserved)));
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM stock_reservations WHERE order_id = %1"_qs.arg(reserved)), 1);
        QVERIFY(f->setStatus(order, u"Cancelled"_qs));
        QVERIFY(f->setStatus(reserved, u"Cancelled"_qs));
        automation::Scheduler scheduler(*f->orders, rules, automation::Executors::withDefaults(), u"ws-test"_qs);
        SD_VERIFY_OK(scheduler.runDue());
        SD_VERIFY_OK(scheduler.runDue());
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM stock_reservations WHERE order_id = %1"_qs.arg(reserved)), 0);
        auto stock = inv.stock(kettle->id);
        SD_VERIFY_OK(stock);
        QCOMPARE(stock->total, 2);
        QCOMPARE(stock->warehouses.at(1).warehouse, u"RET"_qs);
        QCOMPARE(stock->warehouses.at(1).quantity, 2);
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM stock_documents WHERE kind = 'PZ' AND order_id IS NOT NULL"_qs),
                 1);
        // The document carries the ledger key: the same action again makes no second receipt.
        QSqlQuery q(f->db().connection());
        QVERIFY(q.exec(u"SELECT source_key FROM stock_documents WHERE kind = 'PZ' AND order_id IS NOT NULL"_qs) &&
                q.next());
        const QString key = q.value(0).toString();
        QVERIFY(key.startsWith(u"rule:"));
        DocumentRequest again;
        again.kind = DocumentKind::Receipt;
        again.sourceKey = key;
        again.lines.append({kettle->id, inv.defaultWarehouse()->id, 0, 2});
        auto repeated = inv.post(again);
        SD_VERIFY_OK(repeated);
        QVERIFY(repeated->existed);
        QCOMPARE(inv.totalStock(kettle->id).value_or(-1), 2);
    }

    void settingsAreCheckedAndShared()
    {
        auto f = open(u"sqlite"_qs, {});
        QVERIFY(f);
        QVERIFY(!InventorySettings::set(f->db(), u"autoInvoicing"_qs, u"maybe"_qs));
        QVERIFY(!InventorySettings::set(f->db(), u"nope"_qs, u"on"_qs));
        QVERIFY(!InventorySettings::set(f->db(), u"guardMaxCutPercent"_qs, u"0"_qs));
        SD_VERIFY_OK(InventorySettings::set(f->db(), u"autoInvoicing"_qs, u"on"_qs));
        auto s = InventorySettings::load(f->db());
        SD_VERIFY_OK(s);
        QVERIFY(s->autoInvoicing);
        QVERIFY(!s->syncAllowed());
        QVERIFY(s->pausedReason().contains(u"order download"));
    }
};

QTEST_GUILESS_MAIN(TestInventory)
#include "tst_inventory.moc"
