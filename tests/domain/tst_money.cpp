#include "domain/money.h"

#include <QLocale>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using sd::domain::Money;

namespace {
constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kMin = std::numeric_limits<qint64>::min();
} // namespace

class TestMoney : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void parseErrorNamesTheValue_data();
    void parseErrorNamesTheValue();
    void parseRounded_data();
    void parseRounded();
    void currencies_data();
    void currencies();
    void toDecimalString_data();
    void toDecimalString();
    void decimalStringRoundTrips_data();
    void decimalStringRoundTrips();
    void toDisplayString_data();
    void toDisplayString();
    void toDisplayStringUsesDefaultLocale();
    void percentOf_data();
    void percentOf();
    void arithmetic();
};

void TestMoney::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("minor");

    const QString pln = u"PLN"_s;
    QTest::newRow("dot") << u"123.45"_s << pln << true << qint64(12345);
    QTest::newRow("comma") << u"123,45"_s << pln << true << qint64(12345);
    QTest::newRow("negative half") << u"-0.5"_s << pln << true << qint64(-50);
    QTest::newRow("integer") << u"7"_s << pln << true << qint64(700);
    QTest::newRow("plus") << u"+7"_s << pln << true << qint64(700);
    QTest::newRow("one grosz") << u"0.01"_s << pln << true << qint64(1);
    QTest::newRow("negative grosze") << u"-0.05"_s << pln << true << qint64(-5);
    QTest::newRow("space groups") << u"1 234,56"_s << pln << true << qint64(123456);
    QTest::newRow("nbsp groups") << u"1\u00A0234,56"_s << pln << true << qint64(123456);
    QTest::newRow("narrow nbsp groups") << u"1\u202F234\u202F567,89"_s << pln << true << qint64(123456789);
    QTest::newRow("negative grouped") << u"-12 345.60"_s << pln << true << qint64(-1234560);
    QTest::newRow("surrounding spaces") << u"  42.10 "_s << pln << true << qint64(4210);
    QTest::newRow("leading zeros") << u"007"_s << pln << true << qint64(700);
    QTest::newRow("minus zero") << u"-0"_s << pln << true << qint64(0);
    QTest::newRow("unicode minus") << u"\u22120,05"_s << pln << true << qint64(-5);
    QTest::newRow("trailing zeros are exact") << u"10.500"_s << pln << true << qint64(1050);
    QTest::newRow("largest") << u"92233720368547758.07"_s << pln << true << kMax;
    QTest::newRow("most negative accepted") << u"-92233720368547758.07"_s << pln << true << -kMax;
    QTest::newRow("yen") << u"1500"_s << u"JPY"_s << true << qint64(1500);
    QTest::newRow("yen zero fraction") << u"1500.0"_s << u"JPY"_s << true << qint64(1500);
    QTest::newRow("euro") << u"19,99"_s << u"EUR"_s << true << qint64(1999);

    QTest::newRow("empty") << QString() << pln << false << qint64(0);
    QTest::newRow("blank") << u"   "_s << pln << false << qint64(0);
    QTest::newRow("letters") << u"abc"_s << pln << false << qint64(0);
    QTest::newRow("trailing letter") << u"12a"_s << pln << false << qint64(0);
    QTest::newRow("currency suffix") << u"12.00 zł"_s << pln << false << qint64(0);
    QTest::newRow("exponent") << u"1e5"_s << pln << false << qint64(0);
    QTest::newRow("two dots") << u"12.3.4"_s << pln << false << qint64(0);
    QTest::newRow("two commas") << u"1,234,567"_s << pln << false << qint64(0);
    // Either separator may be the decimal one, so a mixed pair is ambiguous: refused, never guessed.
    QTest::newRow("english grouping") << u"1,234.56"_s << pln << false << qint64(0);
    QTest::newRow("german grouping") << u"1.234,56"_s << pln << false << qint64(0);
    QTest::newRow("too many fraction digits") << u"1.005"_s << pln << false << qint64(0);
    QTest::newRow("yen fraction") << u"100.5"_s << u"JPY"_s << false << qint64(0);
    QTest::newRow("group of two") << u"12 34"_s << pln << false << qint64(0);
    QTest::newRow("group of four") << u"1 2345"_s << pln << false << qint64(0);
    QTest::newRow("middle group of two") << u"1 23 456"_s << pln << false << qint64(0);
    QTest::newRow("middle group of four") << u"1 2345 678"_s << pln << false << qint64(0);
    QTest::newRow("first group of four") << u"1234 567"_s << pln << false << qint64(0);
    QTest::newRow("double space") << u"1  234"_s << pln << false << qint64(0);
    QTest::newRow("space before separator") << u"1 234 ,5"_s << pln << false << qint64(0);
    QTest::newRow("space in fraction") << u"1,2 3"_s << pln << false << qint64(0);
    QTest::newRow("space after sign") << u"- 5"_s << pln << false << qint64(0);
    QTest::newRow("space after sign before a group") << u"- 123"_s << pln << false << qint64(0);
    QTest::newRow("no integer digits") << u".5"_s << pln << false << qint64(0);
    QTest::newRow("no fraction digits") << u"5."_s << pln << false << qint64(0);
    QTest::newRow("sign only") << u"-"_s << pln << false << qint64(0);
    QTest::newRow("two signs") << u"+-5"_s << pln << false << qint64(0);
    QTest::newRow("trailing sign") << u"5-"_s << pln << false << qint64(0);
    QTest::newRow("arabic-indic digits") << u"\u0661\u0662"_s << pln << false << qint64(0);
    QTest::newRow("overflow by one") << u"92233720368547758.08"_s << pln << false << qint64(0);
    QTest::newRow("negative overflow") << u"-92233720368547758.09"_s << pln << false << qint64(0);
    QTest::newRow("huge") << u"99999999999999999999999"_s << pln << false << qint64(0);
    QTest::newRow("unknown currency") << u"1.00"_s << u"XYZ"_s << false << qint64(0);
    QTest::newRow("lower-case currency") << u"1.00"_s << u"pln"_s << false << qint64(0);
    QTest::newRow("no currency") << u"1.00"_s << QString() << false << qint64(0);
}

