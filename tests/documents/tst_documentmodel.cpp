#include "documentfixtures.h"
#include "documents/amountinwords.h"
#include "documents/documentbuilder.h"
#include "documents/numbering.h"
#include "testsupport.h"

using namespace sd;
using namespace sd::documents;
using domain::Money;
using domain::VatRate;

namespace {

Money pln(qint64 minor)
{
    return Money(minor, u"PLN"_qs);
}

DocumentLine line(qint64 quantity, qint64 unitMinor, const QString &rate, qint64 discount = 0)
{
    DocumentLine l;
    l.name = u"x"_qs;
    l.quantity = quantity;
    l.unitGross = pln(unitMinor);
    l.discount = pln(discount);
    l.rate = *VatRate::parse(rate);
    return l;
}

} // namespace

class TestDocumentModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void amountInWords_data()
    {
        QTest::addColumn<qint64>("minor");
        QTest::addColumn<QString>("words");
        QTest::newRow("0") << qint64(0) << u"zero złotych zero groszy"_qs;
        QTest::newRow("1") << qint64(100) << u"jeden złoty zero groszy"_qs;
        QTest::newRow("2") << qint64(200) << u"dwa złote zero groszy"_qs;
        QTest::newRow("5") << qint64(500) << u"pięć złotych zero groszy"_qs;
        QTest::newRow("11") << qint64(1100) << u"jedenaście złotych zero groszy"_qs;
        QTest::newRow("12") << qint64(1200) << u"dwanaście złotych zero groszy"_qs;
        QTest::newRow("21") << qint64(2100) << u"dwadzieścia jeden złotych zero groszy"_qs;
        QTest::newRow("22") << qint64(2200) << u"dwadzieścia dwa złote zero groszy"_qs;
        QTest::newRow("100") << qint64(10000) << u"sto złotych zero groszy"_qs;
        QTest::newRow("1001") << qint64(100100) << u"tysiąc jeden złotych zero groszy"_qs;
        QTest::newRow("1 000 000") << qint64(100000000) << u"milion złotych zero groszy"_qs;
        QTest::newRow("2 345 678") << qint64(234567800)
                                   << u"dwa miliony trzysta czterdzieści pięć tysięcy sześćset siedemdziesiąt osiem "
                                      "złotych zero groszy"_qs;
        QTest::newRow("grosz") << qint64(1) << u"zero złotych jeden grosz"_qs;
        QTest::newRow("grosze") << qint64(123) << u"jeden złoty dwadzieścia trzy grosze"_qs;
        QTest::newRow("groszy") << qint64(12345) << u"sto dwadzieścia trzy złote czterdzieści pięć groszy"_qs;
        QTest::newRow("12 groszy") << qint64(512) << u"pięć złotych dwanaście groszy"_qs;
        QTest::newRow("negative") << qint64(-250) << u"minus dwa złote pięćdziesiąt groszy"_qs;
    }
    void amountInWords()
    {
        QFETCH(qint64, minor);
        QFETCH(QString, words);
        QCOMPARE(amountInWordsPl(pln(minor)), words);
    }

    void vatFromGrossPerRate()
    {
        // 23 %: 123.00 gross is 100.00 net + 23.00 VAT.
        Totals t = computeTotals({line(1, 12300, u"23"_qs)}, u"PLN"_qs);
        QCOMPARE(t.perRate.size(), 1);
        QCOMPARE(t.perRate[0].net, pln(10000));
        QCOMPARE(t.perRate[0].vat, pln(2300));
        QCOMPARE(t.gross, pln(12300));

        // Rounding once per rate, not per line: three lines of 0.10 gross at 23 % each hold 0.0187 VAT (0.02 each if
        // rounded per line: 0.06); the rate's sum 0.30 holds 0.0561 -> 0.06 net 0.24. And 0.01 alone: VAT 0.00.
        t = computeTotals({line(1, 10, u"23"_qs), line(1, 10, u"23"_qs), line(1, 10, u"23"_qs)}, u"PLN"_qs);
        QCOMPARE(t.perRate[0].vat, pln(6));
        QCOMPARE(t.perRate[0].net, pln(24));
        t = computeTotals({line(1, 1, u"23"_qs)}, u"PLN"_qs);
        QCOMPARE(t.perRate[0].vat, pln(0));
        QCOMPARE(t.perRate[0].net, pln(1));
        // 0.05 at 23 %: 0.00935 -> 0.01 (half away from zero boundary checked below).
        t = computeTotals({line(1, 5, u"23"_qs)}, u"PLN"_qs);
        QCOMPARE(t.perRate[0].vat, pln(1));
        // 1.08 at 8 % is exactly 0.08 VAT; 1.07 holds 0.07926 -> 0.08.
        t = computeTotals({line(1, 108, u"8"_qs)}, u"PLN"_qs);
        QCOMPARE(t.perRate[0].vat, pln(8));
        t = computeTotals({line(1, 107, u"8"_qs)}, u"PLN"_qs);
        QCOMPARE(t.perRate[0].vat, pln(8));
        // The sum of per-line rounded VAT would differ here; the per-rate sum is what P_14_x carries.
        QList<DocumentLine> lines;
        qint64 perLine = 0;
        for (int i = 0; i < 7; ++i) {
            lines.append(line(1, 1999, u"23"_qs));
            perLine += lines.last().gross().minor() - lines.last().net().minor();
        }
        t = computeTotals(lines, u"PLN"_qs);
        QCOMPARE(t.perRate[0].gross, pln(13993));
        QCOMPARE(t.perRate[0].vat, pln(2617)); // 139.93 * 23 / 123 = 26.166 -> 26.17
        QCOMPARE(perLine, qint64(2618));       // 7 * 3.74: rounding per line would drift by 0.01
    }

    void mixedRatesKeepFieldOrderAndTotals()
    {
        const Totals t = computeTotals({line(2, 4999, u"5"_qs), line(1, 2460, u"23"_qs), line(3, 1080, u"8"_qs),
                                        line(1, 1000, u"zw"_qs), line(1, 500, u"0"_qs)},
                                       u"PLN"_qs);
        QCOMPARE(t.perRate.size(), 5);
        QCOMPARE(t.perRate[0].key, u"23"_qs);
        QCOMPARE(t.perRate[1].key, u"8"_qs);
        QCOMPARE(t.perRate[2].key, u"5"_qs);
        QCOMPARE(t.perRate[3].key, u"0 KR"_qs);
        QCOMPARE(t.perRate[4].key, u"zw"_qs);
        QCOMPARE(t.perRate[0].vat, pln(460)); // 24.60 -> 20.00 + 4.60
        QCOMPARE(t.perRate[1].vat, pln(240)); // 32.40 -> 30.00 + 2.40
        QCOMPARE(t.perRate[2].vat, pln(476)); // 99.98 * 5 / 105 = 4.761 -> 4.76
        QCOMPARE(t.perRate[3].vat, pln(0));
        QCOMPARE(t.perRate[4].vat, pln(0));
        QCOMPARE(t.gross, pln(9998 + 2460 + 3240 + 1000 + 500));
        QCOMPARE(t.net + t.vat, t.gross);
    }

    void discountsAreSpreadExactly()
    {
        QCOMPARE(spreadProportionally(100, {100, 200, 300}), (QList<qint64>{17, 33, 50}));
        QCOMPARE(spreadProportionally(1, {1, 1, 1}), (QList<qint64>{1, 0, 0}));
        QCOMPARE(spreadProportionally(10, {3, 0, 4}), (QList<qint64>{3, 0, 4})); // never more than a weight
        QCOMPARE(spreadProportionally(0, {3, 4}), (QList<qint64>{0, 0}));

        // A 10.00 discount on an order with a 23 % and a 5 % item: each rate keeps its share, the invoice total is
        // what the buyer paid.
        domain::Order order = test::companyOrder(
            u"D-1"_qs, {test::item(u"Kubek"_qs, 1, 6150, u"23"_qs), test::item(u"Książka"_qs, 1, 3850, u"5"_qs)}, 0);
        order.adjustments.append({u"discount"_qs, u"Kupon"_qs, pln(-1000)});
        order.total = order.computedTotal();
        auto doc = buildFromOrder(order, test::sampleCompany(), {}, {});
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->lines.size(), 2);
        QCOMPARE(doc->lines[0].discount, pln(615));
        QCOMPARE(doc->lines[1].discount, pln(385));
        const Totals t = doc->totals();
        QCOMPARE(t.gross, order.total);
        QCOMPARE(t.find(u"23"_qs)->gross, pln(5535));
        QCOMPARE(t.find(u"23"_qs)->vat, pln(1035)); // 55.35 * 23 / 123 = 10.35
        QCOMPARE(t.find(u"5"_qs)->gross, pln(3465));
        QCOMPARE(t.find(u"5"_qs)->vat, pln(165)); // 34.65 * 5 / 105 = 1.65

        // A discount larger than the items is refused, not turned into a negative invoice.
        order.adjustments = {{u"discount"_qs, u"Za dużo"_qs, pln(-20000)}};
        order.total = order.computedTotal();
        QVERIFY(!buildFromOrder(order, test::sampleCompany(), {}, {}).ok());
    }

    void shippingAtHighestOrOwnRate()
    {
        domain::Order order = test::companyOrder(
            u"S-1"_qs, {test::item(u"Książka"_qs, 1, 4000, u"5"_qs), test::item(u"Zakładka"_qs, 1, 800, u"8"_qs)},
            1299);
        order.adjustments.append({u"surcharge"_qs, u"Opłata za pobranie"_qs, pln(500)});
        order.total = order.computedTotal();
        DocumentSettings settings;
        auto doc = buildFromOrder(order, test::sampleCompany(), settings, {});
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->lines.size(), 4);
        QCOMPARE(doc->lines[2].kind, u"shipping"_qs);
        QCOMPARE(doc->lines[2].rate, VatRate::percent(8)); // the highest item rate
        QCOMPARE(doc->lines[3].kind, u"surcharge"_qs);
        QCOMPARE(doc->lines[3].rate, VatRate::percent(8));
        QCOMPARE(doc->totals().gross, order.total);

        settings.shippingVat = u"23"_qs;
        doc = buildFromOrder(order, test::sampleCompany(), settings, {});
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->lines[2].rate, VatRate::percent(23));
        QCOMPARE(doc->totals().find(u"23"_qs)->gross, pln(1799));
        QCOMPARE(doc->totals().find(u"23"_qs)->vat, pln(336)); // 17.99 * 23 / 123 = 3.364
    }

    void typeFollowsTheBuyersTaxId()
    {
        domain::Order order = test::companyOrder(u"T-1"_qs, {test::item(u"Kubek"_qs, 1, 2000, u"23"_qs)}, 0);
        auto doc = buildFromOrder(order, test::sampleCompany(), {}, {});
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->type, DocumentType::Vat);
        QCOMPARE(doc->buyer.nip, u"1111111111"_qs);
        QCOMPARE(doc->paid, true);
        QCOMPARE(doc->paymentMethod, PaymentMethod::Transfer);

        // No NIP: a receipt (refused here), or an invoice to a private person by setting.
        order.invoice = {};
        auto refused = buildFromOrder(order, test::sampleCompany(), {}, {});
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().userMessage.contains(u"NIP"));
        QVERIFY(!buildFromOrder(order, test::sampleCompany(), {}, {DocumentType::Vat, {}}).ok());
        DocumentSettings privatePersons;
        privatePersons.invoicePrivatePersons = true;
        doc = buildFromOrder(order, test::sampleCompany(), privatePersons, {});
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->type, DocumentType::Private);
        QCOMPARE(doc->buyer.name, u"Jan Kowalski"_qs);

        // A receipt-backed simplified invoice: NIP and at most 450 zł.
        order = test::companyOrder(u"T-2"_qs, {test::item(u"Kubek"_qs, 1, 45000, u"23"_qs)}, 0);
        SD_VERIFY_OK(buildFromOrder(order, test::sampleCompany(), {}, {DocumentType::Simplified, {}}));
        order.items[0].unitPrice = pln(45001);
        order.total = order.computedTotal();
        QVERIFY(!buildFromOrder(order, test::sampleCompany(), {}, {DocumentType::Simplified, {}}).ok());

        // A bad NIP in the order is refused with the NIP's own message; an incomplete company too.
        order.invoice.nip = u"1234567890"_qs;
        QVERIFY(!buildFromOrder(order, test::sampleCompany(), {}, {}).ok());
        Party noName = test::sampleCompany();
        noName.name.clear();
        QVERIFY(!buildFromOrder(test::companyOrder(u"T-3"_qs, {test::item(u"Kubek"_qs, 1, 100, u"23"_qs)}, 0), noName,
                                {}, {})
                     .ok());
    }

    void foreignBuyers()
    {
        domain::Order order = test::companyOrder(u"F-1"_qs, {test::item(u"Kubek"_qs, 2, 2500, u"23"_qs)}, 1000);
        order.invoice = {};
        order.delivery.address = {u"Hans"_qs,   u"Müller"_qs, {},       u"Hauptstraße 5"_qs,
                                  u"Berlin"_qs, u"10115"_qs,  u"DE"_qs, {}};
        DocumentSettings settings;
        settings.invoicePrivatePersons = true;
        // OSS off: Polish rates.
        auto doc = buildFromOrder(order, test::sampleCompany(), settings, {});
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->language, u"en"_qs);
        QCOMPARE(doc->lines[0].rate, VatRate::percent(23));
        // OSS on: the German rate on every line, shipping included.
        settings.ossEnabled = true;
        settings.ossRates = DocumentSettings::defaultOssRates();
        doc = buildFromOrder(order, test::sampleCompany(), settings, {});
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->lines[0].procedure, Procedure::Oss);
        QCOMPARE(doc->lines[0].rate, VatRate::percent(19));
        QCOMPARE(doc->lines[1].rate, VatRate::percent(19));
        QCOMPARE(doc->totals().perRate.size(), 1);
        QCOMPARE(doc->totals().perRate[0].key, u"OSS 19"_qs);
        QCOMPARE(doc->totals().perRate[0].vat, pln(958)); // 60.00 * 19 / 119 = 9.579
        // Per buyer country: a French consumer pays the French rate, and the rate is the setting's as typed.
        domain::Order french = order;
        french.delivery.address.countryCode = u"FR"_qs;
        french.delivery.address.city = u"Paris"_qs;
        doc = buildFromOrder(french, test::sampleCompany(), settings, {});
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->lines[0].rate, VatRate::percent(20));
        QCOMPARE(doc->totals().perRate[0].key, u"OSS 20"_qs);
        QCOMPARE(doc->totals().perRate[0].vat, pln(1000)); // 60.00 * 20 / 120
        settings.ossRates.insert(u"FR"_qs, 10);
        doc = buildFromOrder(french, test::sampleCompany(), settings, {});
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->lines[1].rate, VatRate::percent(10)); // shipping too
        QCOMPARE(doc->totals().perRate[0].vat, pln(545));   // 60.00 * 10 / 110 = 5.4545
        settings.ossRates.remove(u"DE"_qs);
        QVERIFY(!buildFromOrder(order, test::sampleCompany(), settings, {}).ok());

        // An EU company with a VAT id: intra-community supply at 0 % WDT.
        order.invoice.wanted = true;
        order.invoice.companyName = u"Müller GmbH"_qs;
        order.invoice.nip = u"DE123456789"_qs;
        doc = buildFromOrder(order, test::sampleCompany(), settings, {});
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->type, DocumentType::Vat);
        QCOMPARE(doc->buyer.euVatId, u"123456789"_qs);
        QCOMPARE(doc->lines[0].fa3RateCode(), u"0 WDT"_qs);
        QCOMPARE(doc->totals().vat, pln(0));
    }

    void seriesPatterns()
    {
        Series s{0, u"FV"_qs, DocumentType::Vat, u"FV/{n}/{MM}/{YYYY}"_qs, Series::Reset::Monthly, true};
        QCOMPARE(s.format(7, QDate(2026, 3, 9)), u"FV/7/03/2026"_qs);
        QCOMPARE(s.period(QDate(2026, 3, 9)), u"2026-03"_qs);
        s.pattern = u"A-{YY}-{n:5}"_qs;
        s.reset = Series::Reset::Yearly;
        QCOMPARE(s.format(42, QDate(2026, 3, 9)), u"A-26-00042"_qs);
        QCOMPARE(s.period(QDate(2026, 3, 9)), u"2026"_qs);
        s.reset = Series::Reset::Never;
        QCOMPARE(s.period(QDate(2026, 3, 9)), QString());

        SD_VERIFY_OK(Series::validate(u"FV/{n}/{MM}/{YYYY}"_qs, Series::Reset::Monthly));
        SD_VERIFY_OK(Series::validate(u"R{n}"_qs, Series::Reset::Never));
        QVERIFY(!Series::validate(u"FV/{MM}/{YYYY}"_qs, Series::Reset::Monthly).ok());   // no number
        QVERIFY(!Series::validate(u"FV/{n}/{YYYY}"_qs, Series::Reset::Monthly).ok());    // repeats every month
        QVERIFY(!Series::validate(u"FV/{n}"_qs, Series::Reset::Yearly).ok());            // repeats every year
        QVERIFY(!Series::validate(u"FV/{n}/{n}/{YYYY}"_qs, Series::Reset::Yearly).ok()); // two numbers
        QVERIFY(!Series::validate(u"FV/{n}/{X}/{YYYY}"_qs, Series::Reset::Yearly).ok()); // unknown part
    }

    void documentJsonRoundTrip()
    {
        domain::Order order = test::companyOrder(
            u"J-1"_qs, {test::item(u"Kubek"_qs, 3, 1999, u"23"_qs), test::item(u"Książka"_qs, 1, 3999, u"5"_qs)}, 999);
        auto doc = buildFromOrder(order, test::sampleCompany(), {}, {});
        SD_VERIFY_OK(doc);
        doc->number = u"FV/1/11/2026"_qs;
        auto back = Document::fromJson(doc->toJson());
        SD_VERIFY_OK(back);
        QCOMPARE(back->lines, doc->lines);
        QCOMPARE(back->buyer, doc->buyer);
        QCOMPARE(back->seller, doc->seller);
        QCOMPARE(back->number, doc->number);
        QCOMPARE(back->totals().gross, doc->totals().gross);
    }
};

QTEST_GUILESS_MAIN(TestDocumentModel)
#include "tst_documentmodel.moc"
