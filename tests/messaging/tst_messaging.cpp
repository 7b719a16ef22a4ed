#include "automation/alerts.h"
#include "automation/dispatcher.h"
#include "automation/scheduler.h"
#include "inventory/inventorysettings.h"
#include "messaging/messagingexecutors.h"
#include "messaging/orderconfirmation.h"
#include "security/filesecretstore.h"
#include "smsgatewayfake.h"
#include "smtpsink.h"
#include "storage/actionledger.h"
#include "storage/statuschange.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;
using namespace sd::messaging;

namespace {

int freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

qint64 count(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace

class TestMessaging : public QObject
{
    Q_OBJECT

    QTemporaryDir m_secretsDir;
    std::shared_ptr<security::SecretStore> m_secrets;

    struct Profile
    {
        test::TempDatabase temp;
        std::unique_ptr<storage::OrderStore> store;
        std::unique_ptr<automation::RuleStore> rules;
        std::unique_ptr<automation::Scheduler> scheduler;
        qint64 orderId = 0;
    };

    bool open(Profile &p, const QString &engine, const QString &name)
    {
        auto fresh = test::openFresh(engine, name);
        if (!fresh) {
            qWarning().noquote() << fresh.error().text();
            return false;
        }
        p.temp = *fresh;
        p.store = std::make_unique<storage::OrderStore>(p.temp.db);
        p.rules = std::make_unique<automation::RuleStore>(p.temp.db);
        p.scheduler = std::make_unique<automation::Scheduler>(*p.store, *p.rules, automation::Executors::withDefaults(),
                                                              u"test"_qs);
        auto order = test::sampleOrder(u"ORDER-1"_qs);
        order.buyer.phone = u"500600700"_qs;
        auto created = p.store->apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0}));
        if (!created)
            return false;
        p.orderId = created->orderId;
        MessagingAccounts accounts(p.temp.db);
        return accounts.setSetting(u"shop.name"_qs, u"Sklep Żółw"_qs).ok();
    }

    qint64 addMailAccount(Profile &p, int port)
    {
        MailAccount a;
        a.host = u"127.0.0.1"_qs;
        a.port = port;
        a.security = MailAccount::Security::None;
        a.user = u"sklep"_qs;
        a.from = {u"sklep@example.pl"_qs, u"Sklep Żółw"_qs};
        a.timeoutSeconds = 5;
        auto id = MessagingAccounts(p.temp.db).saveMail(a, QByteArray("hasło"), m_secrets.get());
        return id ? *id : 0;
    }

    // A real SMTP server on loopback (AUTH) and a mail account for it.
    bool startSinkWithAccount(Profile &p, test::SmtpSink &sink)
    {
        if (!sink.start({u"none"_qs, u"sklep"_qs, u"hasło"_qs, 0, 0})) {
            qWarning().noquote() << sink.error();
            return false;
        }
        return addMailAccount(p, sink.port()) != 0;
    }

    // Makes every pending job due now: "later" without waiting for the backoff.
    void makeDue(Profile &p)
    {
        QSqlQuery q(p.temp.db->connection());
        QVERIFY(q.exec(u"UPDATE jobs SET due_at = 0 WHERE state = 'pending'"_qs));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_secretsDir.isValid());
        m_secrets = std::make_shared<security::FileSecretStore>(m_secretsDir.filePath(u"secrets.enc"_qs), "pass", 1000);
        Outbox::setDefaultSecrets(m_secrets);
    }

    void templatesByCountryAndOverrides()
    {
        Profile p;
        QVERIFY(open(p, u"sqlite"_qs, u"msg_templates"_qs));
        MessageTemplates templates(p.temp.db);
        auto order = p.store->load(p.orderId);
        QVERIFY(order);
        order->shipments.append({u"INPOST"_qs, u"6200123"_qs, u"PENDING"_qs, {}});
        QCOMPARE(MessageTemplates::languageFor(*order), u"pl"_qs);
        auto pl = templates.render(QString::fromLatin1(TemplateKey::kLabelGenerated), *order);
        SD_VERIFY_OK(pl);
        QCOMPARE(pl->language, u"pl"_qs);
        QCOMPARE(pl->subject, u"Twoja paczka jest w drodze (ORDER-1)"_qs);
        QVERIFY(pl->text.contains(u"https://inpost.pl/sledzenie-przesylek?number=6200123"_qs));
        QVERIFY(pl->text.contains(u"Sklep Żółw"_qs));
        QVERIFY(pl->html.contains(u"<a href=\"https://inpost.pl/sledzenie-przesylek?number=6200123\">"_qs));

        order->delivery.address.countryCode = u"DE"_qs;
        QCOMPARE(MessageTemplates::languageFor(*order), u"en"_qs);
        auto en = templates.render(QString::fromLatin1(TemplateKey::kStatusChanged), *order);
        SD_VERIFY_OK(en);
        QVERIFY(en->subject.startsWith(u"Order ORDER-1: "_qs));
        // The items table: each item's name in the text and as a table row in the HTML.
        for (const auto &item : order->items) {
            QVERIFY(en->text.contains(item.name));
            QVERIFY(en->html.contains(u"<td>"_qs + item.name.toHtmlEscaped() + u"</td>"_qs));
        }

        // A profile's own wording wins; values are escaped in HTML and never expanded twice.
        SD_VERIFY_OK(templates.save({QString::fromLatin1(TemplateKey::kStatusChanged),
                                     u"en"_qs,
                                     u"{shopName} <{orderStatus}>"_qs,
                                     u"Hi {buyerName} {unknown}"_qs,
                                     {},
                                     {},
                                     true}));
        order->buyer.firstName = u"<b>{orderId}"_qs;
        auto custom = templates.render(QString::fromLatin1(TemplateKey::kStatusChanged), *order);
        SD_VERIFY_OK(custom);
        QVERIFY(custom->subject.startsWith(u"Sklep Żółw <"_qs));
        QVERIFY(custom->text.startsWith(u"Hi <b>{orderId}"_qs));
        QVERIFY(custom->text.endsWith(u"{unknown}"_qs));
        QVERIFY(custom->html.contains(u"&lt;b&gt;{orderId}"_qs));
        SD_VERIFY_OK(templates.reset(QString::fromLatin1(TemplateKey::kStatusChanged), u"en"_qs));
        QVERIFY(!templates.get(QString::fromLatin1(TemplateKey::kStatusChanged), u"en"_qs)->custom);
        QVERIFY(!templates.save({u"nope"_qs, u"en"_qs, {}, u"x"_qs, {}, {}, true}));
        // The rule templates' names work too.
        QCOMPARE(templates.get(u"payment-reminder"_qs, u"pl"_qs)->key, u"paymentReminder"_qs);
        QCOMPARE(templates.get(u"invoice"_qs, u"pl"_qs)->key, u"invoiceIssued"_qs);
        QVERIFY(!templates.get(u"no-such-thing"_qs, u"pl"_qs));
    }

    // The seed's messages are there ready-made, in Polish and English, for e-mail and SMS: every placeholder
    // filled from the order, the shop and the message's own data, with the data each one exists to carry.
    void seedMessagesAreReadyMade()
    {
        Profile p;
        QVERIFY(open(p, u"sqlite"_qs, u"msg_seed"_qs));
        auto order = p.store->load(p.orderId);
        SD_VERIFY_OK(order);
        order->shipments.append({u"INPOST"_qs, u"6200123"_qs, u"PENDING"_qs, {}});
        const QHash<QString, QString> extra{{u"invoiceNumber"_qs, u"FV 7/2026"_qs},
                                            {u"confirmationLink"_qs, u"https://sklep.example.pl/confirm?token=t"_qs}};
        const QList<QPair<const char *, QString>> seeds{
            {TemplateKey::kStatusChanged, order->status},
            {TemplateKey::kLabelGenerated, u"6200123"_qs},
            {TemplateKey::kInvoiceIssued, u"FV 7/2026"_qs},
            {TemplateKey::kPaymentReminder, u"ORDER-1"_qs},
            {TemplateKey::kReviewRequest, u"Sklep Żółw"_qs},
            {TemplateKey::kConfirmationRequest, extra.value(u"confirmationLink"_qs)}};
        MessageTemplates templates(p.temp.db);
        for (const auto &[key, carried] : seeds)
            for (const QString &language : {u"pl"_qs, u"en"_qs}) {
                const QString what = QLatin1StringView(key) + u'/' + language;
                QVERIFY2(MessageTemplates::keys().contains(QLatin1StringView(key)), qPrintable(what));
                QVERIFY2(!templates.get(QString::fromLatin1(key), language)->custom, qPrintable(what));
                auto r = templates.render(QString::fromLatin1(key), *order, extra, language);
                SD_VERIFY_OK(r);
                QCOMPARE(r->language, language);
                // The invoice goes as a PDF, so by e-mail only; every other message has an SMS text too.
                const bool sms = QLatin1StringView(key) != QLatin1StringView(TemplateKey::kInvoiceIssued);
                QVERIFY2(r->sms.trimmed().isEmpty() != sms, qPrintable(what));
                for (const QString &part : {r->subject, r->text, r->sms}) {
                    QVERIFY2(!part.contains(u'{'), qPrintable(what + u": "_qs + part));
                }
                QVERIFY2(!r->subject.trimmed().isEmpty() && !r->text.trimmed().isEmpty(), qPrintable(what));
                QVERIFY2(r->subject.contains(carried) || r->text.contains(carried), qPrintable(what));
            }
    }

    void smtpDownIsRetriedLaterAndSentOnce_data() { test::addEngineRows(); }

    void smtpDownIsRetriedLaterAndSentOnce()
    {
        QFETCH(QString, engine);
        Profile p;
        QVERIFY(open(p, engine, u"msg_retry"_qs));
        const int port = freePort();
        QVERIFY(addMailAccount(p, port));
        Outbox outbox(*p.store);
        MessageRequest request;
        request.orderId = p.orderId;
        request.templateKey = QString::fromLatin1(TemplateKey::kPaymentReminder);
        request.key = u"test/reminder/order:%1"_qs.arg(p.orderId);
        auto queued = outbox.queue(request);
        SD_VERIFY_OK(queued);
        QCOMPARE(queued->recipient, u"ania@example.com"_qs);
        QVERIFY(queued->subject.startsWith(u"Przypomnienie o płatności"_qs));

        // SMTP is down: the job fails, is kept for later with backoff, and the message says why.
        auto ran = p.scheduler->runDue();
        SD_VERIFY_OK(ran);
        QCOMPARE(*ran, 1);
        auto waiting = outbox.message(queued->id);
        QCOMPARE(waiting->state, u"retrying"_qs);
        QVERIFY(!waiting->lastError.isEmpty());
        QCOMPARE(count(*p.temp.db, u"SELECT COUNT(*) FROM jobs WHERE kind = 'message.send' AND state = 'pending' "
                                   "AND attempts = 1 AND due_at > 0"_qs),
                 1);
        QCOMPARE(*p.scheduler->runDue(), 0); // not due yet

        // The server comes up; the retry sends it; nothing sends it again.
        test::SmtpSink sink;
        QVERIFY2(sink.start({u"none"_qs, u"sklep"_qs, u"hasło"_qs, 0, port}), qPrintable(sink.error()));
        makeDue(p);
        QCOMPARE(*p.scheduler->runDue(), 1);
        QCOMPARE(sink.messages().size(), 1);
        QCOMPARE(sink.messages().first().value(u"subject").toString(), queued->subject);
        QCOMPARE(outbox.message(queued->id)->state, u"sent"_qs);
        makeDue(p);
        QCOMPARE(*p.scheduler->runDue(), 0);
        auto again = outbox.queue(request); // the same cause again
        QCOMPARE(again->id, queued->id);
        SD_VERIFY_OK(outbox.deliver(queued->id));
        QCOMPARE(outbox.deliver(queued->id)->kind, Delivery::Kind::AlreadySent);
        makeDue(p);
        SD_VERIFY_OK(p.scheduler->runDue());
        QCOMPARE(sink.messages().size(), 1);
        auto entry = storage::ActionLedger(p.temp.db).find(queued->key);
        QVERIFY(entry && entry->has_value());
        QCOMPARE((*entry)->state, storage::ActionLedger::State::Done);
        // Visible in the order's history: the message with its content, and a message.sent event.
        auto list = outbox.list(p.orderId);
        QCOMPARE(list->size(), 1);
        QVERIFY(list->first().text.contains(u"ORDER-1"_qs));
        QCOMPARE(count(*p.temp.db,
                       u"SELECT COUNT(*) FROM events WHERE type = 'message.sent' AND order_id = %1"_qs.arg(p.orderId)),
                 1);
        // The password is in the secret store only.
        QCOMPARE(count(*p.temp.db, u"SELECT COUNT(*) FROM mail_accounts WHERE secret_key LIKE 'mail/%'"_qs), 1);
        QCOMPARE(count(*p.temp.db, u"SELECT COUNT(*) FROM mail_accounts WHERE username = 'sklep'"_qs), 1);
    }

    // The message row follows the job that sends it: "retrying" with the reason while the job will try again,
    // "failed" with the reason when its tries are used up (the job fails visibly too, with an operator alert), and
    // a send cut by a crash is "failed" with that reason, never sent a second time.
    void messageRowFollowsItsJob_data() { test::addEngineRows(); }

    void messageRowFollowsItsJob()
    {
        QFETCH(QString, engine);
        Profile p;
        QVERIFY(open(p, engine, u"msg_follow"_qs));
        const int port = freePort();
        QVERIFY(addMailAccount(p, port));
        Outbox outbox(*p.store);
        MessageRequest request;
        request.orderId = p.orderId;
        request.templateKey = QString::fromLatin1(TemplateKey::kReviewRequest);
        request.key = u"test/review/order:%1"_qs.arg(p.orderId);
        auto queued = outbox.queue(request);
        SD_VERIFY_OK(queued);
        QCOMPARE(queued->state, u"queued"_qs);

        // SMTP stays down: retrying after each try but the last, then failed like its job.
        for (int attempt = 1; attempt < automation::Scheduler::kMaxAttempts; ++attempt) {
            makeDue(p);
            QCOMPARE(*p.scheduler->runDue(), 1);
            auto m = outbox.message(queued->id);
            QCOMPARE(m->state, u"retrying"_qs);
            QVERIFY(!m->lastError.isEmpty());
            QCOMPARE(m->attempts, attempt);
        }
        makeDue(p);
        QCOMPARE(*p.scheduler->runDue(), 1);
        auto failed = outbox.message(queued->id);
        QCOMPARE(failed->state, u"failed"_qs);
        QVERIFY(!failed->lastError.isEmpty());
        QCOMPARE(count(*p.temp.db, u"SELECT COUNT(*) FROM jobs WHERE kind = 'message.send' AND state = 'failed'"_qs),
                 1);
        auto alerts = automation::OperatorAlerts(p.temp.db).list();
        SD_VERIFY_OK(alerts);
        QCOMPARE(alerts->size(), 1);
        QCOMPARE(alerts->constFirst().message, failed->lastError);
        makeDue(p);
        QCOMPARE(*p.scheduler->runDue(), 0);

        // A send cut by a crash: the dead process had claimed the message and marked it "sending". Its job runs
        // again after the lease; whether the e-mail left is unknown, so it is not sent again and the row says why.
        test::SmtpSink sink;
        QVERIFY2(sink.start({u"none"_qs, u"sklep"_qs, u"hasło"_qs, 0, port}), qPrintable(sink.error()));
        request.key = u"test/review-cut/order:%1"_qs.arg(p.orderId);
        auto cut = outbox.queue(request);
        SD_VERIFY_OK(cut);
        SD_VERIFY_OK(storage::ActionLedger(p.temp.db).claim(cut->key, u"message.email"_qs, p.orderId, u"dead:1"_qs));
        {
            QSqlQuery q(p.temp.db->connection());
            QVERIFY(q.exec(u"UPDATE messages SET state = 'sending' WHERE id = %1"_qs.arg(cut->id)));
        }
        QCOMPARE(*p.scheduler->runDue(), 1);
        auto interrupted = outbox.message(cut->id);
        QCOMPARE(interrupted->state, u"failed"_qs);
        QVERIFY(interrupted->lastError.contains(u"interrupted"_qs));
        QCOMPARE(sink.messages().size(), 0);
        QCOMPARE(automation::OperatorAlerts(p.temp.db).list()->size(), 2);

        // The rule action "Send an e-mail" cut the same way (the rule's claim and the message's both left pending):
        // the job runs it again, the message's ledger entry stops the repeat, and the message says why.
        auto rule = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "Review request",
            "trigger": {"type": "manual"}, "actions": [{"type": "sendEmail", "params": {"template": "reviewRequest"}}]})");
        SD_VERIFY_OK(rule);
        auto saved = p.rules->save(*rule, u"user:anna"_qs);
        SD_VERIFY_OK(saved);
        automation::Dispatcher dispatcher(*p.store, *p.rules);
        SD_VERIFY_OK(dispatcher.requestManualRun(saved->id, p.orderId, {u"user:anna"_qs, {}, 0}));
        SD_VERIFY_OK(dispatcher.dispatch()); // the run's job, not run yet
        QString actionKey;
        {
            QSqlQuery q(p.temp.db->connection());
            QVERIFY(q.exec(u"SELECT idempotency_key FROM jobs WHERE kind LIKE 'rule.%' AND state = 'pending'"_qs));
            QVERIFY(q.next());
            actionKey = q.value(0).toString();
        }
        storage::ActionLedger ledger(p.temp.db);
        SD_VERIFY_OK(ledger.claim(actionKey, u"sendEmail"_qs, p.orderId, u"dead:2"_qs));
        MessageRequest byRule = request;
        byRule.key = actionKey + u"/email"_qs;
        auto ruleMessage = outbox.prepare(byRule);
        SD_VERIFY_OK(ruleMessage);
        SD_VERIFY_OK(ledger.claim(byRule.key, u"message.email"_qs, p.orderId, u"dead:2"_qs));
        QCOMPARE(*p.scheduler->runDue(), 1);
        auto ruleCut = outbox.message(ruleMessage->id);
        QCOMPARE(ruleCut->state, u"failed"_qs);
        QVERIFY(ruleCut->lastError.contains(u"interrupted"_qs));
        QCOMPARE(
            count(*p.temp.db, u"SELECT COUNT(*) FROM job_runs WHERE action = 'sendEmail' AND outcome = 'failed'"_qs),
            1);
        QCOMPARE(sink.messages().size(), 0);

        // An uncut run of the rule sends its e-mail, once.
        SD_VERIFY_OK(dispatcher.requestManualRun(saved->id, p.orderId, {u"user:anna"_qs, {}, 0}));
        QCOMPARE(*p.scheduler->runDue(), 1);
        QCOMPARE(sink.messages().size(), 1);
        QCOMPARE(outbox.list(p.orderId)->constFirst().state, u"sent"_qs);
    }

    void informCustomerOnAndOff()
    {
        Profile p;
        QVERIFY(open(p, u"sqlite"_qs, u"msg_inform"_qs));
        test::SmtpSink sink;
        QVERIFY2(sink.start({u"none"_qs, u"sklep"_qs, u"hasło"_qs, 0, 0}), qPrintable(sink.error()));
        test::SmsGatewayFake gateway("sms-token");
        const quint16 smsPort = gateway.start();

        // Before any account: the notification waits and says why; adding the account releases it.
        auto before = storage::changeStatus(*p.store, {p.orderId}, u"To ship"_qs, true, {u"user:anna"_qs, {}, 0});
        QCOMPARE(before.notificationsQueued, 1);
        QCOMPARE(count(*p.temp.db, u"SELECT COUNT(*) FROM jobs WHERE kind = 'notify.status' AND state = 'waiting'"_qs),
                 1);
        QVERIFY(addMailAccount(p, sink.port()));
        SmsAccount sms;
        sms.baseUrl = QUrl(u"http://127.0.0.1:%1"_qs.arg(smsPort));
        SD_VERIFY_OK(MessagingAccounts(p.temp.db).saveSms(sms, QByteArray("sms-token"), m_secrets.get()));
        QCOMPARE(count(*p.temp.db, u"SELECT COUNT(*) FROM jobs WHERE kind = 'notify.status' AND state = 'pending'"_qs),
                 1);
        QCOMPARE(*p.scheduler->runDue(), 1);
        QCOMPARE(sink.messages().size(), 1);
        QVERIFY(sink.messages().first().value(u"subject").toString().contains(u"To ship"_qs));
        QCOMPARE(gateway.received.size(), 1);
        QVERIFY(
            gateway.received.first().form.queryItemValue(u"message"_qs, QUrl::FullyDecoded).contains(u"To ship"_qs));

        // Off: a silent change sends nothing.
        auto silent = storage::changeStatus(*p.store, {p.orderId}, u"Shipped"_qs, false, {u"user:anna"_qs, {}, 0});
        QCOMPARE(silent.notificationsQueued, 0);
        SD_VERIFY_OK(p.scheduler->runDue());
        QCOMPARE(sink.messages().size(), 1);
        QCOMPARE(gateway.received.size(), 1);

        // On again, with SMS switched off in the settings: e-mail only.
        SD_VERIFY_OK(MessagingAccounts(p.temp.db).setSetting(u"notify.sms"_qs, u"0"_qs));
        auto on = storage::changeStatus(*p.store, {p.orderId}, u"To ship"_qs, true, {u"user:anna"_qs, {}, 0});
        QCOMPARE(on.notificationsQueued, 1);
        QCOMPARE(*p.scheduler->runDue(), 1);
        QCOMPARE(sink.messages().size(), 2);
        QCOMPARE(gateway.received.size(), 1);
        QCOMPARE(outbox(p).list(p.orderId)->size(), 3);
    }

    void sendEmailAndSmsActions()
    {
        Profile p;
        QVERIFY(open(p, u"sqlite"_qs, u"msg_actions"_qs));
        test::SmtpSink sink;
        QVERIFY2(sink.start({u"none"_qs, u"sklep"_qs, u"hasło"_qs, 0, 0}), qPrintable(sink.error()));
        test::SmsGatewayFake gateway("sms-token");
        SmsAccount sms;
        sms.baseUrl = QUrl(u"http://127.0.0.1:%1"_qs.arg(gateway.start()));
        SD_VERIFY_OK(MessagingAccounts(p.temp.db).saveSms(sms, QByteArray("sms-token"), m_secrets.get()));
        QVERIFY(addMailAccount(p, sink.port()));

        automation::Executors executors = automation::Executors::withDefaults();
        automation::Rule rule;
        rule.id = 7;
        rule.name = u"Review request"_qs;
        automation::Action mail{u"sendEmail"_qs, {{u"template"_qs, u"reviewRequest"_qs}}, 0, false, {}};
        automation::Action text{u"sendSms"_qs, {{u"template"_qs, u"reviewRequest"_qs}}, 0, false, {}};
        auto order = p.store->load(p.orderId);
        automation::Dispatcher dispatcher(*p.store, *p.rules);
        automation::ExecutorEnv env{*p.store, *p.rules, dispatcher};
        for (int round = 0; round < 2; ++round) { // the second round is a repeat: nothing goes out again
            auto m =
                executors.forAction(u"sendEmail"_qs).run({rule, mail, *order, u"rule:7@v1/action:0/order:1"_qs}, env);
            QCOMPARE(m.kind, automation::ActionOutcome::Kind::Done);
            auto s =
                executors.forAction(u"sendSms"_qs).run({rule, text, *order, u"rule:7@v1/action:1/order:1"_qs}, env);
            QCOMPARE(s.kind, automation::ActionOutcome::Kind::Done);
        }
        QCOMPARE(sink.messages().size(), 1);
        QVERIFY(sink.messages().first().value(u"subject").toString().contains(u"Sklep Żółw"_qs));
        QCOMPARE(gateway.received.size(), 1);
        QCOMPARE(gateway.received.first().form.queryItemValue(u"to"_qs), u"48500600700"_qs);

        // A template without SMS text fails for good (not retried).
        automation::Action invoiceSms{u"sendSms"_qs, {{u"template"_qs, u"invoiceIssued"_qs}}, 0, false, {}};
        auto bad = executors.forAction(u"sendSms"_qs).run({rule, invoiceSms, *order, u"rule:7@v1/action:2"_qs}, env);
        QCOMPARE(bad.kind, automation::ActionOutcome::Kind::Failed);
        QVERIFY(!bad.retry);
    }

    void invoiceWithPdfAttachment()
    {
        Profile p;
        QVERIFY(open(p, u"sqlite"_qs, u"msg_invoice"_qs));
        test::SmtpSink sink;
        QVERIFY(startSinkWithAccount(p, sink));
        QTemporaryDir dir;
        const QString pdfPath = dir.filePath(u"fv.pdf"_qs);
        const QByteArray pdf = "%PDF-1.4\n" + QByteArray(4000, '\x01') + "\n%%EOF\n";
        QFile file(pdfPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(pdf);
        file.close();
        Outbox box(*p.store);
        MessageRequest request;
        request.orderId = p.orderId;
        request.templateKey = QString::fromLatin1(TemplateKey::kInvoiceIssued);
        request.key = u"invoice:FV 1/2026/email"_qs;
        request.extra = {{u"invoiceNumber"_qs, u"FV 1/2026"_qs}};
        request.attachments = {{pdfPath, u"Faktura FV 1-2026.pdf"_qs, u"application/pdf"_qs}};
        auto queued = box.queue(request);
        SD_VERIFY_OK(queued);
        QCOMPARE(*p.scheduler->runDue(), 1);
        QCOMPARE(sink.messages().size(), 1);
        const QJsonObject r = sink.messages().first();
        QCOMPARE(r.value(u"subject").toString(), u"Faktura FV 1/2026 do zamówienia ORDER-1"_qs);
        QCOMPARE(r.value(u"attachments").toArray().at(0).toObject().value(u"size").toInt(), pdf.size());
        QCOMPARE(r.value(u"attachments").toArray().at(0).toObject().value(u"filename").toString(),
                 u"Faktura FV 1-2026.pdf"_qs);
    }

    void commandLine()
    {
        qputenv("SD_SECRET_STORE", "file");
        qputenv("SD_SECRET_PASSPHRASE", "cli-pass");
        QTemporaryDir dir;
        const QString profile = dir.filePath(u"p"_qs);
        test::SmtpSink sink;
        QVERIFY2(sink.start({}), qPrintable(sink.error()));
        auto demo = test::runCli({u"--profile"_qs, profile, u"demo"_qs, u"--orders"_qs, u"3"_qs});
        QCOMPARE(demo.exitCode, 0);

        auto bad = test::runCli({u"--profile"_qs, profile, u"mail"_qs, u"account"_qs, u"add"_qs, u"--host"_qs,
                                 u"127.0.0.1"_qs, u"--port"_qs, QString::number(sink.port()), u"--security"_qs,
                                 u"tls"_qs, u"--from"_qs, u"sklep@example.pl"_qs});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(u"--security"_qs));
        auto noMail = test::runCli(
            {u"--profile"_qs, profile, u"mail"_qs, u"send"_qs, u"1"_qs, u"--template"_qs, u"reviewRequest"_qs});
        QCOMPARE(noMail.exitCode, 1);
        QVERIFY(noMail.err.contains(u"No mail account"_qs) || noMail.out.contains(u"No mail account"_qs));

        auto add =
            test::runCli({u"--profile"_qs, profile, u"mail"_qs, u"account"_qs, u"add"_qs, u"--host"_qs, u"127.0.0.1"_qs,
                          u"--port"_qs, QString::number(sink.port()), u"--security"_qs, u"none"_qs, u"--from"_qs,
                          u"sklep@example.pl"_qs, u"--from-name"_qs, u"Sklep Żółw"_qs});
        QCOMPARE(add.exitCode, 0);
        QCOMPARE(
            test::runCli({u"--profile"_qs, profile, u"mail"_qs, u"test"_qs, u"--to"_qs, u"me@example.pl"_qs}).exitCode,
            0);
        auto preview = test::runCli(
            {u"--profile"_qs, profile, u"templates"_qs, u"show"_qs, u"reviewRequest"_qs, u"--order"_qs, u"1"_qs});
        QCOMPARE(preview.exitCode, 0);
        QVERIFY(preview.out.contains(u"Jak oceniasz zakupy w Sklep Żółw?"_qs));
        auto send = test::runCli(
            {u"--profile"_qs, profile, u"mail"_qs, u"send"_qs, u"1"_qs, u"--template"_qs, u"reviewRequest"_qs});
        QCOMPARE(send.exitCode, 0);
        QCOMPARE(sink.messages().size(), 2);
        QCOMPARE(sink.messages().at(1).value(u"subject").toString(), u"Jak oceniasz zakupy w Sklep Żółw?"_qs);
        auto list = test::runCli({u"--profile"_qs, profile, u"messages"_qs, u"list"_qs, u"--json"_qs});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray messages = QJsonDocument::fromJson(list.out.toUtf8()).array();
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.first().toObject().value(u"state").toString(), u"sent"_qs);
        QCOMPARE(messages.first().toObject().value(u"template").toString(), u"reviewRequest"_qs);

        // SMS through the CLI: the gateway's token from standard input, a text to the buyer now (the gateway fake
        // lives in this thread, so the wait serves it).
        test::SmsGatewayFake gateway("cli-sms-token");
        const quint16 smsPort = gateway.start();
        QVERIFY(smsPort);
        auto cliWithInput = [](const QStringList &arguments, const QByteArray &input) {
            QProcess process;
            process.start(qEnvironmentVariable("SD_CLI"), arguments);
            process.write(input);
            process.closeWriteChannel();
            QElapsedTimer clock;
            clock.start();
            while (!process.waitForFinished(20) && clock.elapsed() < 60000)
                QCoreApplication::processEvents();
            return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        };
        QCOMPARE(
            cliWithInput({u"--profile"_qs, profile, u"sms"_qs, u"account"_qs, u"add"_qs, u"--url"_qs,
                          u"http://127.0.0.1:%1"_qs.arg(smsPort), u"--sender"_qs, u"Sklep"_qs, u"--token-stdin"_qs},
                         "cli-sms-token\n"),
            0);
        QCOMPARE(cliWithInput({u"--profile"_qs, profile, u"sms"_qs, u"send"_qs, u"1"_qs, u"--template"_qs,
                               u"reviewRequest"_qs, u"--to"_qs, u"500 600 700"_qs},
                              {}),
                 0);
        QCOMPARE(gateway.received.size(), 1);
        QCOMPARE(gateway.received.first().authorization, QByteArray("Bearer cli-sms-token"));
        QCOMPARE(gateway.received.first().form.queryItemValue(u"to"_qs), u"48500600700"_qs);
        QVERIFY(
            gateway.received.first().form.queryItemValue(u"message"_qs, QUrl::FullyDecoded).contains(u"Sklep Żółw"_qs));
        const QJsonArray both =
            QJsonDocument::fromJson(
                test::runCli({u"--profile"_qs, profile, u"messages"_qs, u"list"_qs, u"--json"_qs}).out.toUtf8())
                .array();
        QCOMPARE(both.size(), 2);
        QCOMPARE(both.first().toObject().value(u"channel").toString(), u"sms"_qs);
        QCOMPARE(both.first().toObject().value(u"state").toString(), u"sent"_qs);

        // Order confirmation (A7): ask, show, confirm by hand.
        auto ask = test::runCli({u"--profile"_qs, profile, u"confirm"_qs, u"1"_qs, u"--request"_qs});
        QCOMPARE(ask.exitCode, 0);
        QCOMPARE(test::runCli({u"--profile"_qs, profile, u"confirm"_qs, u"1"_qs}).out.trimmed(), u"requested\t1"_qs);
        auto byHand = test::runCli({u"--profile"_qs, profile, u"confirm"_qs, u"1"_qs, u"--by-hand"_qs});
        QCOMPARE(byHand.exitCode, 0);
        QVERIFY(byHand.out.startsWith(u"confirmed\t1\tcli"_qs));
        QCOMPARE(test::runCli({u"--profile"_qs, profile, u"confirm"_qs, u"--token"_qs, u"nope"_qs}).exitCode, 1);

        // The link: the buyer opens the shop's page with the token, and the shop's site (which has the public
        // address a workstation lacks) passes the token on; the order is confirmed by the buyer (link).
        QCOMPARE(test::runCli({u"--profile"_qs, profile, u"confirm"_qs, u"2"_qs, u"--request"_qs}).exitCode, 0);
        QString token;
        {
            auto opened = storage::Database::openProfile(profile);
            SD_VERIFY_OK(opened);
            QSqlQuery q((*opened)->connection());
            QVERIFY(q.exec(u"SELECT token FROM order_confirmations WHERE order_id = 2"_qs) && q.next());
            token = q.value(0).toString();
        }
        QVERIFY(token.size() >= 16);
        auto byLink = test::runCli({u"--profile"_qs, profile, u"confirm"_qs, u"--token"_qs, token});
        QCOMPARE(byLink.exitCode, 0);
        QVERIFY(byLink.out.contains(u"Order 2 confirmed by the buyer's link."_qs));
        QCOMPARE(test::runCli({u"--profile"_qs, profile, u"confirm"_qs, u"2"_qs}).out.trimmed(),
                 u"confirmed\t1\tbuyer:link"_qs);
        QCOMPARE(test::runCli({u"--profile"_qs, profile, u"confirm"_qs, u"--token"_qs, token}).exitCode, 0);
        // The buyer answered the request by e-mail: the operator records it as the buyer's reply.
        QCOMPARE(test::runCli({u"--profile"_qs, profile, u"confirm"_qs, u"3"_qs, u"--request"_qs}).exitCode, 0);
        auto byReply = test::runCli({u"--profile"_qs, profile, u"confirm"_qs, u"3"_qs, u"--by-reply"_qs});
        QCOMPARE(byReply.exitCode, 0);
        QCOMPARE(byReply.out.trimmed(), u"confirmed\t1\tbuyer:reply"_qs);
    }

    void orderConfirmation()
    {
        Profile p;
        QVERIFY(open(p, u"sqlite"_qs, u"msg_confirm"_qs));
        test::SmtpSink sink;
        QVERIFY(startSinkWithAccount(p, sink));
        SD_VERIFY_OK(MessagingAccounts(p.temp.db).setSetting(u"shop.url"_qs, u"https://sklep.example.pl"_qs));
        OrderConfirmations confirmations(*p.store);
        QCOMPARE(confirmations.status(p.orderId)->state, OrderConfirmations::State::None);
        SD_VERIFY_OK(confirmations.request(p.orderId, u"user:anna"_qs));
        SD_VERIFY_OK(confirmations.request(p.orderId, u"user:anna"_qs)); // "send again": a second message
        QCOMPARE(*p.scheduler->runDue(), 2);
        QCOMPARE(sink.messages().size(), 2);
        auto status = confirmations.status(p.orderId);
        QCOMPARE(status->state, OrderConfirmations::State::Requested);
        QCOMPARE(status->requests, 2);
        const QString link = *confirmations.linkFor(status->token);
        QVERIFY(link.startsWith(u"https://sklep.example.pl/confirm?token="_qs));
        QVERIFY(sink.messages().at(1).value(u"text").toString().contains(link));
        QVERIFY(!confirmations.confirmByToken(u"wrong"_qs));
        QCOMPARE(*confirmations.confirmByToken(status->token), p.orderId);
        SD_VERIFY_OK(confirmations.confirmByToken(status->token)); // a second click changes nothing
        status = confirmations.status(p.orderId);
        QCOMPARE(status->state, OrderConfirmations::State::Confirmed);
        QCOMPARE(status->confirmedBy, u"buyer:link"_qs);
        QVERIFY(!confirmations.request(p.orderId, u"user:anna"_qs)); // nothing to ask any more
        QCOMPARE(count(*p.temp.db, u"SELECT COUNT(*) FROM events WHERE type = 'order.confirmed'"_qs), 1);
        QCOMPARE(count(*p.temp.db, u"SELECT COUNT(*) FROM events WHERE type = 'order.confirmation_requested'"_qs), 2);

        // Confirmed by hand, without any request (after a phone call).
        auto other = test::sampleOrder(u"ORDER-2"_qs);
        auto created = p.store->apply(storage::OrderChange::create(other, {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(confirmations.confirm(created->orderId, OrderConfirmations::By::Operator, u"user:anna"_qs));
        QCOMPARE(confirmations.status(created->orderId)->confirmedBy, u"user:anna"_qs);
    }

    void ordersDownloadedPerStore()
    {
        Profile p;
        QVERIFY(open(p, u"sqlite"_qs, u"msg_downloaded"_qs));
        test::SmtpSink sink;
        QVERIFY(startSinkWithAccount(p, sink));
        MessagingAccounts settings(p.temp.db);
        const QList<QPair<QString, int>> counts = {{u"shop-a"_qs, 3}, {u"shop-b"_qs, 0}, {u"shop-c"_qs, 12}};
        QCOMPARE(*notifyOrdersDownloaded(*p.store, counts, u"run-1"_qs), 0); // off by default
        SD_VERIFY_OK(settings.setSetting(u"notify.downloaded"_qs, u"1"_qs));
        // Only while the automatic order download is on.
        QCOMPARE(*notifyOrdersDownloaded(*p.store, counts, u"run-1"_qs), 0);
        SD_VERIFY_OK(inventory::InventorySettings::set(*p.temp.db, u"autoOrderDownload"_qs, u"on"_qs));
        QVERIFY(!notifyOrdersDownloaded(*p.store, counts, u"run-1"_qs)); // no address to send to
        SD_VERIFY_OK(settings.setSetting(u"seller.email"_qs, u"szef@example.pl"_qs));
        QCOMPARE(*notifyOrdersDownloaded(*p.store, counts, u"run-1"_qs), 2);
        QCOMPARE(*notifyOrdersDownloaded(*p.store, counts, u"run-1"_qs), 2); // the same run: the same messages
        QCOMPARE(*p.scheduler->runDue(), 2);
        const auto received = sink.messages();
        QCOMPARE(received.size(), 2);
        QStringList texts;
        for (const QJsonObject &m : received) {
            QCOMPARE(m.value(u"envelope_to").toArray().at(0).toString(), u"szef@example.pl"_qs);
            texts.append(m.value(u"text").toString().trimmed());
        }
        texts.sort();
        QCOMPARE(texts, (QStringList{u"Z konta shop-a pobrano nowych zamówień: 3."_qs,
                                     u"Z konta shop-c pobrano nowych zamówień: 12."_qs}));
    }

    void deadlineAlertsOnce()
    {
        Profile p;
        QVERIFY(open(p, u"sqlite"_qs, u"msg_deadlines"_qs));
        auto unpaid = test::sampleOrder(u"UNPAID-1"_qs);
        unpaid.payment.status = domain::PaymentStatus::Unpaid;
        unpaid.createdAt = QDateTime(QDate(2026, 11, 11), QTime(10, 0), Qt::UTC);
        auto created = p.store->apply(storage::OrderChange::create(unpaid, {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        // The sample order (paid, new) was bought on 2026-11-20 10:00 UTC: late for dispatch only after two days.
        const QDateTime bought(QDate(2026, 11, 20), QTime(10, 0), Qt::UTC);
        QCOMPARE(*alertPassedDeadlines(*p.store, bought.addDays(1), 30, 2), 0);
        QCOMPARE(*alertPassedDeadlines(*p.store, bought.addDays(1), 7, 2), 1); // the unpaid one, 10 days ago
        QCOMPARE(*alertPassedDeadlines(*p.store, bought.addDays(1), 7, 2), 0); // never twice
        QCOMPARE(*alertPassedDeadlines(*p.store, bought.addDays(3), 7, 2), 1);
        auto alerts = automation::OperatorAlerts(p.temp.db).list();
        QCOMPARE(alerts->size(), 2);
        QStringList kinds;
        for (const auto &a : *alerts)
            kinds.append(a.kind);
        kinds.sort();
        QCOMPARE(kinds, (QStringList{u"deadline.dispatch"_qs, u"deadline.payment"_qs}));
    }

private:
    Outbox outbox(Profile &p) { return Outbox(*p.store); }
};

QTEST_GUILESS_MAIN(TestMessaging)
#include "tst_messaging.moc"
