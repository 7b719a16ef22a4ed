#include "automation/alerts.h"
#include "automation/dispatcher.h"
#include "automation/dryrun.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "inventory/inventorystore.h"
#include "storage/actionledger.h"
#include "storage/catalogstore.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace sd;
using namespace sd::automation;
using namespace sd::storage;

namespace {

// A tiny HTTP peer on 127.0.0.1: answers every request with the next code in `codes` (the last one repeats) and
// keeps each request line.
class HookServer : public QObject
{
public:
    QList<int> codes{200};
    QStringList requests;
    QStringList keys; // Idempotency-Key headers
    int delayMs = 0;  // how long each answer takes

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_buffers[socket] += socket->readAll();
                    if (!m_buffers[socket].contains("\r\n\r\n"))
                        return;
                    requests.append(QString::fromUtf8(m_buffers[socket].left(m_buffers[socket].indexOf("\r\n"))));
                    for (const QByteArray &line : m_buffers[socket].split('\n'))
                        if (line.toLower().startsWith("idempotency-key:"))
                            keys.append(QString::fromUtf8(line.mid(16).trimmed()));
                    const int code = codes.size() > 1 ? codes.takeFirst() : codes.constFirst();
                    QTimer::singleShot(delayMs, socket, [socket, code] {
                        socket->write("HTTP/1.1 " + QByteArray::number(code) +
                                      " X\r\nContent-Length: 2\r\n"
                                      "Connection: close\r\n\r\nok");
                        socket->disconnectFromHost();
                    });
                });
            }
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    QString url(const QString &path) const { return u"http://127.0.0.1:%1%2"_qs.arg(m_server.serverPort()).arg(path); }

private:
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

Rule rule(const QByteArray &json)
{
    auto r = Rule::fromText(json);
    if (!r)
        qFatal("%s", qPrintable(r.error().userMessage));
    return *r;
}

qint64 scalar(Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

// Every row of every table, as text: what "touching nothing" is compared on.
QStringList dump(Database &db)
{
    QSqlQuery tables(db.connection());
    tables.exec(db.isPostgres() ? u"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                                  "ORDER BY table_name"_qs
                                : u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_qs);
    QStringList names;
    while (tables.next())
        names.append(tables.value(0).toString());
    QStringList rows;
    for (const QString &name : names) {
        QSqlQuery q(db.connection());
        if (!q.exec(u"SELECT * FROM "_qs + name))
            continue;
        QStringList tableRows;
        while (q.next()) {
            QStringList cells;
            for (int i = 0; i < q.record().count(); ++i)
                cells.append(q.value(i).toString());
            tableRows.append(name + u": "_qs + cells.join(u'|'));
        }
        tableRows.sort();
        rows += tableRows;
    }
    return rows;
}

struct Fixture
{
    test::TempDatabase fresh;
    std::unique_ptr<OrderStore> store;
    std::unique_ptr<RuleStore> rules;

    qint64 addOrder(const QString &externalId, const std::function<void(domain::Order &)> &edit = {})
    {
        domain::Order order = test::sampleOrder(externalId);
        if (edit)
            edit(order);
        auto created = store->apply(OrderChange::create(order, {u"marketplace:allegro-pl"_qs, u"import"_qs, 0}));
        if (!created)
            qWarning() << created.error().text();
        return created ? created->orderId : 0;
    }
    QString status(qint64 id) { return store->load(id)->status; }
};

} // namespace

class TestAutomation : public QObject
{
    Q_OBJECT

    std::unique_ptr<Fixture> open(const QString &engine, const QString &name)
    {
        auto fixture = std::make_unique<Fixture>();
        auto fresh = test::openFresh(engine, name);
        if (!fresh) {
            qWarning() << fresh.error().text();
            return {};
        }
        fixture->fresh = *fresh;
        fixture->store = std::make_unique<OrderStore>(fixture->fresh.db);
        fixture->rules = std::make_unique<RuleStore>(fixture->fresh.db);
        return fixture;
    }

private Q_SLOTS:
    void ruleVersionsKeepEveryEdit();
    void b5ExamplesEndToEnd_data();
    void b5ExamplesEndToEnd();
    void dryRunTouchesNothing_data();
    void dryRunTouchesNothing();
    void stockConditionSeesTheLevels();
    void idempotentUnderForcedRetries_data();
    void idempotentUnderForcedRetries();
    void leaseExpiryMakesAJobClaimableAgain_data();
    void leaseExpiryMakesAJobClaimableAgain();
    void deadOwnersJobsAreTakenOverAtOnce();
    void timerFiresWithinASecond();
    void otherWorkstationsJobWakesTheScheduler();
    void secondSqliteInstanceIsDetected();
    void loopGuardCutsTheChain();
    void notConfiguredActionsSaySo();
    void finalFailureRaisesAnAlertAndTheRuleFailedTrigger();
    void traceRetentionRunsDailyAtItsTime();
    void urlCallDoesNotBlockOtherJobs();
    void manualRuleRunsThroughTheDispatcher();
};

void TestAutomation::ruleVersionsKeepEveryEdit()
{
    auto f = open(u"sqlite"_qs, {});
    QVERIFY(f);
    auto saved = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "v1",
        "trigger": {"type": "order.downloaded"}, "actions": [{"type": "addTag", "params": {"tag": "a"}}]})"),
                                u"user:anna"_qs);
    SD_VERIFY_OK(saved);
    QCOMPARE(saved->version, 1);
    Rule edited = *saved;
    edited.name = u"v2"_qs;
    auto second = f->rules->save(edited, u"user:bartek"_qs);
    SD_VERIFY_OK(second);
    QCOMPARE(second->version, 2);
    auto disabled = f->rules->setEnabled(saved->id, false, u"cli:root"_qs);
    SD_VERIFY_OK(disabled);
    QCOMPARE(disabled->version, 3);
    auto versions = f->rules->versions(saved->id);
    SD_VERIFY_OK(versions);
    QCOMPARE(versions->size(), 3);
    QCOMPARE(versions->at(0).rule.name, u"v1"_qs);
    QCOMPARE(versions->at(0).author, u"user:anna"_qs);
    QCOMPARE(versions->at(1).author, u"user:bartek"_qs);
    QCOMPARE(versions->at(2).rule.enabled, false);
    QVERIFY(versions->at(0).at.isValid());
    QCOMPARE(f->rules->get(saved->id)->name, u"v2"_qs);
    auto enabled = f->rules->enabled();
    SD_VERIFY_OK(enabled);
    QVERIFY(enabled->isEmpty());
    Rule bad = edited;
    bad.actions.clear();
    QVERIFY(!f->rules->save(bad, u"x"_qs).ok());
    QCOMPARE(f->rules->get(saved->id)->version, 3);
}

