#include "documentfixtures.h"
#include "documents/documentbuilder.h"
#include "documents/documentpdf.h"
#include "documents/fa3xml.h"
#include "documents/qrcode.h"
#include "testsupport.h"

#include <QGuiApplication>
#include <QProcess>
#include <QTemporaryDir>

using namespace sd;
using namespace sd::documents;

namespace {

Document invoice(const domain::Order &order)
{
    auto doc = buildFromOrder(order, test::sampleCompany(), {}, {std::nullopt, QDate(2026, 11, 24)});
    if (!doc)
        qFatal("%s", qPrintable(doc.error().text()));
    doc->number = u"FV/7/11/2026"_qs;
    doc->state = DocumentState::Issued;
    return *doc;
}

} // namespace

class TestDocumentPdf : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyMandatoryFieldIsInThePdf()
    {
        domain::Order order = test::companyOrder(
            u"ALLEGRO-123"_qs,
            {test::item(u"Kubek ceramiczny"_qs, 2, 2460, u"23"_qs), test::item(u"Książka"_qs, 1, 4200, u"5"_qs)}, 1299);
        order.createdAt = QDateTime(QDate(2026, 11, 20), QTime(10, 0), Qt::UTC);
        order.adjustments = {{u"discount"_qs, u"Kupon"_qs, domain::Money(-500, u"PLN"_qs)}};
        order.total = order.computedTotal();
        const Document doc = invoice(order);
        auto pdf = renderPdf(doc);
        SD_VERIFY_OK(pdf);
        QVERIFY(pdf->startsWith("%PDF"));
        const QString text = test::pdfText(*pdf);
        QVERIFY2(!text.isEmpty(), "pdftotext read nothing (is poppler-utils installed?)");
        const Totals t = doc.totals();
        // Art. 106e ust. 1: 1 date of issue, 2 number, 3 names and addresses, 4 seller's NIP, 5 buyer's NIP, 6 date of
        // supply (differs here), 7 goods, 8 unit and quantity, 9 unit price, 10 discount, 11 value, 12 rate,
        // 13 net per rate, 14 VAT per rate, 15 total due; plus the amount in words and the payment.
        const QStringList expected = {u"Faktura VAT"_qs,
                                      u"FV/7/11/2026"_qs,
                                      u"Data wystawienia: 24.11.2026"_qs,
                                      u"20.11.2026"_qs,
                                      u"Sprzedawca"_qs,
                                      u"Sklep Testowy Sp. z o.o."_qs,
                                      u"ul. Kwiatowa 1 m. 2"_qs,
                                      u"00-001 Warszawa"_qs,
                                      u"NIP: 5265877635"_qs,
                                      u"Nabywca"_qs,
                                      u"F.H.U. Jan Kowalski"_qs,
                                      u"ul. Polna 1"_qs,
                                      u"30-001 Kraków"_qs,
                                      u"NIP: 1111111111"_qs,
                                      u"Kubek ceramiczny"_qs,
                                      u"Książka"_qs,
                                      u"szt."_qs,
                                      u"Cena jedn. netto"_qs,
                                      u"Rabat"_qs,
                                      u"Wartość netto"_qs,
                                      u"Stawka VAT"_qs,
                                      u"23%"_qs,
                                      u"5%"_qs,
                                      u"Kwota VAT"_qs,
                                      u"Słownie"_qs,
                                      u"złotych"_qs,
                                      u"Forma płatności: przelew"_qs,
                                      u"73111111111111111111111111"_qs,
                                      u"ALLEGRO-123"_qs};
        for (const QString &field : expected)
            QVERIFY2(text.contains(field), qPrintable(u"missing \""_qs + field + u"\" in: "_qs + text));
        for (const RateTotal &r : t.perRate) {
            QVERIFY2(text.contains(r.net.toDecimalString().replace(u'.', u',')), qPrintable(r.key + u" net"_qs));
            QVERIFY2(text.contains(r.vat.toDecimalString().replace(u'.', u',')), qPrintable(r.key + u" VAT"_qs));
        }
        QVERIFY(text.contains(t.gross.toDecimalString().replace(u'.', u',') + u" PLN"_qs));
        QVERIFY(!text.contains(u"KSeF"_qs)); // no KSeF number yet, not offline: no KOD I
    }

    void kodOneWithKsefNumberOrOffline()
    {
        Document doc = invoice(test::companyOrder(u"Q-1"_qs, {test::item(u"Kubek"_qs, 1, 2460, u"23"_qs)}, 0));
        auto xml = toFa3Xml(doc, QDateTime(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC));
        SD_VERIFY_OK(xml);
        const QString url = kodOneUrl(doc, *xml);
        QVERIFY(url.startsWith(u"https://qr.ksef.mf.gov.pl/invoice/5265877635/24-11-2026/"_qs));
        QCOMPARE(url.section(u'/', -1).size(), 43); // SHA-256 in base64url without padding
        QVERIFY(!qrCodeImage(url).isNull());
        QVERIFY(qrCodeImage(url).width() > 100);

        doc.offline = true;
        QString text = test::pdfText(*renderPdf(doc, {*xml}));
        QVERIFY2(text.contains(u"OFFLINE"_qs), qPrintable(text));
        QVERIFY(text.contains(u"KOD I"_qs));
        doc.offline = false;
        doc.ksefNumber = u"5265877635-20250826-0100001AF629-AF"_qs;
        text = test::pdfText(*renderPdf(doc, {*xml}));
        QVERIFY(text.contains(doc.ksefNumber));
        QVERIFY(!text.contains(u"OFFLINE"_qs));
        // The QR is drawn: the page holds an image (the PDF's XObject).
        QVERIFY(renderPdf(doc, {*xml})->contains("/Subtype /Image"));
    }

    void englishForForeignBuyersAndCorrections()
    {
        domain::Order order = test::companyOrder(u"E-1"_qs, {test::item(u"Mug"_qs, 1, 2460, u"23"_qs)}, 0);
        order.invoice.companyName = u"Müller GmbH"_qs;
        order.invoice.nip = u"DE123456789"_qs;
        order.invoice.address = {{},           {},          u"Müller GmbH"_qs, u"Hauptstraße 5"_qs,
                                 u"Berlin"_qs, u"10115"_qs, u"DE"_qs,          {}};
        Document doc = invoice(order);
        QCOMPARE(doc.language, u"en"_qs);
        QString text = test::pdfText(*renderPdf(doc));
        for (const QString &field : {u"VAT invoice"_qs, u"Issue date: 2026-11-24"_qs, u"Seller"_qs, u"Buyer"_qs,
                                     u"VAT ID: DE123456789"_qs, u"Müller GmbH"_qs, u"Intra-Community supply"_qs,
                                     u"Unit price net"_qs, u"Paid: 24.60 PLN"_qs, u"1 Mug pcs 1"_qs})
            QVERIFY2(text.contains(field), qPrintable(u"missing \""_qs + field + u"\" in: "_qs + text));

        Document correction = invoice(test::companyOrder(u"E-2"_qs, {test::item(u"Kubek"_qs, 2, 2460, u"23"_qs)}, 0));
        correction.type = DocumentType::Correction;
        correction.correctedNumber = u"FV/7/11/2026"_qs;
        correction.correctedIssueDate = QDate(2026, 11, 20);
        correction.correctionReason = u"Zwrot towaru"_qs;
        correction.number = u"KOR/1/11/2026"_qs;
        correction.linesBefore = correction.lines;
        correction.lines[0].quantity = 1;
        text = test::pdfText(*renderPdf(correction));
        for (const QString &field :
             {u"Faktura korygująca"_qs, u"KOR/1/11/2026"_qs, u"Dotyczy faktury nr FV/7/11/2026"_qs, u"20.11.2026"_qs,
              u"Przyczyna korekty: Zwrot towaru"_qs, u"Przed korektą"_qs, u"Po korekcie"_qs, u"Do zwrotu: 24,60 PLN"_qs,
              u"-4,60"_qs})
            QVERIFY2(text.contains(field), qPrintable(u"missing \""_qs + field + u"\" in: "_qs + text));
    }
};

QTEST_MAIN(TestDocumentPdf)
#include "tst_documentpdf.moc"
