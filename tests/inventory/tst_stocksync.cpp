#include "../integration/trainingharness.h"
#include "automation/backgroundservices.h"
#include "inventory/inventorysettings.h"
#include "inventory/inventorystore.h"
#include "inventory/offercatalog.h"
#include "inventory/reservations.h"
#include "inventory/stocksync.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/accountconnector.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrorecords.h"
#include "marketplace/allegro/selleractions.h"
#include "security/filesecretstore.h"
#include "storage/actionledger.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace sd;
using namespace sd::inventory;
using namespace sd::marketplace;
using namespace sd::marketplace::allegro;
using sd::marketplace::training::FaultPlan;
using sd::marketplace::training::TrainingOptions;
using sd::marketplace::training::TrainingServer;

namespace {

qint64 scalar(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

int puts(const QList<HttpExchange> &traffic, const QString &pathPart)
{
    int n = 0;
    for (const HttpExchange &e : traffic) {
        if (e.method == "PUT" && e.url.path().contains(pathPart))
            ++n;
    }
    return n;
}

} // namespace

// Stock sync against the training marketplace (in this process): the seeds' rules C3-C6, the anomaly guard (X8),
// conflicts, and commands that are never sent twice, on SQLite and PostgreSQL.
class TestStockSync : public QObject
{
    Q_OBJECT

    std::unique_ptr<TrainingHarness> m_server;
    std::optional<test::TempDatabase> m_fresh;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<security::FileSecretStore> m_secrets;
    MarketplaceAccount m_account;
    QList<HttpExchange> m_traffic;
    ClientOptions m_options;
    std::unique_ptr<storage::OrderStore> m_orders;
    std::unique_ptr<InventoryStore> m_inventory;
    std::unique_ptr<OfferCatalog> m_offers;
    std::unique_ptr<AllegroClient> m_client;
    std::unique_ptr<storage::ActionLedger> m_ledger;
    std::unique_ptr<AllegroRecords> m_records;
    std::unique_ptr<SellerActions> m_actions;
    std::unique_ptr<StockSync> m_sync;

    void open(const QString &engine, const QString &name)
    {
        TrainingOptions options;
        options.autoApprove = true;
        m_server = std::make_unique<TrainingHarness>(options);
        QVERIFY2(m_server->url().isValid(), qPrintable(m_server->error()));
        auto fresh = test::openFresh(engine, name);
        SD_VERIFY_OK(fresh);
        m_fresh = *fresh;
        m_dir = std::make_unique<QTemporaryDir>();
        m_secrets = std::make_shared<security::FileSecretStore>(m_dir->filePath(u"secrets.enc"_qs), "pw", 1000);
        SD_VERIFY_OK(m_secrets->unlock());
        m_traffic.clear();
        m_options.retry.timeScale = 0.001;
        m_options.retry.requestTimeoutMs = 10000;
        auto connected = m_server->connectAccount(db(), m_secrets, m_options);
        SD_VERIFY_OK(connected);
        m_account = *connected;

        m_orders = std::make_unique<storage::OrderStore>(db());
        m_inventory = std::make_unique<InventoryStore>(*m_orders);
        m_offers = std::make_unique<OfferCatalog>(*m_inventory);
        m_client = std::make_unique<AllegroClient>(*AccountStore(db()).get(m_account.id), db(), m_secrets, m_options);
        m_client->setObserver([this](const HttpExchange &e) { m_traffic.append(e); });
        m_ledger = std::make_unique<storage::ActionLedger>(db());
        m_records = std::make_unique<AllegroRecords>(db());
        m_actions = std::make_unique<SellerActions>(*m_client, *m_orders, *m_ledger, *m_records);
        m_sync = std::make_unique<StockSync>(*m_offers, *m_actions, m_account.id);
        // Command reports turn final after a second of the server's clock: waiting moves it instead.
        m_sync->setPolling(1, 5);
        m_sync->setWait([this](int) { m_server->run([](TrainingServer &s) { s.advanceClock(2); }); });
        SD_VERIFY_OK(m_inventory->addWarehouse(u"MAIN"_qs, u"Main"_qs));
        SD_VERIFY_OK(m_inventory->addWarehouse(u"SHOP"_qs, u"Shop"_qs));
    }