void TestMoney::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, currency);
    QFETCH(bool, ok);
    QFETCH(qint64, minor);

    const auto result = Money::parse(text, currency);
    QCOMPARE(result.ok(), ok);
    if (ok) {
        QCOMPARE(result->minor(), minor);
        QCOMPARE(result->currency(), currency);
    } else {
        QCOMPARE(result.error().code, sd::Error::Code::Invalid);
        QVERIFY(!result.error().userMessage.isEmpty());
    }
}

void TestMoney::parseErrorNamesTheValue_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<QStringList>("mentions");

    QTest::newRow("letters") << u"12a"_s << u"PLN"_s << QStringList{u"12a"_s, u"\"a\""_s};
    QTest::newRow("two separators") << u"12.3.4"_s << u"PLN"_s << QStringList{u"12.3.4"_s, u"separator"_s};
    QTest::newRow("fraction digits") << u"1.005"_s << u"PLN"_s << QStringList{u"1.005"_s, u"PLN"_s, u"(2)"_s};
    QTest::newRow("overflow") << u"99999999999999999999"_s << u"PLN"_s
                              << QStringList{u"99999999999999999999"_s, u"too large"_s};
    QTest::newRow("grouping") << u"12 34"_s << u"PLN"_s << QStringList{u"12 34"_s, u"spaces"_s};
    QTest::newRow("currency") << u"1"_s << u"XYZ"_s << QStringList{u"XYZ"_s};
}

void TestMoney::parseErrorNamesTheValue()
{
    QFETCH(QString, text);
    QFETCH(QString, currency);
    QFETCH(QStringList, mentions);

    const auto result = Money::parse(text, currency);
    QVERIFY(!result);
    for (const QString &mention : std::as_const(mentions))
        QVERIFY2(result.error().userMessage.contains(mention), qPrintable(result.error().userMessage));
}

