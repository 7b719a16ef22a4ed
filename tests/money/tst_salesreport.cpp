#include "money/profitservice.h"
#include "money/salesreport.h"
#include "storage/orderstore.h"
#include "testsupport.h"

using namespace sd;
using namespace sd::money;
using domain::Money;

class TestSalesReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void totalsEqualTheSumOfOrders_data() { test::addEngineRows(); }
    void totalsEqualTheSumOfOrders()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"salesreport_totals"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore orders(fresh->db);
        MoneySettings s;
        s.defaultCommissionBp = 733; // odd percentages make the spreading round
        s.packagingPerOrder = 137;
        s.paymentFees.insert(u"ONLINE"_qs, {29, 123});
        SD_VERIFY_OK(s.save(*fresh->db));

        QList<qint64> counted;
        const QDate first(2026, 11, 2); // a Monday
        for (int i = 0; i < 23; ++i) {
            domain::Order o = test::sampleOrder(u"R-%1"_qs.arg(i));
            o.marketplace = i % 3 == 0 ? u"manual"_qs : u"allegro-pl"_qs;
            o.createdAt = QDateTime(first.addDays(i % 12), QTime(12, i), Qt::LocalTime).toUTC();
            o.items[0].quantity = 1 + i % 4;
            o.items[0].unitPrice = Money(1001 + 37 * i, u"PLN"_qs);
            if (i % 2) {
                domain::LineItem extra;
                extra.name = u"Filtr"_qs;
                extra.sku = u"F-1"_qs;
                extra.quantity = 1 + i % 2;
                extra.unitPrice = Money(333, u"PLN"_qs);
                extra.vatRate = domain::VatRate::percent(8);
                o.items.append(extra);
            }
            o.total = o.computedTotal();
            auto created = orders.apply(storage::OrderChange::create(o, {u"test"_qs, {}, 0}));
            SD_VERIFY_OK(created);
            if (i == 5)
                SD_VERIFY_OK(orders.apply(
                    storage::OrderChange::setStatus(created->orderId, u"Cancelled"_qs, {u"test"_qs, {}, 0})));
            else
                counted.append(created->orderId);
            if (i == 6) // shipped still counts; only cancelled orders are left out
                SD_VERIFY_OK(orders.apply(
                    storage::OrderChange::setStatus(created->orderId, u"Shipped"_qs, {u"test"_qs, {}, 0})));
        }
        // Outside the range: not counted.
        domain::Order late = test::sampleOrder(u"LATE"_qs);
        late.createdAt = QDateTime(first.addDays(40), QTime(12, 0), Qt::LocalTime).toUTC();
        SD_VERIFY_OK(orders.apply(storage::OrderChange::create(late, {u"test"_qs, {}, 0})));

        auto profits = ProfitService(fresh->db).profits(counted);
        SD_VERIFY_OK(profits);
        qint64 gross = 0, net = 0, profit = 0;
        for (const Profit &p : std::as_const(*profits)) {
            gross += p.revenueGross;
            net += p.revenueNet;
            profit += p.profit;
        }

        for (auto period : {SalesReport::Period::Day, SalesReport::Period::Week, SalesReport::Period::Month}) {
            auto report = SalesReport::build(fresh->db, first, first.addDays(13), period);
            SD_VERIFY_OK(report);
            QCOMPARE(report->total.orders, int(counted.size()));
            QCOMPARE(report->total.revenueGross, gross);
            QCOMPARE(report->total.revenueNet, net);
            QCOMPARE(report->total.profit, profit);
            for (const QList<ReportRow> *rows : {&report->byPeriod, &report->byChannel, &report->byProduct}) {
                qint64 g = 0, n = 0, p = 0;
                for (const ReportRow &r : *rows) {
                    g += r.revenueGross;
                    n += r.revenueNet;
                    p += r.profit;
                }
                QCOMPARE(g, gross);
                QCOMPARE(n, net);
                QCOMPARE(p, profit);
            }
            int byStatus = 0;
            for (const auto &counts : std::as_const(report->statusByPeriod))
                for (int c : counts)
                    byStatus += c;
            QCOMPARE(byStatus, 23); // every order of the range, by its status now (cancelled ones too)
            if (period == SalesReport::Period::Day)
                QCOMPARE(report->byPeriod.size(), 12);
            if (period == SalesReport::Period::Week)
                QCOMPARE(report->byPeriod.size(), 2);
            if (period == SalesReport::Period::Month)
                QCOMPARE(report->byPeriod.size(), 1);
            QCOMPARE(report->byChannel.size(), 2);
            const QByteArray csv = report->toCsv();
            QVERIFY(csv.startsWith("section,key,label,orders,units,revenue_gross,revenue_net,profit\n"));
            QVERIFY(csv.contains("\ntotal,total,"));
            QVERIFY(csv.contains(QByteArray(Money(profit, u"PLN"_qs).toDecimalString().toUtf8() + '\n')));
        }
        QVERIFY(!SalesReport::build(fresh->db, first, first.addDays(-1), SalesReport::Period::Day));
    }
};

QTEST_GUILESS_MAIN(TestSalesReport)
#include "tst_salesreport.moc"
