#include "domain/ean.h"

#include <QTest>

using namespace Qt::StringLiterals;
using sd::domain::Ean;

class TestEan : public QObject
{
    Q_OBJECT

private slots:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void checkDigit_data();
    void checkDigit();
    void generatedCodesParse_data();
    void generatedCodesParse();
    void defaultIsNull();
};

// Check digits computed with the GS1 mod-10 rule (weights 3, 1, 3, ... from the right of the body).
void TestEan::valid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("code");

    QTest::newRow("ean-13") << u"5901234123457"_s << u"5901234123457"_s;
    QTest::newRow("ean-13 german") << u"4006381333931"_s << u"4006381333931"_s;
    QTest::newRow("isbn as ean-13") << u"9780143007234"_s << u"9780143007234"_s;
    QTest::newRow("ean-13 as printed") << u"5 901234 123457"_s << u"5901234123457"_s;
    QTest::newRow("ean-13 padded") << u" 5901234123457\n"_s << u"5901234123457"_s;
    QTest::newRow("ean-8") << u"96385074"_s << u"96385074"_s;
    QTest::newRow("ean-8 polish") << u"59012344"_s << u"59012344"_s;
    QTest::newRow("upc-a") << u"036000291452"_s << u"036000291452"_s;
    QTest::newRow("gtin-14") << u"15901234123454"_s << u"15901234123454"_s;
    QTest::newRow("gtin-14 leading zeros") << u"00012345600012"_s << u"00012345600012"_s;
}

void TestEan::valid()
{
    QFETCH(QString, text);
    QFETCH(QString, code);

    const auto ean = Ean::parse(text);
    QVERIFY2(ean.ok(), qPrintable(ean.error().userMessage));
    QCOMPARE(ean->code(), code);
    QVERIFY(!ean->isNull());
}

void TestEan::invalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");

    QTest::newRow("ean-13 check digit") << u"5901234123458"_s << u"check digit"_s;
    QTest::newRow("ean-13 swapped digits") << u"5901234213457"_s << u"check digit"_s;
    QTest::newRow("ean-8 check digit") << u"96385075"_s << u"check digit"_s;
    QTest::newRow("upc-a check digit") << u"036000291453"_s << u"check digit"_s;
    QTest::newRow("gtin-14 check digit") << u"15901234123455"_s << u"check digit"_s;
    QTest::newRow("all zeros") << u"0000000000000"_s << u"zeros"_s;
    QTest::newRow("all zeros ean-8") << u"00000000"_s << u"zeros"_s;
    QTest::newRow("empty") << QString() << u"0 digits"_s;
    QTest::newRow("seven digits") << u"5901234"_s << u"7 digits"_s;
    QTest::newRow("nine digits") << u"590123412"_s << u"9 digits"_s;
    QTest::newRow("eleven digits") << u"03600029145"_s << u"11 digits"_s;
    QTest::newRow("fifteen digits") << u"159012341234540"_s << u"15 digits"_s;
    QTest::newRow("letter") << u"590123412345X"_s << u"\"X\""_s;
    QTest::newRow("hyphen") << u"590-1234-123457"_s << u"\"-\""_s;
}

void TestEan::invalid()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);

    const auto ean = Ean::parse(text);
    QVERIFY(!ean);
    QCOMPARE(ean.error().code, sd::Error::Code::Invalid);
    QVERIFY2(ean.error().userMessage.contains(text), qPrintable(ean.error().userMessage));
    QVERIFY2(ean.error().userMessage.contains(reason), qPrintable(ean.error().userMessage));
}

void TestEan::checkDigit_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QChar>("digit");

    QTest::newRow("ean-13") << u"590123412345"_s << QChar(u'7');
    QTest::newRow("ean-8") << u"9638507"_s << QChar(u'4');
    QTest::newRow("upc-a") << u"03600029145"_s << QChar(u'2');
    QTest::newRow("gtin-14") << u"1590123412345"_s << QChar(u'4');
    QTest::newRow("sum already a multiple of 10") << u"0000000"_s << QChar(u'0');
    QTest::newRow("single digit") << u"1"_s << QChar(u'7');
    QTest::newRow("empty") << QString() << QChar();
    QTest::newRow("letter") << u"59012a"_s << QChar();
    QTest::newRow("space") << u"590 123"_s << QChar();
}

void TestEan::checkDigit()
{
    QFETCH(QString, body);
    QFETCH(QChar, digit);

    QCOMPARE(Ean::checkDigit(body), digit);
}

void TestEan::generatedCodesParse_data()
{
    QTest::addColumn<QString>("body");

    // In-store codes (prefix 20-29 for EAN-13, 2 for EAN-8) as the app would generate them.
    QTest::newRow("ean-8") << u"2000001"_s;
    QTest::newRow("ean-13") << u"200000000001"_s;
    QTest::newRow("ean-13 high") << u"299999999999"_s;
    QTest::newRow("gtin-14") << u"1200000000001"_s;
}

void TestEan::generatedCodesParse()
{
    QFETCH(QString, body);

    const QChar digit = Ean::checkDigit(body);
    QVERIFY(digit.isDigit());
    QVERIFY(Ean::parse(body + digit).ok());
    // Every other final digit is wrong.
    for (char16_t other = u'0'; other <= u'9'; ++other) {
        if (other != digit)
            QVERIFY(!Ean::parse(body + QChar(other)).ok());
    }
}

void TestEan::defaultIsNull()
{
    QVERIFY(Ean().isNull());
    QVERIFY(Ean().code().isEmpty());
}

QTEST_GUILESS_MAIN(TestEan)
#include "tst_ean.moc"