void TestMoney::parseRounded_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("minor");

    const QString pln = u"PLN"_s;
    QTest::newRow("half up") << u"0.005"_s << pln << true << qint64(1);
    QTest::newRow("half away from zero") << u"-0.005"_s << pln << true << qint64(-1);
    QTest::newRow("below half") << u"0.004"_s << pln << true << qint64(0);
    QTest::newRow("negative below half") << u"-0.004"_s << pln << true << qint64(0);
    QTest::newRow("just below half") << u"1.994999999"_s << pln << true << qint64(199);
    QTest::newRow("carry into units") << u"1.999"_s << pln << true << qint64(200);
    QTest::newRow("negative carry") << u"-1.999"_s << pln << true << qint64(-200);
    QTest::newRow("carry into thousands") << u"999,995"_s << pln << true << qint64(100000);
    // 2.675 is 2.67499999... as a double; decimal parsing has no such trap.
    QTest::newRow("binary trap") << u"2.675"_s << pln << true << qint64(268);
    QTest::newRow("exact stays") << u"12.34"_s << pln << true << qint64(1234);
    QTest::newRow("integer") << u"12"_s << pln << true << qint64(1200);
    QTest::newRow("grouped") << u"1 234,5678"_s << pln << true << qint64(123457);
    QTest::newRow("yen half") << u"2.5"_s << u"JPY"_s << true << qint64(3);
    QTest::newRow("yen negative half") << u"-2.5"_s << u"JPY"_s << true << qint64(-3);
    QTest::newRow("yen below half") << u"2.49"_s << u"JPY"_s << true << qint64(2);
    QTest::newRow("largest after rounding") << u"92233720368547758.065"_s << pln << true << kMax;
    QTest::newRow("rounding overflows") << u"92233720368547758.075"_s << pln << false << qint64(0);
    QTest::newRow("still refuses letters") << u"abc"_s << pln << false << qint64(0);
    QTest::newRow("still refuses two separators") << u"12.3.4"_s << pln << false << qint64(0);
    QTest::newRow("still refuses empty") << QString() << pln << false << qint64(0);
}

void TestMoney::parseRounded()
{
    QFETCH(QString, text);
    QFETCH(QString, currency);
    QFETCH(bool, ok);
    QFETCH(qint64, minor);

    const auto result = Money::parseRounded(text, currency);
    QCOMPARE(result.ok(), ok);
    if (ok) {
        QCOMPARE(result->minor(), minor);
        QCOMPARE(result->currency(), currency);
    }
}

void TestMoney::currencies_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("known");
    QTest::addColumn<int>("digits");

    for (const char *code : {"PLN", "EUR", "USD", "GBP", "CZK", "HUF", "SEK", "NOK", "DKK", "CHF", "RON", "BGN", "UAH"})
        QTest::newRow(code) << QString::fromLatin1(code) << true << 2;
    QTest::newRow("JPY") << u"JPY"_s << true << 0;
    QTest::newRow("lower case") << u"pln"_s << false << 2;
    QTest::newRow("unknown") << u"XYZ"_s << false << 2;
    QTest::newRow("too long") << u"PLNX"_s << false << 2;
    QTest::newRow("empty") << QString() << false << 2;
}

void TestMoney::currencies()
{
    QFETCH(QString, code);
    QFETCH(bool, known);
    QFETCH(int, digits);

    QCOMPARE(Money::isKnownCurrency(code), known);
    QCOMPARE(Money::minorDigits(code), digits);
}

void TestMoney::toDecimalString_data()
{
    QTest::addColumn<qint64>("minor");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << qint64(12345) << u"PLN"_s << u"123.45"_s;
    QTest::newRow("negative grosze") << qint64(-5) << u"PLN"_s << u"-0.05"_s;
    QTest::newRow("zero") << qint64(0) << u"PLN"_s << u"0.00"_s;
    QTest::newRow("one grosz") << qint64(1) << u"PLN"_s << u"0.01"_s;
    QTest::newRow("whole") << qint64(700) << u"EUR"_s << u"7.00"_s;
    QTest::newRow("negative") << qint64(-123456) << u"PLN"_s << u"-1234.56"_s;
    QTest::newRow("yen") << qint64(1500) << u"JPY"_s << u"1500"_s;
    QTest::newRow("negative yen") << qint64(-3) << u"JPY"_s << u"-3"_s;
    QTest::newRow("largest") << kMax << u"PLN"_s << u"92233720368547758.07"_s;
    QTest::newRow("most negative") << kMin << u"PLN"_s << u"-92233720368547758.08"_s;
}

