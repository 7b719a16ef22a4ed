#include "documentfixtures.h"
#include "documents/documentpdf.h"
#include "documents/documentservice.h"
#include "documents/exchangerates.h"
#include "documents/fa3xml.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QHttpServer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;
using namespace sd::documents;

namespace {

const storage::ChangeContext kUser{u"user:anna"_qs, u"test"_qs, 0};

// A company order paid in euro: 2 x 50.00 EUR at 23 % and 10.00 EUR delivery, sold on Monday 2026-11-23.
domain::Order euroOrder(const QString &id)
{
    auto item = test::item(u"Kubek"_qs, 2, 5000, u"23"_qs);
    item.unitPrice = domain::Money(5000, u"EUR"_qs);
    item.originalPrice = item.unitPrice;
    domain::Order o = test::companyOrder(id, {item}, 0);
    o.delivery.cost = domain::Money(1000, u"EUR"_qs);
    o.payment.finishedAt = QDateTime(QDate(2026, 11, 23), QTime(10, 5), Qt::UTC);
    o.createdAt = QDateTime(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC); // the sale date
    o.total = o.computedTotal();
    o.payment.paidAmount = o.total;
    return o;
}

} // namespace

// Invoices in a foreign currency (art. 106e ust. 11, art. 31a): VAT also in PLN at the NBP mid rate of the last
// working day before the tax point; rates from the profile's table, typed in or fetched from (a fake of) NBP.
class TestForeignCurrency : public QObject
{
    Q_OBJECT

private slots:
    void rateArithmetic()
    {
        QCOMPARE(rateMicros(u"4.2954"_qs).value_or(0), 4295400);
        QCOMPARE(rateMicros(u"4,2954"_qs).value_or(0), 4295400);
        QCOMPARE(rateMicros(u"0.163412"_qs).value_or(0), 163412);
        QVERIFY(!rateMicros(u"0"_qs));
        QVERIFY(!rateMicros(u"-4.2"_qs));
        QVERIFY(!rateMicros(u"4.2954321"_qs));
        QVERIFY(!rateMicros(u"abc"_qs));
        Document d;
        d.currency = u"EUR"_qs;
        d.exchangeRate = u"4.2954"_qs;
        QCOMPARE(d.inPln(domain::Money(10000, u"EUR"_qs)).minor(), 42954); // 100.00 EUR
        QCOMPARE(d.inPln(domain::Money(1, u"EUR"_qs)).minor(), 4);         // 0.042954 -> 0.04
        QCOMPARE(d.inPln(domain::Money(-1187, u"EUR"_qs)).minor(), -5099); // -50.986398 -> -50.99 (away from 0)
        d.exchangeRate = u"0.1750"_qs;                                     // CZK
        QCOMPARE(d.inPln(domain::Money(2, u"CZK"_qs)).minor(), 0);         // 0.0035 -> 0.00
        QCOMPARE(d.inPln(domain::Money(3, u"CZK"_qs)).minor(), 1);         // 0.00525 -> 0.01
        QCOMPARE(d.inPln(domain::Money(1, u"CZK"_qs)).currency(), u"PLN"_qs);
    }

