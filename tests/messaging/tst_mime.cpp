#include "messaging/mailmessage.h"
#include "messaging/smsgateway.h"

#include <QRegularExpression>
#include <QTest>

using namespace sd::messaging;

class TestMime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainAsciiStaysAsIs()
    {
        QCOMPARE(MimeBuilder::encodeWord(u"Order 12 shipped"_qs), QByteArray("Order 12 shipped"));
        QCOMPARE(MimeBuilder::formatAddress({u"shop@example.pl"_qs, u"Shop"_qs}), QByteArray("Shop <shop@example.pl>"));
        QCOMPARE(MimeBuilder::formatAddress({u"a@b.pl"_qs, u"Kowalski, Jan"_qs}),
                 QByteArray("\"Kowalski, Jan\" <a@b.pl>"));
    }

    void polishSubjectIsEncodedInWordsThatDecode()
    {
        const QString subject =
            u"Zamówienie nr 123: zażółć gęślą jaźń — przesyłka wysłana, dziękujemy za zakupy w sklepie Łódź 🚚"_qs;
        const QByteArray encoded = MimeBuilder::encodeWord(subject);
        QByteArray decoded;
        for (const QByteArray &line : encoded.split('\n')) {
            const QByteArray word = line.trimmed();
            QVERIFY(word.size() <= 75);
            QVERIFY(word.startsWith("=?UTF-8?B?"));
            QVERIFY(word.endsWith("?="));
            // Every word decodes on its own (no character split across words).
            const QByteArray bytes = QByteArray::fromBase64(word.mid(10, word.size() - 12));
            QVERIFY(!QString::fromUtf8(bytes).contains(QChar::ReplacementCharacter));
            decoded += bytes;
        }
        QCOMPARE(QString::fromUtf8(decoded), subject);
    }

    void structureOfTextHtmlAndAttachment()
    {
        MailMessage m;
        m.from = {u"shop@example.pl"_qs, u"Sklep Żółw"_qs};
        m.to = {{u"ania@example.com"_qs, {}}};
        m.subject = u"Faktura"_qs;
        m.text = u"Linia 1\nLinia 2"_qs;
        m.html = u"<p>Linia</p>"_qs;
        m.attachments = {{u"faktura.pdf"_qs, "application/pdf", QByteArray(5000, 'x')}};
        m.messageId = "abc@example.pl";
        const QByteArray mime = MimeBuilder::build(m);
        QVERIFY(mime.contains("Content-Type: multipart/mixed;\r\n boundary="));
        QVERIFY(mime.contains("Content-Type: multipart/alternative;\r\n boundary="));
        QVERIFY(mime.contains("Content-Type: text/plain; charset=UTF-8"));
        QVERIFY(mime.contains("Content-Type: text/html; charset=UTF-8"));
        QVERIFY(mime.contains("Content-Disposition: attachment;\r\n filename=\"faktura.pdf\""));
        QVERIFY(mime.contains("Message-ID: <abc@example.pl>"));
        QVERIFY(mime.contains("From: =?UTF-8?B?"));
        QVERIFY(mime.contains("MIME-Version: 1.0"));
        for (const QByteArray &line : mime.split('\n')) {
            QVERIFY2(line.size() <= 78, line.constData());
            QVERIFY(line.isEmpty() || line.endsWith('\r')); // CRLF everywhere, no bare LF
        }
        QVERIFY(QRegularExpression(
                    u"^Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\r$"_qs,
                    QRegularExpression::MultilineOption)
                    .match(QString::fromLatin1(mime))
                    .hasMatch());
    }

    void smsLength_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("unicode");
        QTest::addColumn<int>("characters");
        QTest::addColumn<int>("parts");
        QTest::newRow("empty") << QString() << false << 0 << 0;
        QTest::newRow("gsm 160") << QString(160, u'a') << false << 160 << 1;
        QTest::newRow("gsm 161") << QString(161, u'a') << false << 161 << 2;
        QTest::newRow("gsm 306") << QString(306, u'a') << false << 306 << 2;
        QTest::newRow("gsm 307") << QString(307, u'a') << false << 307 << 3;
        QTest::newRow("extension counts twice") << u"{cena} 10€"_qs << false << 13 << 1;
        QTest::newRow("polish 70") << (u"ą"_qs + QString(69, u'a')) << true << 70 << 1;
        QTest::newRow("polish 71") << (u"ł"_qs + QString(70, u'a')) << true << 71 << 2;
        QTest::newRow("polish 134") << (u"ż"_qs + QString(133, u'a')) << true << 134 << 2;
        QTest::newRow("polish 135") << (u"ó"_qs + QString(134, u'a')) << true << 135 << 3;
    }

    void smsLength()
    {
        QFETCH(QString, text);
        const SmsLength length = SmsLength::of(text);
        QTEST(length.unicode, "unicode");
        QTEST(length.characters, "characters");
        QTEST(length.parts, "parts");
    }

    void msisdn()
    {
        QCOMPARE(*SmsGateway::msisdn(u"500 600 700"_qs), u"48500600700"_qs);
        QCOMPARE(*SmsGateway::msisdn(u"+48 500-600-700"_qs), u"48500600700"_qs);
        QCOMPARE(*SmsGateway::msisdn(u"0049 151 2345678"_qs), u"491512345678"_qs);
        QVERIFY(!SmsGateway::msisdn(u"12"_qs));
    }
};

QTEST_GUILESS_MAIN(TestMime)
#include "tst_mime.moc"