void TestAutomation::b5ExamplesEndToEnd_data()
{
    test::addEngineRows();
}

void TestAutomation::b5ExamplesEndToEnd()
{
    QFETCH(QString, engine);
    if (engine == u"postgres")
        SD_REQUIRE_POSTGRES();
    auto f = open(engine, u"sd_auto_b5"_qs);
    QVERIFY(f);
    CatalogStore catalog(f->fresh.db);
    SD_VERIFY_OK(catalog.addStatus(u"Needs NIP"_qs, StatusGroup::InProgress));
    auto paid = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "paid -> To ship",
        "trigger": {"type": "payment.changed", "params": {"to": "paid"}},
        "conditions": {"field": "paymentStatus", "op": "eq", "value": "paid"},
        "actions": [{"type": "setStatus", "params": {"status": "To ship"}}]})"),
                               u"user:anna"_qs);
    auto cod = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "COD -> To ship",
        "trigger": {"type": "order.downloaded"},
        "conditions": {"field": "paymentMethod", "op": "eq", "value": "CASH_ON_DELIVERY"},
        "actions": [{"type": "setStatus", "params": {"status": "To ship"}}]})"),
                              u"user:anna"_qs);
    auto nip = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "invoice without NIP",
        "trigger": {"type": "order.downloaded"},
        "conditions": {"all": [{"field": "invoiceWanted", "op": "isTrue"}, {"field": "nipGiven", "op": "isFalse"}]},
        "actions": [{"type": "setStatus", "params": {"status": "Needs NIP"}}]})"),
                              u"user:anna"_qs);
    SD_VERIFY_OK(paid);
    SD_VERIFY_OK(cod);
    SD_VERIFY_OK(nip);

    auto unpaid = [](domain::Order &o) {
        o.payment.status = domain::PaymentStatus::Unpaid;
        o.payment.paidAmount = {};
    };
    const qint64 online = f->addOrder(u"b5-online"_qs, unpaid);
    const qint64 codOrder = f->addOrder(u"b5-cod"_qs, [&](domain::Order &o) {
        unpaid(o);
        o.payment.method = u"CASH_ON_DELIVERY"_qs;
    });
    const qint64 invoice = f->addOrder(u"b5-invoice"_qs, [&](domain::Order &o) {
        unpaid(o);
        o.invoice.wanted = true;
        o.invoice.companyName = u"Firma"_qs;
    });
    const qint64 invoiceWithNip = f->addOrder(u"b5-invoice-nip"_qs, [&](domain::Order &o) {
        o.invoice.wanted = true;
        o.invoice.companyName = u"Firma"_qs;
        o.invoice.nip = u"5260250274"_qs;
    });
    QVERIFY(online && codOrder && invoice && invoiceWithNip);

    Scheduler scheduler(*f->store, *f->rules, Executors::withDefaults(), u"ws-test"_qs);
    auto ran = scheduler.runDue();
    SD_VERIFY_OK(ran);
    QCOMPARE(*ran, 2);
    QCOMPARE(f->status(online), u"New"_qs);
    QCOMPARE(f->status(codOrder), u"To ship"_qs);
    QCOMPARE(f->status(invoice), u"Needs NIP"_qs);
    QCOMPARE(f->status(invoiceWithNip), u"New"_qs);
    // The store stamps a status change (the "since the last status change" conditions read it); none without one.
    QVERIFY(f->store->load(codOrder)->statusChangedAt.isValid());
    QVERIFY(!f->store->load(invoiceWithNip)->statusChangedAt.isValid());
    QVERIFY(!f->store->load(codOrder)->shippedAt.isValid());

    // The buyer pays: the payment event fires the first rule.
    SD_VERIFY_OK(f->store->apply(OrderChange::update(online,
                                                     [](domain::Order &o) -> Result<void> {
                                                         o.payment.status = domain::PaymentStatus::Paid;
                                                         o.payment.paidAmount = o.total;
                                                         return {};
                                                     },
                                                     {u"marketplace:allegro-pl"_qs, u"import"_qs, 0})));
    ran = scheduler.runDue();
    SD_VERIFY_OK(ran);
    QCOMPARE(*ran, 1);
    QCOMPARE(f->status(online), u"To ship"_qs);

    // The change went through the spine: history with the rule as actor, cause depth 1 on its event.
    auto history = f->store->history(online);
    SD_VERIFY_OK(history);
    QCOMPARE(history->constLast().actor, u"rule:"_qs + QString::number(paid->id));
    QCOMPARE(scalar(f->store->database(), u"SELECT MAX(cause_depth) FROM events WHERE order_id = %1"_qs.arg(online)),
             1);

    // Traces: why it fired for one order and not for another.
    auto traces = f->rules->traces(invoiceWithNip);
    SD_VERIFY_OK(traces);
    bool explained = false;
    for (const StoredTrace &t : *traces)
        if (t.ruleId == nip->id) {
            QCOMPARE(t.outcome, u"not-fired"_qs);
            QVERIFY(t.trace.value(u"reason").toString().contains(u"conditions.all[1]"));
            QCOMPARE(t.trace.value(u"conditions").toArray().at(1).toObject().value(u"actual").toString(), u"yes"_qs);
            explained = true;
        }
    QVERIFY(explained);
    traces = f->rules->traces(codOrder);
    SD_VERIFY_OK(traces);
    QStringList outcomes;
    for (const StoredTrace &t : *traces)
        outcomes.append(t.kind + u':' + t.outcome);
    QVERIFY2(outcomes.contains(u"rule:fired"_qs) && outcomes.contains(u"action:done"_qs),
             qPrintable(outcomes.join(u", ")));
    // Nothing left to do, nothing done twice.
    QCOMPARE(*scheduler.runDue(), 0);
    QCOMPARE(scalar(f->store->database(), u"SELECT COUNT(*) FROM action_ledger WHERE state = 'done'"_qs), 3);
}