    std::shared_ptr<storage::Database> db() { return m_fresh->db; }

    void settingsOn()
    {
        SD_VERIFY_OK(InventorySettings::set(*db(), u"autoOrderDownload"_qs, u"on"_qs));
        SD_VERIFY_OK(InventorySettings::set(*db(), u"autoInvoicing"_qs, u"on"_qs));
    }

    QString addOffer(const QString &externalId, const QString &format = u"BUY_NOW"_qs, int available = 10)
    {
        return m_server->run(
            [&](TrainingServer &s) { return s.addOffer(u"Offer "_qs + externalId, externalId, format, available); });
    }
    QJsonObject marketOffer(const QString &id)
    {
        return m_server->run([&](TrainingServer &s) { return s.offer(id); });
    }
    int marketQuantity(const QString &id)
    {
        return marketOffer(id).value(u"stock").toObject().value(u"available").toInt(-1);
    }
    QString marketStatus(const QString &id)
    {
        return marketOffer(id).value(u"publication").toObject().value(u"status").toString();
    }
    qint64 product(const QString &sku)
    {
        auto p = m_inventory->addProduct(Product{0, sku, {}, u"Product "_qs + sku});
        return p ? p->id : 0;
    }
    bool refresh()
    {
        auto r = m_offers->refresh(*m_client);
        if (!r)
            qWarning() << r.error().text();
        return r.ok();
    }
    bool enable(const QStringList &ids)
    {
        auto r = m_offers->enableSync(ids);
        return r && std::all_of(r->cbegin(), r->cend(), [](const OfferOutcome &o) { return o.ok; });
    }
    // A product and its offer, linked and synced; empty when anything failed.
    QString syncedOffer(const QString &sku)
    {
        const QString offer = product(sku) ? addOffer(sku) : QString();
        return !offer.isEmpty() && refresh() && enable({offer}) ? offer : QString();
    }
    // What the runner does: take the queued job and run.
    Result<SyncReport> runQueued()
    {
        auto due = StockSync::takeDue(*db());
        if (!due)
            return due.error();
        QThread::msleep(1);
        return m_sync->run();
    }

private Q_SLOTS:
    void cleanup()
    {
        m_sync.reset();
        m_actions.reset();
        m_records.reset();
        m_ledger.reset();
        m_client.reset();
        m_offers.reset();
        m_inventory.reset();
        m_orders.reset();
        m_fresh.reset();
        m_server.reset();
    }

    void endsAtZeroAndResumesWithTheNewQuantity_data() { test::addEngineRows(); }
    void endsAtZeroAndResumesWithTheNewQuantity()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        open(engine, u"sd_sync_c3"_qs);
        settingsOn();
        QVERIFY(product(u"SKU-1"_qs));
        const QString offer = addOffer(u"SKU-1"_qs);
        QVERIFY(refresh());
        auto view = m_offers->offer(offer);
        SD_VERIFY_OK(view);
        QCOMPARE(view->sku, u"SKU-1"_qs); // linked by external.id
        QCOMPARE(view->linkSource, u"auto"_qs);
        QVERIFY(enable({offer}));

        // C3: stock over all warehouses.
        SD_VERIFY_OK(m_inventory->receive(u"SKU-1"_qs, 5, u"MAIN"_qs, u"x"_qs));
        SD_VERIFY_OK(m_inventory->receive(u"SKU-1"_qs, 2, u"SHOP"_qs, u"x"_qs));
        QVERIFY(StockSync::nextDue(*db()).value_or(0) > 0); // the change queued a sync at once
        auto report = runQueued();
        SD_VERIFY_OK(report);
        QCOMPARE(report->outcome, SyncReport::Outcome::Done);
        QCOMPARE(report->updated, 1);
        QCOMPARE(marketQuantity(offer), 7);
        QCOMPARE(m_offers->offer(offer)->available, 7);

