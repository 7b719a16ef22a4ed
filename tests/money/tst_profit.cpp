#include "documents/documentbuilder.h"
#include "money/profit.h"
#include "testsupport.h"

using namespace sd;
using namespace sd::money;
using domain::Money;

namespace {

Money pln(qint64 grosze)
{
    return Money(grosze, u"PLN"_qs);
}

// Two rates and a delivery: 2 x 49.99 at 23 %, 30.00 at 5 %, delivery 12.99 (taxed at the highest item rate).
domain::Order mixedOrder()
{
    domain::Order order = test::sampleOrder(u"P-1"_qs);
    order.id = 7;
    order.items[0].vatRate = domain::VatRate::percent(23);
    domain::LineItem book;
    book.name = u"Książka"_qs;
    book.sku = u"KS-1"_qs;
    book.quantity = 1;
    book.unitPrice = pln(3000);
    book.originalPrice = book.unitPrice;
    book.vatRate = domain::VatRate::percent(5);
    order.items.append(book);
    order.total = order.computedTotal();
    return order;
}

MoneySettings settings()
{
    MoneySettings s;
    s.defaultCommissionBp = 800;
    s.commissionBp.insert(u"allegro-pl"_qs, 1050);
    s.defaultCourierCost = 1200;
    s.courierCosts.insert(u"Allegro Kurier DPD"_qs, 950);
    s.paymentFees.insert(u"ONLINE"_qs, {30, 190});
    s.packagingPerOrder = 150;
    return s;
}

ProfitInputs costs()
{
    ProfitInputs in;
    in.unitCosts = {pln(2000), pln(1234)};
    return in;
}

} // namespace