void TestAutomation::dryRunTouchesNothing_data()
{
    test::addEngineRows();
}

void TestAutomation::dryRunTouchesNothing()
{
    QFETCH(QString, engine);
    if (engine == u"postgres")
        SD_REQUIRE_POSTGRES();
    auto f = open(engine, u"sd_auto_dry"_qs);
    QVERIFY(f);
    HookServer server;
    QVERIFY(server.listen());
    auto saved = f->rules->save(rule(QByteArray(R"({"format": "sellerdesk.rule/1", "name": "all the things",
        "trigger": {"type": "order.downloaded"},
        "conditions": {"field": "country", "op": "eq", "value": "PL"},
        "actions": [{"type": "setStatus", "params": {"status": "To ship", "informCustomer": true}},
                    {"type": "addTag", "params": {"tag": "dry"}},
                    {"type": "callUrl", "params": {"url": "HOOK/hook?o={orderId}"}},
                    {"type": "issueInvoice", "params": {"series": "FV"}}]})")
                                         .replace("HOOK", server.url({}).toUtf8())),
                                u"user:anna"_qs);
    SD_VERIFY_OK(saved);
    const qint64 a = f->addOrder(u"dry-1"_qs);
    const qint64 b = f->addOrder(u"dry-2"_qs, [](domain::Order &o) { o.delivery.address.countryCode = u"DE"_qs; });
    const QStringList before = dump(f->store->database());
    QCOMPARE(before.filter(QRegularExpression(u"^(orders|rules|events): "_qs)).size(), 5);

    DryRunOptions options;
    auto report = dryRun(*f->store, {*saved}, options);
    SD_VERIFY_OK(report);
    QCOMPARE(report->orders, 2);
    QCOMPARE(report->matches, 1);
    const QJsonObject first = report->results.at(0).toObject();
    QCOMPARE(first.value(u"orderId").toInteger(), a);
    const QJsonObject ruleResult = first.value(u"rules").toArray().at(0).toObject();
    QCOMPARE(ruleResult.value(u"matched").toBool(), true);
    const QJsonArray actions = ruleResult.value(u"actions").toArray();
    QCOMPARE(actions.at(0).toObject().value(u"status").toString(), u"To ship"_qs);
    QCOMPARE(actions.at(2).toObject().value(u"url").toString(), server.url(u"/hook?o="_qs + QString::number(a)));
    QCOMPARE(actions.at(3).toObject().value(u"configured").toBool(), true); // issueInvoice (documents)
    QCOMPARE(actions.at(3).toObject().value(u"series").toString(), u"FV"_qs);
    const QJsonObject second = report->results.at(1).toObject().value(u"rules").toArray().at(0).toObject();
    QCOMPARE(second.value(u"matched").toBool(), false);
    QCOMPARE(second.value(u"conditions").toArray().at(0).toObject().value(u"actual").toString(), u"DE"_qs);

    // The compact plan streams the same document the whole report makes, byte for byte.
    auto plan = planDryRun(*f->store, {*saved}, options);
    SD_VERIFY_OK(plan);
    QCOMPARE(plan->results(), report->results);
    QBuffer streamed;
    streamed.open(QIODevice::WriteOnly);
    plan->writeJson(streamed);
    QCOMPARE(
        streamed.data(),
        QJsonDocument(
            QJsonObject{{u"dryRun"_qs, true}, {u"matches"_qs, 1}, {u"orders"_qs, 2}, {u"results"_qs, report->results}})
            .toJson(QJsonDocument::Indented));
    auto compiled = CompiledRule::compile(*saved);
    SD_VERIFY_OK(compiled);
    const DryRunPlan matchedOnly = planDryRunOrders({*compiled}, {*f->store->load(a), *f->store->load(b)},
                                                    QDateTime::currentMSecsSinceEpoch(), false);
    QCOMPARE(matchedOnly.size(), 1);
    QCOMPARE(matchedOnly.result(0).value(u"rules").toArray().at(0).toObject().value(u"actions"), actions);
    const DryRunPlan none = planDryRunOrders({*compiled}, {}, 0, false);
    QBuffer empty;
    empty.open(QIODevice::WriteOnly);
    none.writeJson(empty);
    QCOMPARE(
        empty.data(),
        QJsonDocument(
            QJsonObject{{u"dryRun"_qs, true}, {u"matches"_qs, 0}, {u"orders"_qs, 0}, {u"results"_qs, QJsonArray()}})
            .toJson(QJsonDocument::Indented));

    options.orderIds = {b};
    SD_VERIFY_OK(dryRun(*f->store, {*saved}, options));
    QCoreApplication::processEvents();
    QCOMPARE(dump(f->store->database()), before);
    QVERIFY(server.requests.isEmpty());
}

void TestAutomation::idempotentUnderForcedRetries_data()
{
    test::addEngineRows();
}

