#include "domain/nip.h"

#include <QTest>

using namespace Qt::StringLiterals;
using sd::domain::Nip;

class TestNip : public QObject
{
    Q_OBJECT

private slots:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void wrongCheckDigitMessage();
    void defaultIsNull();
};

// The valid numbers below were computed with the NIP weights 6 5 7 2 3 4 5 6 7 (sum mod 11).
void TestNip::valid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("digits");
    QTest::addColumn<QString>("formatted");

    QTest::newRow("plain") << u"1234563218"_s << u"1234563218"_s << u"123-456-32-18"_s;
    QTest::newRow("person format") << u"123-456-32-18"_s << u"1234563218"_s << u"123-456-32-18"_s;
    QTest::newRow("company format") << u"123-45-63-218"_s << u"1234563218"_s << u"123-456-32-18"_s;
    QTest::newRow("eu prefix") << u"PL1234563218"_s << u"1234563218"_s << u"123-456-32-18"_s;
    QTest::newRow("lower-case prefix") << u"pl1234563218"_s << u"1234563218"_s << u"123-456-32-18"_s;
    QTest::newRow("prefix and spaces") << u"PL 123 456 32 18"_s << u"1234563218"_s << u"123-456-32-18"_s;
    QTest::newRow("surrounding spaces") << u"  5260259950 "_s << u"5260259950"_s << u"526-025-99-50"_s;
    QTest::newRow("check digit 9") << u"7792364789"_s << u"7792364789"_s << u"779-236-47-89"_s;
    QTest::newRow("check digit 5") << u"951-234-56-75"_s << u"9512345675"_s << u"951-234-56-75"_s;
    QTest::newRow("check digit 7") << u"1010001007"_s << u"1010001007"_s << u"101-000-10-07"_s;
}

void TestNip::valid()
{
    QFETCH(QString, text);
    QFETCH(QString, digits);
    QFETCH(QString, formatted);

    const auto nip = Nip::parse(text);
    QVERIFY2(nip.ok(), qPrintable(nip.error().userMessage));
    QCOMPARE(nip->digits(), digits);
    QCOMPARE(nip->formatted(), formatted);
    QVERIFY(!nip->isNull());
    QCOMPARE(*Nip::parse(nip->formatted()), *nip);
}

void TestNip::invalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");

    QTest::newRow("check digit one too high") << u"1234563219"_s << u"check digit"_s;
    QTest::newRow("check digit one too low") << u"1234563217"_s << u"check digit"_s;
    QTest::newRow("swapped digits") << u"2134563218"_s << u"check digit"_s;
    // 123456303 weighs to 10 mod 11: no check digit can make it valid.
    QTest::newRow("remainder 10, digit 0") << u"1234563030"_s << u"check digit"_s;
    QTest::newRow("remainder 10, digit 1") << u"1234563031"_s << u"check digit"_s;
    QTest::newRow("all zeros") << u"0000000000"_s << u"zeros"_s;
    QTest::newRow("all zeros formatted") << u"000-000-00-00"_s << u"zeros"_s;
    QTest::newRow("nine digits") << u"123456321"_s << u"9 digits"_s;
    QTest::newRow("eleven digits") << u"12345632181"_s << u"11 digits"_s;
    QTest::newRow("empty") << QString() << u"0 digits"_s;
    QTest::newRow("prefix only") << u"PL"_s << u"0 digits"_s;
    QTest::newRow("foreign prefix") << u"DE1234563218"_s << u"\"D\""_s;
    QTest::newRow("letter") << u"123456321A"_s << u"\"A\""_s;
    QTest::newRow("slash") << u"123/456/32/18"_s << u"\"/\""_s;
    QTest::newRow("prefix after digits") << u"1234563218PL"_s << u"\"P\""_s;
}

void TestNip::invalid()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);

    const auto nip = Nip::parse(text);
    QVERIFY(!nip);
    QCOMPARE(nip.error().code, sd::Error::Code::Invalid);
    QVERIFY2(nip.error().userMessage.contains(text), qPrintable(nip.error().userMessage));
    QVERIFY2(nip.error().userMessage.contains(reason), qPrintable(nip.error().userMessage));
}

void TestNip::wrongCheckDigitMessage()
{
    QCOMPARE(Nip::parse(u"1234567890"_s).error().userMessage, u"NIP 1234567890 has a wrong check digit"_s);
}

void TestNip::defaultIsNull()
{
    const Nip nip;
    QVERIFY(nip.isNull());
    QVERIFY(nip.digits().isEmpty());
    QVERIFY(nip.formatted().isEmpty());
}

QTEST_GUILESS_MAIN(TestNip)
#include "tst_nip.moc"