        // Issued to zero: the offer is ended.
        SD_VERIFY_OK(m_inventory->issue(u"SKU-1"_qs, 5, u"MAIN"_qs, u"x"_qs));
        SD_VERIFY_OK(m_inventory->issue(u"SKU-1"_qs, 2, u"SHOP"_qs, u"x"_qs));
        SD_VERIFY_OK(runQueued());
        QCOMPARE(marketStatus(offer), u"ENDED"_qs);
        QCOMPARE(m_offers->offer(offer)->status, u"ENDED"_qs);

        // A later receipt resumes it with the new quantity.
        SD_VERIFY_OK(m_inventory->receive(u"SKU-1"_qs, 4, u"SHOP"_qs, u"x"_qs));
        report = runQueued();
        SD_VERIFY_OK(report);
        QCOMPARE(marketStatus(offer), u"ACTIVE"_qs);
        QCOMPARE(marketQuantity(offer), 4);
        QVERIFY(m_sync->conflicts()->isEmpty());

        // Reservations count when the setting says so.
        domain::Order order = test::sampleOrder(u"sync-res"_qs);
        order.items[0].sku = u"SKU-1"_qs;
        order.items[0].quantity = 1;
        order.total = order.computedTotal();
        order.payment.paidAmount = order.total;
        SD_VERIFY_OK(m_orders->apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0})));
        Reservations reservations(*m_inventory);
        SD_VERIFY_OK(reservations.follow());
        SD_VERIFY_OK(runQueued());
        QCOMPARE(marketQuantity(offer), 3);
    }

    void auctionsAndArchivedOffersAreRefused()
    {
        open(u"sqlite"_qs, {});
        settingsOn();
        QVERIFY(product(u"SKU-A"_qs));
        const QString buyNow = addOffer(u"SKU-A"_qs);
        const QString auction = addOffer(u"SKU-A"_qs, u"AUCTION"_qs, 1);
        const QString archived = addOffer(u"SKU-A"_qs);
        const QString unlinked = addOffer(u"NOT-A-PRODUCT"_qs);
        QVERIFY(refresh());
        QVERIFY(m_server->run([&](TrainingServer &s) { return s.archiveOffer(archived); }));
        QVERIFY(refresh());
        QVERIFY(m_offers->offer(archived)->archived);
        auto outcomes = m_offers->enableSync({buyNow, auction, archived, unlinked, u"404"_qs});
        SD_VERIFY_OK(outcomes);
        QCOMPARE(outcomes->size(), 5);
        QVERIFY(outcomes->at(0).ok);
        QVERIFY(!outcomes->at(1).ok);
        QVERIFY(outcomes->at(1).message.contains(u"auction"));
        QVERIFY(!outcomes->at(2).ok);
        QVERIFY(outcomes->at(2).message.contains(u"archived"));
        QVERIFY(!outcomes->at(3).ok);
        QVERIFY(outcomes->at(3).message.contains(u"not linked"));
        QVERIFY(!outcomes->at(4).ok);
        QVERIFY(!m_offers->offer(auction)->syncEnabled);
        QVERIFY(!m_offers->offer(archived)->syncEnabled);
        // A hand-made link to an offer of another account is refused; to one's own it works.
        auto other = m_offers->link(unlinked, u"SKU-A"_qs, m_account.id + 1);
        QVERIFY(!other);
        QCOMPARE(other.error().code, Error::Code::Conflict);
        QVERIFY(!m_offers->offer(unlinked)->productId);
        auto own = m_offers->link(unlinked, u"SKU-A"_qs, m_account.id);
        SD_VERIFY_OK(own);
        QCOMPARE(own->linkSource, u"manual"_qs);
        QVERIFY(!m_offers->link(unlinked, u"NO-SUCH"_qs));
    }

    void siblingsLoseAndRegainAutomaticEndAndResume()
    {
        open(u"sqlite"_qs, {});
        settingsOn();
        QVERIFY(product(u"SKU-S"_qs));
        QVERIFY(product(u"SKU-T"_qs));
        const QString a = addOffer(u"SKU-S"_qs);
        const QString b = addOffer(u"SKU-S"_qs);
        const QString other = addOffer(u"SKU-T"_qs);
        QVERIFY(refresh());
        QVERIFY(*m_offers->autoEndResumeAllowed(m_account.id, a));
        QVERIFY(enable({a}));
        QVERIFY(!*m_offers->autoEndResumeAllowed(m_account.id, a));
        QVERIFY(!*m_offers->autoEndResumeAllowed(m_account.id, b)); // the sibling, not synced itself
        QVERIFY(*m_offers->autoEndResumeAllowed(m_account.id, other));
        auto off = m_offers->disableSync({a});
        SD_VERIFY_OK(off);
        QVERIFY(off->constFirst().ok);
        QVERIFY(*m_offers->autoEndResumeAllowed(m_account.id, a));
        QVERIFY(*m_offers->autoEndResumeAllowed(m_account.id, b));
    }

    void syncNeedsAutomaticDownloadAndInvoicing()
    {
        open(u"sqlite"_qs, {});
        QVERIFY(product(u"SKU-G"_qs));
        const QString offer = addOffer(u"SKU-G"_qs);
        QVERIFY(refresh());
        auto refused = m_offers->enableSync({offer});
        SD_VERIFY_OK(refused);
        QVERIFY(!refused->constFirst().ok);
        QVERIFY(refused->constFirst().message.contains(u"automatic order download"));
        settingsOn();
        QVERIFY(enable({offer}));
        SD_VERIFY_OK(InventorySettings::set(*db(), u"autoInvoicing"_qs, u"off"_qs));
        SD_VERIFY_OK(m_inventory->receive(u"SKU-G"_qs, 3, {}, u"x"_qs));
        auto paused = runQueued();
        SD_VERIFY_OK(paused);
        QCOMPARE(paused->outcome, SyncReport::Outcome::Paused);
        QVERIFY(paused->message.contains(u"automatic invoicing is off"));
        QCOMPARE(puts(m_traffic, u"commands"_qs), 0);
        QCOMPARE(marketQuantity(offer), 10);
        SD_VERIFY_OK(InventorySettings::set(*db(), u"autoInvoicing"_qs, u"on"_qs));
        auto resumed = m_sync->run();
        SD_VERIFY_OK(resumed);
        QCOMPARE(resumed->outcome, SyncReport::Outcome::Done);
        QCOMPARE(marketQuantity(offer), 3);
    }

    void anomalyGuardHoldsAndReleases()
    {
        open(u"sqlite"_qs, {});
        settingsOn();
        SD_VERIFY_OK(InventorySettings::set(*db(), u"guardMaxEnded"_qs, u"1"_qs));
        QStringList offers;
        for (int i = 0; i < 3; ++i) {
            const QString sku = u"SKU-X%1"_qs.arg(i);
            QVERIFY(product(sku));
            offers.append(addOffer(sku));
            SD_VERIFY_OK(m_inventory->receive(sku, 10, {}, u"x"_qs));
        }
        QVERIFY(refresh());
        QVERIFY(enable(offers));
        SD_VERIFY_OK(runQueued());
        QCOMPARE(marketQuantity(offers.at(2)), 10);
        // Two products sold out at once (a wrong stock-taking): ending two offers is more than the guard allows.
        SD_VERIFY_OK(m_inventory->countStock(u"SKU-X0"_qs, 0, {}, u"x"_qs));
        SD_VERIFY_OK(m_inventory->countStock(u"SKU-X1"_qs, 0, {}, u"x"_qs));
        const int before = puts(m_traffic, u"commands"_qs);
        auto held = runQueued();
        SD_VERIFY_OK(held);
        QCOMPARE(held->outcome, SyncReport::Outcome::Held);
        QCOMPARE(held->plan.changes.size(), 2);
        QVERIFY(held->message.contains(u"end 2 offer"));
        QCOMPARE(puts(m_traffic, u"commands"_qs), before);
        QCOMPARE(marketStatus(offers.at(0)), u"ACTIVE"_qs);
        // Held until the operator decides, even when more changes come.
        SD_VERIFY_OK(m_inventory->receive(u"SKU-X2"_qs, 1, {}, u"x"_qs));
        QCOMPARE(runQueued()->outcome, SyncReport::Outcome::Held);
        auto list = m_sync->held();
        SD_VERIFY_OK(list);
        QVERIFY(list->has_value());
        QCOMPARE((*list)->second.changes.size(), 2);
        auto shown = StockSync::heldRuns(*db()); // what the window's stock sync page lists
        SD_VERIFY_OK(shown);
        QCOMPARE(shown->size(), 1);
        QCOMPARE(shown->constFirst().plan.ended, 2);
        QCOMPARE(shown->constFirst().account, m_account.name);
        // Released from a window: the runner's next job sends the list without the guard.
        SD_VERIFY_OK(StockSync::approve(db(), m_account.id, u"user:anna"_qs));
        QVERIFY(StockSync::heldRuns(*db())->isEmpty());
        auto released = runQueued();
        SD_VERIFY_OK(released);
        QCOMPARE(released->outcome, SyncReport::Outcome::Done);
        QCOMPARE(marketStatus(offers.at(0)), u"ENDED"_qs);
        QCOMPARE(marketStatus(offers.at(1)), u"ENDED"_qs);
        QCOMPARE(marketQuantity(offers.at(2)), 11);
        QVERIFY(!m_sync->held()->has_value());
        // Held again and dismissed: nothing is sent.
        SD_VERIFY_OK(m_inventory->countStock(u"SKU-X2"_qs, 0, {}, u"x"_qs));
        QCOMPARE(runQueued()->outcome, SyncReport::Outcome::Held);
        SD_VERIFY_OK(StockSync::dismiss(*db(), m_account.id, u"user:anna"_qs));
        QVERIFY(!StockSync::dismiss(*db(), m_account.id, u"user:anna"_qs)); // nothing left to dismiss
        QCOMPARE(marketStatus(offers.at(2)), u"ACTIVE"_qs);
    }

    // The scheduler that the window (on its worker thread) and `sellerdesk --headless` run brings the offers in
    // line by itself: a receipt, an order's reservation and an edit of its items, with no CLI and no runQueued().
    void backgroundServicesRunTheSync_data() { test::addEngineRows(); }
    void backgroundServicesRunTheSync()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        open(engine, u"sd_sync_bg"_qs);
        settingsOn();
        const QString offer = syncedOffer(u"SKU-B"_qs);
        QVERIFY(!offer.isEmpty());
        automation::BackgroundServices services(db(), {m_dir->path(), u"test"_qs, false, false});
        SD_VERIFY_OK(services.start());
        services.setSecrets(m_secrets);

        SD_VERIFY_OK(m_inventory->receive(u"SKU-B"_qs, 6, u"MAIN"_qs, u"x"_qs));
        QTRY_COMPARE_WITH_TIMEOUT(marketQuantity(offer), 6, 20000);
        domain::Order order = test::sampleOrder(u"bg-1"_qs);
        order.items[0].sku = u"SKU-B"_qs;
        order.items[0].quantity = 2;
        order.total = order.computedTotal();
        order.payment.paidAmount = order.total;
        auto created = m_orders->apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        QTRY_COMPARE_WITH_TIMEOUT(marketQuantity(offer), 4, 20000); // reserved by the scheduler's pass
        auto edited = m_orders->apply(storage::OrderChange::update(created->orderId,
                                                                   [](domain::Order &o) -> Result<void> {
                                                                       o.items[0].quantity = 5;
                                                                       o.total = o.computedTotal();
                                                                       o.payment.paidAmount = o.total;
                                                                       return {};
                                                                   },
                                                                   {u"user:anna"_qs, u"edit"_qs, 0}));
        SD_VERIFY_OK(edited);
        QTRY_COMPARE_WITH_TIMEOUT(marketQuantity(offer), 1, 20000);
        QCOMPARE(m_inventory->reserved(m_offers->offer(offer)->productId).value_or(-1), 5);

        QSignalSpy stopped(&services, &automation::BackgroundServices::stopped);
        services.shutdown();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 20000);
        QCOMPARE(scalar(*db(), u"SELECT COUNT(*) FROM jobs WHERE kind = 'stock.sync' AND state = 'failed'"_qs), 0);
        QVERIFY(scalar(*db(), u"SELECT COUNT(*) FROM job_runs WHERE kind = 'stock.sync' AND outcome = 'done'"_qs) >= 3);
    }

    // Offers added on the marketplace's own pages reach the offers page and link by SKU without anyone pressing
    // "Refresh": the background services read them again.
    void backgroundServicesReadOffersAgain()
    {
        open(u"sqlite"_qs, {});
        QVERIFY(product(u"SKU-LATE"_qs) > 0);
        automation::BackgroundServices services(db(), {m_dir->path(), u"test"_qs, false, false});
        SD_VERIFY_OK(services.start());
        QCOMPARE(services.offersPass(), 0); // no secret store yet: nothing read, nothing fails
        services.setSecrets(m_secrets);
        const QString offer = addOffer(u"SKU-LATE"_qs, u"BUY_NOW"_qs, 7);
        QVERIFY(!m_offers->offer(offer));
        QVERIFY(services.offersPass() >= 1);
        auto seen = m_offers->offer(offer);
        SD_VERIFY_OK(seen);
        QCOMPARE(seen->sku, u"SKU-LATE"_qs);
        QCOMPARE(seen->linkSource, u"auto"_qs);
        QCOMPARE(seen->available, 7);
        QSignalSpy stopped(&services, &automation::BackgroundServices::stopped);
        services.shutdown();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 20000);
    }

    void commandsAreNotRepeatedAfterRetriesOrARestart_data() { test::addEngineRows(); }
    void commandsAreNotRepeatedAfterRetriesOrARestart()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        open(engine, u"sd_sync_once"_qs);
        settingsOn();
        QVERIFY(product(u"SKU-R"_qs));
        const QString offer = addOffer(u"SKU-R"_qs);
        const QString gone = addOffer(u"SKU-R"_qs);
        QVERIFY(refresh());
        QVERIFY(enable({offer, gone}));
        // Server errors on a third of the calls: the client retries with the same command UUID.
        m_server->run([](TrainingServer &s) { s.setFaults(*FaultPlan::parse(u"503=0.3"_qs)); });
        SD_VERIFY_OK(m_inventory->receive(u"SKU-R"_qs, 6, {}, u"x"_qs));
        // One offer disappears from the marketplace before the sync: its task fails and is retried later.
        QVERIFY(m_server->run([&](TrainingServer &s) { return s.archiveOffer(gone); }));
        auto report = runQueued();
        SD_VERIFY_OK(report);
        m_server->run([](TrainingServer &s) { s.setFaults(FaultPlan{}); });
        QCOMPARE(marketQuantity(offer), 6);
        QCOMPARE(report->failed, 1);
        auto failed = m_offers->offer(gone);
        SD_VERIFY_OK(failed);
        QCOMPARE(failed->syncState, u"failed"_qs);
        QVERIFY(!failed->syncError.isEmpty());
        QVERIFY(StockSync::nextDue(*db()).value_or(0) > 0); // the retry is queued
        // Exactly one command was accepted, whatever the retries.
        QCOMPARE(scalar(*db(), u"SELECT COUNT(*) FROM action_ledger WHERE action = 'allegro.quantity' AND state = "
                               "'done'"_qs),
                 1);

        // A crash after the commands were sent and before the run was recorded: the run is taken up again with
        // its own keys, nothing is sent twice.
        QSqlQuery crash(db()->connection());
        QVERIFY(crash.exec(u"UPDATE stock_sync_runs SET state = 'running'"_qs));
        QVERIFY(crash.exec(u"UPDATE marketplace_offers SET available = 10"_qs));
        const int sent = puts(m_traffic, u"commands"_qs);
        StockSync restarted(*m_offers, *m_actions, m_account.id);
        restarted.setPolling(1, 5);
        restarted.setWait([this](int) { m_server->run([](TrainingServer &s) { s.advanceClock(2); }); });
        auto again = restarted.run();
        SD_VERIFY_OK(again);
        QCOMPARE(again->runId, report->runId);
        QCOMPARE(again->commands, 0);
        QCOMPARE(puts(m_traffic, u"commands"_qs), sent);
        QCOMPARE(m_offers->offer(offer)->available, 6); // confirmed from the report
    }

    void conflictsTakeLocalOrMarketplace()
    {
        open(u"sqlite"_qs, {});
        settingsOn();
        QVERIFY(product(u"SKU-C"_qs));
        const QString offer = addOffer(u"SKU-C"_qs, u"BUY_NOW"_qs, 9);
        SD_VERIFY_OK(m_inventory->receive(u"SKU-C"_qs, 4, {}, u"x"_qs));
        QVERIFY(refresh());
        auto conflicts = m_sync->conflicts();
        SD_VERIFY_OK(conflicts);
        QVERIFY(conflicts->isEmpty()); // not synced: no conflict
        QVERIFY(enable({offer}));
        conflicts = m_sync->conflicts();
        SD_VERIFY_OK(conflicts);
        QCOMPARE(conflicts->size(), 1);
        QCOMPARE(conflicts->constFirst().local, 4);
        QCOMPARE(conflicts->constFirst().marketplace, 9);
        // Take the marketplace's: a stock-taking document makes the stock 9.
        auto inw = m_sync->takeMarketplace(offer);
        SD_VERIFY_OK(inw);
        QCOMPARE(inw->kind, DocumentKind::StockTaking);
        QCOMPARE(m_inventory->totalStock(m_offers->offer(offer)->productId).value_or(-1), 9);
        QVERIFY(m_sync->conflicts()->isEmpty());
        // Take local: the stock changes behind the sync's back, the local figure is sent.
        SD_VERIFY_OK(m_inventory->issue(u"SKU-C"_qs, 2, {}, u"x"_qs));
        QCOMPARE(m_sync->conflicts()->size(), 1);
        SD_VERIFY_OK(m_sync->takeLocal(offer));
        QCOMPARE(marketQuantity(offer), 7);
        QVERIFY(m_sync->conflicts()->isEmpty());
        // From a window: the runner sends it, even for an offer that gave up after its failures.
        SD_VERIFY_OK(m_inventory->issue(u"SKU-C"_qs, 1, {}, u"x"_qs));
        SD_VERIFY_OK(StockSync::takeDue(*db()));
        QSqlQuery gaveUp(db()->connection());
        QVERIFY(gaveUp.exec(u"UPDATE marketplace_offers SET sync_state = 'failed', sync_attempts = 5"_qs));
        QCOMPARE(StockSync::conflicts(*m_offers, 0)->size(), 1);
        SD_VERIFY_OK(StockSync::queueTakeLocal(*m_offers, offer, m_account.id));
        SD_VERIFY_OK(runQueued());
        QCOMPARE(marketQuantity(offer), 6);
        QVERIFY(StockSync::conflicts(*m_offers, 0)->isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStockSync)
#include "tst_stocksync.moc"