void TestAutomation::idempotentUnderForcedRetries()
{
    QFETCH(QString, engine);
    if (engine == u"postgres")
        SD_REQUIRE_POSTGRES();
    auto f = open(engine, u"sd_auto_idem"_qs);
    QVERIFY(f);
    HookServer server;
    server.codes = {503, 200};
    QVERIFY(server.listen());
    auto saved = f->rules->save(rule(QByteArray(R"({"format": "sellerdesk.rule/1", "name": "hook",
        "trigger": {"type": "order.downloaded"},
        "actions": [{"type": "callUrl", "params": {"url": "HOOK/o/{orderIdExternal}?s={orderStatus}", "timeoutSeconds": 5}},
                    {"type": "addTag", "params": {"tag": "hooked"}}]})")
                                         .replace("HOOK", server.url({}).toUtf8())),
                                u"user:anna"_qs);
    SD_VERIFY_OK(saved);
    const qint64 id = f->addOrder(u"zam ó/1"_qs);
    Database &db = f->store->database();
    Scheduler scheduler(*f->store, *f->rules, Executors::withDefaults(), u"ws-1"_qs);

    // The first call answers 503: retried later with backoff, not done.
    SD_VERIFY_OK(scheduler.runUntilIdle());
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests.at(0), u"GET /o/zam%20%C3%B3%2F1?s=New HTTP/1.1"_qs);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM jobs WHERE state = 'pending' AND attempts = 1 AND due_at > %1"_qs.arg(
                            QDateTime::currentMSecsSinceEpoch() + 10000)),
             1);
    QVERIFY(!f->store->load(id)->tags.contains(u"hooked"_qs));

    // Due now: the retry succeeds and the chain goes on to the tag.
    QSqlQuery(db.connection()).exec(u"UPDATE jobs SET due_at = 0 WHERE state = 'pending'"_qs);
    SD_VERIFY_OK(scheduler.runUntilIdle());
    QCOMPARE(server.requests.size(), 2);
    QCOMPARE(f->store->load(id)->tags, QStringList{u"hooked"_qs});
    ActionLedger ledger(f->fresh.db);
    const QString key = Dispatcher::actionKey(
        *saved, 0, -1, id, u"event:"_qs + QString::number(scalar(db, u"SELECT MIN(id) FROM events"_qs)));
    auto entry = ledger.find(key);
    SD_VERIFY_OK(entry);
    QVERIFY(entry->has_value());
    QCOMPARE((*entry)->state, ActionLedger::State::Done);
    QCOMPARE((*entry)->attempts, 2);
    QCOMPARE((*entry)->result.value(u"responseCode").toInt(), 200);
    const qint64 historyRows = scalar(db, u"SELECT COUNT(*) FROM order_history"_qs);

    // Forced retries: every job claimable again (a crash after the effect, before the job was marked done),
    // and the dispatcher's cursor rewound (a restart that re-reads every event).
    QSqlQuery force(db.connection());
    QVERIFY(force.exec(u"UPDATE jobs SET state = 'pending', due_at = 0, lease_owner = NULL, lease_until = NULL"_qs));
    QVERIFY(force.exec(u"UPDATE automation_state SET value = 0"_qs));
    const qint64 jobs = scalar(db, u"SELECT COUNT(*) FROM jobs"_qs);
    Scheduler other(*f->store, *f->rules, Executors::withDefaults(), u"ws-2"_qs);
    auto ran = other.runDue();
    SD_VERIFY_OK(ran);
    QCOMPARE(*ran, 2);
    QCOMPARE(server.requests.size(), 2);
    QCOMPARE(f->store->load(id)->tags, QStringList{u"hooked"_qs});
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM order_history"_qs), historyRows);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM jobs"_qs), jobs);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM job_runs WHERE outcome = 'skipped' AND owner = 'ws-2'"_qs), 2);
}

void TestAutomation::leaseExpiryMakesAJobClaimableAgain_data()
{
    test::addEngineRows();
}

void TestAutomation::leaseExpiryMakesAJobClaimableAgain()
{
    QFETCH(QString, engine);
    if (engine == u"postgres")
        SD_REQUIRE_POSTGRES();
    auto f = open(engine, u"sd_auto_lease"_qs);
    QVERIFY(f);
    auto saved = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "tag",
        "trigger": {"type": "order.downloaded"}, "actions": [{"type": "addTag", "params": {"tag": "x"}}]})"),
                                u"user:anna"_qs);
    SD_VERIFY_OK(saved);
    f->addOrder(u"lease-1"_qs);
    Dispatcher dispatcher(*f->store, *f->rules);
    QCOMPARE(*dispatcher.dispatch(), 1);
    Scheduler first(*f->store, *f->rules, Executors::withDefaults(), u"ws-dies"_qs);
    Scheduler second(*f->store, *f->rules, Executors::withDefaults(), u"ws-lives"_qs);
    auto claimed = first.claimNext(300);
    SD_VERIFY_OK(claimed);
    QVERIFY(claimed->has_value());
    auto none = second.claimNext();
    SD_VERIFY_OK(none);
    QVERIFY(!none->has_value());
    QTest::qWait(400);
    auto again = second.claimNext();
    SD_VERIFY_OK(again);
    QVERIFY(again->has_value());
    QCOMPARE((*again)->id, (*claimed)->id);
    QCOMPARE((*again)->attempts, 2);
    auto outcome = second.run(**again);
    SD_VERIFY_OK(outcome);
    QCOMPARE(*outcome, u"done"_qs);
    QCOMPARE(scalar(f->store->database(), u"SELECT COUNT(*) FROM jobs WHERE state = 'done' AND lease_owner IS NULL"_qs),
             1);
}

// Issue 13's nodes on PostgreSQL: a node killed with SIGKILL leaves its jobs running under its name; the others see
// that its session (and with it its owner lock) is gone and take them over within seconds, not after the 5-minute
// lease. A live owner's job is left alone.
void TestAutomation::deadOwnersJobsAreTakenOverAtOnce()
{
    SD_REQUIRE_POSTGRES();
    auto f = open(u"postgres"_qs, u"sd_auto_dead_owner"_qs);
    QVERIFY(f);
    auto saved = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "tag",
        "trigger": {"type": "order.downloaded"}, "actions": [{"type": "addTag", "params": {"tag": "x"}}]})"),
                                u"user:anna"_qs);
    SD_VERIFY_OK(saved);
    f->addOrder(u"dead-1"_qs);
    f->addOrder(u"live-1"_qs);
    Dispatcher dispatcher(*f->store, *f->rules);
    QCOMPARE(*dispatcher.dispatch(), 2);
    // The dead one never held its lock (as after its connection died); the live one holds it (started once).
    Scheduler dead(*f->store, *f->rules, Executors::withDefaults(), u"ws-dead"_qs);
    Scheduler live(*f->store, *f->rules, Executors::withDefaults(), u"ws-live"_qs);
    SD_VERIFY_OK(live.start());
    live.stop();
    auto deadJob = dead.claimNext();
    SD_VERIFY_OK(deadJob);
    QVERIFY(deadJob->has_value());
    auto liveJob = live.claimNext();
    SD_VERIFY_OK(liveJob);
    QVERIFY(liveJob->has_value());
    Scheduler taker(*f->store, *f->rules, Executors::withDefaults(), u"ws-taker"_qs);
    SD_VERIFY_OK(taker.start());
    const QString deadState = u"SELECT COUNT(*) FROM jobs WHERE id = %1 AND state = 'done'"_qs.arg((*deadJob)->id);
    QTRY_COMPARE_WITH_TIMEOUT(scalar(f->store->database(), deadState), 1, 10000);
    QCOMPARE(scalar(f->store->database(),
                    u"SELECT COUNT(*) FROM jobs WHERE id = %1 AND state = 'running' AND lease_owner = 'ws-live'"_qs.arg(
                        (*liveJob)->id)),
             1);
    taker.stop();
}

