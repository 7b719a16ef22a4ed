#include "automation/alerts.h"
#include "automation/backgroundservices.h"
#include "automation/marketplaceexecutors.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "documentfixtures.h"
#include "documents/documentservice.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/accountconnector.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrorecords.h"
#include "marketplace/allegro/allegrosync.h"
#include "marketplace/allegro/selleractions.h"
#include "messaging/invoicemailer.h"
#include "messaging/messagecenter.h"
#include "messaging/messagingaccounts.h"
#include "messaging/outbox.h"
#include "security/filesecretstore.h"
#include "smtpsink.h"
#include "storage/actionledger.h"
#include "storage/orderstore.h"
#include "testsupport.h"
#include "trainingharness.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace sd;
using namespace sd::automation;
using namespace sd::marketplace;
using namespace sd::marketplace::allegro;
using namespace sd::messaging;
using sd::marketplace::training::TrainingOptions;
using sd::marketplace::training::TrainingServer;

namespace {

constexpr qint64 kMinuteMs = 60 * 1000;

qint64 scalar(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace

// Issue 11 against the training marketplace: the Message Center reader (stored, linked to the order, a
// `message.received` event that fires rules), the autoresponder answering through the API on a clock the test
// moves (delay, working hours, never twice), the rule action "autoresponder", D2 (an issued invoice e-mailed with
// its PDF to a real SMTP server and attached to the Allegro order) and E3 run by the background services.
class TestMessageCenter : public QObject
{
    Q_OBJECT

    std::unique_ptr<TrainingHarness> m_server;
    std::optional<test::TempDatabase> m_fresh;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<security::FileSecretStore> m_secrets;
    MarketplaceAccount m_account;
    ClientOptions m_options;

    std::shared_ptr<storage::Database> db() { return m_fresh->db; }

    qint64 localId(const QString &checkoutFormId)
    {
        QSqlQuery q(db()->connection());
        q.prepare(u"SELECT id FROM orders WHERE external_id = ?"_qs);
        q.addBindValue(checkoutFormId);
        return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
    }

    std::unique_ptr<AllegroClient> client()
    {
        return std::make_unique<AllegroClient>(*AccountStore(db()).get(m_account.id), db(), m_secrets, m_options);
    }

    // Seller's messages in the training shop's thread that contain `text`.
    int repliesContaining(const QString &threadId, const QString &text)
    {
        auto c = client();
        auto messages = c->threadMessages(threadId, 20);
        if (!messages)
            return -1;
        int n = 0;
        for (const QJsonValue &m : *messages)
            n += !m.toObject().value(u"author").toObject().value(u"isInterlocutor").toBool() &&
                         m.toObject().value(u"text").toString().contains(text)
                     ? 1
                     : 0;
        return n;
    }

    // A new order in the training shop, downloaded; its checkout form id.
    QString newOrder()
    {
        const QString id = m_server->run([](TrainingServer &s) { return s.generateOrders(1).constFirst(); });
        AllegroSync syncer(db(), m_secrets);
        syncer.setClientOptions(m_options);
        auto report = syncer.syncAccount(m_account.id);
        if (!report)
            qWarning() << report.error().text();
        return id;
    }

    std::optional<ThreadMessage> buyerWrites(const QString &formId, const QString &text)
    {
        // The shop's times have whole seconds: the buyer writes a moment after the last pass.
        if (!m_server->run([&](TrainingServer &s) {
                s.advanceClock(2);
                return s.buyerWrites(formId, text);
            }))
            return std::nullopt;
        storage::OrderStore store(db());
        auto c = client();
        // The training shop's own buyers may ask something too: at least this one is new.
        auto read = MessageCenter(store).read(*c);
        if (!read || *read < 1) {
            qWarning() << "read:" << (read ? QString::number(*read) : read.error().text());
            return std::nullopt;
        }
        auto list = MessageCenter(store).forOrder(localId(formId));
        if (!list)
            return std::nullopt;
        for (const ThreadMessage &m : *list)
            if (m.text == text)
                return m;
        return std::nullopt;
    }

private Q_SLOTS:
    void initTestCase()
    {
        TrainingOptions options;
        options.autoApprove = true;
        m_server = std::make_unique<TrainingHarness>(options);
        QVERIFY2(m_server->url().isValid(), qPrintable(m_server->error()));
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_messagecenter"_qs);
        SD_VERIFY_OK(fresh);
        m_fresh = *fresh;
        m_dir = std::make_unique<QTemporaryDir>();
        m_secrets = std::make_shared<security::FileSecretStore>(m_dir->filePath(u"secrets.enc"_qs), "pw", 1000);
        SD_VERIFY_OK(m_secrets->unlock());
        Outbox::setDefaultSecrets(m_secrets);
        m_options.retry.timeScale = 0.001;
        m_options.retry.requestTimeoutMs = 10000;
        auto connected = m_server->connectAccount(db(), m_secrets, m_options);
        SD_VERIFY_OK(connected);
        m_account = *connected;
        // Orders (some with generated buyer questions), then the first pass: history only.
        m_server->run([](TrainingServer &s) { s.generateOrders(5); });
        newOrder();
        storage::OrderStore store(db());
        auto c = client();
        auto first = MessageCenter(store).read(*c);
        SD_VERIFY_OK(first);
        QCOMPARE(*first, 0);
        QCOMPARE(scalar(*db(), u"SELECT COUNT(*) FROM events WHERE type = 'message.received'"_qs), 0);
    }

    void readerStoresLinksAndAnnounces()
    {
        const QString formId = newOrder();
        const qint64 local = localId(formId);
        QVERIFY(local > 0);
        const auto message = buyerWrites(formId, u"Kiedy wysyłka? Żółta kurtka"_qs);
        QVERIFY(message);
        QCOMPARE(message->orderId, local);
        QVERIFY(message->fromBuyer);
        QCOMPARE(message->text, u"Kiedy wysyłka? Żółta kurtka"_qs);
        QCOMPARE(message->type, u"messageCenter"_qs);

        storage::OrderStore store(db());
        auto events = store.eventsAfter(0, 100000);
        SD_VERIFY_OK(events);
        int received = 0;
        for (const storage::EventRecord &e : *events)
            if (e.type == u"message.received" && e.orderId == local) {
                ++received;
                QCOMPARE(e.payload.value(u"account").toString(), m_account.orderAccountKey());
                QCOMPARE(e.payload.value(u"type").toString(), u"messageCenter"_qs);
                QCOMPARE(e.payload.value(u"thread").toString(), message->threadId);
            }
        QCOMPARE(received, 1);

        // Read again: nothing new, nothing twice.
        auto c = client();
        auto again = MessageCenter(store).read(*c);
        SD_VERIFY_OK(again);
        QCOMPARE(*again, 0);
        auto list = MessageCenter(store).forOrder(local);
        SD_VERIFY_OK(list);
        int mine = 0;
        for (const ThreadMessage &m : *list)
            mine += m.text == message->text ? 1 : 0;
        QCOMPARE(mine, 1);
    }

    void autoresponderAnswersAfterTheDelayOnce()
    {
        Autoresponder::Settings settings;
        settings.enabled = true;
        settings.firstOnly = false;
        settings.delayMinutes = 15;
        settings.text = u"Dziękujemy, {shopName} odpowie wkrótce."_qs;
        SD_VERIFY_OK(Autoresponder::save(*db(), settings));
        SD_VERIFY_OK(MessagingAccounts(db()).setSetting(u"shop.name"_qs, u"Sklep Żółw"_qs));

        const QString formId = newOrder();
        const auto message = buyerWrites(formId, u"Czy jest rozmiar M?"_qs);
        QVERIFY(message);
        storage::OrderStore store(db());
        auto c = client();
        storage::ActionLedger ledger(db());
        AllegroRecords records(db());
        SellerActions actions(*c, store, ledger, records);
        MessageCenter center(store);

        auto early = center.answer(actions, m_account.id, message->at.addSecs(10 * 60));
        SD_VERIFY_OK(early);
        QCOMPARE(*early, 0);
        QCOMPARE(repliesContaining(message->threadId, u"Sklep Żółw odpowie"_qs), 0);

        auto due = center.answer(actions, m_account.id, message->at.addSecs(16 * 60));
        SD_VERIFY_OK(due);
        QVERIFY(*due >= 1); // the earlier tests' messages are in the window too
        QCOMPARE(repliesContaining(message->threadId, u"Sklep Żółw odpowie"_qs), 1);

        auto later = center.answer(actions, m_account.id, message->at.addSecs(60 * 60));
        SD_VERIFY_OK(later);
        QCOMPARE(*later, 0);
        QCOMPARE(repliesContaining(message->threadId, u"Sklep Żółw odpowie"_qs), 1);

        // The reply is read back as the seller's message: not announced, not answered.
        auto read = center.read(*c);
        SD_VERIFY_OK(read);
        QCOMPARE(*read, 0);
        QCOMPARE(scalar(*db(), u"SELECT COUNT(*) FROM marketplace_messages WHERE from_buyer = 0 AND body LIKE "
                               "'%odpowie wkrótce%'"_qs),
                 1);

        // Working hours only, and the shop is closed every day: the next message is not answered.
        settings.when = Autoresponder::When::WorkingHours;
        settings.hours = WorkingHours{};
        SD_VERIFY_OK(Autoresponder::save(*db(), settings));
        const auto closed = buyerWrites(formId, u"Halo?"_qs);
        QVERIFY(closed);
        auto none = center.answer(actions, m_account.id, closed->at.addSecs(61 * 60));
        SD_VERIFY_OK(none);
        QCOMPARE(*none, 0);

        // Only for another account: not answered either.
        settings.when = Autoresponder::When::Always;
        settings.accounts = {u"999"_qs};
        SD_VERIFY_OK(Autoresponder::save(*db(), settings));
        auto other = center.answer(actions, m_account.id, closed->at.addSecs(61 * 60));
        SD_VERIFY_OK(other);
        QCOMPARE(*other, 0);
        settings.enabled = false;
        SD_VERIFY_OK(Autoresponder::save(*db(), settings));
    }

    void ruleOnMessageReceivedAnswersThroughTheAction()
    {
        storage::OrderStore store(db());
        RuleStore rules(db());
        auto saveRule = [&](const QByteArray &json) {
            auto rule = Rule::fromText(json);
            if (!rule) {
                qWarning() << rule.error().text();
                return qint64(0);
            }
            auto saved = rules.save(*rule, u"user:anna"_qs);
            if (!saved)
                qWarning() << saved.error().text();
            return saved ? saved->id : 0;
        };
        QVERIFY(saveRule(R"({"format": "sellerdesk.rule/1", "name": "answer questions",
            "trigger": {"type": "message.received", "params": {"type": "messageCenter"}},
            "actions": [{"type": "autoresponder", "params": {"template": "Odpowiemy w ciągu godziny.",
                         "messages": "every"}}]})") > 0);
        QVERIFY(saveRule(R"({"format": "sellerdesk.rule/1", "name": "another account",
            "trigger": {"type": "message.received", "params": {"account": "someone-else"}},
            "actions": [{"type": "autoresponder", "params": {"template": "To nie powinno wyjść."}}]})") > 0);

        auto access = std::make_shared<MarketplaceAccess>();
        access->secrets = m_secrets;
        access->options = m_options;
        // Several answers in a row: the shop allows one message a second, so the client really waits.
        access->options.retry.timeScale = 1.0;
        Scheduler scheduler(store, rules, Executors::withDefaults(access), u"ws-messages"_qs);
        SD_VERIFY_OK(scheduler.runUntilIdle()); // events before this test
        const QString formId = newOrder();
        SD_VERIFY_OK(scheduler.runUntilIdle());
        const auto message = buyerWrites(formId, u"Proszę o fakturę."_qs);
        QVERIFY(message);
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(repliesContaining(message->threadId, u"Odpowiemy w ciągu godziny."_qs), 1);
        QCOMPARE(repliesContaining(message->threadId, u"To nie powinno wyjść."_qs), 0);

        // The settings' autoresponder keys its answers the same way: this message is not answered again.
        Autoresponder::Settings settings;
        settings.enabled = true;
        settings.firstOnly = false;
        settings.delayMinutes = 0;
        settings.text = u"Druga odpowiedź"_qs;
        SD_VERIFY_OK(Autoresponder::save(*db(), settings));
        auto c = client();
        storage::ActionLedger ledger(db());
        AllegroRecords records(db());
        SellerActions actions(*c, store, ledger, records);
        auto answered = MessageCenter(store).answer(actions, m_account.id, message->at.addSecs(kMinuteMs / 1000));
        SD_VERIFY_OK(answered);
        QCOMPARE(repliesContaining(message->threadId, u"Druga odpowiedź"_qs), 0);
        settings.enabled = false;
        SD_VERIFY_OK(Autoresponder::save(*db(), settings));
    }

    // Discussions (/sale/issues) are read alongside the Message Center: stored, linked to the order, announced with
    // `message.received` (type "discussion"), and answered by the autoresponder when its settings include
    // discussions, once, and not once the discussion's chat is closed (the API answers 409).
    void discussionsAreReadAndAnswered()
    {
        storage::OrderStore store(db());
        const QString formId = newOrder();
        const qint64 local = localId(formId);
        QVERIFY(local > 0);
        const QString question = u"Paczka nie dotarła. Gdzie jest moja żółta kurtka?"_qs;
        const QString issueId = m_server->run([&](TrainingServer &s) {
            s.advanceClock(2);
            return s.buyerOpensIssue(formId, question);
        });
        QVERIFY(!issueId.isEmpty());
        auto c = client();
        MessageCenter center(store);
        auto read = center.read(*c);
        SD_VERIFY_OK(read);
        QVERIFY(*read >= 1); // a new order's buyer may have asked something in Message Center too
        auto list = center.forOrder(local);
        SD_VERIFY_OK(list);
        QList<ThreadMessage> discussion;
        for (const ThreadMessage &m : std::as_const(*list))
            if (m.type == u"discussion")
                discussion.append(m);
        QCOMPARE(discussion.size(), 1);
        const ThreadMessage opened = discussion.constFirst();
        QCOMPARE(opened.type, u"discussion"_qs);
        QCOMPARE(opened.threadId, issueId);
        QCOMPARE(opened.text, question);
        QVERIFY(opened.fromBuyer);
        QVERIFY(opened.firstInThread);
        QCOMPARE(scalar(*db(), u"SELECT COUNT(*) FROM events WHERE type = 'message.received' AND order_id = %1 AND "
                               "payload LIKE '%%\"discussion\"%%' AND payload LIKE '%%%2%%'"_qs.arg(local)
                                   .arg(issueId)),
                 1);
        auto again = center.read(*c);
        SD_VERIFY_OK(again);
        QCOMPARE(*again, 0);

        auto sellerMessages = [&](const QString &text) {
            auto chat = client()->issueChat(issueId);
            if (!chat)
                return -1;
            int n = 0;
            for (const QJsonValue &m : *chat)
                n += m.toObject().value(u"author").toObject().value(u"role").toString() == u"SELLER" &&
                             m.toObject().value(u"text").toString() == text
                         ? 1
                         : 0;
            return n;
        };
        storage::ActionLedger ledger(db());
        AllegroRecords records(db());
        SellerActions actions(*c, store, ledger, records);
        Autoresponder::Settings settings;
        settings.enabled = true;
        settings.firstOnly = true;
        settings.delayMinutes = 0;
        settings.messageCenter = false;
        settings.discussions = false;
        settings.text = u"Sprawdzamy przesyłkę i wrócimy z odpowiedzią."_qs;
        SD_VERIFY_OK(Autoresponder::save(*db(), settings));
        // Discussions are not among the autoresponder's types: not answered.
        SD_VERIFY_OK(center.answer(actions, m_account.id, opened.at.addSecs(60)));
        QCOMPARE(sellerMessages(settings.text), 0);
        // With them: answered in the discussion, once.
        settings.discussions = true;
        SD_VERIFY_OK(Autoresponder::save(*db(), settings));
        auto answered = center.answer(actions, m_account.id, opened.at.addSecs(60));
        SD_VERIFY_OK(answered);
        QCOMPARE(*answered, 1);
        QCOMPARE(sellerMessages(settings.text), 1);
        SD_VERIFY_OK(center.answer(actions, m_account.id, opened.at.addSecs(120)));
        QCOMPARE(sellerMessages(settings.text), 1);

        // The buyer writes again: announced (not first), and first-only leaves it unanswered.
        QVERIFY(m_server->run([&](TrainingServer &s) {
            s.advanceClock(2);
            return s.buyerWritesInIssue(issueId, u"Czy mogę prosić o numer przesyłki?"_qs);
        }));
        auto second = center.read(*c);
        SD_VERIFY_OK(second);
        QVERIFY(*second >= 1);
        QCOMPARE(scalar(*db(), u"SELECT COUNT(*) FROM marketplace_messages WHERE thread_id = '%1' AND from_buyer = 1 "
                               "AND announced = 1 AND first_in_thread = 0"_qs.arg(issueId)),
                 1);
        SD_VERIFY_OK(center.answer(actions, m_account.id, opened.at.addSecs(180)));
        QCOMPARE(sellerMessages(settings.text), 1);

        // Every message, but the discussion has been closed meanwhile: Allegro refuses (409), nothing is posted,
        // and the ledger keeps the refusal.
        settings.firstOnly = false;
        SD_VERIFY_OK(Autoresponder::save(*db(), settings));
        QVERIFY(m_server->run([&](TrainingServer &s) { return s.closeIssue(issueId); }));
        auto refused = center.answer(actions, m_account.id, opened.at.addSecs(240));
        SD_VERIFY_OK(refused);
        QCOMPARE(*refused, 0);
        QCOMPARE(sellerMessages(settings.text), 1);
        QVERIFY(scalar(*db(), u"SELECT COUNT(*) FROM action_ledger WHERE idempotency_key LIKE '%%%1%%' AND state = "
                              "'failed'"_qs.arg(issueId)) >= 1);
        settings.enabled = false;
        SD_VERIFY_OK(Autoresponder::save(*db(), settings));
    }

    void issuedInvoiceIsMailedAndAttachedToTheOrder()
    {
        test::SmtpSink sink;
        QVERIFY2(sink.start({u"none"_qs, u"sklep"_qs, u"hasło"_qs, 0, 0}), qPrintable(sink.error()));
        MailAccount mail;
        mail.host = u"127.0.0.1"_qs;
        mail.port = sink.port();
        mail.security = MailAccount::Security::None;
        mail.user = u"sklep"_qs;
        mail.from = {u"sklep@example.pl"_qs, u"Sklep Żółw"_qs};
        mail.timeoutSeconds = 5;
        SD_VERIFY_OK(MessagingAccounts(db()).saveMail(mail, QByteArray("hasło"), m_secrets.get()));

        storage::OrderStore store(db());
        documents::DocumentService service(store);
        SD_VERIFY_OK(service.settings().setCompany(test::sampleCompany()));
        InvoiceMailer mailer(store, m_dir->filePath(u"invoices"_qs));
        mailer.setMarketplace(m_secrets, m_options);
        auto start = mailer.run(); // the first run sets its cursor: nothing issued before is sent
        SD_VERIFY_OK(start);
        QCOMPARE(*start, 0);
        SD_VERIFY_OK(MessagingAccounts(db()).setSetting(u"invoice.mail"_qs, u"1"_qs));
        SD_VERIFY_OK(MessagingAccounts(db()).setSetting(u"invoice.upload"_qs, u"1"_qs));

        const QString formId = newOrder();
        const qint64 local = localId(formId);
        documents::IssueRequest request;
        request.orderId = local;
        request.type = documents::DocumentType::Private;
        auto doc = service.issueForOrder(request, {u"user:anna"_qs, {}, 0});
        SD_VERIFY_OK(doc);

        auto handled = mailer.run();
        SD_VERIFY_OK(handled);
        QCOMPARE(*handled, 1);
        auto again = mailer.run();
        SD_VERIFY_OK(again);
        QCOMPARE(*again, 0);

        // The e-mail: queued with the PDF, sent by the scheduler's job.
        RuleStore rules(db());
        Scheduler scheduler(store, rules, Executors::withDefaults(), u"ws-d2"_qs);
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(sink.messages().size(), 1);
        const QJsonObject sent = sink.messages().constFirst();
        QVERIFY(sent.value(u"subject").toString().contains(doc->number) ||
                sent.value(u"text").toString().contains(doc->number));
        const QJsonArray attachments = sent.value(u"attachments").toArray();
        QCOMPARE(attachments.size(), 1);
        QVERIFY(attachments.at(0).toObject().value(u"filename").toString().endsWith(u".pdf"_qs));

        // Allegro: the invoice is on the order, with its file.
        auto c = client();
        auto invoices = c->getJson(u"/order/checkout-forms/"_qs + formId + u"/invoices"_qs);
        SD_VERIFY_OK(invoices);
        QCOMPARE(invoices->value(u"invoices").toArray().size(), 1);
        QVERIFY(
            invoices->value(u"invoices").toArray().at(0).toObject().value(u"file").toObject().contains(u"uploadedAt"));
        SD_VERIFY_OK(MessagingAccounts(db()).setSetting(u"invoice.mail"_qs, u"0"_qs));
        SD_VERIFY_OK(MessagingAccounts(db()).setSetting(u"invoice.upload"_qs, u"0"_qs));
    }

    void deadlineAlertsRunInTheBackgroundOnTheSchedulersClock()
    {
        SD_VERIFY_OK(MessagingAccounts(db()).setSetting(u"deadline.paymentDays"_qs, u"3"_qs));
        SD_VERIFY_OK(MessagingAccounts(db()).setSetting(u"deadline.dispatchDays"_qs, u"2"_qs));
        const qint64 before = scalar(*db(), u"SELECT COUNT(*) FROM operator_alerts WHERE kind LIKE 'deadline.%'"_qs);
        QCOMPARE(before, 0);
        BackgroundOptions options;
        options.role = u"test"_qs;
        BackgroundServices services(db(), options);
        SD_VERIFY_OK(services.start());
        QSignalSpy raised(&services, &BackgroundServices::deadlineAlertsRaised);
        // A month back every order is still in the future; a month on every deadline has passed.
        qint64 clock = QDateTime::currentMSecsSinceEpoch() - 30 * 24 * 60 * kMinuteMs;
        services.scheduler()->setClock([&clock] { return clock; });
        services.messagingPass();
        QCOMPARE(raised.size(), 0);
        clock += 60 * 24 * 60 * kMinuteMs;
        services.messagingPass();
        QCOMPARE(raised.size(), 1);
        const qint64 alerts = scalar(*db(), u"SELECT COUNT(*) FROM operator_alerts WHERE kind LIKE 'deadline.%'"_qs);
        QVERIFY(alerts > 0);
        QCOMPARE(raised.at(0).at(0).toInt(), int(alerts));
        services.messagingPass(); // once per order and deadline
        QCOMPARE(raised.size(), 1);
        services.shutdown();
    }
};

QTEST_MAIN(TestMessageCenter)
#include "tst_messagecenter.moc"
