#include "domain/address.h"

#include <QTest>

using namespace Qt::StringLiterals;
using sd::domain::Address;
using sd::domain::PickupPoint;

namespace {

Address warsaw()
{
    Address a;
    a.firstName = u"Jan"_s;
    a.lastName = u"Kowalski"_s;
    a.street = u"ul. Marszałkowska 1/2"_s;
    a.city = u"Warszawa"_s;
    a.postCode = u"00-950"_s;
    a.countryCode = u"PL"_s;
    a.phone = u"+48600700800"_s;
    return a;
}

} // namespace

class TestAddress : public QObject
{
    Q_OBJECT

private slots:
    void validate_data();
    void validate();
    void isEmpty_data();
    void isEmpty();
    void pickupPointIsEmpty();
    void equality();
};

void TestAddress::validate_data()
{
    QTest::addColumn<QString>("street");
    QTest::addColumn<QString>("city");
    QTest::addColumn<QString>("postCode");
    QTest::addColumn<QString>("countryCode");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("mentions");

    const QString street = u"ul. Marszałkowska 1/2"_s;
    const QString city = u"Warszawa"_s;
    QTest::newRow("polish") << street << city << u"00-950"_s << u"PL"_s << true << QString();
    QTest::newRow("polish padded post code") << street << city << u" 31-012 "_s << u"PL"_s << true << QString();
    QTest::newRow("german") << u"Unter den Linden 1"_s << u"Berlin"_s << u"10117"_s << u"DE"_s << true << QString();
    QTest::newRow("british") << u"10 Downing St"_s << u"London"_s << u"SW1A 2AA"_s << u"GB"_s << true << QString();
    QTest::newRow("czech") << u"Václavské nám. 1"_s << u"Praha"_s << u"110 00"_s << u"CZ"_s << true << QString();

    QTest::newRow("no street") << QString() << city << u"00-950"_s << u"PL"_s << false << u"street"_s;
    QTest::newRow("blank street") << u"   "_s << city << u"00-950"_s << u"PL"_s << false << u"street"_s;
    QTest::newRow("no city") << street << QString() << u"00-950"_s << u"PL"_s << false << u"city"_s;
    QTest::newRow("no post code") << street << city << QString() << u"PL"_s << false << u"post code"_s;
    QTest::newRow("no country") << street << city << u"00-950"_s << QString() << false << u"country"_s;
    QTest::newRow("lower-case country") << street << city << u"00-950"_s << u"pl"_s << false << u"\"pl\""_s;
    QTest::newRow("three-letter country") << street << city << u"00-950"_s << u"POL"_s << false << u"\"POL\""_s;
    QTest::newRow("digit in country") << street << city << u"00-950"_s << u"P1"_s << false << u"\"P1\""_s;
    QTest::newRow("pl without hyphen") << street << city << u"00950"_s << u"PL"_s << false << u"\"00950\""_s;
    QTest::newRow("pl short") << street << city << u"0-950"_s << u"PL"_s << false << u"\"0-950\""_s;
    QTest::newRow("pl long") << street << city << u"00-9500"_s << u"PL"_s << false << u"\"00-9500\""_s;
    QTest::newRow("pl hyphen misplaced") << street << city << u"009-50"_s << u"PL"_s << false << u"\"009-50\""_s;
    QTest::newRow("pl en dash") << street << city << u"00\u2013950"_s << u"PL"_s << false << u"00\u2013950"_s;
    QTest::newRow("pl space") << street << city << u"00 950"_s << u"PL"_s << false << u"\"00 950\""_s;
    QTest::newRow("pl letters") << street << city << u"AB-CDE"_s << u"PL"_s << false << u"\"AB-CDE\""_s;
}

void TestAddress::validate()
{
    QFETCH(QString, street);
    QFETCH(QString, city);
    QFETCH(QString, postCode);
    QFETCH(QString, countryCode);
    QFETCH(bool, ok);
    QFETCH(QString, mentions);

    Address address = warsaw();
    address.street = street;
    address.city = city;
    address.postCode = postCode;
    address.countryCode = countryCode;
    const auto result = address.validate();
    QCOMPARE(result.ok(), ok);
    if (!ok) {
        QCOMPARE(result.error().code, sd::Error::Code::Invalid);
        QVERIFY2(result.error().userMessage.contains(mentions), qPrintable(result.error().userMessage));
    }
}

void TestAddress::isEmpty_data()
{
    QTest::addColumn<int>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("empty");

    QTest::newRow("nothing set") << -1 << QString() << true;
    const char *names[] = {"firstName", "lastName", "companyName", "street",
                           "city",      "postCode", "countryCode", "phone"};
    for (int field = 0; field < 8; ++field) {
        QTest::addRow("%s set", names[field]) << field << u"x"_s << false;
        QTest::addRow("%s blank", names[field]) << field << u" \t"_s << true;
    }
}

void TestAddress::isEmpty()
{
    QFETCH(int, field);
    QFETCH(QString, value);
    QFETCH(bool, empty);

    Address address;
    QString *fields[] = {&address.firstName, &address.lastName, &address.companyName, &address.street,
                         &address.city,      &address.postCode, &address.countryCode, &address.phone};
    if (field >= 0)
        *fields[field] = value;
    QCOMPARE(address.isEmpty(), empty);
}

void TestAddress::pickupPointIsEmpty()
{
    PickupPoint point;
    QVERIFY(point.isEmpty());
    point.id = u"WAW01A"_s;
    QVERIFY(!point.isEmpty());

    PickupPoint named;
    named.name = u"Paczkomat WAW01A"_s;
    QVERIFY(!named.isEmpty());

    PickupPoint located;
    located.address.city = u"Warszawa"_s;
    QVERIFY(!located.isEmpty());

    PickupPoint blank;
    blank.description = u"  "_s;
    QVERIFY(blank.isEmpty());
}

void TestAddress::equality()
{
    QCOMPARE(warsaw(), warsaw());
    Address other = warsaw();
    other.phone.clear();
    QVERIFY(other != warsaw());

    PickupPoint a;
    a.id = u"KRA01M"_s;
    a.address = warsaw();
    PickupPoint b = a;
    QVERIFY(a == b);
    b.address.city = u"Kraków"_s;
    QVERIFY(a != b);
}

QTEST_GUILESS_MAIN(TestAddress)
#include "tst_address.moc"