void TestAutomation::timerFiresWithinASecond()
{
    auto f = open(u"sqlite"_qs, {});
    QVERIFY(f);
    auto saved = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "one minute after the order",
        "trigger": {"type": "time.after", "params": {"minutes": 1, "anchor": "order-date"}},
        "conditions": {"field": "paymentStatus", "op": "eq", "value": "paid"},
        "actions": [{"type": "addTag", "params": {"tag": "a minute old"}}]})"),
                                u"user:anna"_qs);
    SD_VERIFY_OK(saved);
    Scheduler scheduler(*f->store, *f->rules, Executors::withDefaults(), u"ws-timer"_qs);
    QSignalSpy finished(&scheduler, &Scheduler::jobFinished);
    SD_VERIFY_OK(scheduler.start());
    QTest::qWait(50);
    // Bought 58.5 s ago: the timer is due in 1.5 s.
    const qint64 due = (QDateTime::currentMSecsSinceEpoch() / 1000) * 1000 + 1500;
    const qint64 id = f->addOrder(
        u"timer-1"_qs, [&](domain::Order &o) { o.createdAt = QDateTime::fromMSecsSinceEpoch(due - 60000, Qt::UTC); });
    QVERIFY(finished.wait(5000)); // the timer job
    const qint64 firedAt = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(finished.at(0).at(1).toString(), u"fired"_qs);
    QVERIFY2(firedAt >= due && firedAt - due < 1000, qPrintable(u"late by %1 ms"_qs.arg(firedAt - due)));
    QTRY_VERIFY_WITH_TIMEOUT(f->store->load(id)->tags.contains(u"a minute old"_qs), 3000);
    scheduler.stop();
}

void TestAutomation::otherWorkstationsJobWakesTheScheduler()
{
    SD_REQUIRE_POSTGRES();
    auto a = open(u"postgres"_qs, u"sd_auto_notify"_qs);
    QVERIFY(a);
    // Workstation B: its own handle on the same database.
    auto opened = Database::openUrl(a->fresh.path);
    SD_VERIFY_OK(opened);
    std::shared_ptr<Database> bDb = *opened;
    OrderStore bStore(bDb);
    RuleStore bRules(bDb);
    const qint64 id = a->addOrder(u"notify-1"_qs);
    QVERIFY(id);
    // The order's events are dispatched while no rule exists: nothing is queued, and B's scheduler finds nothing.
    Dispatcher dispatcher(*a->store, *a->rules);
    SD_VERIFY_OK(dispatcher.dispatch());
    QCOMPARE(scalar(a->store->database(), u"SELECT COUNT(*) FROM jobs"_qs), 0);
    auto saved = a->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "tag",
        "trigger": {"type": "manual"}, "actions": [{"type": "addTag", "params": {"tag": "woken"}}]})"),
                                u"user:anna"_qs);
    SD_VERIFY_OK(saved);

    Scheduler scheduler(bStore, bRules, Executors::withDefaults(), u"ws-b"_qs);
    QSignalSpy finished(&scheduler, &Scheduler::jobFinished);
    SD_VERIFY_OK(scheduler.start());
    QTest::qWait(300); // B ran once, found no job and sleeps for an hour
    QCOMPARE(finished.count(), 0);

    // Workstation A queues a job that is due now.
    {
        Transaction transaction(a->store->database(), "queue on A");
        SD_VERIFY_OK(transaction.started());
        SD_VERIFY_OK(dispatcher.enqueueAction(*saved, id, u"test"_qs, 0, 0, 0));
        SD_VERIFY_OK(transaction.commit());
    }
    QElapsedTimer elapsed;
    elapsed.start();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 1500);
    QVERIFY2(elapsed.elapsed() < 1000, qPrintable(u"woken after %1 ms"_qs.arg(elapsed.elapsed())));
    QCOMPARE(finished.at(0).at(1).toString(), u"done"_qs);
    QVERIFY(bStore.load(id)->tags.contains(u"woken"_qs));
    scheduler.stop();
}

void TestAutomation::secondSqliteInstanceIsDetected()
{
    auto f = open(u"sqlite"_qs, {});
    QVERIFY(f);
    Scheduler first(*f->store, *f->rules, Executors::withDefaults(), u"ws-1"_qs);
    Scheduler second(*f->store, *f->rules, Executors::withDefaults(), u"ws-2"_qs);
    SD_VERIFY_OK(first.start());
    auto refused = second.start();
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, Error::Code::Locked);
    QVERIFY2(refused.error().userMessage.contains(QString::number(QCoreApplication::applicationPid())),
             qPrintable(refused.error().userMessage));
    QVERIFY(!second.isRunning());
    first.stop();
    SD_VERIFY_OK(second.start());
}

void TestAutomation::loopGuardCutsTheChain()
{
    auto f = open(u"sqlite"_qs, {});
    QVERIFY(f);
    CatalogStore catalog(f->fresh.db);
    SD_VERIFY_OK(catalog.addStatus(u"Ping"_qs, StatusGroup::InProgress));
    SD_VERIFY_OK(catalog.addStatus(u"Pong"_qs, StatusGroup::InProgress));
    SD_VERIFY_OK(f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "ping",
        "trigger": {"type": "status.changed", "params": {"to": "Ping"}},
        "actions": [{"type": "setStatus", "params": {"status": "Pong"}}]})"),
                                u"user:anna"_qs));
    SD_VERIFY_OK(f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "pong",
        "trigger": {"type": "status.changed", "params": {"to": "Pong"}},
        "actions": [{"type": "setStatus", "params": {"status": "Ping"}}]})"),
                                u"user:anna"_qs));
    const qint64 id = f->addOrder(u"loop-1"_qs);
    SD_VERIFY_OK(f->store->apply(OrderChange::setStatus(id, u"Ping"_qs, {u"user:anna"_qs, {}, 0})));
    Scheduler scheduler(*f->store, *f->rules, Executors::withDefaults(), u"ws-loop"_qs);
    auto ran = scheduler.runDue();
    SD_VERIFY_OK(ran);
    QCOMPARE(*ran, kMaxCauseDepth);
    auto traces = f->rules->traces(id);
    SD_VERIFY_OK(traces);
    QCOMPARE(traces->constLast().outcome, u"cut"_qs);
    QVERIFY(traces->constLast().trace.value(u"reason").toString().contains(u"chain"));
    QCOMPARE(scalar(f->store->database(), u"SELECT MAX(cause_depth) FROM events"_qs), qint64(kMaxCauseDepth));
}

