#include "automation/dispatcher.h"
#include "automation/marketplaceexecutors.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "documentfixtures.h"
#include "documents/exchangerates.h"
#include "documents/settings.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/accountconnector.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrosync.h"
#include "messaging/messagingaccounts.h"
#include "messaging/outbox.h"
#include "security/filesecretstore.h"
#include "smtpsink.h"
#include "storage/actionledger.h"
#include "storage/catalogstore.h"
#include "storage/orderstore.h"
#include "testsupport.h"
#include "trainingharness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace sd;
using namespace sd::automation;
using namespace sd::marketplace;
using namespace sd::marketplace::allegro;
using sd::marketplace::training::FaultPlan;
using sd::marketplace::training::TrainingOptions;
using sd::marketplace::training::TrainingServer;

namespace {

constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kDayMs = 24 * 60 * kMinuteMs;

qint64 scalar(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

Rule rule(const QByteArray &json)
{
    auto r = Rule::fromText(json);
    if (!r)
        qFatal("%s", qPrintable(r.error().userMessage));
    return *r;
}

} // namespace

// The example rules of B5, end to end: orders come from the training marketplace through the real download, the
// scheduler runs the rules on a clock the test moves, and the marketplace actions write back to the training shop,
// whose own lists then prove what happened there (one refund, one claim per line item, one parcel).
class TestAutomationExamples : public QObject
{
    Q_OBJECT

    std::unique_ptr<TrainingHarness> m_server;
    std::optional<test::TempDatabase> m_fresh;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<security::FileSecretStore> m_secrets;
    MarketplaceAccount m_account;
    ClientOptions m_options;

    std::shared_ptr<storage::Database> db() { return m_fresh->db; }

    Result<SyncReport> sync()
    {
        AllegroSync syncer(db(), m_secrets);
        syncer.setClientOptions(m_options);
        return syncer.syncAccount(m_account.id);
    }

    qint64 localId(const QString &checkoutFormId)
    {
        QSqlQuery q(db()->connection());
        q.prepare(u"SELECT id FROM orders WHERE external_id = ?"_qs);
        q.addBindValue(checkoutFormId);
        return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
    }

    QJsonObject form(const QString &id)
    {
        return m_server->run([&](TrainingServer &s) { return s.checkoutForm(id); });
    }

    QJsonObject api(const QString &path, const QUrlQuery &query = {})
    {
        AllegroClient client(*AccountStore(db()).get(m_account.id), db(), m_secrets, m_options);
        auto answer = client.getJson(path, query);
        return answer ? *answer : QJsonObject{{u"error"_qs, answer.error().text()}};
    }

    // The action traces of one rule on one order: action -> outcome, in the order they ran.
    QStringList actionOutcomes(RuleStore &rules, qint64 orderId, qint64 ruleId)
    {
        QStringList out;
        auto traces = rules.traces(orderId);
        if (!traces)
            return {traces.error().text()};
        for (const StoredTrace &t : *traces)
            if (t.ruleId == ruleId && t.kind == u"action")
                out.append(t.trace.value(u"action").toString() + u':' + t.outcome);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        TrainingOptions options;
        options.autoApprove = true;
        m_server = std::make_unique<TrainingHarness>(options);
        QVERIFY2(m_server->url().isValid(), qPrintable(m_server->error()));
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_automation_examples"_qs);
        SD_VERIFY_OK(fresh);
        m_fresh = *fresh;
        m_dir = std::make_unique<QTemporaryDir>();
        m_secrets = std::make_shared<security::FileSecretStore>(m_dir->filePath(u"secrets.enc"_qs), "pw", 1000);
        SD_VERIFY_OK(m_secrets->unlock());
        m_options.retry.timeScale = 0.001;
        m_options.retry.requestTimeoutMs = 10000;
        auto connected = m_server->connectAccount(db(), m_secrets, m_options);
        SD_VERIFY_OK(connected);
        m_account = *connected;
    }