class TestProfit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void netOfGrossRoundsHalfAwayFromZero()
    {
        QCOMPARE(netOfGross(123, 23), 100);
        QCOMPARE(netOfGross(50, 23), 41);      // 40.65
        QCOMPARE(netOfGross(-1000, 23), -813); // -813.008
        QCOMPARE(netOfGross(105, 5), 100);
        QCOMPARE(netOfGross(999, 0), 999);
    }

    void commissionTableProfit()
    {
        const domain::Order order = mixedOrder();
        QCOMPARE(order.total.minor(), 14297);
        const Profit p = Profit::compute(order, costs(), settings(), {});
        // 23 %: 112.97 gross -> VAT 21.12 (2112.44), net 91.85; 5 %: 30.00 -> VAT 1.43 (142.86), net 28.57.
        QCOMPARE(p.revenueGross, 14297);
        QCOMPARE(p.revenueNet, 9185 + 2857);
        QCOMPARE(p.vat(), 2112 + 143);
        QCOMPARE(p.purchaseCost, 2 * 2000 + 1234);
        QCOMPARE(p.marketplaceFees, 1501); // 10.5 % of 142.97 = 15.01185
        QVERIFY(!p.feesFromBilling);
        QCOMPARE(p.shippingCost, 950);
        QCOMPARE(p.paymentFees, 30 + 272); // 1.9 % of 142.97 = 2.71643
        QCOMPARE(p.packaging, 150);
        QCOMPARE(p.profit, 12042 - 5234 - 1501 - 950 - 302 - 150);
        QVERIFY(p.problems.isEmpty());
        QVERIFY(p.warnings.isEmpty());
        QVERIFY(!p.blocksCompletion(settings()));
    }

    void revenueAgreesWithTheInvoice()
    {
        domain::Order order = mixedOrder();
        adjust(order);
        documents::Party seller;
        seller.name = u"Sklep Testowy sp. z o.o."_qs;
        seller.nip = u"5260250274"_qs;
        seller.street = u"Prosta 1"_qs;
        seller.postcode = u"00-001"_qs;
        seller.city = u"Warszawa"_qs;
        documents::BuildOptions options;
        options.type = documents::DocumentType::Private;
        auto doc = documents::buildFromOrder(order, seller, {}, options);
        SD_VERIFY_OK(doc);
        const Profit p = Profit::compute(order, costs(), settings(), {});
        QCOMPARE(p.revenueNet, doc->totals().net.minor());
        QCOMPARE(p.vat(), doc->totals().vat.minor());
        QCOMPARE(p.revenueGross, doc->totals().gross.minor());
    }

    void billingEntriesReplaceTheTable()
    {
        ProfitInputs in = costs();
        in.billing = {{u"e1"_qs, u"SUC"_qs, u"Prowizja od sprzedaży"_qs, -1000, u"PLN"_qs, 23},
                      {u"e2"_qs, u"DPG"_qs, u"Opłata za dostawę"_qs, -520, u"PLN"_qs, 23}};
        const Profit p = Profit::compute(mixedOrder(), in, settings(), {});
        QVERIFY(p.feesFromBilling);
        QCOMPARE(p.marketplaceFees, 813 + 423); // 10.00 and 5.20 less 23 % VAT
        QCOMPARE(p.profit, 12042 - 5234 - 1236 - 950 - 302 - 150);
    }

    void defaultCommissionAndCourier()
    {
        domain::Order order = mixedOrder();
        order.marketplace = u"manual"_qs;
        order.delivery.methodName = u"Poczta"_qs;
        order.payment.method = u"WIRE_TRANSFER"_qs;
        const Profit p = Profit::compute(order, costs(), settings(), {});
        QCOMPARE(p.marketplaceFees, 1144); // 8 % of 142.97 = 11.4376
        QCOMPARE(p.shippingCost, 1200);
        QCOMPARE(p.paymentFees, 0);
    }

    void pickupCostsNoCourier()
    {
        MoneySettings s = settings();
        s.shipping.pickupMethods = {u"Odbiór osobisty"_qs};
        domain::Order order = mixedOrder();
        order.delivery.methodName = u"odbiór osobisty"_qs;
        QCOMPARE(Profit::compute(order, costs(), s, {}).shippingCost, 0);
    }

    void lossAndMissingPrices()
    {
        domain::Order order = mixedOrder();
        ProfitInputs in;
        in.unitCosts = {pln(9000), std::nullopt};
        const Profit p = Profit::compute(order, in, settings(), {});
        QCOMPARE(p.purchaseCost, 18000);
        QCOMPARE(p.warnings.size(), 1);
        QVERIFY(p.warnings.constFirst().contains(u"Książka"_qs));
        QVERIFY(p.profit < 0);
        QVERIFY(p.blocksCompletion(settings()));
        MoneySettings lenient = settings();
        lenient.minProfit = -100000;
        QVERIFY(!p.blocksCompletion(lenient));
    }

    void inconsistentDataIsAProblem()
    {
        domain::Order order = mixedOrder();
        order.total = pln(order.total.minor() + 1);
        const Profit p = Profit::compute(order, costs(), settings(), {});
        QCOMPARE(p.problems.size(), 1);
        QVERIFY(p.blocksCompletion(settings()));

        ProfitInputs euro = costs();
        euro.unitCosts[0] = Money(500, u"EUR"_qs);
        QVERIFY(!Profit::compute(mixedOrder(), euro, settings(), {}).problems.isEmpty());
    }

    void foreignCurrencyLeavesPlnCostsOut()
    {
        domain::Order order = mixedOrder();
        for (auto &item : order.items) {
            item.unitPrice = Money(item.unitPrice.minor(), u"CZK"_qs);
            item.originalPrice = item.unitPrice;
        }
        order.delivery.cost = Money(order.delivery.cost.minor(), u"CZK"_qs);
        order.payment.paidAmount = Money(0, u"CZK"_qs);
        order.total = Money(0, u"CZK"_qs);
        order.total = order.computedTotal();
        const Profit p = Profit::compute(order, {}, settings(), {});
        QCOMPARE(p.currency, u"CZK"_qs);
        QCOMPARE(p.marketplaceFees + p.shippingCost + p.paymentFees + p.packaging, 0);
        QVERIFY(!p.warnings.isEmpty());
    }

    void percentAndFeeParsing()
    {
        QCOMPARE(*parsePercent(u"12,5"_qs), 1250);
        QCOMPARE(*parsePercent(u"9%"_qs), 900);
        QVERIFY(!parsePercent(u"101"_qs));
        QVERIFY(!parsePercent(u"1.234"_qs));
        QVERIFY(!parsePercent(u"abc"_qs));
        const auto fee = parseFee(u"3,00+1.5%"_qs);
        SD_VERIFY_OK(fee);
        QCOMPARE(fee->fixed, 300);
        QCOMPARE(fee->basisPoints, 150);
        QCOMPARE(feeText(*fee), u"3.00+1.5%"_qs);
        QCOMPARE(percentText(1050), u"10.5"_qs);
    }

    void settingsRoundTripAndSet()
    {
        MoneySettings s = settings();
        SD_VERIFY_OK(s.set(u"commission.shop"_qs, u"4"_qs));
        SD_VERIFY_OK(s.set(u"payment.CASH_ON_DELIVERY"_qs, u"2.50"_qs));
        SD_VERIFY_OK(s.set(u"shipping.zone.DE"_qs, u"15"_qs));
        SD_VERIFY_OK(s.set(u"lossGuard"_qs, u"off"_qs));
        QVERIFY(!s.set(u"packaging"_qs, u"-1"_qs));
        QVERIFY(!s.set(u"nonsense"_qs, u"1"_qs));
        QVERIFY(!s.set(u"lossGuard"_qs, u"maybe"_qs));
        auto back = MoneySettings::fromJson(s.toJson());
        SD_VERIFY_OK(back);
        QCOMPARE(back->commissionFor(u"shop"_qs), 400);
        QCOMPARE(back->paymentFees.value(u"CASH_ON_DELIVERY"_qs).fixed, 250);
        QCOMPARE(back->shipping.zoneSurcharge.value(u"DE"_qs), 1500);
        QVERIFY(!back->lossGuard);
        QCOMPARE(back->toJson(), s.toJson());
    }

private:
    // A discount and a surcharge: the invoice spreads the discount over the items.
    static void adjust(domain::Order &order)
    {
        order.adjustments.append({u"discount"_qs, u"Rabat"_qs, pln(-1001)});
        order.adjustments.append({u"surcharge"_qs, u"Pakowanie na prezent"_qs, pln(500)});
        order.total = order.computedTotal();
    }
};

QTEST_GUILESS_MAIN(TestProfit)
#include "tst_profit.moc"
