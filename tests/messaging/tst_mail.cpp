#include "messaging/smtpsender.h"
#include "smtpsink.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTest>

using namespace sd;
using namespace sd::messaging;

namespace {

// A small but real PDF (the receiving side checks the bytes, not the layout) with random bytes that exercise base64.
QByteArray samplePdf()
{
    QByteArray pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n";
    for (int i = 0; i < 3000; ++i)
        pdf.append(char(QRandomGenerator::global()->bounded(256)));
    return pdf + "\n%%EOF\n";
}

int freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

MailAccount localAccount(int port, MailAccount::Security security, const QString &caFile = {})
{
    MailAccount account;
    account.host = security == MailAccount::Security::None ? u"127.0.0.1"_qs : u"localhost"_qs; // the certificate's
    account.port = port;
    account.security = security;
    account.from = {u"sklep@example.pl"_qs, {}};
    account.timeoutSeconds = 10;
    account.caFile = caFile;
    return account;
}

MailMessage shortMessage(const MailAccount &account)
{
    return {account.from, {{u"a@example.com"_qs, {}}}, {}, u"x"_qs, u"x"_qs, {}, {}, {}};
}

} // namespace

class TestMail : public QObject
{
    Q_OBJECT

    bool startSink(test::SmtpSink &sink, const test::SmtpSink::Options &options)
    {
        if (sink.start(options))
            return true;
        qWarning().noquote() << sink.error();
        return false;
    }

private Q_SLOTS:
    void polishMessageWithPdfArrivesIntact_data()
    {
        QTest::addColumn<QString>("tls");
        QTest::addColumn<bool>("auth");
        QTest::newRow("plain, no auth") << u"none"_qs << false;
        QTest::newRow("plain, auth") << u"none"_qs << true;
        QTest::newRow("starttls, auth") << u"starttls"_qs << true;
        QTest::newRow("ssl, auth") << u"ssl"_qs << true;
    }

    void polishMessageWithPdfArrivesIntact()
    {
        QFETCH(QString, tls);
        QFETCH(bool, auth);
        test::SmtpSink sink;
        test::SmtpSink::Options options;
        options.tls = tls;
        if (auth) {
            options.user = u"sklep"_qs;
            options.password = u"tajne-hasło"_qs;
        }
        QVERIFY2(startSink(sink, options), qPrintable(sink.error()));

        MailAccount account;
        account.host = tls == u"none" ? u"127.0.0.1"_qs : u"localhost"_qs; // the certificate's name
        account.port = sink.port();
        account.security = *MailAccount::securityFromKey(tls);
        account.user = options.user;
        account.from = {u"sklep@example.pl"_qs, u"Sklep Żółw – Łódź"_qs};
        account.timeoutSeconds = 10;
        if (tls != u"none")
            account.caFile = sink.certificate();

        MailMessage m;
        m.from = account.from;
        m.to = {{u"ania@example.com"_qs, u"Anna Wiśniewska"_qs}};
        m.subject = u"Faktura FV 12/2026 do zamówienia nr 123 — dziękujemy! Zażółć gęślą jaźń"_qs;
        m.text = u"Dzień dobry,\nw załączniku faktura.\n.\nZdanie z kropką na początku:\n.kropka\nPozdrawiamy"_qs;
        m.html = u"<p>Dzień dobry, <b>załącznik</b></p>"_qs;
        const QByteArray pdf = samplePdf();
        m.attachments = {{u"Faktura FV 12-2026 – źdźbło.pdf"_qs, "application/pdf", pdf}};
        m.messageId = "test-123@example.pl";
        SD_VERIFY_OK(SmtpSender::send(account, options.password.toUtf8(), m));

        const auto received = sink.messages();
        QCOMPARE(received.size(), 1);
        const QJsonObject r = received.first();
        QCOMPARE(r.value(u"subject").toString(), m.subject);
        QCOMPARE(r.value(u"from_name").toString(), account.from.name);
        QCOMPARE(r.value(u"from_addr").toString(), u"sklep@example.pl"_qs);
        QCOMPARE(r.value(u"to_names").toArray().at(0).toString(), u"Anna Wiśniewska"_qs);
        QCOMPARE(r.value(u"envelope_to").toArray().at(0).toString(), u"ania@example.com"_qs);
        QCOMPARE(r.value(u"content_type").toString(), u"multipart/mixed"_qs);
        QCOMPARE(r.value(u"defects").toArray().size(), 0);
        QCOMPARE(r.value(u"bare_lf").toInt(), 0);
        QVERIFY(r.value(u"longest_line").toInt() <= 78);
        // The text part decodes to what was sent (line ends as CRLF; dot-stuffing undone by the server).
        QCOMPARE(r.value(u"text").toString().replace(u"\r\n"_qs, u"\n"_qs).trimmed(), m.text);
        QVERIFY(r.value(u"html").toString().contains(u"<b>załącznik</b>"_qs));
        QCOMPARE(r.value(u"message_id").toString(), u"<test-123@example.pl>"_qs);
        const QJsonArray attachments = r.value(u"attachments").toArray();
        QCOMPARE(attachments.size(), 1);
        const QJsonObject a = attachments.first().toObject();
        QCOMPARE(a.value(u"filename").toString(), m.attachments.first().fileName);
        QCOMPARE(a.value(u"type").toString(), u"application/pdf"_qs);
        QCOMPARE(a.value(u"size").toInt(), pdf.size());
        QCOMPARE(a.value(u"sha256").toString(),
                 QString::fromLatin1(QCryptographicHash::hash(pdf, QCryptographicHash::Sha256).toHex()));
        QVERIFY(a.value(u"pdf").toBool());
        QCOMPARE(r.value(u"authenticated").toBool(), auth);
    }

