#include "documentfixtures.h"
#include "documents/documentbuilder.h"
#include "documents/fa3xml.h"
#include "testsupport.h"

#include <QXmlStreamReader>

using namespace sd;
using namespace sd::documents;
using domain::Money;

namespace {

const QDateTime kGenerated(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC);

Document build(const domain::Order &order, const DocumentSettings &settings = {}, BuildOptions options = {})
{
    options.issueDate = QDate(2026, 11, 24);
    auto doc = buildFromOrder(order, test::sampleCompany(), settings, options);
    if (!doc)
        qFatal("%s", qPrintable(doc.error().text()));
    doc->number = u"FV/1/11/2026"_qs;
    doc->state = DocumentState::Issued;
    return *doc;
}

// The element names under the path (e.g. {"Faktura", "Fa"}), in document order.
QStringList childrenOf(const QByteArray &xml, const QStringList &path)
{
    QXmlStreamReader r(xml);
    QStringList stack;
    QStringList out;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement()) {
            if (stack == path)
                out.append(r.name().toString());
            stack.append(r.name().toString());
        } else if (r.isEndElement()) {
            stack.removeLast();
        }
    }
    return out;
}

// Every element both have appears in the same relative order in ours as in the sample.
bool sameOrder(const QStringList &ours, const QStringList &sample)
{
    qsizetype last = -1;
    for (const QString &name : ours) {
        const qsizetype at = sample.indexOf(name);
        if (at < 0)
            continue;
        if (at < last)
            return false;
        last = at;
    }
    return true;
}

} // namespace