void TestMoney::toDecimalString()
{
    QFETCH(qint64, minor);
    QFETCH(QString, currency);
    QFETCH(QString, expected);

    QCOMPARE(Money(minor, currency).toDecimalString(), expected);
}

void TestMoney::decimalStringRoundTrips_data()
{
    QTest::addColumn<qint64>("minor");
    QTest::addColumn<QString>("currency");

    for (qint64 minor : {qint64(0), qint64(1), qint64(-1), qint64(99), qint64(-100), qint64(123456789), kMax, -kMax})
        QTest::addRow("PLN %lld", static_cast<long long>(minor)) << minor << u"PLN"_s;
    QTest::newRow("JPY") << qint64(-42) << u"JPY"_s;
}

void TestMoney::decimalStringRoundTrips()
{
    QFETCH(qint64, minor);
    QFETCH(QString, currency);

    const Money money(minor, currency);
    const auto parsed = Money::parse(money.toDecimalString(), currency);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error().userMessage));
    QCOMPARE(*parsed, money);
}

void TestMoney::toDisplayString_data()
{
    QTest::addColumn<QString>("locale");
    QTest::addColumn<qint64>("minor");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<QString>("expected");

    // Polish leaves four-digit numbers ungrouped (CLDR minimum grouping digits 2) and groups with no-break spaces.
    QTest::newRow("pl four digits") << u"pl_PL"_s << qint64(123456) << u"PLN"_s << u"1234,56\u00A0zł"_s;
    QTest::newRow("pl five digits") << u"pl_PL"_s << qint64(1234567) << u"PLN"_s << u"12\u00A0345,67\u00A0zł"_s;
    QTest::newRow("pl millions") << u"pl_PL"_s << qint64(123456789) << u"PLN"_s << u"1\u00A0234\u00A0567,89\u00A0zł"_s;
    QTest::newRow("pl negative") << u"pl_PL"_s << qint64(-5) << u"PLN"_s << u"-0,05\u00A0zł"_s;
    QTest::newRow("pl zero") << u"pl_PL"_s << qint64(0) << u"PLN"_s << u"0,00\u00A0zł"_s;
    QTest::newRow("pl foreign currency") << u"pl_PL"_s << qint64(1999) << u"EUR"_s << u"19,99\u00A0EUR"_s;
    QTest::newRow("pl yen") << u"pl_PL"_s << qint64(1234567) << u"JPY"_s << u"1\u00A0234\u00A0567\u00A0JPY"_s;
    QTest::newRow("us foreign currency") << u"en_US"_s << qint64(123456) << u"PLN"_s << u"PLN\u00A01,234.56"_s;
    QTest::newRow("us own currency") << u"en_US"_s << qint64(123456) << u"USD"_s << u"$1,234.56"_s;
    QTest::newRow("us negative") << u"en_US"_s << qint64(-123456) << u"USD"_s << u"-$1,234.56"_s;
    QTest::newRow("de euro") << u"de_DE"_s << qint64(123456) << u"EUR"_s << u"1.234,56\u00A0€"_s;
}

void TestMoney::toDisplayString()
{
    QFETCH(QString, locale);
    QFETCH(qint64, minor);
    QFETCH(QString, currency);
    QFETCH(QString, expected);

    QCOMPARE(Money(minor, currency).toDisplayString(QLocale(locale)), expected);
}

void TestMoney::toDisplayStringUsesDefaultLocale()
{
    const QLocale previous;
    QLocale::setDefault(QLocale(QLocale::Polish, QLocale::Poland));
    const QString text = Money(123456789, u"PLN"_s).toDisplayString();
    QLocale::setDefault(previous);
    QCOMPARE(text, u"1\u00A0234\u00A0567,89\u00A0zł"_s);
}

