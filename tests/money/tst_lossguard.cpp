#include "automation/alerts.h"
#include "inventory/inventorystore.h"
#include "marketplace/allegro/allegrorecords.h"
#include "messaging/outbox.h"
#include "money/lossguard.h"
#include "money/profitservice.h"
#include "storage/statuschange.h"
#include "testsupport.h"

#include <QSqlQuery>
#include <QStandardPaths>

using namespace sd;
using namespace sd::money;
using domain::Money;

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
    storage::Database &db() { return *fresh.db; }

    // One kettle bought at purchase (net) and sold at 49.99 gross, delivery 12.99.
    qint64 addOrder(const QString &externalId, qint64 purchase)
    {
        inventory::InventoryStore inventory(*orders);
        inventory::Product product;
        product.sku = u"CZ-"_qs + externalId;
        product.name = u"Czajnik"_qs;
        product.purchasePrice = Money(purchase, u"PLN"_qs);
        if (auto r = inventory.addProduct(product); !r)
            qWarning() << r.error().text();
        domain::Order order = test::sampleOrder(externalId);
        order.items[0].sku = product.sku;
        order.items[0].quantity = 1;
        order.total = order.computedTotal();
        order.payment.paidAmount = order.total;
        auto created = orders->apply(storage::OrderChange::create(order, {u"marketplace:allegro-pl"_qs, {}, 0}));
        if (!created)
            qWarning() << created.error().text();
        return created ? created->orderId : 0;
    }
    Result<storage::ChangeResult> setStatus(qint64 id, const QString &status)
    {
        return orders->apply(storage::OrderChange::setStatus(id, status, {u"user:anna"_qs, {}, 0}));
    }
    QString statusOf(qint64 id) { return orders->load(id)->status; }
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
    MoneySettings s;
    s.commissionBp.insert(u"allegro-pl"_qs, 1000);
    s.defaultCourierCost = 1100;
    s.adminEmail = u"admin@sklep.example"_qs;
    if (auto r = s.save(*f->fresh.db); !r)
        qWarning() << r.error().text();
    return f;
}

} // namespace