    void rateTableTakesTheLastWorkingDayBefore()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_rates"_qs);
        SD_VERIFY_OK(fresh);
        RateTable table(fresh->db);
        QVERIFY(!table.put({u"PLN"_qs, QDate(2026, 11, 20), u"1"_qs, {}}));
        QVERIFY(!table.put({u"EUR"_qs, QDate(2026, 11, 20), u"cztery"_qs, {}}));
        QVERIFY(!table.put({u"EUR"_qs, QDate(), u"4.2"_qs, {}}));
        SD_VERIFY_OK(table.put({u"eur"_qs, QDate(2026, 11, 19), u"4.2900"_qs, u"224/A/NBP/2026"_qs}));
        SD_VERIFY_OK(table.put({u"EUR"_qs, QDate(2026, 11, 20), u"4,2954"_qs, u"225/A/NBP/2026"_qs}));
        SD_VERIFY_OK(table.put({u"EUR"_qs, QDate(2026, 11, 23), u"4.3100"_qs, u"226/A/NBP/2026"_qs}));
        // A sale on Monday the 23rd: Friday's table (the weekend has none); on the 23rd itself never the same day's.
        auto monday = table.rateBefore(u"EUR"_qs, QDate(2026, 11, 23));
        SD_VERIFY_OK(monday);
        QCOMPARE(monday->date, QDate(2026, 11, 20));
        QCOMPARE(monday->rate, u"4.2954"_qs);
        QCOMPARE(monday->table, u"225/A/NBP/2026"_qs);
        QCOMPARE(table.rateBefore(u"EUR"_qs, QDate(2026, 11, 24))->date, QDate(2026, 11, 23));
        // Replacing a day's rate keeps one row; a missing currency or a stale table is an error saying what to do.
        SD_VERIFY_OK(table.put({u"EUR"_qs, QDate(2026, 11, 20), u"4.2955"_qs, {}}));
        QCOMPARE(table.list()->size(), 3);
        QCOMPARE(table.rateBefore(u"EUR"_qs, QDate(2026, 11, 23))->table, u"manual"_qs);
        auto czk = table.rateBefore(u"CZK"_qs, QDate(2026, 11, 23));
        QVERIFY(!czk);
        QVERIFY2(czk.error().userMessage.contains(u"rates fetch CZK"), qPrintable(czk.error().userMessage));
        QVERIFY(!table.rateBefore(u"EUR"_qs, QDate(2026, 12, 20)));
    }

    void euroInvoiceCarriesPlnVatInXmlAndPdf()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_euro"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore orders(fresh->db);
        DocumentService service(orders);
        SD_VERIFY_OK(service.settings().setCompany(test::sampleCompany()));
        auto created = orders.apply(storage::OrderChange::create(euroOrder(u"E-1"_qs), {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        IssueRequest request;
        request.orderId = created->orderId;
        request.issueDate = QDate(2026, 11, 24);

        // No rate yet: not issued, and the message says how to add one; no number is used up.
        auto refused = service.issueForOrder(request, kUser);
        QVERIFY(!refused);
        QVERIFY2(refused.error().userMessage.contains(u"EUR"), qPrintable(refused.error().userMessage));

        SD_VERIFY_OK(RateTable(fresh->db).put({u"EUR"_qs, QDate(2026, 11, 20), u"4.2954"_qs, u"225/A/NBP/2026"_qs}));
        auto doc = service.issueForOrder(request, kUser);
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->currency, u"EUR"_qs);
        QVERIFY(doc->number.startsWith(u"FV/1/"));
        QCOMPARE(doc->exchangeRate, u"4.2954"_qs);
        QCOMPARE(doc->exchangeRateDate, QDate(2026, 11, 20));
        const Totals totals = doc->totals();
        QCOMPARE(totals.gross.toDecimalString(), u"110.00"_qs);
        const RateTotal *r23 = totals.find(u"23"_qs);
        QVERIFY(r23);
        QCOMPARE(r23->vat.toDecimalString(), u"20.57"_qs);             // 110.00 * 23 / 123
        QCOMPARE(doc->inPln(r23->vat).toDecimalString(), u"88.36"_qs); // 20.57 * 4.2954 = 88.356378

        auto xml = service.store().xml(doc->id);
        SD_VERIFY_OK(xml);
        SD_VERIFY_OK(validateFa3(*xml));
        QVERIFY(xml->contains("<KodWaluty>EUR</KodWaluty>"));
        QVERIFY(xml->contains("<P_14_1>20.57</P_14_1><P_14_1W>88.36</P_14_1W>") ||
                (xml->contains("<P_14_1>20.57</P_14_1>") && xml->contains("<P_14_1W>88.36</P_14_1W>")));
        QCOMPARE(xml->count("<KursWaluty>4.2954</KursWaluty>"), 2); // item and delivery lines

        auto pdf = renderPdf(*doc, {*xml});
        SD_VERIFY_OK(pdf);
        const QString text = test::pdfText(*pdf);
        QVERIFY2(!text.isEmpty(), "pdftotext read nothing");
        QVERIFY2(text.contains(u"Kurs średni NBP z dnia 20.11.2026 (tabela 225/A/NBP/2026): 1 EUR = 4,2954 PLN") ||
                     text.contains(u"Kurs średni NBP z dnia 2026-11-20"),
                 qPrintable(text));
        QVERIFY2(text.contains(u"Kwota VAT w PLN"), qPrintable(text));
        QVERIFY2(text.contains(u"88,36 PLN") || text.contains(u"88.36 PLN"), qPrintable(text));
        QVERIFY2(text.contains(u"110,00 EUR") || text.contains(u"110.00 EUR"), qPrintable(text));

        // A correction keeps the corrected invoice's rate: its differences in PLN at the same rate.
        CorrectionRequest correction;
        correction.documentId = doc->id;
        correction.reason = u"Zwrot"_qs;
        correction.returnAll = true;
        auto kor = service.correct(correction, kUser);
        SD_VERIFY_OK(kor);
        QCOMPARE(kor->exchangeRate, u"4.2954"_qs);
        auto korXml = service.store().xml(kor->id);
        SD_VERIFY_OK(validateFa3(*korXml));
        QVERIFY(korXml->contains("<P_14_1W>-88.36</P_14_1W>"));
    }

    void nbpProviderReadsTheLastTableBeforeTheDay()
    {
        // A fake of the NBP Web API on loopback (never the real one in tests).
        QHttpServer nbp;
        QString asked;
        nbp.route(u"/api/exchangerates/rates/a/<arg>/<arg>/<arg>/"_qs,
                  [&](const QString &code, const QString &from, const QString &to, const QHttpServerRequest &) {
                      asked = code + u' ' + from + u' ' + to;
                      if (code == u"xyz")
                          return QHttpServerResponse(QHttpServerResponder::StatusCode::NotFound);
                      return QHttpServerResponse(
                          QJsonObject{{u"table"_qs, u"A"_qs},
                                      {u"code"_qs, code.toUpper()},
                                      {u"rates"_qs, QJsonArray{QJsonObject{{u"no"_qs, u"224/A/NBP/2026"_qs},
                                                                           {u"effectiveDate"_qs, u"2026-11-19"_qs},
                                                                           {u"mid"_qs, 4.29}},
                                                               QJsonObject{{u"no"_qs, u"225/A/NBP/2026"_qs},
                                                                           {u"effectiveDate"_qs, u"2026-11-20"_qs},
                                                                           {u"mid"_qs, 4.2954}}}}});
                  });
        const quint16 port = nbp.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port);
        NbpRates rates(QUrl(u"http://127.0.0.1:%1/api"_qs.arg(port)), 5000);
        auto eur = rates.rateBefore(u"EUR"_qs, QDate(2026, 11, 23));
        SD_VERIFY_OK(eur);
        QCOMPARE(asked, u"eur 2026-11-13 2026-11-22"_qs);
        QCOMPARE(eur->date, QDate(2026, 11, 20));
        QCOMPARE(eur->rate, u"4.2954"_qs);
        QCOMPARE(eur->table, u"225/A/NBP/2026"_qs);
        auto none = rates.rateBefore(u"XYZ"_qs, QDate(2026, 11, 23));
        QVERIFY(!none);
        QCOMPARE(none.error().code, Error::Code::NotFound);
    }
};

QTEST_MAIN(TestForeignCurrency)
#include "tst_foreigncurrency.moc"