    void b5ExamplesAgainstTheTrainingMarketplace()
    {
        storage::OrderStore store(db());
        RuleStore rules(db());
        storage::CatalogStore catalog(db());
        SD_VERIFY_OK(catalog.addStatus(u"Needs NIP"_qs, storage::StatusGroup::InProgress));
        SD_VERIFY_OK(catalog.addStatus(u"Unpaid, claimed"_qs, storage::StatusGroup::Cancelled));
        storage::Database &database = *db();

        // The orders: two online orders left unpaid at the first download (A pays later, U never), two paid ones
        // (C is cancelled by the buyer later, S is shipped), a cash-on-delivery one, a Czech one; the rest paid.
        struct Roles
        {
            QString a, u, c, s, cod, cz;
        };
        const Roles roles = m_server->run([](TrainingServer &s) {
            Roles r;
            QStringList made = s.generateOrders(80);
            for (int batch = 0; batch < 10; ++batch) {
                for (const QString &id : std::as_const(made)) {
                    const QJsonObject f = s.checkoutForm(id);
                    const QString type = f.value(u"payment").toObject().value(u"type").toString();
                    const bool czech = f.value(u"marketplace").toObject().value(u"id").toString() == u"allegro-cz";
                    QString *slot = nullptr;
                    if (czech && r.cz.isEmpty())
                        slot = &r.cz;
                    else if (!czech && type == u"CASH_ON_DELIVERY" && r.cod.isEmpty())
                        slot = &r.cod;
                    else if (!czech && type == u"ONLINE")
                        for (QString *candidate : {&r.a, &r.u, &r.c, &r.s})
                            if (candidate->isEmpty()) {
                                slot = candidate;
                                break;
                            }
                    if (slot)
                        *slot = id;
                    if (slot != &r.a && slot != &r.u)
                        s.buyerPays(id);
                }
                if (!r.cz.isEmpty())
                    break;
                made = s.generateOrders(80);
            }
            return r;
        });
        QVERIFY(!roles.a.isEmpty() && !roles.u.isEmpty() && !roles.c.isEmpty() && !roles.s.isEmpty());
        QVERIFY(!roles.cod.isEmpty());
        QVERIFY(!roles.cz.isEmpty());

        auto save = [&](const QByteArray &json) {
            auto saved = rules.save(rule(json), u"user:anna"_qs);
            if (!saved)
                qWarning() << saved.error().text();
            return saved ? saved->id : 0;
        };
        const qint64 paidRule = save(R"({"format": "sellerdesk.rule/1", "name": "paid -> To ship",
            "trigger": {"type": "payment.changed", "params": {"to": "paid"}},
            "actions": [{"type": "setStatus", "params": {"status": "To ship"}}]})");
        const qint64 codRule = save(R"({"format": "sellerdesk.rule/1", "name": "COD -> To ship",
            "trigger": {"type": "order.downloaded"},
            "conditions": {"field": "paymentMethod", "op": "eq", "value": "CASH_ON_DELIVERY"},
            "actions": [{"type": "setStatus", "params": {"status": "To ship"}}]})");
        const qint64 nipRule = save(R"({"format": "sellerdesk.rule/1", "name": "invoice without NIP",
            "trigger": {"type": "order.downloaded"},
            "conditions": {"all": [{"field": "invoiceWanted", "op": "isTrue"}, {"field": "nipGiven", "op": "isFalse"}]},
            "actions": [{"type": "setStatus", "params": {"status": "Needs NIP"}}]})");
        const qint64 reminderRule = save(R"({"format": "sellerdesk.rule/1", "name": "unpaid 3 days: reminder",
            "trigger": {"type": "time.after", "params": {"anchor": "order-date", "minutes": 4320}},
            "conditions": {"all": [{"field": "paymentStatus", "op": "eq", "value": "unpaid"},
                                   {"field": "paymentMethod", "op": "eq", "value": "ONLINE"},
                                   {"field": "marketplaceStatus", "op": "ne", "value": "CANCELLED"}]},
            "actions": [{"type": "sendEmail", "params": {"template": "payment-reminder"}}]})");
        const qint64 claimRule = save(R"({"format": "sellerdesk.rule/1", "name": "unpaid 7 days: claim",
            "trigger": {"type": "time.after", "params": {"anchor": "order-date", "minutes": 10080}},
            "conditions": {"all": [{"field": "paymentStatus", "op": "eq", "value": "unpaid"},
                                   {"field": "paymentMethod", "op": "eq", "value": "ONLINE"},
                                   {"field": "marketplaceStatus", "op": "ne", "value": "CANCELLED"}]},
            "actions": [{"type": "commissionClaim"}, {"type": "setStatus", "params": {"status": "Unpaid, claimed"}},
                        {"type": "returnStock"}]})");
        const qint64 cancelRule = save(R"({"format": "sellerdesk.rule/1", "name": "cancelled: claim and refund",
            "trigger": {"type": "order.cancelled"}, "limitPerOrder": 1,
            "conditions": {"field": "paymentStatus", "op": "eq", "value": "paid"},
            "actions": [{"type": "commissionClaim"}, {"type": "refundPayment"}]})");
        const qint64 reviewRule = save(R"({"format": "sellerdesk.rule/1", "name": "shipped 10 days: review",
            "trigger": {"type": "time.after", "params": {"anchor": "shipment", "minutes": 14400}},
            "actions": [{"type": "sendEmail", "params": {"template": "review-request"}}]})");
        const qint64 foreignRule = save(R"({"format": "sellerdesk.rule/1", "name": "abroad: foreign VAT",
            "trigger": {"type": "order.downloaded"},
            "conditions": {"field": "country", "op": "ne", "value": "PL"},
            "actions": [{"type": "issueInvoice"}]})");
        const qint64 shipRule = save(R"({"format": "sellerdesk.rule/1", "name": "ship it",
            "trigger": {"type": "manual"},
            "actions": [{"type": "markShipped"}]})");
        for (qint64 id :
             {paidRule, codRule, nipRule, reminderRule, claimRule, cancelRule, reviewRule, foreignRule, shipRule})
            QVERIFY(id > 0);

        auto access = std::make_shared<MarketplaceAccess>();
        access->secrets = m_secrets;
        access->options = m_options;
        Scheduler scheduler(store, rules, Executors::withDefaults(access), u"ws-examples"_qs);
        qint64 clock = 0; // 0: the wall clock
        scheduler.setClock([&clock] { return clock ? clock : QDateTime::currentMSecsSinceEpoch(); });

        // First download: the rules that look at a new order.
        // The seller is registered for OSS and invoices private persons: a buyer abroad gets an invoice at the rate of
        // the buyer's country.
        documents::SettingsStore documentSettings(db());
        SD_VERIFY_OK(documentSettings.setCompany(test::sampleCompany()));
        documents::DocumentSettings invoicing;
        invoicing.ossEnabled = true;
        invoicing.ossRates = documents::DocumentSettings::defaultOssRates();
        invoicing.invoicePrivatePersons = true;
        SD_VERIFY_OK(documentSettings.setSettings(invoicing));

        // A real SMTP server on loopback and a mail account for it: the reminder and the review request are e-mails.
        test::SmtpSink sink;
        QVERIFY2(sink.start({}), qPrintable(sink.error()));
        messaging::MailAccount mail;
        mail.host = u"127.0.0.1"_qs;
        mail.port = sink.port();
        mail.security = messaging::MailAccount::Security::None;
        mail.from = {u"sklep@example.pl"_qs, u"Sklep Testowy"_qs};
        mail.timeoutSeconds = 5;
        SD_VERIFY_OK(messaging::MessagingAccounts(db()).saveMail(mail, std::nullopt, m_secrets.get()));
        messaging::Outbox::setDefaultSecrets(m_secrets);

        // Allegro.cz sells in CZK: the invoice's VAT is also shown in PLN at the NBP rate of the last working day
        // before the sale (art. 31a), taken from the profile's rate table.
        {
            documents::RateTable rates(db());
            for (int back = 1; back <= 45; ++back)
                SD_VERIFY_OK(rates.put({u"CZK"_qs, QDate::currentDate().addDays(-back), u"0.1735"_qs, u"manual"_qs}));
        }
        auto first = sync();
        SD_VERIFY_OK(first);
        QVERIFY(first->ok());
        SD_VERIFY_OK(scheduler.runUntilIdle());
        const qint64 a = localId(roles.a), u = localId(roles.u), c = localId(roles.c), s = localId(roles.s);
        const qint64 cod = localId(roles.cod), cz = localId(roles.cz);
        QVERIFY(a && u && c && s && cod && cz);
        QCOMPARE(store.load(cod)->status, u"To ship"_qs);
        QCOMPARE(store.load(a)->status, u"New"_qs);
        QCOMPARE(store.load(cz)->delivery.address.countryCode, u"CZ"_qs);
        QCOMPARE(actionOutcomes(rules, cz, foreignRule), QStringList{u"issueInvoice:done"_qs});
        {
            QSqlQuery q(database.connection());
            QVERIFY(q.exec(u"SELECT doc FROM documents WHERE order_id = %1"_qs.arg(cz)));
            QVERIFY(q.next());
            const QJsonArray lines =
                QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object().value(u"lines").toArray();
            QVERIFY(!lines.isEmpty());
            for (const QJsonValue &line : lines) {
                QCOMPARE(line[u"procedure"].toString(), u"oss"_qs);
                QCOMPARE(line[u"rate"].toString(), u"21"_qs); // the Czech standard rate
            }
            QVERIFY(!q.next()); // one invoice for the order, however often the rule is looked at
        }
        // Every order that wants an invoice without a NIP waits for one; the others do not.
        const qint64 wantsNip = scalar(database, u"SELECT COUNT(*) FROM rule_traces WHERE rule_id = %1 AND "
                                                 "outcome = 'fired'"_qs.arg(nipRule));
        QVERIFY2(wantsNip > 0, "no generated order wants an invoice without a NIP");
        QCOMPARE(scalar(database, u"SELECT COUNT(*) FROM orders o JOIN statuses st ON st.id = o.status_id "
                                  "WHERE st.name = 'Needs NIP'"_qs),
                 wantsNip);

        // A pays: the payment change sets the status.
        QVERIFY(m_server->run([&](TrainingServer &srv) { return srv.buyerPays(roles.a); }));
        SD_VERIFY_OK(sync());
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(store.load(a)->status, u"To ship"_qs);
        QCOMPARE(actionOutcomes(rules, a, paidRule), QStringList{u"setStatus:done"_qs});

        // C is cancelled by the buyer. The marketplace fails the first attempts (503): retried later, not twice.
        QVERIFY(m_server->run([&](TrainingServer &srv) { return srv.buyerCancels(roles.c); }));
        SD_VERIFY_OK(sync());
        QCOMPARE(store.load(c)->marketplaceStatus, u"CANCELLED"_qs);
        m_server->run([](TrainingServer &srv) { srv.setFaults(*FaultPlan::parse(u"503=1"_qs)); });
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(actionOutcomes(rules, c, cancelRule), QStringList{u"commissionClaim:retry"_qs});
        m_server->run([](TrainingServer &srv) { srv.setFaults({}); });
        QSqlQuery(database.connection())
            .exec(u"UPDATE jobs SET due_at = 0 WHERE state = 'pending' AND order_id = %1 "
                  "AND kind = 'rule.action'"_qs.arg(c));
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(actionOutcomes(rules, c, cancelRule),
                 (QStringList{u"commissionClaim:retry"_qs, u"commissionClaim:done"_qs, u"refundPayment:done"_qs}));
        // The trigger fires again (a second cancellation event) and every job is run again (a restart that lost
        // track): the limit and the ledger keep it at one refund and one claim per line item.
        SD_VERIFY_OK(store.recordEvent(storage::EventType::kOrderCancelled, c, {{u"by"_qs, u"marketplace"_qs}},
                                       {u"marketplace:allegro"_qs, u"import"_qs, 0}));
        QSqlQuery(database.connection())
            .exec(u"UPDATE jobs SET state = 'pending', due_at = 0, lease_owner = NULL, lease_until = NULL "
                  "WHERE order_id = %1 AND kind = 'rule.action'"_qs.arg(c));
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(actionOutcomes(rules, c, cancelRule),
                 (QStringList{u"commissionClaim:retry"_qs, u"commissionClaim:done"_qs, u"refundPayment:done"_qs,
                              u"commissionClaim:skipped"_qs, u"refundPayment:skipped"_qs}));
        QCOMPARE(scalar(database, u"SELECT COUNT(*) FROM rule_traces WHERE rule_id = %1 AND order_id = %2 AND "
                                  "outcome = 'limit'"_qs.arg(cancelRule)
                                      .arg(c)),
                 1);
        const QJsonObject cForm = form(roles.c);
        QUrlQuery byPayment;
        byPayment.addQueryItem(u"payment.id"_qs, cForm.value(u"payment").toObject().value(u"id").toString());
        const QJsonObject refunds = api(u"/payments/refunds"_qs, byPayment);
        QCOMPARE(refunds.value(u"totalCount").toInt(), 1);
        const QJsonObject refund = refunds.value(u"refunds").toArray().at(0).toObject();
        QCOMPARE(refund.value(u"totalValue").toObject().value(u"amount").toString(),
                 cForm.value(u"payment").toObject().value(u"paidAmount").toObject().value(u"amount").toString());
        QCOMPARE(refund.value(u"reason").toString(), u"CANCELLED_BY_BUYER"_qs);
        QSet<QString> cLines;
        for (const QJsonValue &line : cForm.value(u"lineItems").toArray())
            cLines.insert(line.toObject().value(u"id").toString());
        auto claimsFor = [&](const QSet<QString> &lines) {
            int n = 0;
            QUrlQuery all;
            all.addQueryItem(u"limit"_qs, u"100"_qs);
            for (const QJsonValue &claim : api(u"/order/refund-claims"_qs, all).value(u"refundClaims").toArray())
                n += lines.contains(claim.toObject().value(u"lineItem").toObject().value(u"id").toString());
            return n;
        };
        QCOMPARE(claimsFor(cLines), int(cLines.size()));

        // S gets a parcel (shipped now: its "10 days after shipment" timer is set) and the manual rule "ship it"
        // uploads the tracking number and marks it sent; pressed twice, the parcel is still there once.
        const QString waybill = u"620111222333444555666777"_qs;
        SD_VERIFY_OK(store.apply(storage::OrderChange::update(s,
                                                              [&](domain::Order &o) -> Result<void> {
                                                                  o.shipments.append({u"INPOST"_qs, waybill, {}, {}});
                                                                  return {};
                                                              },
                                                              {u"user:anna"_qs, u"label"_qs, 0})));
        const qint64 shippedAt = store.load(s)->shippedAt.toMSecsSinceEpoch();
        QVERIFY(shippedAt > 0);
        Dispatcher dispatcher(store, rules);
        SD_VERIFY_OK(dispatcher.requestManualRun(shipRule, s, {u"user:anna"_qs, u"run by hand"_qs, 0}));
        SD_VERIFY_OK(scheduler.runUntilIdle());
        SD_VERIFY_OK(dispatcher.requestManualRun(shipRule, s, {u"user:anna"_qs, u"run by hand"_qs, 0}));
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(actionOutcomes(rules, s, shipRule), (QStringList{u"markShipped:done"_qs, u"markShipped:done"_qs}));
        const QJsonArray parcels =
            api(u"/order/checkout-forms/"_qs + roles.s + u"/shipments"_qs).value(u"shipments").toArray();
        QCOMPARE(parcels.size(), 1);
        QCOMPARE(parcels.at(0).toObject().value(u"waybill").toString(), waybill);
        QCOMPARE(form(roles.s).value(u"fulfillment").toObject().value(u"status").toString(), u"SENT"_qs);

        // Time passes. The unpaid timers are set from the order date, to the minute.
        const qint64 bought = store.load(u)->createdAt.toMSecsSinceEpoch();
        QCOMPARE(scalar(database, u"SELECT due_at FROM jobs WHERE kind = 'rule.timer' AND order_id = %1 AND "
                                  "payload LIKE '%\"rule\":%2,%'"_qs.arg(u)
                                      .arg(reminderRule)),
                 bought + 3 * kDayMs);
        clock = bought + 3 * kDayMs - kMinuteMs;
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QVERIFY(actionOutcomes(rules, u, reminderRule).isEmpty());
        clock = bought + 3 * kDayMs;
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(actionOutcomes(rules, u, reminderRule), QStringList{u"sendEmail:done"_qs});
        QCOMPARE(sink.messages().size(), 1);
        QCOMPARE(sink.messages().constLast().value(u"to").toArray(), QJsonArray{store.load(u)->buyer.email});
        QVERIFY(actionOutcomes(rules, a, reminderRule).isEmpty()); // A paid in time
        clock = bought + 7 * kDayMs;
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(actionOutcomes(rules, u, claimRule),
                 (QStringList{u"commissionClaim:done"_qs, u"setStatus:done"_qs, u"returnStock:done"_qs}));
        QCOMPARE(store.load(u)->status, u"Unpaid, claimed"_qs);
        QSet<QString> uLines;
        for (const QJsonValue &line : form(roles.u).value(u"lineItems").toArray())
            uLines.insert(line.toObject().value(u"id").toString());
        QCOMPARE(claimsFor(uLines), int(uLines.size()));

        // Ten days after the parcel: the review request, at its minute and not before.
        clock = shippedAt + 10 * kDayMs - kMinuteMs;
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QVERIFY(actionOutcomes(rules, s, reviewRule).isEmpty());
        clock = shippedAt + 10 * kDayMs;
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(actionOutcomes(rules, s, reviewRule), QStringList{u"sendEmail:done"_qs});
        QCOMPARE(sink.messages().size(), 2);
        QCOMPARE(sink.messages().constLast().value(u"to").toArray(), QJsonArray{store.load(s)->buyer.email});
        QVERIFY(actionOutcomes(rules, a, reviewRule).isEmpty()); // never shipped

        // Nothing was done twice anywhere, and nothing is left.
        QCOMPARE(scalar(database, u"SELECT COUNT(*) FROM jobs WHERE state IN ('pending', 'running') AND kind IN "
                                  "('rule.action')"_qs),
                 0);
        QCOMPARE(scalar(database,
                        u"SELECT COUNT(*) FROM marketplace_refunds WHERE order_id = %1 AND kind = 'payment'"_qs.arg(c)),
                 1);
        QCOMPARE(scalar(database, u"SELECT COUNT(*) FROM marketplace_refunds WHERE order_id = %1 AND kind = "
                                  "'commission'"_qs.arg(c)),
                 qint64(cLines.size()));
    }
};

QTEST_GUILESS_MAIN(TestAutomationExamples)
#include "tst_automationexamples.moc"
