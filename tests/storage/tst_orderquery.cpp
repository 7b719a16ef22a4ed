#include "storage/orderquery.h"
#include "storage/orderstore.h"
#include "testsupport.h"

using namespace sd;
using namespace sd::storage;

class TestOrderQuery : public QObject
{
    Q_OBJECT

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