class TestFa3 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void officialSampleValidates()
    {
        const QByteArray sample = test::readFile(QStringLiteral(SD_KSEF_SAMPLE));
        QVERIFY(!sample.isEmpty());
        SD_VERIFY_OK(validateFa3(sample));
    }

    void corpusValidates_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("one rate, paid") << 0;
        QTest::newRow("mixed rates, shipping, discount") << 1;
        QTest::newRow("private person") << 2;
        QTest::newRow("foreign consumer, OSS") << 3;
        QTest::newRow("EU company, WDT") << 4;
        QTest::newRow("export outside the EU") << 5;
        QTest::newRow("simplified") << 6;
        QTest::newRow("many lines, unpaid, due date") << 7;
        QTest::newRow("correction") << 8;
        QTest::newRow("exempt and zero rates") << 9;
    }
    void corpusValidates()
    {
        QFETCH(int, which);
        domain::Order order = test::companyOrder(u"CORPUS-%1"_qs.arg(which),
                                                 {test::item(u"Kubek ceramiczny 300 ml"_qs, 2, 2999, u"23"_qs)}, 1299);
        DocumentSettings settings;
        BuildOptions options;
        Document doc;
        switch (which) {
        case 0:
            doc = build(order);
            break;
        case 1:
            order.items = {test::item(u"Kubek"_qs, 3, 2460, u"23"_qs),
                           test::item(u"Książka \"Pan Tadeusz\" & <inne>"_qs, 1, 3999, u"5"_qs),
                           test::item(u"Zakładka"_qs, 4, 199, u"8"_qs)};
            order.adjustments = {{u"discount"_qs, u"Kupon -10%"_qs, Money(-1234, u"PLN"_qs)},
                                 {u"surcharge"_qs, u"Pobranie"_qs, Money(500, u"PLN"_qs)}};
            order.total = order.computedTotal();
            doc = build(order);
            break;
        case 2:
            order.invoice = {};
            settings.invoicePrivatePersons = true;
            doc = build(order, settings);
            QCOMPARE(doc.type, DocumentType::Private);
            break;
        case 3:
            order.invoice = {};
            order.delivery.address = {u"Hans"_qs,   u"Müller"_qs, {},       u"Hauptstraße 5"_qs,
                                      u"Berlin"_qs, u"10115"_qs,  u"DE"_qs, {}};
            settings.invoicePrivatePersons = true;
            settings.ossEnabled = true;
            settings.ossRates = DocumentSettings::defaultOssRates();
            doc = build(order, settings);
            break;
        case 4:
            order.invoice.companyName = u"Novák s.r.o."_qs;
            order.invoice.nip = u"CZ12345678"_qs;
            order.invoice.address = {{},          {},           u"Novák s.r.o."_qs, u"Václavské nám. 1"_qs,
                                     u"Praha"_qs, u"110 00"_qs, u"CZ"_qs,           {}};
            doc = build(order);
            break;
        case 5:
            order.invoice.companyName = u"Swiss AG"_qs;
            order.invoice.nip = u"CHE-123.456.789"_qs;
            order.invoice.address = {{},           {},         u"Swiss AG"_qs, u"Bahnhofstrasse 1"_qs,
                                     u"Zürich"_qs, u"8001"_qs, u"CH"_qs,       {}};
            doc = build(order);
            break;
        case 6:
            options.type = DocumentType::Simplified;
            doc = build(order, settings, options);
            break;
        case 7:
            order.items.clear();
            for (int i = 0; i < 120; ++i)
                order.items.append(
                    test::item(u"Produkt %1"_qs.arg(i), 1 + i % 3, 100 + 37 * i, i % 3 ? u"23"_qs : u"8"_qs));
            order.payment.status = domain::PaymentStatus::Unpaid;
            order.total = order.computedTotal();
            doc = build(order);
            QVERIFY(doc.dueDate.isValid());
            break;
        case 8: {
            Document invoice = build(order);
            doc = invoice;
            doc.type = DocumentType::Correction;
            doc.number = u"KOR/1/11/2026"_qs;
            doc.correctionReason = u"Zwrot towaru"_qs;
            doc.correctedNumber = invoice.number;
            doc.correctedIssueDate = invoice.issueDate;
            doc.correctedKsefNumber = u"5265877635-20250826-0100001AF629-AF"_qs;
            doc.linesBefore = invoice.lines;
            doc.lines[0].quantity = 1;
            QCOMPARE(doc.totals().gross.minor(), -2999);
            break;
        }
        case 9:
            order.items = {test::item(u"Usługa zwolniona"_qs, 1, 10000, u"zw"_qs),
                           test::item(u"Towar 0%"_qs, 1, 5000, u"0"_qs), test::item(u"Kubek"_qs, 1, 1230, u"23"_qs)};
            order.total = order.computedTotal();
            doc = build(order);
            break;
        }
        auto xml = toFa3Xml(doc, kGenerated);
        SD_VERIFY_OK(xml);
        auto valid = validateFa3(*xml);
        if (!valid)
            qWarning().noquote() << QString::fromUtf8(*xml);
        SD_VERIFY_OK(valid);

        // The official sample's structure: the same top level, and what both have in the same order.
        const QByteArray sample = test::readFile(QStringLiteral(SD_KSEF_SAMPLE));
        QCOMPARE(childrenOf(*xml, {u"Faktura"_qs}),
                 (QStringList{u"Naglowek"_qs, u"Podmiot1"_qs, u"Podmiot2"_qs, u"Fa"_qs}));
        QVERIFY(sameOrder(childrenOf(*xml, {u"Faktura"_qs, u"Fa"_qs}), childrenOf(sample, {u"Faktura"_qs, u"Fa"_qs})));
        QCOMPARE(childrenOf(*xml, {u"Faktura"_qs, u"Fa"_qs, u"Adnotacje"_qs}),
                 childrenOf(sample, {u"Faktura"_qs, u"Fa"_qs, u"Adnotacje"_qs}));
        QCOMPARE(childrenOf(*xml, {u"Faktura"_qs, u"Naglowek"_qs}),
                 childrenOf(sample, {u"Faktura"_qs, u"Naglowek"_qs}));
        // P_15 is the document's gross total.
        QVERIFY(xml->contains(QByteArray("<P_15>" + doc.totals().gross.toDecimalString().toUtf8() + "</P_15>")));
    }

    void fieldsOfTheMixedInvoice()
    {
        domain::Order order = test::companyOrder(
            u"M-1"_qs, {test::item(u"Kubek"_qs, 1, 2460, u"23"_qs), test::item(u"Książka"_qs, 2, 1050, u"5"_qs)}, 0);
        const Document doc = build(order);
        auto xml = toFa3Xml(doc, kGenerated);
        SD_VERIFY_OK(xml);
        for (const char *expected :
             {"<P_13_1>20.00</P_13_1>", "<P_14_1>4.60</P_14_1>", "<P_13_3>20.00</P_13_3>", "<P_14_3>1.00</P_14_3>",
              "<P_15>45.60</P_15>", "<P_2>FV/1/11/2026</P_2>", "<NIP>1111111111</NIP>",
              "<RodzajFaktury>VAT</RodzajFaktury>", "<P_9B>10.50</P_9B>", "<P_11A>21.00</P_11A>", "<P_12>5</P_12>",
              "<FormaPlatnosci>6</FormaPlatnosci>", "<DataWytworzeniaFa>2026-11-24T12:00:00Z</DataWytworzeniaFa>",
              "<Zaplacono>1</Zaplacono>"})
            QVERIFY2(xml->contains(expected), expected);
    }

    void invalidDocumentSaysWhy()
    {
        Document doc = build(test::companyOrder(u"X-1"_qs, {test::item(u"Kubek"_qs, 1, 100, u"23"_qs)}, 0));
        doc.number.clear(); // P_2 may not be empty
        auto xml = validFa3Xml(doc, kGenerated);
        QVERIFY(!xml.ok());
        QCOMPARE(xml.error().code, Error::Code::Invalid);
        QVERIFY2(xml.error().userMessage.contains(u"P_2"), qPrintable(xml.error().userMessage));
        QVERIFY(xml.error().userMessage.contains(u"line "));

        doc = build(test::companyOrder(u"X-2"_qs, {test::item(u"Kubek"_qs, 1, 100, u"23"_qs)}, 0));
        doc.type = DocumentType::Proforma;
        QVERIFY(!toFa3Xml(doc, kGenerated).ok());
        QVERIFY(!validateFa3("<Faktura>").ok());
    }
};

QTEST_GUILESS_MAIN(TestFa3)
#include "tst_fa3.moc"