void TestMoney::percentOf_data()
{
    QTest::addColumn<qint64>("minor");
    QTest::addColumn<qint64>("basisPoints");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("vat 23 of 100.00") << qint64(10000) << qint64(2300) << qint64(2300);
    QTest::newRow("vat 23 of 0.05") << qint64(5) << qint64(2300) << qint64(1);    // 1.15
    QTest::newRow("vat 23 of -0.05") << qint64(-5) << qint64(2300) << qint64(-1); // -1.15
    QTest::newRow("vat 23 of 0.01") << qint64(1) << qint64(2300) << qint64(0);    // 0.23
    QTest::newRow("vat 23 of 0.02") << qint64(2) << qint64(2300) << qint64(0);    // 0.46
    QTest::newRow("vat 23 of 0.03") << qint64(3) << qint64(2300) << qint64(1);    // 0.69
    QTest::newRow("just below half") << qint64(1) << qint64(4999) << qint64(0);   // 0.4999
    QTest::newRow("exactly half") << qint64(1) << qint64(5000) << qint64(1);      // 0.5
    QTest::newRow("negative just below half") << qint64(-1) << qint64(4999) << qint64(0);
    QTest::newRow("vat 8 of 123.45") << qint64(12345) << qint64(800) << qint64(988);  // 987.6
    QTest::newRow("vat 5 of 123.45") << qint64(12345) << qint64(500) << qint64(617);  // 617.25
    QTest::newRow("exact half") << qint64(10) << qint64(500) << qint64(1);            // 0.5
    QTest::newRow("negative exact half") << qint64(-10) << qint64(500) << qint64(-1); // -0.5
    QTest::newRow("quarter of 0.02") << qint64(2) << qint64(2500) << qint64(1);       // 0.5
    QTest::newRow("discount") << qint64(12345) << qint64(-1000) << qint64(-1235);     // -1234.5
    QTest::newRow("zero amount") << qint64(0) << qint64(2300) << qint64(0);
    QTest::newRow("zero rate") << qint64(12345) << qint64(0) << qint64(0);
    QTest::newRow("whole") << qint64(12345) << qint64(10000) << qint64(12345);
    QTest::newRow("no intermediate overflow") << kMax << qint64(10000) << kMax;
    QTest::newRow("half of the largest") << kMax << qint64(5000) << qint64(4611686018427387904);
    QTest::newRow("half of the most negative") << kMin << qint64(5000) << qint64(-4611686018427387904);
    QTest::newRow("saturates high") << kMax << qint64(20000) << kMax;
    QTest::newRow("saturates low") << kMin << qint64(20000) << kMin;
}

void TestMoney::percentOf()
{
    QFETCH(qint64, minor);
    QFETCH(qint64, basisPoints);
    QFETCH(qint64, expected);

    const Money result = Money(minor, u"PLN"_s).percentOf(basisPoints);
    QCOMPARE(result.minor(), expected);
    QCOMPARE(result.currency(), u"PLN"_s);
}

void TestMoney::arithmetic()
{
    const Money price(1999, u"PLN"_s);
    QCOMPARE(price + Money(1, u"PLN"_s), Money(2000, u"PLN"_s));
    QCOMPARE(price - Money(2000, u"PLN"_s), Money(-1, u"PLN"_s));
    QCOMPARE(-price, Money(-1999, u"PLN"_s));
    QCOMPARE(price * 3, Money(5997, u"PLN"_s));
    // A null Money (no currency) takes the other side's currency: sums can start from Money().
    Money sum;
    QVERIFY(sum.isNull());
    sum += price;
    QCOMPARE(sum, price);
    QVERIFY(!sum.isNull());
    QVERIFY(Money(0, u"PLN"_s).isZero());
    QVERIFY(!price.isZero());
}

QTEST_GUILESS_MAIN(TestMoney)
#include "tst_money.moc"