void TestAutomation::stockConditionSeesTheLevels()
{
    auto f = open(u"sqlite"_qs, {});
    QVERIFY(f);
    inventory::InventoryStore inventory(*f->store);
    auto kettle = inventory.addProduct(inventory::Product{0, u"CZ-1"_qs, {}, u"Czajnik"_qs});
    SD_VERIFY_OK(kettle);
    SD_VERIFY_OK(inventory.addWarehouse(u"MAIN"_qs, u"Main"_qs));
    auto saved = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "out of stock",
        "trigger": {"type": "order.downloaded"},
        "conditions": {"items": "any", "where": {"field": "item.stock", "op": "le", "value": 0}},
        "actions": [{"type": "addTag", "params": {"tag": "no stock"}}]})"),
                                u"user:anna"_qs);
    SD_VERIFY_OK(saved);
    Scheduler scheduler(*f->store, *f->rules, Executors::withDefaults(), u"ws"_qs);

    // Nothing in the warehouse: the order's kettle is out of stock.
    const qint64 empty = f->addOrder(u"stock-1"_qs);
    SD_VERIFY_OK(scheduler.runDue());
    QVERIFY(f->store->load(empty)->tags.contains(u"no stock"_qs));

    // Three kettles arrive: the next order is not tagged, and a line whose SKU is no product reads -1.
    inventory::DocumentRequest receipt;
    receipt.lines.append({kettle->id, inventory.defaultWarehouse()->id, 0, 3});
    SD_VERIFY_OK(inventory.post(receipt));
    const qint64 stocked = f->addOrder(u"stock-2"_qs);
    SD_VERIFY_OK(scheduler.runDue());
    QVERIFY(!f->store->load(stocked)->tags.contains(u"no stock"_qs));

    // The dry run reads the levels once for the run, for the match and for the trace made afterwards.
    auto report = dryRun(*f->store, {*saved}, {});
    SD_VERIFY_OK(report);
    QCOMPARE(report->orders, 2);
    QCOMPARE(report->matches, 0);
    const QJsonObject trace = report->results.at(0).toObject().value(u"rules").toArray().at(0).toObject();
    const QJsonObject stockTest = trace.value(u"conditions").toArray().at(0).toObject();
    QCOMPARE(stockTest.value(u"field").toString(), u"item.stock"_qs);
    QCOMPARE(stockTest.value(u"actual").toString(), u"3"_qs);
    inventory::DocumentRequest issue;
    issue.kind = inventory::DocumentKind::Issue;
    issue.lines.append({kettle->id, inventory.defaultWarehouse()->id, 0, 3});
    SD_VERIFY_OK(inventory.post(issue));
    report = dryRun(*f->store, {*saved}, {});
    SD_VERIFY_OK(report);
    QCOMPARE(report->matches, 2);
}

void TestAutomation::notConfiguredActionsSaySo()
{
    auto f = open(u"sqlite"_qs, {});
    QVERIFY(f);
    SD_VERIFY_OK(f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "invoice",
        "trigger": {"type": "order.downloaded"},
        "actions": [{"type": "autoresponder", "params": {"template": "t"}}, {"type": "addTag", "params": {"tag": "after"}}]})"),
                                u"user:anna"_qs));
    const qint64 id = f->addOrder(u"nc-1"_qs);
    // The autoresponder was the last action without an executor: it now runs and says why it cannot answer here.
    Scheduler scheduler(*f->store, *f->rules, Executors::withDefaults(), u"ws"_qs);
    SD_VERIFY_OK(scheduler.runDue());
    auto traces = f->rules->traces(id);
    SD_VERIFY_OK(traces);
    bool said = false;
    for (const StoredTrace &t : *traces)
        if (t.kind == u"action" && t.trace.value(u"action").toString() == u"autoresponder") {
            QVERIFY(t.outcome != u"not-configured");
            // A test order has no Allegro account: the action fails and says so, it is not "not configured".
            said = t.outcome == u"failed" && t.trace.value(u"message").toString().contains(u"nothing was sent");
        }
    QVERIFY(said);
}

void TestAutomation::finalFailureRaisesAnAlertAndTheRuleFailedTrigger()
{
    auto f = open(u"sqlite"_qs, {});
    QVERIFY(f);
    HookServer server;
    server.codes = {404};
    QVERIFY(server.listen());
    auto hook = f->rules->save(rule(QByteArray(R"({"format": "sellerdesk.rule/1", "name": "hook",
        "trigger": {"type": "order.downloaded"},
        "actions": [{"type": "callUrl", "params": {"url": "HOOK/o/{orderId}"}}]})")
                                        .replace("HOOK", server.url({}).toUtf8())),
                               u"user:anna"_qs);
    SD_VERIFY_OK(hook);
    auto onFailure = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "when a rule fails",
        "trigger": {"type": "rule.failed"}, "actions": [{"type": "addTag", "params": {"tag": "check"}}]})"),
                                    u"user:anna"_qs);
    SD_VERIFY_OK(onFailure);
    const qint64 id = f->addOrder(u"fail-1"_qs);
    Database &db = f->store->database();
    Scheduler scheduler(*f->store, *f->rules, Executors::withDefaults(), u"ws-1"_qs);
    SD_VERIFY_OK(scheduler.runUntilIdle());

    // A 404 is final: the call carried its key, the execution log says failed, an alert waits for the operator.
    const QString key = Dispatcher::actionKey(
        *hook, 0, -1, id, u"event:"_qs + QString::number(scalar(db, u"SELECT MIN(id) FROM events"_qs)));
    QCOMPARE(server.keys, QStringList{key});
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM job_runs WHERE action = 'callUrl' AND outcome = 'failed'"_qs), 1);
    OperatorAlerts alerts(f->fresh.db);
    auto open = alerts.list();
    SD_VERIFY_OK(open);
    QCOMPARE(open->size(), 1);
    QCOMPARE(open->at(0).kind, u"rule.failed"_qs);
    QCOMPARE(open->at(0).ruleId, hook->id);
    QCOMPARE(open->at(0).orderId, id);
    QCOMPARE(open->at(0).action, u"callUrl"_qs);
    QVERIFY(open->at(0).message.contains(u"404"_qs));
    // The "rule failed" trigger fired the second rule on the same order.
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM events WHERE type = 'rule.failed'"_qs), 1);
    QCOMPARE(f->store->load(id)->tags, QStringList{u"check"_qs});
    SD_VERIFY_OK(alerts.acknowledge(open->at(0).id, u"user:anna"_qs));
    QVERIFY(alerts.list()->isEmpty());
    QCOMPARE(alerts.list(false)->at(0).acknowledgedBy, u"user:anna"_qs);
}

