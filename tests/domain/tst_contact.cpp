#include "domain/contact.h"

#include <QTest>

using namespace Qt::StringLiterals;
using sd::domain::Email;
using sd::domain::Phone;

class TestContact : public QObject
{
    Q_OBJECT

private slots:
    void phone_data();
    void phone();
    void phoneRefused_data();
    void phoneRefused();
    void email_data();
    void email();
    void emailRefused_data();
    void emailRefused();
    void defaultsAreNull();
};

void TestContact::phone_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("e164");

    QTest::newRow("international spaced") << u"+48 600 700 800"_s << u"+48600700800"_s;
    QTest::newRow("national mobile") << u"600700800"_s << u"+48600700800"_s;
    QTest::newRow("national hyphens") << u"600-700-800"_s << u"+48600700800"_s;
    QTest::newRow("double zero prefix") << u"0048600700800"_s << u"+48600700800"_s;
    QTest::newRow("double zero spaced") << u"00 48 600 700 800"_s << u"+48600700800"_s;
    QTest::newRow("landline with area code") << u"(22) 123 45 67"_s << u"+48221234567"_s;
    QTest::newRow("old trunk prefix") << u"(0-22) 123-45-67"_s << u"+48221234567"_s;
    QTest::newRow("country code without plus") << u"48600700800"_s << u"+48600700800"_s;
    QTest::newRow("padded") << u"  +48600700800 "_s << u"+48600700800"_s;
    QTest::newRow("nbsp") << u"600\u00A0700\u00A0800"_s << u"+48600700800"_s;
    QTest::newRow("german") << u"+49 30 1234567"_s << u"+49301234567"_s;
    QTest::newRow("us") << u"+1 (212) 555-0100"_s << u"+12125550100"_s;
    QTest::newRow("czech via 00") << u"00420 601 234 567"_s << u"+420601234567"_s;
    QTest::newRow("fifteen digits") << u"+123456789012345"_s << u"+123456789012345"_s;
    QTest::newRow("eight digits") << u"+370 1234 5"_s << u"+37012345"_s;
}

void TestContact::phone()
{
    QFETCH(QString, text);
    QFETCH(QString, e164);

    const auto phone = Phone::parse(text);
    QVERIFY2(phone.ok(), qPrintable(phone.error().userMessage));
    QCOMPARE(phone->e164(), e164);
    QCOMPARE(*Phone::parse(phone->e164()), *phone);
}

void TestContact::phoneRefused_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << QString();
    QTest::newRow("blank") << u"   "_s;
    QTest::newRow("letters") << u"abc"_s;
    QTest::newRow("trailing letter") << u"600 700 80a"_s;
    QTest::newRow("prefix word") << u"tel. 600700800"_s;
    QTest::newRow("extension") << u"+48 22 123 45 67 ext 12"_s;
    QTest::newRow("national eight digits") << u"60070080"_s;
    QTest::newRow("national ten digits") << u"6007008001"_s;
    QTest::newRow("plus48 eight digits") << u"+48 600 700 80"_s;
    QTest::newRow("plus48 ten digits") << u"+48 600 700 8000"_s;
    QTest::newRow("00 48 ten digits") << u"0048 600 700 8000"_s;
    QTest::newRow("sixteen digits") << u"+1234567890123456"_s;
    QTest::newRow("seven digits") << u"+3701234"_s;
    QTest::newRow("country code zero") << u"+0 123 456 789"_s;
    QTest::newRow("plus in the middle") << u"600+700800"_s;
    QTest::newRow("two pluses") << u"++48600700800"_s;
    QTest::newRow("plus only") << u"+"_s;
}

void TestContact::phoneRefused()
{
    QFETCH(QString, text);

    const auto phone = Phone::parse(text);
    QVERIFY(!phone);
    QCOMPARE(phone.error().code, sd::Error::Code::Invalid);
    if (!text.trimmed().isEmpty())
        QVERIFY2(phone.error().userMessage.contains(text), qPrintable(phone.error().userMessage));
}

