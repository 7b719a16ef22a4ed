#include "messaging/smsgateway.h"
#include "smsgatewayfake.h"
#include "testsupport.h"

#include <QTest>

using namespace sd;
using namespace sd::messaging;

class TestSms : public QObject
{
    Q_OBJECT

    SmsAccount account(quint16 port)
    {
        SmsAccount a;
        a.baseUrl = QUrl(u"http://127.0.0.1:%1/"_qs.arg(port));
        a.sender = u"Sklep"_qs;
        return a;
    }

private Q_SLOTS:
    void polishTextGoesOutInSmsapisShape()
    {
        test::SmsGatewayFake gateway("token-123");
        const quint16 port = gateway.start();
        QVERIFY(port);
        const QString text = u"Zamówienie 12 wysłane: paczka w drodze, śledzenie https://inpost.pl/?n=1+2&x=ż"_qs;
        auto sent = SmsGateway::send(account(port), "token-123", u"500 600 700"_qs, text, u"key/1"_qs);
        SD_VERIFY_OK(sent);
        QCOMPARE(sent->id, u"SMS1"_qs);
        QCOMPARE(sent->status, u"QUEUE"_qs);
        QCOMPARE(sent->parts, SmsLength::of(text).parts);
        QCOMPARE(gateway.received.size(), 1);
        const auto &r = gateway.received.first();
        QCOMPARE(r.authorization, QByteArray("Bearer token-123"));
        QVERIFY(r.contentType.startsWith("application/x-www-form-urlencoded"));
        QCOMPARE(r.form.queryItemValue(u"to"_qs), u"48500600700"_qs);
        QCOMPARE(r.form.queryItemValue(u"message"_qs, QUrl::FullyDecoded), text);
        QCOMPARE(r.form.queryItemValue(u"format"_qs), u"json"_qs);
        QCOMPARE(r.form.queryItemValue(u"encoding"_qs), u"utf-8"_qs);
        QCOMPARE(r.form.queryItemValue(u"from"_qs), u"Sklep"_qs);
        QVERIFY(!r.form.queryItemValue(u"idx"_qs).isEmpty());
    }

    void repeatedKeyIsRefusedByTheGateway()
    {
        test::SmsGatewayFake gateway("t");
        const quint16 port = gateway.start();
        SD_VERIFY_OK(SmsGateway::send(account(port), "t", u"500600700"_qs, u"a"_qs, u"same"_qs));
        auto again = SmsGateway::send(account(port), "t", u"500600700"_qs, u"a"_qs, u"same"_qs);
        QVERIFY(!again);
        QCOMPARE(again.error().code, Error::Code::Invalid);
    }

    void errorsUnderHttp200AndServerFailures()
    {
        test::SmsGatewayFake gateway("t");
        const quint16 port = gateway.start();
        gateway.errorCode = 98;
        auto restricted = SmsGateway::send(account(port), "t", u"500600700"_qs, u"a"_qs, u"k1"_qs);
        QVERIFY(!restricted);
        QCOMPARE(restricted.error().code, Error::Code::Invalid); // not retried
        QVERIFY(restricted.error().detail.contains(u"error 98"_qs));

        gateway.failNext = 1;
        auto failed = SmsGateway::send(account(port), "t", u"500600700"_qs, u"a"_qs, u"k2"_qs);
        QVERIFY(!failed);
        QCOMPARE(failed.error().code, Error::Code::Io); // retried later

        auto badToken = SmsGateway::send(account(port), "wrong", u"500600700"_qs, u"a"_qs, u"k3"_qs);
        QVERIFY(!badToken);
        QCOMPARE(badToken.error().code, Error::Code::Invalid);
        QVERIFY(!badToken.error().text().contains(u"wrong"_qs));
    }

    void gatewayDown()
    {
        quint16 port = 0;
        {
            test::SmsGatewayFake gone("t");
            port = gone.start();
        }
        auto r = SmsGateway::send(account(port), "t", u"500600700"_qs, u"a"_qs, u"k"_qs, false, 3000);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Io);
    }
};

QTEST_GUILESS_MAIN(TestSms)
#include "tst_sms.moc"