void TestAutomation::traceRetentionRunsDailyAtItsTime()
{
    auto f = open(u"sqlite"_qs, {});
    QVERIFY(f);
    Database &db = f->store->database();
    const qint64 id = f->addOrder(u"ret-1"_qs);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    constexpr qint64 kDay = 24 * 3600 * 1000;
    for (int i = 0; i < 3; ++i)
        SD_VERIFY_OK(f->rules->addTrace({0, id, 1, 1, 0, u"rule"_qs, u"fired"_qs, {}, {}}));
    QSqlQuery(db.connection()).exec(u"UPDATE rule_traces SET at = %1 WHERE id = 1"_qs.arg(now - 8 * kDay));
    QSqlQuery(db.connection()).exec(u"UPDATE rule_traces SET at = %1 WHERE id = 2"_qs.arg(now - 6 * kDay));

    Scheduler scheduler(*f->store, *f->rules, Executors::withDefaults(), u"ws-1"_qs);
    const QTime at(3, 17);
    SD_VERIFY_OK(scheduler.setTraceRetention(7, at));
    QCOMPARE(scheduler.traceRetention()->first, 7);
    QCOMPARE(scheduler.traceRetention()->second, at);
    // One job, at the next 03:17 local time.
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM jobs WHERE kind = 'automation.traceRetention'"_qs), 1);
    const QDateTime due = QDateTime::fromMSecsSinceEpoch(
        scalar(db, u"SELECT due_at FROM jobs WHERE kind = 'automation.traceRetention'"_qs));
    QCOMPARE(due.time(), at);
    QVERIFY(due.toMSecsSinceEpoch() > now && due.toMSecsSinceEpoch() <= now + kDay);
    SD_VERIFY_OK(scheduler.runDue());
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM rule_traces"_qs), 3); // not due yet

    // Its time comes: the 8-day-old trace goes, the next day's job is queued at the same time.
    const qint64 yesterday = due.addDays(-1).toMSecsSinceEpoch();
    QSqlQuery(db.connection())
        .exec(u"UPDATE jobs SET due_at = %1, idempotency_key = 'automation.traceRetention/at:%1' "
              "WHERE kind = 'automation.traceRetention'"_qs.arg(yesterday));
    SD_VERIFY_OK(scheduler.runDue());
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM rule_traces"_qs), 2);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM rule_traces WHERE id = 1"_qs), 0);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM jobs WHERE kind = 'automation.traceRetention' AND state = 'pending'"_qs),
             1);
    const QDateTime next = QDateTime::fromMSecsSinceEpoch(
        scalar(db, u"SELECT due_at FROM jobs WHERE kind = 'automation.traceRetention' AND state = 'pending'"_qs));
    QCOMPARE(next.time(), at);
    QVERIFY(next.toMSecsSinceEpoch() > now);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM job_runs WHERE action = 'traceRetention' AND outcome = 'done'"_qs), 1);

    // Turned off: no job, nothing deleted.
    SD_VERIFY_OK(scheduler.setTraceRetention(0));
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM jobs WHERE kind = 'automation.traceRetention' AND state = 'pending'"_qs),
             0);
    QCOMPARE(*scheduler.purgeTraces(now + 100 * kDay), 0);
}