void TestContact::email_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("address");

    QTest::newRow("plain") << u"jan@example.pl"_s << u"jan@example.pl"_s;
    QTest::newRow("padded") << u"  jan@example.pl\n"_s << u"jan@example.pl"_s;
    QTest::newRow("domain lower-cased, local kept") << u"Jan.Kowalski@Example.PL"_s << u"Jan.Kowalski@example.pl"_s;
    QTest::newRow("allegro relay") << u"abc123+2f3e@allegromail.pl"_s << u"abc123+2f3e@allegromail.pl"_s;
    QTest::newRow("short") << u"a@b.co"_s << u"a@b.co"_s;
    QTest::newRow("subdomain") << u"biuro@sklep.example.com.pl"_s << u"biuro@sklep.example.com.pl"_s;
    QTest::newRow("polish domain") << u"jan@żółw.pl"_s << u"jan@żółw.pl"_s;

    const QString local64(64, u'a');
    const QString domain189 = QString(61, u'b') + u'.' + QString(61, u'b') + u'.' + QString(61, u'b') + u".com";
    QCOMPARE((local64 + u'@' + domain189).size(), 254);
    QTest::newRow("254 characters") << local64 + u'@' + domain189 << local64 + u'@' + domain189;
}

void TestContact::email()
{
    QFETCH(QString, text);
    QFETCH(QString, address);

    const auto email = Email::parse(text);
    QVERIFY2(email.ok(), qPrintable(email.error().userMessage));
    QCOMPARE(email->address(), address);
}

void TestContact::emailRefused_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << QString();
    QTest::newRow("no at") << u"jan.example.pl"_s;
    QTest::newRow("nothing after at") << u"jan@"_s;
    QTest::newRow("nothing before at") << u"@example.pl"_s;
    QTest::newRow("domain without dot") << u"jan@localhost"_s;
    QTest::newRow("two ats") << u"jan@@example.pl"_s;
    QTest::newRow("at in domain") << u"jan@ex@ample.pl"_s;
    QTest::newRow("space in local part") << u"jan kowalski@example.pl"_s;
    QTest::newRow("space in domain") << u"jan@exam ple.pl"_s;
    QTest::newRow("tab") << u"jan\t@example.pl"_s;
    QTest::newRow("display name") << u"Jan <jan@example.pl>"_s;
    QTest::newRow("domain starts with dot") << u"jan@.example.pl"_s;
    QTest::newRow("domain ends with dot") << u"jan@example.pl."_s;
    QTest::newRow("double dot in domain") << u"jan@example..pl"_s;
    QTest::newRow("domain starts with hyphen") << u"jan@-example.pl"_s;
    // Placeholders in the input must reach the message as typed, not be filled in.
    QTest::newRow("placeholder in input") << u"jan%2@localhost"_s;

    const QString local64(64, u'a');
    const QString domain189 = QString(61, u'b') + u'.' + QString(61, u'b') + u'.' + QString(61, u'b') + u".com";
    QTest::newRow("255 characters") << local64 + u'@' + u'b' + domain189;
    QTest::newRow("local part of 65") << QString(65, u'a') + u"@example.pl";
}

void TestContact::emailRefused()
{
    QFETCH(QString, text);

    const auto email = Email::parse(text);
    QVERIFY(!email);
    QCOMPARE(email.error().code, sd::Error::Code::Invalid);
    if (!text.isEmpty())
        QVERIFY2(email.error().userMessage.contains(text.trimmed()), qPrintable(email.error().userMessage));
}

void TestContact::defaultsAreNull()
{
    QVERIFY(Phone().isNull());
    QVERIFY(Phone().e164().isEmpty());
    QVERIFY(Email().isNull());
    QVERIFY(Email().address().isEmpty());
}

QTEST_GUILESS_MAIN(TestContact)
#include "tst_contact.moc"