    void wrongPasswordIsRefusedForGood()
    {
        test::SmtpSink sink;
        QVERIFY2(startSink(sink, {u"starttls"_qs, u"sklep"_qs, u"dobre"_qs, 0, 0}), qPrintable(sink.error()));
        MailAccount account = localAccount(sink.port(), MailAccount::Security::StartTls, sink.certificate());
        account.user = u"sklep"_qs;
        auto r = SmtpSender::send(account, "złe", shortMessage(account));
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Invalid);
        QVERIFY(!r.error().text().contains(u"złe"_qs)); // the password is never in a message
        QCOMPARE(sink.messages().size(), 0);
    }

    void untrustedCertificateIsRefused()
    {
        test::SmtpSink sink;
        QVERIFY2(startSink(sink, {u"starttls"_qs, {}, {}, 0, 0}), qPrintable(sink.error()));
        // No CA file: the self-signed certificate is not trusted.
        const MailAccount account = localAccount(sink.port(), MailAccount::Security::StartTls);
        auto r = SmtpSender::send(account, {}, shortMessage(account));
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Invalid);
        QCOMPARE(sink.messages().size(), 0);
    }

    void serverDownIsWorthARetry()
    {
        const MailAccount account = localAccount(freePort(), MailAccount::Security::None);
        auto r = SmtpSender::send(account, {}, shortMessage(account));
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Io);
    }

    void temporaryRefusalIsWorthARetry()
    {
        test::SmtpSink sink;
        QVERIFY2(startSink(sink, {u"none"_qs, {}, {}, 1, 0}), qPrintable(sink.error()));
        const MailAccount account = localAccount(sink.port(), MailAccount::Security::None);
        const MailMessage m = shortMessage(account);
        auto first = SmtpSender::send(account, {}, m);
        QVERIFY(!first);
        QCOMPARE(first.error().code, Error::Code::Io); // 451
        SD_VERIFY_OK(SmtpSender::send(account, {}, m));
        QCOMPARE(sink.messages().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestMail)
#include "tst_mail.moc"
