#include "messagesdialog.h"
#include "messaging/autoresponder.h"
#include "messaging/messagingaccounts.h"
#include "messaging/outbox.h"
#include "messagingsettingsdialog.h"
#include "orderview.h"
#include "security/filesecretstore.h"
#include "smtpsink.h"
#include "storage/orderstore.h"
#include "templateseditor.h"
#include "testsupport.h"

#include <QCheckBox>
#include <QJsonArray>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;

// The messaging pages offscreen: the settings keep what was typed and name bad input, the template editor's preview
// is filled from a real order and counts SMS parts, the messages list shows sent and received messages.
class TestMessagingPages : public QObject
{
    Q_OBJECT

    std::optional<test::TempDatabase> m_fresh;
    qint64 m_orderId = 0;

private Q_SLOTS:
    void init()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_messaging_pages"_qs);
        SD_VERIFY_OK(fresh);
        m_fresh = *fresh;
        storage::OrderStore store(m_fresh->db);
        auto id = store.apply(storage::OrderChange::create(test::sampleOrder(u"MSG-1"_qs), {u"cli"_qs, {}, 0}));
        SD_VERIFY_OK(id);
        m_orderId = id->orderId;
    }

    void settingsSaveAndRefuseBadInput()
    {
        ui::MessagingSettingsDialog dialog(m_fresh->db, nullptr);
        auto *holidays = dialog.findChildren<QPlainTextEdit *>().last();
        auto *text = dialog.findChildren<QPlainTextEdit *>().first();
        auto boxes = dialog.findChildren<QCheckBox *>();
        QCheckBox *enabled = nullptr;
        QCheckBox *invoiceMail = nullptr;
        for (QCheckBox *b : boxes) {
            if (b->text() == u"Answer buyers' messages automatically")
                enabled = b;
            if (b->text() == u"E-mail issued invoices to the buyer with the PDF")
                invoiceMail = b;
        }
        QVERIFY(enabled && invoiceMail);
        enabled->setChecked(true);
        invoiceMail->setChecked(true);
        text->setPlainText(u"Dziękujemy za wiadomość."_qs);
        holidays->setPlainText(u"2026-12-25\njutro"_qs);
        QVERIFY(!dialog.save());
        QVERIFY(dialog.message().contains(u"jutro"_qs));
        QCOMPARE(holidays->toPlainText(), u"2026-12-25\njutro"_qs); // nothing typed is lost
        holidays->setPlainText(u"2026-12-25"_qs);
        QVERIFY2(dialog.save(), qPrintable(dialog.message()));
        auto saved = messaging::Autoresponder::load(*m_fresh->db);
        SD_VERIFY_OK(saved);
        QVERIFY(saved->enabled);
        QCOMPARE(saved->text, u"Dziękujemy za wiadomość."_qs);
        QCOMPARE(saved->hours.holidays, QList<QDate>{QDate(2026, 12, 25)});
        QCOMPARE(*messaging::MessagingAccounts(m_fresh->db).setting(u"invoice.mail"_qs), u"1"_qs);
        // A7's link points at the shop's site: a web address, or nothing (the shop's address + /confirm).
        QLineEdit *confirmation = nullptr;
        for (QLineEdit *e : dialog.findChildren<QLineEdit *>())
            if (e->placeholderText().contains(u"/confirm"_qs))
                confirmation = e;
        QVERIFY(confirmation);
        confirmation->setText(u"sklep bez adresu"_qs);
        QVERIFY(!dialog.save());
        QVERIFY(dialog.message().contains(u"confirmation link"_qs));
        QCOMPARE(confirmation->text(), u"sklep bez adresu"_qs);
        confirmation->setText(u"https://sklep.example.pl/potwierdz"_qs);
        QVERIFY2(dialog.save(), qPrintable(dialog.message()));
        QCOMPARE(*messaging::MessagingAccounts(m_fresh->db).setting(u"confirmation.url"_qs),
                 u"https://sklep.example.pl/potwierdz"_qs);
        // Without a mail account the test e-mail says what to do.
        QVERIFY(!dialog.sendTestMail());
        QVERIFY(!dialog.message().isEmpty());
    }

    // The "Send test e-mail" button: through the chosen account (AUTH, password from the secret store) to a real
    // SMTP server on loopback; the recipient gets the test message.
    void sendTestEmailButtonSends()
    {
        test::SmtpSink sink;
        QVERIFY2(sink.start({u"starttls"_qs, u"sklep"_qs, u"hasło"_qs, 0, 0}), qPrintable(sink.error()));
        QTemporaryDir dir;
        auto secrets = std::make_shared<security::FileSecretStore>(dir.filePath(u"secrets.enc"_qs), "pw", 1000);
        SD_VERIFY_OK(secrets->unlock());
        messaging::MailAccount account;
        account.name = u"Sklep"_qs;
        account.host = u"127.0.0.1"_qs;
        account.port = sink.port();
        account.security = messaging::MailAccount::Security::StartTls;
        account.caFile = sink.certificate();
        account.user = u"sklep"_qs;
        account.from = {u"sklep@example.pl"_qs, u"Sklep Żółw"_qs};
        account.timeoutSeconds = 5;
        SD_VERIFY_OK(messaging::MessagingAccounts(m_fresh->db).saveMail(account, QByteArray("hasło"), secrets.get()));
        ui::MessagingSettingsDialog dialog(m_fresh->db, secrets);
        auto *table = dialog.findChild<QTableWidget *>();
        QVERIFY(table && table->rowCount() == 1);
        table->selectRow(0);
        QPushButton *button = nullptr;
        for (QPushButton *b : dialog.findChildren<QPushButton *>())
            if (b->text() == u"Send &test e-mail")
                button = b;
        QVERIFY(button);
        QLineEdit *to = nullptr;
        for (QLineEdit *e : dialog.findChildren<QLineEdit *>())
            if (e->placeholderText() == u"recipient of the test e-mail")
                to = e;
        QVERIFY(to);
        to->setText(u"ja@example.pl"_qs);
        button->click();
        QVERIFY2(dialog.message().contains(u"ja@example.pl"_qs), qPrintable(dialog.message()));
        QTRY_COMPARE(sink.messages().size(), 1);
        QCOMPARE(sink.messages().constFirst().value(u"subject").toString(), u"SellerDesk test message"_qs);
        QCOMPARE(sink.messages().constFirst().value(u"envelope_to").toArray().at(0).toString(), u"ja@example.pl"_qs);
    }

    void templatePreviewUsesARealOrder()
    {
        ui::TemplatesEditor editor(m_fresh->db);
        editor.setTemplate(u"statusChanged"_qs, u"pl"_qs);
        editor.setText(u"Zamówienie {orderId}"_qs, u"Dzień dobry, zamówienie {orderId} jest w drodze."_qs,
                       u"Zamowienie {orderId} wyslane"_qs);
        QVERIFY(editor.previewText().contains(u"Zamówienie %1"_qs.arg(m_orderId)));
        QVERIFY(editor.smsInfo().contains(u"1 part"_qs) && !editor.smsInfo().contains(u"2 part"_qs));
        editor.setText(u"x"_qs, u"y"_qs, QString(71, u'ż'));
        QVERIFY2(editor.smsInfo().contains(u"2 part"_qs), qPrintable(editor.smsInfo()));
        QVERIFY(editor.save());
    }

    void messagesListShowsBothSides()
    {
        storage::OrderStore store(m_fresh->db);
        messaging::MessageRequest request;
        request.orderId = m_orderId;
        request.templateKey = u"statusChanged"_qs;
        request.recipient = u"jan@example.pl"_qs;
        request.key = u"test/messages/1"_qs;
        SD_VERIFY_OK(messaging::Outbox(store).prepare(request));
        QSqlQuery q(m_fresh->db->connection());
        QVERIFY(q.exec(u"INSERT INTO marketplace_accounts (marketplace, name, environment, api_url, auth_url, "
                       "client_id, secret_ref, created_at) VALUES ('allegro', 'a', 'training', 'http://127.0.0.1', "
                       "'http://127.0.0.1', 'c', 'r', 0)"_qs));
        const qint64 account = q.lastInsertId().toLongLong();
        q.prepare(u"INSERT INTO marketplace_messages (account_id, message_id, thread_id, order_id, type, author, "
                  "from_buyer, first_in_thread, announced, body, created_at, read_at) VALUES (?, 'm1', 't1', ?, "
                  "'messageCenter', 'kupujacy', 1, 1, 1, 'Kiedy wysyłka?', 0, 0)"_qs);
        q.addBindValue(account);
        q.addBindValue(m_orderId);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        ui::MessagesDialog all(m_fresh->db);
        QCOMPARE(all.sentCount(), 1);
        QCOMPARE(all.receivedCount(), 1);
        ui::MessagesDialog other(m_fresh->db, m_orderId + 1000);
        QCOMPARE(other.sentCount(), 0);
        QCOMPARE(other.receivedCount(), 0);

        // The order's history shows both messages with their content, among the order's changes.
        ui::OrderView view(store);
        view.showOrder(m_orderId);
        auto *history = view.findChild<QTableWidget *>();
        QVERIFY(history);
        auto sent = messaging::Outbox(store).list(m_orderId);
        SD_VERIFY_OK(sent);
        QCOMPARE(sent->size(), 1);
        int sentRow = -1, receivedRow = -1;
        for (int row = 0; row < history->rowCount(); ++row) {
            if (history->item(row, 2)->text().startsWith(u"E-mail to jan@example.pl (queued)"_qs))
                sentRow = row;
            if (history->item(row, 2)->text() == u"Message from the buyer"_qs)
                receivedRow = row;
        }
        QVERIFY(sentRow >= 0 && receivedRow >= 0);
        QVERIFY(history->item(sentRow, 3)->toolTip().contains(sent->constFirst().text));
        QVERIFY(history->item(sentRow, 3)->text().startsWith(sent->constFirst().subject));
        QCOMPARE(history->item(receivedRow, 3)->text(), u"Kiedy wysyłka?"_qs);
        QCOMPARE(history->item(receivedRow, 1)->text(), u"kupujacy"_qs);
        QVERIFY(history->rowCount() >= 3); // the order's creation too
    }
};

QTEST_MAIN(TestMessagingPages)
#include "tst_messagingpages.moc"
