#include "automation/backgroundservices.h"
#include "automation/catalog.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "messaging/messagingaccounts.h"
#include "messaging/outbox.h"
#include "security/filesecretstore.h"
#include "service/servicenotifier.h"
#include "service/servicestore.h"
#include "smtpsink.h"
#include "testsupport.h"

#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;
using namespace sd::service;

namespace {

constexpr qint64 kHourMs = 60LL * 60 * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;

qint64 count(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

qint64 messages(storage::Database &db, const char *templateKey)
{
    return count(db, u"SELECT COUNT(*) FROM messages WHERE template_key = '%1'"_qs.arg(QLatin1StringView(templateKey)));
}

} // namespace

class TestServiceCases : public QObject
{
    Q_OBJECT

    QTemporaryDir m_secretsDir;
    std::shared_ptr<security::SecretStore> m_secrets;

    struct Profile
    {
        test::TempDatabase temp;
        std::unique_ptr<storage::OrderStore> store;
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
        // Two lines: a kettle and a toaster.
        domain::Order order = test::sampleOrder(u"SRV-1"_qs);
        domain::LineItem toaster = order.items.constFirst();
        toaster.name = u"Toster Retro"_qs;
        toaster.sku = u"TO-1"_qs;
        toaster.quantity = 1;
        order.items.append(toaster);
        order.total = order.computedTotal();
        order.payment.paidAmount = order.total;
        auto created = p.store->apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0}));
        if (!created)
            return false;
        p.orderId = created->orderId;
        return messaging::MessagingAccounts(p.temp.db).setSetting(u"shop.name"_qs, u"Sklep Żółw"_qs).ok();
    }

    bool addMailAccount(Profile &p, int port)
    {
        messaging::MailAccount a;
        a.host = u"127.0.0.1"_qs;
        a.port = port;
        a.security = messaging::MailAccount::Security::None;
        a.from = {u"sklep@example.pl"_qs, u"Sklep Żółw"_qs};
        a.timeoutSeconds = 5;
        return messaging::MessagingAccounts(p.temp.db).saveMail(a, QByteArray(), m_secrets.get()).ok();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_secretsDir.isValid());
        m_secrets = std::make_shared<security::FileSecretStore>(m_secretsDir.filePath(u"secrets.enc"_qs), "pass", 1000);
        messaging::Outbox::setDefaultSecrets(m_secrets);
    }

    void statesMachine()
    {
        QCOMPARE(nextStates(ServiceState::Registered),
                 (QList<ServiceState>{ServiceState::Sent, ServiceState::Rejected}));
        QVERIFY(isFinal(ServiceState::HandedBack));
        QVERIFY(isFinal(ServiceState::Replaced));
        QVERIFY(!isFinal(ServiceState::AtService));
        for (const QString &key : stateKeys())
            QCOMPARE(stateKey(*stateFromKey(key)), key);
        QVERIFY(!stateFromKey(u"lost"_qs));
        ServiceCase c;
        c.state = ServiceState::AtService;
        c.expectedReturn = QDate(2026, 3, 10);
        QVERIFY(!c.isDue(QDate(2026, 3, 9)));
        QVERIFY(c.isDue(QDate(2026, 3, 10)));
        QVERIFY(!c.isOverdue(QDate(2026, 3, 10)));
        QVERIFY(c.isOverdue(QDate(2026, 3, 11)));
        c.state = ServiceState::HandedBack;
        QVERIFY(!c.isOverdue(QDate(2026, 3, 11)));
        // The automation knows the events.
        const automation::TriggerDef *trigger = automation::Catalog::instance().trigger(u"service.changed"_qs);
        QVERIFY(trigger);
        QVERIFY(trigger->eventTypes.contains(QString::fromLatin1(EventType::kStateChanged)));
        QVERIFY(trigger->eventTypes.contains(QString::fromLatin1(EventType::kRegistered)));
    }

    void caseOnAnOrderLine_data() { test::addEngineRows(); }
    void caseOnAnOrderLine()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        Profile p;
        QVERIFY(open(p, engine, u"service_order"_qs));
        ServiceStore cases(*p.store);
        NewServiceCase n;
        n.orderId = p.orderId;
        n.itemPosition = 1;
        n.serial = u"SN-0042"_qs;
        n.problem = u"Nie grzeje"_qs;
        auto added = cases.add(n, u"user:anna"_qs);
        SD_VERIFY_OK(added);
        auto order = p.store->load(p.orderId);
        QVERIFY(order);
        QCOMPARE(added->productName, u"Toster Retro"_qs);
        QCOMPARE(added->productSku, u"TO-1"_qs);
        QCOMPARE(added->buyerEmail, order->buyer.email);
        QCOMPARE(added->language, u"pl"_qs);
        QCOMPARE(added->warrantyEnd, order->createdAt.toLocalTime().date().addYears(2));
        QCOMPARE(added->state, ServiceState::Registered);
        QCOMPARE(added->steps.size(), 1);

        // Only the next states; a closed case moves no more.
        auto wrong = cases.advance(added->id, ServiceState::Returned, u"user:anna"_qs);
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, Error::Code::Conflict);
        SD_VERIFY_OK(cases.advance(added->id, ServiceState::Sent, u"user:anna"_qs, u"Kurier DPD"_qs));
        SD_VERIFY_OK(cases.advance(added->id, ServiceState::AtService, u"user:anna"_qs, {}, QDate(2026, 12, 1)));
        SD_VERIFY_OK(cases.advance(added->id, ServiceState::Returned, u"user:anna"_qs));
        auto done = cases.advance(added->id, ServiceState::HandedBack, u"user:anna"_qs);
        SD_VERIFY_OK(done);
        QCOMPARE(done->expectedReturn, QDate(2026, 12, 1));
        QCOMPARE(done->steps.size(), 5);
        QCOMPARE(done->steps.at(2).from, u"sent"_qs);
        QCOMPARE(done->steps.at(2).to, u"at-service"_qs);
        QVERIFY(!cases.advance(added->id, ServiceState::Replaced, u"user:anna"_qs));

        // Through the order's record: an event and a history row per step.
        storage::Database &db = *p.temp.db;
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM events WHERE type = 'service.registered' AND order_id = %1"_qs.arg(
                               p.orderId)),
                 1);
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM events WHERE type = 'service.state_changed' AND order_id = %1"_qs.arg(
                               p.orderId)),
                 4);
        auto history = p.store->history(p.orderId);
        QVERIFY(history);
        int rows = 0;
        for (const storage::HistoryEntry &h : std::as_const(*history))
            if (h.field == u"service #"_qs + QString::number(added->id)) {
                ++rows;
                if (h.oldValue == u"returned")
                    QCOMPARE(h.newValue, u"handed-back"_qs);
            }
        QCOMPARE(rows, 5);

        // One e-mail per step, recorded with its key; the scheduler sends each once.
        QCOMPARE(messages(db, ServiceTemplate::kStateChanged), 5);
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM jobs WHERE kind = 'message.send'"_qs), 5);
        auto list = messaging::Outbox(*p.store).list(p.orderId);
        QVERIFY(list);
        QVERIFY2(list->constLast().subject.startsWith(u"Zgłoszenie serwisowe nr %1"_qs.arg(added->id)),
                 qPrintable(list->constLast().subject));
        QVERIFY(list->constLast().text.contains(u"SN-0042"_qs));
        test::SmtpSink sink;
        QVERIFY2(sink.start({}), qPrintable(sink.error()));
        QVERIFY(addMailAccount(p, sink.port()));
        automation::RuleStore rules(p.temp.db);
        automation::Scheduler scheduler(*p.store, rules, automation::Executors::withDefaults(), u"test"_qs);
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(sink.messages().size(), 5);
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(sink.messages().size(), 5);
        QVERIFY(sink.messages().constLast().value(u"subject").toString().contains(u"wydany klientowi"_qs));
    }

    void badInputIsRefused()
    {
        Profile p;
        QVERIFY(open(p, u"sqlite"_qs, u"service_bad"_qs));
        ServiceStore cases(*p.store);
        NewServiceCase n;
        QCOMPARE(cases.add(n, u"cli"_qs).error().code, Error::Code::Invalid); // no product
        n.productName = u"Czajnik"_qs;
        QCOMPARE(cases.add(n, u"cli"_qs).error().code, Error::Code::Invalid); // nobody to tell
        n.buyerEmail = u"not-an-address"_qs;
        QCOMPARE(cases.add(n, u"cli"_qs).error().code, Error::Code::Invalid);
        n.buyerEmail.clear();
        n.buyerName = u"Jan Kowalski"_qs;
        auto ok = cases.add(n, u"cli"_qs);
        SD_VERIFY_OK(ok);
        // No e-mail address: the case is kept, nothing is queued.
        QCOMPARE(count(*p.temp.db, u"SELECT COUNT(*) FROM messages"_qs), 0);
        n.orderId = p.orderId; // two lines: which one?
        n.productName.clear();
        QCOMPARE(cases.add(n, u"cli"_qs).error().code, Error::Code::Invalid);
        n.itemPosition = 5;
        QCOMPARE(cases.add(n, u"cli"_qs).error().code, Error::Code::Invalid);
        QCOMPARE(count(*p.temp.db, u"SELECT COUNT(*) FROM service_cases"_qs), 1);
        QCOMPARE(cases.get(999).error().code, Error::Code::NotFound);
        ServiceFilter unknown;
        unknown.state = u"lost"_qs;
        QCOMPARE(cases.list(unknown).error().code, Error::Code::Invalid);
    }

    void remindersFollowTheClockOnceAcrossARestart_data() { test::addEngineRows(); }
    void remindersFollowTheClockOnceAcrossARestart()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        Profile p;
        QVERIFY(open(p, engine, u"service_clock"_qs));
        const QDateTime t0(QDate(2026, 3, 2), QTime(9, 0), Qt::UTC);
        QDateTime clock = t0;
        ServiceStore cases(*p.store);
        cases.setClock([&clock] { return clock; });
        NewServiceCase n;
        n.productName = u"Ekspres do kawy"_qs;
        n.buyerName = u"Jan Kowalski"_qs;
        n.buyerEmail = u"jan@example.pl"_qs;
        n.language = u"en"_qs;
        auto c = cases.add(n, u"user:anna"_qs);
        SD_VERIFY_OK(c);
        const qint64 id = c->id;
        storage::Database &db = *p.temp.db;
        ServiceNotifier notifier(*p.store);
        QCOMPARE(*notifier.reminderDays(), 7);
        // Registered: no reminders, however long it waits.
        QCOMPARE(*notifier.pass(t0.addDays(30)), 0);
        clock = t0.addDays(1);
        SD_VERIFY_OK(cases.advance(id, ServiceState::Sent, u"user:anna"_qs));
        clock = t0.addDays(2);
        SD_VERIFY_OK(cases.advance(id, ServiceState::AtService, u"user:anna"_qs));
        QCOMPARE(messages(db, ServiceTemplate::kStateChanged), 3);
        const QDateTime atService = clock;
        QCOMPARE(*notifier.pass(atService.addDays(7).addMSecs(-1)), 0);
        QCOMPARE(*notifier.pass(atService.addDays(7)), 1);
        QCOMPARE(*notifier.pass(atService.addDays(7).addSecs(3600)), 0);
        QCOMPARE(messages(db, ServiceTemplate::kReminder), 1);
        const QString first = ServiceNotifier::reminderKey(id, 3, 1);
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM messages WHERE idempotency_key = '%1'"_qs.arg(first)), 1);
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM jobs WHERE idempotency_key = 'message.send/%1'"_qs.arg(first)), 1);

        // A restart: another connection, other objects; what was sent is remembered in the database.
        {
            auto reopened = engine == u"postgres" ? storage::Database::openUrl(p.temp.path)
                                                  : storage::Database::openProfile(QFileInfo(p.temp.path).path());
            SD_VERIFY_OK(reopened);
            storage::OrderStore store(*reopened);
            ServiceNotifier again(store);
            QCOMPARE(*again.pass(atService.addDays(8)), 0);
            QCOMPARE(*again.pass(atService.addDays(14)), 1);
            // Away a long time (the program was off): only the latest reminder, not every one missed.
            QCOMPARE(*again.pass(atService.addDays(40)), 1);
            QCOMPARE(*again.pass(atService.addDays(41)), 0);
        }
        QCOMPARE(messages(db, ServiceTemplate::kReminder), 3);
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM messages WHERE idempotency_key = '%1'"_qs.arg(
                               ServiceNotifier::reminderKey(id, 3, 5))),
                 1);

        // The interval is a setting; back from the service the reminders stop.
        SD_VERIFY_OK(
            messaging::MessagingAccounts(p.temp.db).setSetting(ServiceNotifier::reminderDaysSetting(), u"3"_qs));
        QCOMPARE(*notifier.reminderDays(), 3);
        clock = atService.addDays(42);
        SD_VERIFY_OK(cases.advance(id, ServiceState::Returned, u"user:anna"_qs));
        QCOMPARE(*notifier.pass(atService.addDays(80)), 0);
        QCOMPARE(messages(db, ServiceTemplate::kStateChanged), 4);
        auto all = messaging::Outbox(*p.store).list();
        QVERIFY(all);
        for (const messaging::OutgoingMessage &m : std::as_const(*all)) {
            QCOMPARE(m.recipient, u"jan@example.pl"_qs);
            QCOMPARE(m.orderId, 0);
            QVERIFY2(m.subject.startsWith(u"Service case %1"_qs.arg(id)), qPrintable(m.subject));
        }
        QVERIFY(all->constFirst().text.contains(u"back from the service"_qs));
    }

    void theBackgroundServicesSendRemindersOnTheSchedulersClock()
    {
        Profile p;
        QVERIFY(open(p, u"sqlite"_qs, u"service_background"_qs));
        ServiceStore cases(*p.store);
        NewServiceCase n;
        n.productName = u"Odkurzacz"_qs;
        n.buyerEmail = u"ola@example.pl"_qs;
        auto c = cases.add(n, u"user:anna"_qs);
        SD_VERIFY_OK(c);
        SD_VERIFY_OK(cases.advance(c->id, ServiceState::Sent, u"user:anna"_qs));
        automation::BackgroundOptions options;
        options.role = u"test"_qs;
        automation::BackgroundServices services(p.temp.db, options);
        SD_VERIFY_OK(services.start());
        qint64 clock = QDateTime::currentMSecsSinceEpoch();
        services.scheduler()->setClock([&clock] { return clock; });
        services.messagingPass();
        QCOMPARE(messages(*p.temp.db, ServiceTemplate::kReminder), 0);
        clock += 7 * kDayMs + kHourMs;
        services.messagingPass();
        services.messagingPass();
        QCOMPARE(messages(*p.temp.db, ServiceTemplate::kReminder), 1);
        services.shutdown();
    }
};

QTEST_MAIN(TestServiceCases)
#include "tst_servicecases.moc"
