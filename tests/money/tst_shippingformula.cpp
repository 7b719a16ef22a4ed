#include "money/shippingformula.h"
#include "testsupport.h"

using namespace sd;
using namespace sd::money;

namespace {

ShippingFormula formula()
{
    ShippingFormula f;
    f.base = 1000;
    f.perKg = 200;
    f.perExtraItem = 100;
    f.zoneSurcharge = {{u"DE"_qs, 1500}, {u"*"_qs, 3000}};
    f.codSurcharge = 500;
    f.freeAbove = 20000;
    f.pickupMethods = {u"Odbiór osobisty"_qs};
    return f;
}

ShippingFormula::Input input(int grams, int quantity, const QString &country, const QString &payment, qint64 value,
                             const QString &method = u"Kurier"_qs)
{
    ShippingFormula::Input in;
    in.weightGrams = grams;
    in.quantity = quantity;
    in.country = country;
    in.paymentMethod = payment;
    in.goodsValue = value;
    in.deliveryMethod = method;
    return in;
}

} // namespace

class TestShippingFormula : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cases_data()
    {
        QTest::addColumn<int>("grams");
        QTest::addColumn<int>("quantity");
        QTest::addColumn<QString>("country");
        QTest::addColumn<QString>("payment");
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QString>("method");
        QTest::addColumn<qint64>("transport");
        QTest::addColumn<qint64>("total");
        // base 10.00 + 2.00 per started kg + 1.00 per item after the first + zone; COD 5.00; free from 200.00
        QTest::newRow("domestic") << 2500 << 3 << u"PL"_qs << u"ONLINE"_qs << qint64(10000) << u"Kurier"_qs
                                  << qint64(1000 + 3 * 200 + 2 * 100) << qint64(1800);
        QTest::newRow("cod surcharge") << 2500 << 3 << u"PL"_qs << u"CASH_ON_DELIVERY"_qs << qint64(10000)
                                       << u"Kurier"_qs << qint64(1800) << qint64(2300);
        QTest::newRow("exactly one kg") << 1000 << 1 << u"PL"_qs << u"ONLINE"_qs << qint64(0) << u"Kurier"_qs
                                        << qint64(1200) << qint64(1200);
        QTest::newRow("one gram over") << 1001 << 1 << u"PL"_qs << u"ONLINE"_qs << qint64(0) << u"Kurier"_qs
                                       << qint64(1400) << qint64(1400);
        QTest::newRow("weightless") << 0 << 1 << u"pl"_qs << u"ONLINE"_qs << qint64(0) << u"Kurier"_qs << qint64(1000)
                                    << qint64(1000);
        QTest::newRow("zone DE") << 0 << 1 << u"DE"_qs << u"ONLINE"_qs << qint64(0) << u"Kurier"_qs << qint64(2500)
                                 << qint64(2500);
        QTest::newRow("rest of world") << 0 << 1 << u"US"_qs << u"ONLINE"_qs << qint64(0) << u"Kurier"_qs
                                       << qint64(4000) << qint64(4000);
        QTest::newRow("free at the threshold")
            << 2500 << 3 << u"PL"_qs << u"ONLINE"_qs << qint64(20000) << u"Kurier"_qs << qint64(0) << qint64(0);
        QTest::newRow("one grosz below") << 2500 << 3 << u"PL"_qs << u"ONLINE"_qs << qint64(19999) << u"Kurier"_qs
                                         << qint64(1800) << qint64(1800);
        QTest::newRow("free keeps cod") << 2500 << 3 << u"PL"_qs << u"CASH_ON_DELIVERY"_qs << qint64(25000)
                                        << u"Kurier"_qs << qint64(0) << qint64(500);
        QTest::newRow("pick-up free even cod") << 2500 << 3 << u"PL"_qs << u"CASH_ON_DELIVERY"_qs << qint64(100)
                                               << u"odbiór osobisty"_qs << qint64(0) << qint64(0);
    }
    void cases()
    {
        QFETCH(int, grams);
        QFETCH(int, quantity);
        QFETCH(QString, country);
        QFETCH(QString, payment);
        QFETCH(qint64, value);
        QFETCH(QString, method);
        QFETCH(qint64, transport);
        QFETCH(qint64, total);
        const auto q = formula().quote(input(grams, quantity, country, payment, value, method));
        SD_VERIFY_OK(q);
        QCOMPARE(q->transport, transport);
        QCOMPARE(q->total, total);
        QCOMPARE(q->total, q->transport + q->codSurcharge);
        QVERIFY(!q->explanation.isEmpty());
    }

    void badInput()
    {
        QVERIFY(!formula().quote(input(100, 0, u"PL"_qs, u"ONLINE"_qs, 0)));
        QVERIFY(!formula().quote(input(-1, 1, u"PL"_qs, u"ONLINE"_qs, 0)));
        ShippingFormula f;
        QVERIFY(!f.set(u"zone.POL"_qs, u"1"_qs));
        QVERIFY(!f.set(u"base"_qs, u"-2"_qs));
        QVERIFY(!f.set(u"base"_qs, u"1.234"_qs));
        QVERIFY(!f.set(u"unknown"_qs, u"1"_qs));
        SD_VERIFY_OK(f.set(u"zone.cz"_qs, u"7,50"_qs));
        QCOMPARE(f.zoneSurcharge.value(u"CZ"_qs), 750);
        SD_VERIFY_OK(f.set(u"zone.CZ"_qs, QString()));
        QVERIFY(f.zoneSurcharge.isEmpty());
        SD_VERIFY_OK(f.set(u"pickup"_qs, u"Odbiór osobisty, Paczkomat własny"_qs));
        QCOMPARE(f.pickupMethods.size(), 2);
        QVERIFY(f.isPickup(u"paczkomat własny"_qs));
    }

    void jsonRoundTrip()
    {
        auto back = ShippingFormula::fromJson(formula().toJson());
        SD_VERIFY_OK(back);
        QVERIFY(*back == formula());
        QJsonObject bad = formula().toJson();
        bad.insert(u"base"_qs, -5);
        QVERIFY(!ShippingFormula::fromJson(bad));
    }
};

QTEST_GUILESS_MAIN(TestShippingFormula)
#include "tst_shippingformula.moc"