void TestAutomation::urlCallDoesNotBlockOtherJobs()
{
    auto f = open(u"sqlite"_qs, {});
    QVERIFY(f);
    HookServer slow;
    slow.delayMs = 3000;
    QVERIFY(slow.listen());
    auto hook = f->rules->save(rule(QByteArray(R"({"format": "sellerdesk.rule/1", "name": "slow hook",
        "trigger": {"type": "order.downloaded"},
        "actions": [{"type": "callUrl", "params": {"url": "HOOK/o/{orderId}", "timeoutSeconds": 20}}]})")
                                        .replace("HOOK", slow.url({}).toUtf8())),
                               u"user:anna"_qs);
    SD_VERIFY_OK(hook);
    SD_VERIFY_OK(f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "status",
        "trigger": {"type": "order.downloaded"},
        "actions": [{"type": "setStatus", "params": {"status": "To ship"}}]})"),
                                u"user:anna"_qs));
    const qint64 id = f->addOrder(u"async-1"_qs);
    Database &db = f->store->database();
    Dispatcher dispatcher(*f->store, *f->rules);
    SD_VERIFY_OK(dispatcher.dispatch());
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM jobs WHERE state = 'pending'"_qs), 2);
    // The status job comes due a second after the URL call went out.
    QSqlQuery(db.connection())
        .exec(u"UPDATE jobs SET due_at = %1 WHERE payload LIKE '%setStatus%'"_qs.arg(
            QDateTime::currentMSecsSinceEpoch() + 1000));
    const qint64 urlJob = scalar(db, u"SELECT id FROM jobs WHERE payload LIKE '%callUrl%'"_qs);
    const qint64 statusJob = scalar(db, u"SELECT id FROM jobs WHERE payload LIKE '%setStatus%'"_qs);

    Scheduler scheduler(*f->store, *f->rules, Executors::withDefaults(), u"ws-async"_qs);
    QList<qint64> finished;
    QString statusWhenUrlAnswered;
    QString urlStateWhenStatusDone;
    connect(&scheduler, &Scheduler::jobFinished, this, [&](qint64 job, const QString &) {
        finished.append(job);
        if (job == urlJob)
            statusWhenUrlAnswered = f->status(id);
        if (job == statusJob)
            urlStateWhenStatusDone = QString::number(
                scalar(db, u"SELECT COUNT(*) FROM jobs WHERE id = %1 AND state = 'running' AND lease_owner = "
                           "'ws-async'"_qs.arg(urlJob)));
    });
    SD_VERIFY_OK(scheduler.start());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 15000);
    scheduler.stop();

    // The status job ran while the call was out; the call was recorded once, with its answer.
    QCOMPARE(finished, (QList<qint64>{statusJob, urlJob}));
    QCOMPARE(statusWhenUrlAnswered, u"To ship"_qs);
    QCOMPARE(urlStateWhenStatusDone, u"1"_qs); // still leased by this scheduler while in flight
    QCOMPARE(slow.requests.size(), 1);
    const QString key = Dispatcher::actionKey(
        *hook, 0, -1, id, u"event:"_qs + QString::number(scalar(db, u"SELECT MIN(id) FROM events"_qs)));
    QCOMPARE(slow.keys, QStringList{key});
    auto entry = ActionLedger(f->fresh.db).find(key);
    SD_VERIFY_OK(entry);
    QVERIFY(entry->has_value());
    QCOMPARE((*entry)->state, ActionLedger::State::Done);
    QCOMPARE((*entry)->attempts, 1);
    QCOMPARE((*entry)->result.value(u"responseCode").toInt(), 200);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM job_runs WHERE action = 'callUrl'"_qs), 1);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM job_runs WHERE action = 'callUrl' AND outcome = 'done'"_qs), 1);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM jobs WHERE state <> 'done'"_qs), 0);
}

void TestAutomation::manualRuleRunsThroughTheDispatcher()
{
    auto f = open(u"sqlite"_qs, {});
    QVERIFY(f);
    auto manual = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "by hand",
        "trigger": {"type": "manual"}, "actions": [{"type": "addTag", "params": {"tag": "manual"}}]})"),
                                 u"user:anna"_qs);
    auto other = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "another by hand",
        "trigger": {"type": "manual"}, "actions": [{"type": "addTag", "params": {"tag": "other"}}]})"),
                                u"user:anna"_qs);
    auto automatic = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "automatic",
        "trigger": {"type": "status.changed"}, "actions": [{"type": "addTag", "params": {"tag": "auto"}}]})"),
                                    u"user:anna"_qs);
    auto disabled = f->rules->save(rule(R"({"format": "sellerdesk.rule/1", "name": "off", "enabled": false,
        "trigger": {"type": "manual"}, "actions": [{"type": "addTag", "params": {"tag": "off"}}]})"),
                                   u"user:anna"_qs);
    SD_VERIFY_OK(manual);
    SD_VERIFY_OK(other);
    SD_VERIFY_OK(automatic);
    SD_VERIFY_OK(disabled);
    const qint64 id = f->addOrder(u"manual-1"_qs);
    Scheduler scheduler(*f->store, *f->rules, Executors::withDefaults(), u"ws-manual"_qs);
    SD_VERIFY_OK(scheduler.runUntilIdle());
    QVERIFY(f->store->load(id)->tags.isEmpty());

    Dispatcher dispatcher(*f->store, *f->rules);
    auto offered = dispatcher.manualRules();
    SD_VERIFY_OK(offered);
    QCOMPARE(offered->size(), 2);
    QCOMPARE(offered->at(0).id, manual->id);
    QCOMPARE(offered->at(1).id, other->id);
    const storage::ChangeContext anna{u"user:anna"_qs, u"run by hand"_qs, 0};
    // Only an enabled manual rule, only on an order that exists; each refusal says why.
    auto refused = dispatcher.requestManualRun(automatic->id, id, anna);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, Error::Code::Invalid);
    QVERIFY(refused.error().userMessage.contains(u"automatic"_qs));
    refused = dispatcher.requestManualRun(disabled->id, id, anna);
    QVERIFY(!refused);
    QVERIFY(refused.error().userMessage.contains(u"disabled"_qs));
    QCOMPARE(dispatcher.requestManualRun(manual->id, id + 100, anna).error().code, Error::Code::NotFound);
    QCOMPARE(dispatcher.requestManualRun(999, id, anna).error().code, Error::Code::NotFound);

    auto event = dispatcher.requestManualRun(manual->id, id, anna);
    SD_VERIFY_OK(event);
    SD_VERIFY_OK(scheduler.runUntilIdle());
    // Only the named rule ran, with its trace and its ledger entry keyed by the event.
    QCOMPARE(f->store->load(id)->tags, QStringList{u"manual"_qs});
    auto traces = f->rules->traces(id);
    SD_VERIFY_OK(traces);
    QStringList seen;
    for (const StoredTrace &t : *traces)
        if (t.eventId == *event)
            seen.append(QString::number(t.ruleId) + u':' + t.kind + u':' + t.outcome);
    QCOMPARE(seen, (QStringList{QString::number(manual->id) + u":rule:fired"_qs,
                                QString::number(manual->id) + u":action:done"_qs}));
    auto entry = ActionLedger(f->fresh.db)
                     .find(Dispatcher::actionKey(*manual, 0, -1, id, u"event:"_qs + QString::number(*event)));
    SD_VERIFY_OK(entry);
    QVERIFY(entry->has_value());
    QCOMPARE((*entry)->state, ActionLedger::State::Done);
    auto history = f->store->history(id);
    SD_VERIFY_OK(history);
    QCOMPARE(history->constLast().actor, u"rule:"_qs + QString::number(manual->id));
    QCOMPARE(scalar(f->store->database(), u"SELECT COUNT(*) FROM events WHERE type = 'rule.manual' AND actor = "
                                          "'user:anna'"_qs),
             1);
}

QTEST_GUILESS_MAIN(TestAutomation)
#include "tst_automation.moc"
