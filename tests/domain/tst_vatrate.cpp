#include "domain/vatrate.h"

#include <QTest>

using namespace Qt::StringLiterals;
using sd::domain::VatRate;

class TestVatRate : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void refused_data();
    void refused();
    void factories_data();
    void factories();
    void defaultIsInvalid();
};

void TestVatRate::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<VatRate::Kind>("kind");
    QTest::addColumn<int>("percent");
    QTest::addColumn<QString>("code");

    QTest::newRow("23") << u"23"_s << VatRate::Kind::Percent << 23 << u"23"_s;
    QTest::newRow("23%") << u"23%"_s << VatRate::Kind::Percent << 23 << u"23"_s;
    QTest::newRow("23 % padded") << u" 23 % "_s << VatRate::Kind::Percent << 23 << u"23"_s;
    QTest::newRow("8") << u"8"_s << VatRate::Kind::Percent << 8 << u"8"_s;
    QTest::newRow("8%") << u"8%"_s << VatRate::Kind::Percent << 8 << u"8"_s;
    QTest::newRow("5") << u"5"_s << VatRate::Kind::Percent << 5 << u"5"_s;
    QTest::newRow("0") << u"0"_s << VatRate::Kind::Percent << 0 << u"0"_s;
    QTest::newRow("0%") << u"0%"_s << VatRate::Kind::Percent << 0 << u"0"_s;
    QTest::newRow("zw") << u"zw"_s << VatRate::Kind::Exempt << 0 << u"zw"_s;
    QTest::newRow("ZW") << u"ZW"_s << VatRate::Kind::Exempt << 0 << u"zw"_s;
    QTest::newRow("Zw padded") << u"\tZw "_s << VatRate::Kind::Exempt << 0 << u"zw"_s;
    QTest::newRow("np") << u"np"_s << VatRate::Kind::NotSubject << 0 << u"np"_s;
    QTest::newRow("NP") << u"NP"_s << VatRate::Kind::NotSubject << 0 << u"np"_s;
    QTest::newRow("oo") << u"oo"_s << VatRate::Kind::ReverseCharge << 0 << u"oo"_s;
    QTest::newRow("OO") << u"OO"_s << VatRate::Kind::ReverseCharge << 0 << u"oo"_s;
}

void TestVatRate::parse()
{
    QFETCH(QString, text);
    QFETCH(VatRate::Kind, kind);
    QFETCH(int, percent);
    QFETCH(QString, code);

    const auto rate = VatRate::parse(text);
    QVERIFY2(rate.ok(), qPrintable(rate.error().userMessage));
    QVERIFY(rate->isValid());
    QCOMPARE(rate->kind(), kind);
    QCOMPARE(rate->percentValue(), percent);
    QCOMPARE(rate->code(), code);
    // The code is what gets stored: it must parse back to the same rate.
    QCOMPARE(*VatRate::parse(rate->code()), *rate);
}

void TestVatRate::refused_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << QString();
    QTest::newRow("blank") << u"  "_s;
    QTest::newRow("percent sign only") << u"%"_s;
    QTest::newRow("historic 22") << u"22"_s;
    QTest::newRow("historic 7") << u"7"_s;
    QTest::newRow("historic 3") << u"3"_s;
    QTest::newRow("100") << u"100"_s;
    QTest::newRow("negative") << u"-23"_s;
    QTest::newRow("leading zero") << u"023"_s;
    QTest::newRow("decimal") << u"23.00"_s;
    QTest::newRow("decimal comma") << u"23,0"_s;
    QTest::newRow("fraction") << u"0.23"_s;
    QTest::newRow("zw with dot") << u"zw."_s;
    QTest::newRow("double percent") << u"23%%"_s;
    QTest::newRow("word") << u"exempt"_s;
}

void TestVatRate::refused()
{
    QFETCH(QString, text);

    const auto rate = VatRate::parse(text);
    QVERIFY(!rate);
    QCOMPARE(rate.error().code, sd::Error::Code::Invalid);
    QVERIFY2(rate.error().userMessage.contains(u'"' + text + u'"'), qPrintable(rate.error().userMessage));
    QVERIFY(rate.error().userMessage.contains(u"zw"));
}

void TestVatRate::factories_data()
{
    QTest::addColumn<VatRate>("rate");
    QTest::addColumn<QString>("code");

    QTest::newRow("percent") << VatRate::percent(23) << u"23"_s;
    QTest::newRow("exempt") << VatRate::exempt() << u"zw"_s;
    QTest::newRow("not subject") << VatRate::notSubject() << u"np"_s;
    QTest::newRow("reverse charge") << VatRate::reverseCharge() << u"oo"_s;
}

void TestVatRate::factories()
{
    QFETCH(VatRate, rate);
    QFETCH(QString, code);

    QVERIFY(rate.isValid());
    QCOMPARE(rate.code(), code);
}

void TestVatRate::defaultIsInvalid()
{
    const VatRate rate;
    QVERIFY(!rate.isValid());
    QVERIFY(rate.code().isEmpty());
    QVERIFY(rate != VatRate::percent(0));
}

QTEST_GUILESS_MAIN(TestVatRate)
#include "tst_vatrate.moc"