class TestLossGuard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void blockAndRelease_data() { test::addEngineRows(); }
    void blockAndRelease()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"lossguard_block"_qs);
        QVERIFY(f);
        const qint64 loss = f->addOrder(u"L-1"_qs, 5500); // net revenue 51.20, costs 55.00 + 6.30 + 11.00
        const qint64 fine = f->addOrder(u"F-1"_qs, 1000);
        QVERIFY(loss && fine);

        auto profit = ProfitService(f->fresh.db).profit(loss);
        SD_VERIFY_OK(profit);
        QVERIFY(profit->profit < 0);

        // Shipped is not a completion; Closed is.
        SD_VERIFY_OK(f->setStatus(loss, u"Shipped"_qs));
        auto refused = f->setStatus(loss, u"Closed"_qs);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Error::Code::Conflict);
        QVERIFY(refused.error().userMessage.contains(u"administrator"_qs));
        QCOMPARE(f->statusOf(loss), u"Shipped"_qs);

        // Marked, recorded and notified once the refused change rolled back.
        LossGuard guard(f->fresh.db);
        auto holds = guard.holds(loss, true);
        SD_VERIFY_OK(holds);
        QCOMPARE(holds->size(), 1);
        QCOMPARE(holds->constFirst().targetStatus, u"Closed"_qs);
        QCOMPARE(holds->constFirst().profit, profit->profit);
        QVERIFY(f->orders->load(loss)->tags.contains(QString::fromLatin1(LossGuard::kTag)));
        QCOMPARE(
            scalar(f->db(), u"SELECT COUNT(*) FROM events WHERE type = 'order.completion_blocked' AND order_id = "_qs +
                                QString::number(loss)),
            1);
        auto alerts = automation::OperatorAlerts(f->fresh.db).list();
        SD_VERIFY_OK(alerts);
        QCOMPARE(alerts->size(), 1);
        QCOMPARE(alerts->constFirst().orderId, loss);
        QCOMPARE(alerts->constFirst().kind, QString::fromLatin1(LossGuard::kAlertKind));
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM messages WHERE recipient = 'admin@sklep.example'"_qs), 1);

        // A second try through the bulk path is refused too, and adds no second hold, alert or e-mail.
        const auto report =
            storage::changeStatus(*f->orders, {loss, fine}, u"Closed"_qs, false, {u"user:anna"_qs, {}, 0});
        QCOMPARE(report.changed, 1);
        QCOMPARE(report.failed.size(), 1);
        QCOMPARE(report.failed.constFirst().first, loss);
        QCOMPARE(f->statusOf(fine), u"Closed"_qs);
        QCOMPARE(f->statusOf(loss), u"Shipped"_qs);
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM loss_holds"_qs), 1);
        QCOMPARE(automation::OperatorAlerts(f->fresh.db).list()->size(), 1);
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM messages"_qs), 1);

        // Release: a reason is required and recorded; then the order completes.
        QVERIFY(!guard.release(loss, u"user:boss"_qs, u"  "_qs));
        QVERIFY(!guard.release(fine, u"user:boss"_qs, u"why"_qs)); // not held
        auto released = guard.release(loss, u"user:boss"_qs, u"Promocja: sprzedaż poniżej kosztów"_qs);
        SD_VERIFY_OK(released);
        QVERIFY(!released->isOpen());
        auto after = guard.holds(loss);
        SD_VERIFY_OK(after);
        QCOMPARE(after->constFirst().releaseReason, u"Promocja: sprzedaż poniżej kosztów"_qs);
        QCOMPARE(after->constFirst().releasedBy, u"user:boss"_qs);
        QVERIFY(!f->orders->load(loss)->tags.contains(QString::fromLatin1(LossGuard::kTag)));
        SD_VERIFY_OK(f->setStatus(loss, u"Closed"_qs));
        QCOMPARE(f->statusOf(loss), u"Closed"_qs);
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM events WHERE type = 'order.completion_released'"_qs), 1);
    }

    void releaseHoldsOnlyWhileProfitIsNoWorse_data() { test::addEngineRows(); }
    void releaseHoldsOnlyWhileProfitIsNoWorse()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"lossguard_worse"_qs);
        QVERIFY(f);
        const qint64 id = f->addOrder(u"W-1"_qs, 5500);
        QVERIFY(!f->setStatus(id, u"Closed"_qs));
        SD_VERIFY_OK(LossGuard(f->fresh.db).release(id, u"user:boss"_qs, u"ok"_qs));
        // The order got cheaper after the release: a new hold, a new alert.
        SD_VERIFY_OK(f->orders->apply(storage::OrderChange::update(id,
                                                                   [](domain::Order &o) -> Result<void> {
                                                                       o.items[0].unitPrice = Money(3999, u"PLN"_qs);
                                                                       o.total = o.computedTotal();
                                                                       return {};
                                                                   },
                                                                   {u"user:anna"_qs, {}, 0})));
        QVERIFY(!f->setStatus(id, u"Closed"_qs));
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM loss_holds WHERE released_at IS NULL"_qs), 1);
        QCOMPARE(automation::OperatorAlerts(f->fresh.db).list()->size(), 2);

        // Off in the settings: nothing is guarded.
        auto s = MoneySettings::load(f->db());
        SD_VERIFY_OK(s);
        SD_VERIFY_OK(s->set(u"lossGuard"_qs, u"off"_qs));
        SD_VERIFY_OK(s->save(f->db()));
        SD_VERIFY_OK(f->setStatus(id, u"Closed"_qs));
    }

    void purchasePriceChangeRecomputesItsOrders_data() { test::addEngineRows(); }
    void purchasePriceChangeRecomputesItsOrders()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"lossguard_price"_qs);
        QVERIFY(f);
        const qint64 id = f->addOrder(u"P-1"_qs, 1000);
        const qint64 other = f->addOrder(u"P-2"_qs, 1500);
        ProfitService service(f->fresh.db);
        auto before = service.profits({id, other});
        SD_VERIFY_OK(before);
        QCOMPARE(before->value(id).purchaseCost, 1000);

        // A new purchase price: the orders holding the product are recomputed when read, the others are kept.
        inventory::InventoryStore inventory(*f->orders);
        SD_VERIFY_OK(inventory.setPurchasePrice(u"CZ-P-1"_qs, Money(1800, u"PLN"_qs)));
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM order_profit WHERE order_id = "_qs + QString::number(id)), 0);
        QCOMPARE(scalar(f->db(), u"SELECT COUNT(*) FROM order_profit WHERE order_id = "_qs + QString::number(other)),
                 1);
        auto after = service.profit(id);
        SD_VERIFY_OK(after);
        QCOMPARE(after->purchaseCost, 1800);
        QCOMPARE(after->profit, before->value(id).profit - 800);
        QCOMPARE(service.profit(other)->profit, before->value(other).profit);
        QVERIFY(!inventory.setPurchasePrice(u"CZ-P-1"_qs, Money(-1, u"PLN"_qs)));
        QVERIFY(!inventory.setPurchasePrice(u"NO-SUCH"_qs, Money(100, u"PLN"_qs)));

        // An order sold before its product existed counted no cost; adding the product drops its cached row too.
        domain::Order order = test::sampleOrder(u"P-3"_qs);
        order.items[0].sku = u"LATER-1"_qs;
        auto created = f->orders->apply(storage::OrderChange::create(order, {u"marketplace:allegro-pl"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        auto uncosted = service.profit(created->orderId);
        SD_VERIFY_OK(uncosted);
        inventory::Product later;
        later.sku = u"LATER-1"_qs;
        later.name = u"Czajnik"_qs;
        later.purchasePrice = Money(700, u"PLN"_qs);
        SD_VERIFY_OK(inventory.addProduct(later));
        auto costed = service.profit(created->orderId);
        SD_VERIFY_OK(costed);
        QCOMPARE(costed->purchaseCost, uncosted->purchaseCost + 700 * order.items[0].quantity);
    }

    void profitCacheFollowsChanges_data() { test::addEngineRows(); }
    void profitCacheFollowsChanges()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"lossguard_cache"_qs);
        QVERIFY(f);
        const qint64 id = f->addOrder(u"C-1"_qs, 1000);
        ProfitService service(f->fresh.db);
        auto first = service.profit(id);
        SD_VERIFY_OK(first);
        QCOMPARE(scalar(f->db(), u"SELECT profit FROM order_profit WHERE order_id = "_qs + QString::number(id)),
                 first->profit);

        // An order change (a second kettle) makes the cached row stale.
        SD_VERIFY_OK(f->orders->apply(storage::OrderChange::update(id,
                                                                   [](domain::Order &o) -> Result<void> {
                                                                       o.items[0].quantity = 2;
                                                                       o.total = o.computedTotal();
                                                                       return {};
                                                                   },
                                                                   {u"user:anna"_qs, {}, 0})));
        auto second = service.profit(id);
        SD_VERIFY_OK(second);
        QVERIFY(second->profit > first->profit);
        QCOMPARE(second->purchaseCost, 2000);

        // New settings: recomputed under the new revision.
        auto s = MoneySettings::load(f->db());
        SD_VERIFY_OK(s);
        SD_VERIFY_OK(s->set(u"packaging"_qs, u"2.00"_qs));
        SD_VERIFY_OK(s->save(f->db()));
        auto third = service.profit(id);
        SD_VERIFY_OK(third);
        QCOMPARE(third->packaging, 200);
        QCOMPARE(third->profit, second->profit - 200);

        // The marketplace's billing entries (as the Allegro connector stores them) replace the commission table.
        QSqlQuery account(f->db().connection());
        QVERIFY(account.exec(
            u"INSERT INTO marketplace_accounts (marketplace, name, environment, api_url, auth_url, client_id, "
            "secret_ref, created_at) VALUES ('allegro-pl', 'test', 'training', 'http://127.0.0.1', "
            "'http://127.0.0.1', 'c', 's', 0)"_qs));
        const qint64 accountId = scalar(f->db(), u"SELECT MAX(id) FROM marketplace_accounts"_qs);
        marketplace::allegro::BillingEntry suc;
        suc.id = u"b-1"_qs;
        suc.orderId = id;
        suc.typeId = u"SUC"_qs;
        suc.typeName = u"Prowizja od sprzedaży"_qs;
        suc.value = Money(-1230, u"PLN"_qs);
        suc.occurredAt = QDateTime::currentDateTimeUtc();
        SD_VERIFY_OK(marketplace::allegro::AllegroRecords(f->fresh.db).storeBilling(accountId, id, {suc}));
        auto billed = service.profit(id);
        SD_VERIFY_OK(billed);
        QVERIFY(billed->feesFromBilling);
        QCOMPARE(billed->marketplaceFees, 1000); // 12.30 less 23 % VAT
        QCOMPARE(*service.recomputeAll(), 1);
    }

    void shippingQuoteFromProducts()
    {
        auto f = open(u"sqlite"_qs, {});
        QVERIFY(f);
        inventory::InventoryStore inventory(*f->orders);
        inventory::Product heavy;
        heavy.sku = u"HV-1"_qs;
        heavy.name = u"Odkurzacz"_qs;
        heavy.weightGrams = 1200;
        SD_VERIFY_OK(inventory.addProduct(heavy));
        auto s = MoneySettings::load(f->db());
        SD_VERIFY_OK(s);
        for (const auto &[key, value] : {std::pair{u"shipping.base"_qs, u"10"_qs},
                                         {u"shipping.perKg"_qs, u"2"_qs},
                                         {u"shipping.perExtraItem"_qs, u"1"_qs},
                                         {u"shipping.cod"_qs, u"5"_qs},
                                         {u"shipping.freeAbove"_qs, u"300"_qs}})
            SD_VERIFY_OK(s->set(key, value));
        SD_VERIFY_OK(s->save(f->db()));
        domain::Order order = test::sampleOrder(u"Q-1"_qs);
        order.marketplace = u"manual"_qs;
        order.items[0].sku = u"HV-1"_qs; // 2 x 1.2 kg = 3 started kg
        order.payment.method = u"CASH_ON_DELIVERY"_qs;
        auto quote = ProfitService(f->fresh.db).shippingQuote(order);
        SD_VERIFY_OK(quote);
        QCOMPARE(quote->transport, 1000 + 3 * 200 + 1 * 100);
        QCOMPARE(quote->total, 1700 + 500);
        order.items[0].unitPrice = Money(15000, u"PLN"_qs); // 300.00 of goods: free transport, COD stays
        QCOMPARE(ProfitService(f->fresh.db).shippingQuote(order)->total, 500);
    }
};

QTEST_GUILESS_MAIN(TestLossGuard)
#include "tst_lossguard.moc"
