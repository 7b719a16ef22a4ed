#include "storage/migrations.h"
#include "storage/orderquery.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace sd;
using namespace sd::storage;

class TestOrderQuery : public QObject
{
    Q_OBJECT

private:
    // The ids of the first page the instant search finds for `text`.
    static QList<qint64> searchIds(OrderQuery &query, const QString &text)
    {
        OrderQuery::Filter filter;
        filter.search = text;
        QList<qint64> ids;
        if (auto page = query.page(filter, std::nullopt, 10))
            for (const auto &o : *page)
                ids << o.id;
        return ids;
    }

private Q_SLOTS:
    void searchFindsSubstringsInEveryField_data() { test::addEngineRows(); }
    void searchFindsSubstringsInEveryField()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_query_search"_qs);
        SD_VERIFY_OK(fresh);
        OrderStore store(fresh->db);
        domain::Order lucja = test::sampleOrder(u"4bf8e097-3826-438b"_qs);
        lucja.buyer.login = u"lucja_maciejewska"_qs;
        lucja.buyer.firstName = u"Łucja"_qs;
        lucja.buyer.lastName = u"Maciejewska"_qs;
        lucja.buyer.email = u"lm+abc123@allegromail.pl"_qs;
        lucja.items[0].name = u"Gra planszowa Żółw"_qs;
        lucja.items[0].sku = u"ZB-493754"_qs;
        lucja.items[0].ean = u"5901234123457"_qs;
        auto first = store.apply(OrderChange::create(lucja, {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(first);
        auto second = store.apply(OrderChange::create(test::sampleOrder(u"other-1"_qs), {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(second);

        OrderQuery query(fresh->db);
        auto found = [&](const QString &text) -> QList<qint64> {
            OrderQuery::Filter filter;
            filter.search = text;
            QList<qint64> ids;
            auto page = query.page(filter, std::nullopt, 10);
            if (page)
                for (const auto &o : *page)
                    ids << o.id;
            auto count = query.count(filter);
            if (!count || *count != ids.size())
                ids << -1; // the count must agree with the page
            return ids;
        };
        const QList<qint64> only{first->orderId};
        QCOMPARE(found(u"lucja_mac"_qs), only);                                     // login, word by word
        QCOMPARE(found(u"ŁUCJA"_qs), only);                                         // name, any case, Polish letters
        QCOMPARE(found(u"abc123"_qs), only);                                        // e-mail
        QCOMPARE(found(u"4bf8e097-38"_qs), only);                                   // marketplace id
        QCOMPARE(found(u"planszowa żółw"_qs), only);                                // item name
        QCOMPARE(found(u"zb-4937"_qs), only);                                       // SKU
        QCOMPARE(found(u"5901234123457"_qs), only);                                 // EAN
        QVERIFY(found(QString::number(second->orderId)).contains(second->orderId)); // our number
        QCOMPARE(found(u"nothing like this"_qs), QList<qint64>{});
        QCOMPARE(found(u"\"quoted\""_qs), QList<qint64>{}); // quotes cannot break the query
        QCOMPARE(found(u"Łu"_qs), only);                    // the start of a word is enough
        if (engine == u"sqlite")
            QCOMPARE(found(u"zołw"_qs), only); // ż and ó fold to z and o (ł is a letter of its own in Unicode)

        // The indexes follow changes made through the change API.
        SD_VERIFY_OK(store.apply(OrderChange::update(first->orderId,
                                                     [](domain::Order &o) -> Result<void> {
                                                         o.buyer.login = u"nowy_login"_qs;
                                                         o.items[0].name = u"Kubek"_qs;
                                                         return {};
                                                     },
                                                     {u"test"_qs, {}, 0})));
        QCOMPARE(found(u"lucja_mac"_qs), QList<qint64>{});
        QCOMPARE(found(u"nowy_log"_qs), only);
        QCOMPARE(found(u"planszowa"_qs), QList<qint64>{});
        QCOMPARE(found(u"kubek"_qs), only);
    }

    void infixSearchFindsPiecesOfLoginsAndEmails_data() { test::addEngineRows(); }
    void infixSearchFindsPiecesOfLoginsAndEmails()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_query_infix"_qs);
        SD_VERIFY_OK(fresh);
        OrderStore store(fresh->db);
        domain::Order jan = test::sampleOrder(u"infix-1"_qs);
        jan.buyer.login = u"jan_kowalski88"_qs;
        jan.buyer.email = u"x7rq2+ab34cd@allegromail.pl"_qs;
        auto first = store.apply(OrderChange::create(jan, {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(first);
        domain::Order other = test::sampleOrder(u"infix-2"_qs);
        other.buyer.login = u"nowak_ola"_qs;
        SD_VERIFY_OK(store.apply(OrderChange::create(other, {u"test"_qs, {}, 0})));
        OrderQuery query(fresh->db);
        auto found = [&](const QString &text) {
            OrderQuery::Filter filter;
            filter.search = text;
            QList<qint64> ids;
            if (auto page = query.page(filter, std::nullopt, 10))
                for (const auto &o : *page)
                    ids << o.id;
            auto counts = query.countsByStatus(filter);
            qint64 counted = 0;
            for (qint64 n : counts.value_or(QHash<qint64, qint64>{}))
                counted += n;
            if (counted != ids.size())
                ids << -1; // the tab counts must agree with the page
            return ids;
        };
        const QList<qint64> only{first->orderId};
        QCOMPARE(found(u"kowal"_qs), only);          // inside the login
        QCOMPARE(found(u"ski88"_qs), only);          // its end
        QCOMPARE(found(u"KOWALSKI"_qs), only);       // any case
        QCOMPARE(found(u"2+ab34"_qs), only);         // inside the e-mail
        QCOMPARE(found(u"ab34cd@allegro"_qs), only); // across the @
        QCOMPARE(found(u"owal ski8"_qs), only);      // every piece must be there
        QCOMPARE(found(u"owal ola"_qs), QList<qint64>{});
        QCOMPARE(found(u"jan_kow"_qs), only); // the word search still works
        QCOMPARE(found(u"lski99"_qs), QList<qint64>{});

        // The index follows a changed login.
        SD_VERIFY_OK(store.apply(OrderChange::update(first->orderId,
                                                     [](domain::Order &o) -> Result<void> {
                                                         o.buyer.login = u"anna_zielinska"_qs;
                                                         return {};
                                                     },
                                                     {u"test"_qs, {}, 0})));
        QCOMPARE(found(u"kowal"_qs), QList<qint64>{});
        QCOMPARE(found(u"zielin"_qs), only);
    }

    void searchFindsTheOrderOfATrackingNumber_data() { test::addEngineRows(); }
    void searchFindsTheOrderOfATrackingNumber()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_query_waybill"_qs);
        SD_VERIFY_OK(fresh);
        OrderStore store(fresh->db);
        auto shipped = store.apply(OrderChange::create(test::sampleOrder(u"waybill-1"_qs), {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(shipped);
        SD_VERIFY_OK(store.apply(OrderChange::create(test::sampleOrder(u"waybill-2"_qs), {u"test"_qs, {}, 0})));
        // The marketplace client records each parcel it adds or reads (AllegroRecords) in order_shipments.
        QSqlQuery insert(fresh->db->connection());
        QVERIFY(insert.prepare(u"INSERT INTO order_shipments (order_id, carrier_id, waybill, created_at) "
                               "VALUES (?, 'INPOST', ?, 0)"_qs));
        insert.addBindValue(shipped->orderId);
        insert.addBindValue(u"AD-1239134PL"_qs);
        QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
        OrderQuery query(fresh->db);
        auto found = [&](const QString &text) {
            OrderQuery::Filter filter;
            filter.search = text;
            QList<qint64> ids;
            if (auto page = query.page(filter, std::nullopt, 10))
                for (const auto &o : *page)
                    ids << o.id;
            return ids;
        };
        QCOMPARE(found(u"AD-1239134PL"_qs), QList<qint64>{shipped->orderId});
        QCOMPARE(found(u"  ad-1239134pl "_qs), QList<qint64>{shipped->orderId}); // typed in lower case
        QCOMPARE(found(u"AD-1239134XX"_qs), QList<qint64>{});
        OrderQuery::Filter filter;
        filter.search = u"AD-1239134PL"_qs;
        QCOMPARE(query.count(filter).value_or(-1), 1);
    }

    // Issue 3: a courier's label may carry a barcode other than the tracking number (Allegro's package waybill);
    // scanning the label finds its order too.
    void searchFindsTheOrderOfALabelBarcode_data() { test::addEngineRows(); }
    void searchFindsTheOrderOfALabelBarcode()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_query_label"_qs);
        SD_VERIFY_OK(fresh);
        OrderStore store(fresh->db);
        auto labelled = store.apply(OrderChange::create(test::sampleOrder(u"label-1"_qs), {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(labelled);
        SD_VERIFY_OK(store.apply(OrderChange::create(test::sampleOrder(u"label-2"_qs), {u"test"_qs, {}, 0})));
        QSqlQuery insert(fresh->db->connection());
        QVERIFY(
            insert.prepare(u"INSERT INTO order_shipments (order_id, carrier_id, waybill, label_barcode, created_at) "
                           "VALUES (?, 'INPOST', ?, ?, 0)"_qs));
        insert.addBindValue(labelled->orderId);
        insert.addBindValue(u"620000012345678901234567"_qs);
        insert.addBindValue(u"A000K2H5W3"_qs);
        QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
        OrderQuery query(fresh->db);
        const auto found = [&](const QString &text) { return searchIds(query, text); };
        QCOMPARE(found(u"A000K2H5W3"_qs), QList<qint64>{labelled->orderId});
        QCOMPARE(found(u" a000k2h5w3"_qs), QList<qint64>{labelled->orderId});
        QCOMPARE(found(u"620000012345678901234567"_qs), QList<qint64>{labelled->orderId}); // the tracking number
        QCOMPARE(found(u"A000K2H5W4"_qs), QList<qint64>{});
        OrderQuery::Filter filter;
        filter.search = u"A000K2H5W3"_qs;
        QCOMPARE(query.count(filter).value_or(-1), 1);
    }

    void filtersOnEveryOrderField_data() { test::addEngineRows(); }
    void filtersOnEveryOrderField()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_query_filters"_qs);
        SD_VERIFY_OK(fresh);
        OrderStore store(fresh->db);
        // 0: plain PL order; 1: Czech address, comment, tag, referrer, other account; 2: pick-up point in DE,
        // cancelled on the marketplace, dearer, another referrer.
        QList<qint64> ids;
        for (int i = 0; i < 3; ++i) {
            domain::Order o = test::sampleOrder(u"F-"_qs + QString::number(i));
            if (i == 1) {
                o.delivery.address.countryCode = u"CZ"_qs;
                o.delivery.address.postCode = u"110 00"_qs;
                o.buyerComment = u"Prosím zabalit jako dárek"_qs;
                o.tags = {u"VIP"_qs};
                o.referrers = {u"Newsletter"_qs, u"Google Ads"_qs};
                o.account = u"drugi-sklep"_qs;
            }
            if (i == 2) {
                o.delivery.address = {};
                o.delivery.pickupPoint.id = u"BER01"_qs;
                o.delivery.pickupPoint.name = u"Packstation 1"_qs;
                o.delivery.pickupPoint.address.street = u"Hauptstr. 1"_qs;
                o.delivery.pickupPoint.address.city = u"Berlin"_qs;
                o.delivery.pickupPoint.address.postCode = u"10115"_qs;
                o.delivery.pickupPoint.address.countryCode = u"DE"_qs;
                o.marketplaceStatus = u"CANCELLED"_qs;
                o.items[0].unitPrice = domain::Money(50000, u"PLN"_qs);
                o.total = o.computedTotal();
                o.referrers = {u"Google"_qs};
            }
            auto created = store.apply(OrderChange::create(o, {u"test"_qs, {}, 0}));
            SD_VERIFY_OK(created);
            ids << created->orderId;
        }
        OrderQuery query(fresh->db);
        auto found = [&](const OrderQuery::Filter &filter) {
            QList<qint64> result;
            if (auto page = query.page(filter, std::nullopt, 10))
                for (const auto &o : *page)
                    result.prepend(o.id); // oldest first, as created
            if (auto count = query.count(filter); !count || *count != result.size())
                result << -1;
            return result;
        };
        auto with = [](auto set) {
            OrderQuery::Filter f;
            set(f);
            return f;
        };
        QCOMPARE(found(with([](auto &f) { f.deliveryCountry = u"CZ"_qs; })), QList<qint64>{ids[1]});
        QCOMPARE(found(with([](auto &f) { f.deliveryCountry = u"DE"_qs; })), QList<qint64>{ids[2]});
        QCOMPARE(found(with([](auto &f) { f.deliveryCountry = u"PL"_qs; })), QList<qint64>{ids[0]});
        QCOMPARE(found(with([](auto &f) { f.buyerCommented = true; })), QList<qint64>{ids[1]});
        QCOMPARE(found(with([](auto &f) { f.buyerCommented = false; })), (QList<qint64>{ids[0], ids[2]}));
        QCOMPARE(found(with([](auto &f) { f.tag = u"VIP"_qs; })), QList<qint64>{ids[1]});
        QCOMPARE(found(with([](auto &f) { f.tag = u"nie ma"_qs; })), QList<qint64>{});
        QCOMPARE(found(with([](auto &f) { f.referrer = u"Google Ads"_qs; })), QList<qint64>{ids[1]});
        QCOMPARE(found(with([](auto &f) { f.referrer = u"Google"_qs; })), QList<qint64>{ids[2]}); // whole names
        QCOMPARE(found(with([](auto &f) { f.account = u"drugi-sklep"_qs; })), QList<qint64>{ids[1]});
        QCOMPARE(found(with([](auto &f) { f.marketplaceStatus = u"CANCELLED"_qs; })), QList<qint64>{ids[2]});
        QCOMPARE(found(with([](auto &f) { f.totalFrom = 50000; })), QList<qint64>{ids[2]});
        QCOMPARE(found(with([](auto &f) { f.totalTo = 49999; })), (QList<qint64>{ids[0], ids[1]}));
        QCOMPARE(found(with([](auto &f) {
                     f.totalFrom = 1;
                     f.totalTo = 49999;
                     f.deliveryCountry = u"PL"_qs;
                 })),
                 QList<qint64>{ids[0]});

        // The choices offered by the filter panel.
        QCOMPARE(query.distinctValues(u"delivery_country"_qs).value_or({}),
                 (QStringList{u"CZ"_qs, u"DE"_qs, u"PL"_qs}));
        QCOMPARE(query.distinctValues(u"referrers"_qs).value_or({}),
                 (QStringList{u"Google"_qs, u"Google Ads"_qs, u"Newsletter"_qs}));
        QCOMPARE(query.distinctValues(u"tags"_qs).value_or({}), QStringList{u"VIP"_qs});
        QCOMPARE(query.distinctValues(u"account"_qs).value_or({}), (QStringList{u"drugi-sklep"_qs, u"test-seller"_qs}));

        // A saved view keeps every part of the filter.
        OrderQuery::Filter all = with([](auto &f) {
            f.account = u"a"_qs;
            f.marketplaceStatus = u"BOUGHT"_qs;
            f.deliveryCountry = u"CZ"_qs;
            f.tag = u"VIP"_qs;
            f.referrer = u"Google"_qs;
            f.buyerCommented = false;
            f.totalFrom = 100;
            f.totalTo = 2000;
        });
        QCOMPARE(OrderQuery::Filter::fromJson(all.toJson()), all);

        // The columns follow changes made through the change API.
        SD_VERIFY_OK(store.apply(OrderChange::update(ids[0],
                                                     [](domain::Order &o) -> Result<void> {
                                                         o.delivery.address.countryCode = u"SK"_qs;
                                                         o.buyerComment = u"Dzwonić"_qs;
                                                         o.referrers = {u"Google"_qs};
                                                         return {};
                                                     },
                                                     {u"test"_qs, {}, 0})));
        QCOMPARE(found(with([](auto &f) { f.deliveryCountry = u"SK"_qs; })), QList<qint64>{ids[0]});
        QCOMPARE(found(with([](auto &f) { f.buyerCommented = true; })), (QList<qint64>{ids[0], ids[1]}));
        QCOMPARE(found(with([](auto &f) { f.referrer = u"Google"_qs; })), (QList<qint64>{ids[0], ids[2]}));
    }

    void schema6FillsTheFilterColumnsOfStoredOrders_data() { test::addEngineRows(); }
    void schema6FillsTheFilterColumnsOfStoredOrders()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_query_schema6"_qs);
        SD_VERIFY_OK(fresh);
        qint64 id = 0;
        {
            OrderStore store(fresh->db);
            domain::Order o = test::sampleOrder(u"OLD-1"_qs);
            o.buyer.login = u"stary_kupujacy77"_qs;
            o.delivery.address.countryCode = u"CZ"_qs;
            o.delivery.address.postCode = u"110 00"_qs;
            o.buyerComment = u"Bez faktury"_qs;
            o.referrers = {u"Facebook"_qs};
            auto created = store.apply(OrderChange::create(o, {u"test"_qs, {}, 0}));
            SD_VERIFY_OK(created);
            id = created->orderId;
        }
        QCOMPARE(storage::latestSchemaVersion(), 22);
        // Back to schema 5 as an older SellerDesk left it: no filter columns, no infix index (schema 6 adds them).
        {
            QSqlQuery q(fresh->db->connection());
            QStringList undo = {
                u"DROP INDEX orders_referrers"_qs, u"DROP INDEX order_tags_tag"_qs,
                u"DROP INDEX orders_payment_status"_qs,
                u"CREATE INDEX orders_status_payment ON orders (status_id, payment_status, created_at)"_qs,
                u"ALTER TABLE orders DROP COLUMN delivery_country"_qs,
                u"ALTER TABLE orders DROP COLUMN buyer_commented"_qs, u"ALTER TABLE orders DROP COLUMN referrers"_qs,
                u"UPDATE meta SET value = '5' WHERE key = 'schema_version'"_qs,
                // What the steps after 6 made, so they can run again as they would on that older database (a new
                // step must be undone here too: the check below fails until it is).
                u"CREATE INDEX orders_buyer_login ON orders (buyer_login)"_qs,
                u"CREATE INDEX order_items_sku ON order_items (sku)"_qs, u"DROP TABLE scan_commands"_qs,
                u"DROP TABLE packing_sessions"_qs, u"DROP INDEX orders_external_id"_qs, u"DROP TABLE rule_versions"_qs,
                u"DROP TABLE rule_traces"_qs, u"DROP TABLE rules"_qs, u"DROP TABLE automation_state"_qs,
                u"DROP TABLE job_runs"_qs, u"DROP INDEX jobs_lease"_qs, u"DROP TABLE operator_alerts"_qs,
                u"DROP TABLE marketplace_pending_forms"_qs, u"DROP TABLE document_log"_qs, u"DROP TABLE documents"_qs,
                u"DROP TABLE document_counters"_qs, u"DROP TABLE document_series"_qs,
                u"DROP TABLE document_settings"_qs, u"DROP TABLE ksef_submissions"_qs, u"DROP TABLE ksef_settings"_qs,
                u"DROP TABLE stock_sync_runs"_qs, u"DROP TABLE inventory_settings"_qs,
                u"DROP TABLE stock_reservations"_qs, u"DROP TABLE stock_series"_qs, u"DROP TABLE stock_levels"_qs,
                u"DROP TABLE stock_lines"_qs, u"DROP TABLE stock_documents"_qs, u"DROP TABLE warehouses"_qs,
                u"DROP TABLE products"_qs, u"DROP INDEX marketplace_offers_product"_qs,
                u"DROP INDEX marketplace_offers_offer"_qs, u"DROP TABLE fiscal_receipts"_qs,
                u"DROP INDEX order_shipments_label_barcode"_qs,
                u"ALTER TABLE order_shipments DROP COLUMN label_barcode"_qs,
                u"ALTER TABLE order_shipments DROP COLUMN label_format"_qs,
                u"ALTER TABLE order_shipments DROP COLUMN label_data"_qs, u"DROP TABLE print_job_events"_qs,
                u"DROP TABLE print_jobs"_qs, u"DROP TABLE messages"_qs, u"DROP TABLE mail_accounts"_qs,
                u"DROP TABLE sms_accounts"_qs, u"DROP TABLE message_templates"_qs, u"DROP TABLE messaging_settings"_qs,
                u"DROP TABLE order_confirmations"_qs, u"DROP TABLE loss_holds"_qs, u"DROP TABLE order_profit"_qs,
                u"DROP TABLE money_settings"_qs, u"DROP TABLE marketplace_messages"_qs, u"DROP TABLE users"_qs,
                u"DROP TABLE roles"_qs, u"DROP TABLE auto_logins"_qs, u"DROP TABLE return_attachments"_qs,
                u"DROP TABLE return_items"_qs, u"DROP TABLE returns"_qs, u"DROP TABLE return_settings"_qs,
                u"DROP TABLE service_case_steps"_qs, u"DROP TABLE service_cases"_qs,
                u"ALTER TABLE order_history DROP COLUMN user_name"_qs,
                u"ALTER TABLE order_history DROP COLUMN workstation"_qs};

            for (const char *column : {"product_id", "link_source", "format", "archived", "sync_enabled", "sync_state",
                                       "sync_error", "sync_attempts"})
                undo << u"ALTER TABLE marketplace_offers DROP COLUMN "_qs + QLatin1StringView(column);
            if (engine == u"sqlite")
                undo << u"DROP TABLE orders_infix"_qs;
            else
                for (const char *index :
                     {"orders_external_id_trgm", "orders_buyer_login_trgm", "orders_buyer_email_trgm",
                      "orders_buyer_name_trgm", "order_items_name_trgm", "order_items_sku_trgm"})
                    undo << u"DROP INDEX IF EXISTS "_qs + QLatin1StringView(index);
            for (const QString &sql : undo)
                QVERIFY2(q.exec(sql), qPrintable(sql));
        }
        fresh->db->closeThreadConnection();
        fresh->db.reset();
        auto reopened =
            engine == u"postgres" ? Database::openUrl(fresh->path) : Database::open({fresh->path, QString(), 5000});
        SD_VERIFY_OK(reopened);
        QCOMPARE((*reopened)->schemaVersion(), storage::latestSchemaVersion());
        OrderQuery query(*reopened);
        auto count = [&](auto set) {
            OrderQuery::Filter f;
            set(f);
            return query.count(f).value_or(-1);
        };
        QCOMPARE(count([](auto &f) { f.deliveryCountry = u"CZ"_qs; }), 1);
        QCOMPARE(count([](auto &f) { f.buyerCommented = true; }), 1);
        QCOMPARE(count([](auto &f) { f.referrer = u"Facebook"_qs; }), 1);
        QCOMPARE(count([](auto &f) { f.search = u"kupujacy"_qs; }), 1);
        QCOMPARE(query.page({}, std::nullopt, 1).value_or(QList<OrderSummary>{}).value(0).id, id);
    }

    void sortedPagesMeetExactlyOnce_data() { test::addEngineRows(); }
    void sortedPagesMeetExactlyOnce()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_query_sort"_qs);
        SD_VERIFY_OK(fresh);
        OrderStore store(fresh->db);
        for (int i = 0; i < 25; ++i) {
            domain::Order o = test::sampleOrder(u"S-"_qs + QString::number(i));
            o.items[0].unitPrice = domain::Money(1000 * (i % 4), u"PLN"_qs); // many equal totals
            o.total = o.computedTotal();
            SD_VERIFY_OK(store.apply(OrderChange::create(o, {u"test"_qs, {}, 0})));
        }
        OrderQuery query(fresh->db);
        for (bool ascending : {true, false}) {
            OrderQuery::Filter filter;
            filter.sort = OrderQuery::Sort::Total;
            filter.ascending = ascending;
            QList<OrderSummary> all;
            std::optional<OrderQuery::Key> after;
            for (int guard = 0; guard < 20; ++guard) {
                auto page = query.page(filter, after, 4);
                SD_VERIFY_OK(page);
                if (page->isEmpty())
                    break;
                all += *page;
                after = OrderQuery::keyOf(page->constLast(), filter.sort);
            }
            QCOMPARE(all.size(), 25);
            QSet<qint64> ids;
            for (qsizetype i = 0; i < all.size(); ++i) {
                ids.insert(all.at(i).id);
                if (i > 0)
                    QVERIFY(ascending ? all.at(i - 1).total.minor() <= all.at(i).total.minor()
                                      : all.at(i - 1).total.minor() >= all.at(i).total.minor());
            }
            QCOMPARE(ids.size(), 25);
        }
    }
};

QTEST_GUILESS_MAIN(TestOrderQuery)
#include "tst_orderquery.moc"
