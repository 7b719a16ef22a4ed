#include "rules.h"

#include "allegro.h"
#include "cliutil.h"

#include "automation/dryrun.h"
#include "automation/engine.h"
#include "automation/marketplaceexecutors.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "automation/sqlrun.h"
#include "marketplace/accountstore.h"
#include "storage/orderstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHostInfo>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTextStream>

namespace sd::cli {

namespace {

using namespace sd::automation;

// "30m", "12h", "7d" -> milliseconds; 0 when it is not a duration.
qint64 duration(const QString &text)
{
    static const QRegularExpression re(u"^(\\d+)([mhd])$"_qs);
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return 0;
    const qint64 n = m.captured(1).toLongLong();
    const QChar unit = m.captured(2).at(0);
    return n * (unit == u'm' ? 60'000 : unit == u'h' ? 3600'000 : 86400'000);
}

Result<Rule> readRuleFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::cli", "Cannot read %1: %2").arg(path, file.errorString()));
    return Rule::fromText(file.readAll());
}

Result<qint64> ruleId(const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::cli", "%1 is not a rule number").arg(text));
    return id;
}

int rulesList(RuleStore &store)
{
    auto rules = store.list();
    if (!rules)
        return fail(rules.error().userMessage);
    out() << QCoreApplication::translate("sd::cli", "ID  VERSION  ENABLED  TRIGGER  NAME") << u'\n';
    for (const Rule &r : *rules)
        out() << r.id << u"  "_qs << r.version << u"  "_qs
              << (r.enabled ? QCoreApplication::translate("sd::cli", "yes")
                            : QCoreApplication::translate("sd::cli", "no"))
              << u"  "_qs << r.trigger << u"  "_qs << r.name << u'\n';
    out().flush();
    return 0;
}

void printTrace(const QJsonObject &t)
{
    out() << u"    "_qs << t.value(u"reason").toString() << u'\n';
    for (const QJsonValue &v : t.value(u"conditions").toArray()) {
        const QJsonObject c = v.toObject();
        QStringList expected;
        for (const QJsonValue &e : c.value(u"expected").toArray())
            expected.append(e.toVariant().toString());
        out() << u"      "_qs << (c.value(u"result").toBool() ? u"✓ "_qs : u"✗ "_qs) << c.value(u"path").toString()
              << u": "_qs << c.value(u"field").toString() << u' ' << c.value(u"op").toString() << u' '
              << expected.join(u", ") << u"  ("_qs
              << QCoreApplication::translate("sd::cli", "actual: %1").arg(c.value(u"actual").toString()) << u")\n"_qs;
    }
    for (const QJsonValue &v : t.value(u"actions").toArray())
        out() << u"      -> "_qs << v.toObject().value(u"plan").toString() << u'\n';
}

int rulesDryRun(const std::shared_ptr<storage::Database> &db, RuleStore &store, const QStringList &words)
{
    const Options o(words, {u"rule"_qs, u"id"_qs, u"orders"_qs, u"since"_qs}, {u"all"_qs, u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    const int sources =
        int(o.values.contains(u"rule"_qs)) + int(o.values.contains(u"id"_qs)) + int(o.flags.contains(u"all"_qs));
    if (sources != 1)
        return usage(
            QCoreApplication::translate("sd::cli", "rules dry-run needs exactly one of --rule FILE, --id ID or --all"));
    QList<Rule> rules;
    if (o.values.contains(u"rule"_qs)) {
        auto rule = readRuleFile(o.values.value(u"rule"_qs));
        if (!rule)
            return fail(rule.error().userMessage);
        rules.append(*rule);
    } else if (o.values.contains(u"id"_qs)) {
        auto id = ruleId(o.values.value(u"id"_qs));
        if (!id)
            return usage(id.error().userMessage);
        auto rule = store.get(*id);
        if (!rule)
            return fail(rule.error().userMessage);
        rules.append(*rule);
    } else {
        auto all = store.enabled();
        if (!all)
            return fail(all.error().userMessage);
        rules = *all;
    }
    storage::OrderStore orders(db);
    DryRunOptions options;
    if (o.values.contains(u"orders"_qs)) {
        for (const QString &part : o.values.value(u"orders"_qs).split(u',', Qt::SkipEmptyParts)) {
            auto id = orders.resolve(part.trimmed());
            if (!id)
                return fail(id.error().userMessage);
            options.orderIds.append(*id);
        }
    }
    if (o.values.contains(u"since"_qs)) {
        const qint64 ms = duration(o.values.value(u"since"_qs));
        if (!ms)
            return usage(QCoreApplication::translate("sd::cli", "--since needs a duration such as 30m, 12h or 7d"));
        options.since = QDateTime::currentDateTimeUtc().addMSecs(-ms);
    }
    auto report = planDryRun(orders, rules, options);
    if (!report)
        return fail(report.error().userMessage);
    if (o.flags.contains(u"json"_qs)) {
        out().flush();
        QFile stdOut;
        if (!stdOut.open(stdout, QIODevice::WriteOnly))
            return fail(stdOut.errorString());
        report->writeJson(stdOut);
        return 0;
    }
    for (int i = 0; i < report->size(); ++i) {
        const QJsonObject order = report->result(i);
        out() << QCoreApplication::translate("sd::cli", "Order %1 (%2), status %3")
                     .arg(order.value(u"orderId").toInteger())
                     .arg(order.value(u"externalId").toString(), order.value(u"status").toString())
              << u'\n';
        for (const QJsonValue &r : order.value(u"rules").toArray()) {
            const QJsonObject rule = r.toObject();
            out() << u"  "_qs
                  << (rule.value(u"matched").toBool() ? QCoreApplication::translate("sd::cli", "WOULD FIRE")
                                                      : QCoreApplication::translate("sd::cli", "would not fire"))
                  << u": "_qs << rule.value(u"name").toString() << u'\n';
            printTrace(rule);
        }
    }
    out() << QCoreApplication::translate("sd::cli", "Dry run: %1 orders, %2 matches; nothing was changed.")
                 .arg(report->orders())
                 .arg(report->matches())
          << Qt::endl;
    return 0;
}

int rulesTrace(const std::shared_ptr<storage::Database> &db, RuleStore &store, const QStringList &words)
{
    const Options o(words, {}, {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional.size() != 1)
        return usage(QCoreApplication::translate("sd::cli", "rules trace needs one order"));
    storage::OrderStore orders(db);
    auto id = orders.resolve(o.positional.constFirst());
    if (!id)
        return fail(id.error().userMessage);
    auto traces = store.traces(*id);
    if (!traces)
        return fail(traces.error().userMessage);
    if (o.flags.contains(u"json"_qs)) {
        QJsonArray list;
        for (const StoredTrace &t : *traces)
            list.append(QJsonObject{{u"id"_qs, t.id},
                                    {u"at"_qs, t.at.toString(Qt::ISODateWithMs)},
                                    {u"rule"_qs, t.ruleId},
                                    {u"version"_qs, t.ruleVersion},
                                    {u"event"_qs, t.eventId},
                                    {u"kind"_qs, t.kind},
                                    {u"outcome"_qs, t.outcome},
                                    {u"trace"_qs, t.trace}});
        printJson(QJsonDocument(list));
        return 0;
    }
    if (traces->isEmpty())
        out() << QCoreApplication::translate("sd::cli", "No rule has looked at this order yet.") << u'\n';
    for (const StoredTrace &t : *traces) {
        out() << localTime(t.at) << u"  "_qs
              << QCoreApplication::translate("sd::cli", "rule %1 v%2 \"%3\"")
                     .arg(t.ruleId)
                     .arg(t.ruleVersion)
                     .arg(t.trace.value(u"name").toString())
              << u"  "_qs << t.kind << u": "_qs << t.outcome << u'\n';
        if (t.kind == u"action")
            out() << u"    "_qs << t.trace.value(u"action").toString() << u": "_qs
                  << t.trace.value(u"message").toString() << u'\n';
        else
            printTrace(t.trace);
    }
    out().flush();
    return 0;
}

// A manual rule on one order: the rule.manual event through the dispatcher (trace and ledger as for any trigger),
// then this process runs the jobs unless another one owns the automation (it runs them then).
int rulesRun(const std::shared_ptr<storage::Database> &db, RuleStore &store, qint64 ruleId, const QStringList &words,
             const QString &profileDir)
{
    const Options o(words, {u"order"_qs}, {});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (!o.positional.isEmpty() || !o.values.contains(u"order"_qs))
        return usage(QCoreApplication::translate("sd::cli", "rules run needs a rule number and --order ORDER"));
    storage::OrderStore orders(db);
    auto orderId = orders.resolve(o.values.value(u"order"_qs));
    if (!orderId)
        return fail(orderId.error().userMessage);
    Dispatcher dispatcher(orders, store);
    auto event = dispatcher.requestManualRun(ruleId, *orderId, {actor(), u"run by hand"_qs, 0});
    if (!event)
        return fail(event.error().userMessage);

    auto access = std::make_shared<MarketplaceAccess>();
    auto accounts = marketplace::AccountStore(db).list();
    if (accounts && std::any_of(accounts->cbegin(), accounts->cend(),
                                [](const marketplace::MarketplaceAccount &a) { return a.connected; })) {
        auto secrets = openSecrets(profileDir);
        if (secrets)
            access->secrets = *secrets;
        else
            QTextStream(stderr) << "sellerdesk-cli: "
                                << QCoreApplication::translate("sd::cli",
                                                               "warning: marketplace actions cannot run here: %1")
                                       .arg(secrets.error().userMessage)
                                << Qt::endl;
    }
    Scheduler scheduler(orders, store, Executors::withDefaults(access),
                        u"%1:%2:cli"_qs.arg(QHostInfo::localHostName()).arg(QCoreApplication::applicationPid()));
    if (auto started = scheduler.start(); !started) {
        out() << QCoreApplication::translate("sd::cli", "Rule %1 is queued for order %2; %3")
                     .arg(ruleId)
                     .arg(*orderId)
                     .arg(started.error().userMessage)
              << Qt::endl;
        return 0;
    }
    auto ran = scheduler.runUntilIdle();
    scheduler.stop();
    if (!ran)
        return fail(ran.error().userMessage);
    auto traces = store.traces(*orderId);
    if (!traces)
        return fail(traces.error().userMessage);
    bool failed = false;
    for (const StoredTrace &t : *traces) {
        if (t.eventId != *event)
            continue;
        if (t.kind == u"action") {
            failed = failed || t.outcome == u"failed" || t.outcome == u"retry";
            out() << u"  "_qs << t.trace.value(u"action").toString() << u": "_qs << t.outcome << u" - "_qs
                  << t.trace.value(u"message").toString() << u'\n';
        } else {
            out() << QCoreApplication::translate("sd::cli", "rule %1 v%2 \"%3\" on order %4: %5")
                         .arg(t.ruleId)
                         .arg(t.ruleVersion)
                         .arg(t.trace.value(u"name").toString())
                         .arg(*orderId)
                         .arg(t.outcome)
                  << u'\n';
            if (t.outcome != u"fired")
                printTrace(t.trace);
        }
    }
    out().flush();
    return failed ? 1 : 0;
}

int jobsList(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    const Options o(words, {}, {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    auto q = runSql(*db,
                    u"SELECT id, kind, order_id, state, due_at, attempts, last_error, lease_owner, lease_until, "
                    "idempotency_key FROM jobs ORDER BY id DESC LIMIT 500"_qs,
                    "list jobs");
    if (!q)
        return fail(q.error().userMessage);
    QJsonArray list;
    while (q->next())
        list.append(QJsonObject{
            {u"id"_qs, q->value(0).toLongLong()},
            {u"kind"_qs, q->value(1).toString()},
            {u"order"_qs, q->value(2).toLongLong()},
            {u"state"_qs, q->value(3).toString()},
            {u"due"_qs, QDateTime::fromMSecsSinceEpoch(q->value(4).toLongLong(), Qt::UTC).toString(Qt::ISODate)},
            {u"attempts"_qs, q->value(5).toInt()},
            {u"lastError"_qs, q->value(6).toString()},
            {u"leaseOwner"_qs, q->value(7).toString()},
            {u"key"_qs, q->value(9).toString()}});
    if (o.flags.contains(u"json"_qs)) {
        printJson(QJsonDocument(list));
        return 0;
    }
    out() << QCoreApplication::translate("sd::cli", "ID  KIND  ORDER  STATE  DUE  ATTEMPTS  NOTE") << u'\n';
    for (const QJsonValue &v : list) {
        const QJsonObject j = v.toObject();
        out() << j.value(u"id").toInteger() << u"  "_qs << j.value(u"kind").toString() << u"  "_qs
              << j.value(u"order").toInteger() << u"  "_qs << j.value(u"state").toString() << u"  "_qs
              << localTime(QDateTime::fromString(j.value(u"due").toString(), Qt::ISODate)) << u"  "_qs
              << j.value(u"attempts").toInt() << u"  "_qs << j.value(u"lastError").toString() << u'\n';
    }
    out().flush();
    return 0;
}

// The benchmark's rules: four shapes with varying operands, and the same four written by hand.
struct BenchRule
{
    int shape;
    QString text;
    qint64 number;
};

QByteArray benchRuleJson(const BenchRule &r)
{
    QJsonObject conditions;
    switch (r.shape) {
    case 0:
        conditions = {
            {u"all"_qs,
             QJsonArray{QJsonObject{{u"field"_qs, u"paymentMethod"_qs}, {u"op"_qs, u"eq"_qs}, {u"value"_qs, r.text}},
                        QJsonObject{
                            {u"field"_qs, u"total"_qs}, {u"op"_qs, u"gt"_qs}, {u"value"_qs, double(r.number) / 100}}}}};
        break;
    case 1:
        conditions = {
            {u"any"_qs, QJsonArray{QJsonObject{{u"field"_qs, u"country"_qs},
                                               {u"op"_qs, u"in"_qs},
                                               {u"values"_qs, QJsonArray{u"DE"_qs, r.text}}},
                                   QJsonObject{{u"field"_qs, u"invoiceWanted"_qs}, {u"op"_qs, u"isTrue"_qs}}}}};
        break;
    case 2:
        conditions = {
            {u"items"_qs, u"any"_qs},
            {u"where"_qs,
             QJsonObject{{u"field"_qs, u"item.sku"_qs}, {u"op"_qs, u"startsWith"_qs}, {u"value"_qs, r.text}}}};
        break;
    default:
        conditions = {
            {u"all"_qs,
             QJsonArray{
                 QJsonObject{{u"field"_qs, u"paymentStatus"_qs}, {u"op"_qs, u"eq"_qs}, {u"value"_qs, u"paid"_qs}},
                 QJsonObject{{u"field"_qs, u"lineCount"_qs},
                             {u"op"_qs, u"between"_qs},
                             {u"values"_qs, QJsonArray{2, r.number}}},
                 QJsonObject{{u"not"_qs,
                              QJsonObject{{u"field"_qs, u"tags"_qs}, {u"op"_qs, u"has"_qs}, {u"value"_qs, r.text}}}}}}};
    }
    const QJsonObject rule{
        {u"format"_qs, u"sellerdesk.rule/1"_qs},
        {u"name"_qs, u"bench"_qs},
        {u"trigger"_qs, QJsonObject{{u"type"_qs, u"order.downloaded"_qs}}},
        {u"conditions"_qs, conditions},
        {u"actions"_qs, QJsonArray{QJsonObject{{u"type"_qs, u"setStatus"_qs},
                                               {u"params"_qs, QJsonObject{{u"status"_qs, u"To ship"_qs}}}}}}};
    return QJsonDocument(rule).toJson(QJsonDocument::Compact);
}

// The limit: the same conditions as plain C++ over the same orders.
bool handWritten(const BenchRule &r, const domain::Order &o)
{
    switch (r.shape) {
    case 0:
        return o.payment.method == r.text && o.total.minor() > r.number;
    case 1:
        return o.delivery.address.countryCode == u"DE" || o.delivery.address.countryCode == r.text || o.invoice.wanted;
    case 2:
        for (const domain::LineItem &item : o.items)
            if (item.sku.startsWith(r.text))
                return true;
        return false;
    default:
        return o.payment.status == domain::PaymentStatus::Paid && o.items.size() >= 2 && o.items.size() <= r.number &&
               !o.tags.contains(r.text);
    }
}

int benchRules(const QStringList &words)
{
    const Options o(words, {u"rules"_qs, u"orders"_qs}, {});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    const int ruleCount = o.values.value(u"rules"_qs, u"100"_qs).toInt();
    const int orderCount = o.values.value(u"orders"_qs, u"100000"_qs).toInt();
    if (ruleCount < 1 || ruleCount > 10000 || orderCount < 1 || orderCount > 2000000)
        return usage(QCoreApplication::translate("sd::cli", "--rules must be 1 to 10,000 and --orders 1 to 2,000,000"));
    QRandomGenerator random(2026);
    const QStringList methods = {u"ONLINE"_qs, u"CASH_ON_DELIVERY"_qs, u"WIRE_TRANSFER"_qs};
    QList<domain::Order> orders;
    orders.reserve(orderCount);
    for (int i = 0; i < orderCount; ++i) {
        domain::Order order;
        order.id = i + 1;
        order.externalId = QString::number(i + 1);
        order.marketplace = u"allegro-pl"_qs;
        order.status = u"New"_qs;
        order.payment.method = methods.at(int(random.bounded(3)));
        order.payment.status = random.bounded(4) ? domain::PaymentStatus::Paid : domain::PaymentStatus::Unpaid;
        const int r = int(random.bounded(10));
        order.delivery.address.countryCode = r < 8 ? u"PL"_qs : r == 8 ? u"DE"_qs : u"CZ"_qs;
        order.invoice.wanted = random.bounded(5) == 0;
        const int lines = 1 + int(random.bounded(4));
        for (int l = 0; l < lines; ++l) {
            domain::LineItem item;
            item.sku = u"SKU-"_qs + QString::number(random.bounded(100));
            item.quantity = 1 + int(random.bounded(3));
            item.unitPrice = domain::Money(1000 + random.bounded(20000), u"PLN"_qs);
            order.items.append(item);
        }
        if (random.bounded(10) == 0)
            order.tags.append(u"hold"_qs);
        order.total = order.computedTotal();
        order.createdAt = QDateTime::currentDateTimeUtc();
        orders.append(order);
    }
    QList<BenchRule> bench;
    QList<CompiledRule> compiled;
    for (int i = 0; i < ruleCount; ++i) {
        const int shape = i % 4;
        BenchRule r{shape, {}, 0};
        if (shape == 0) {
            r.text = methods.at(i % 3);
            r.number = 5000 + (i * 997) % 40000;
        } else if (shape == 1) {
            r.text = i % 2 ? u"CZ"_qs : u"SK"_qs;
        } else if (shape == 2) {
            r.text = u"SKU-"_qs + QString::number(i % 100);
        } else {
            r.text = u"hold"_qs;
            r.number = 2 + i % 3;
        }
        auto rule = Rule::fromText(benchRuleJson(r));
        if (!rule)
            return fail(rule.error().userMessage);
        auto c = CompiledRule::compile(*rule);
        if (!c)
            return fail(c.error().userMessage);
        bench.append(r);
        compiled.append(*c);
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const double evaluations = double(ruleCount) * orderCount;

    QElapsedTimer timer;
    timer.start();
    qint64 engineMatches = 0;
    for (const domain::Order &order : orders)
        for (const CompiledRule &rule : compiled)
            engineMatches += rule.matches(order, now);
    const double engineSeconds = double(timer.nsecsElapsed()) / 1e9;

    timer.restart();
    qint64 handMatches = 0;
    for (const domain::Order &order : orders)
        for (const BenchRule &rule : bench)
            handMatches += handWritten(rule, order);
    const double handSeconds = double(timer.nsecsElapsed()) / 1e9;

    timer.restart();
    const DryRunPlan plan = planDryRunOrders(compiled, orders, now, false);
    const double dryRunSeconds = double(timer.nsecsElapsed()) / 1e9;

    // What a full export costs: every matched order's planned actions as JSON, streamed to nowhere.
    timer.restart();
    qint64 exportBytes = 0;
    for (int i = 0; i < plan.size(); ++i)
        exportBytes += QJsonDocument(plan.result(i)).toJson(QJsonDocument::Compact).size();
    const double exportSeconds = double(timer.nsecsElapsed()) / 1e9;

    QLocale locale;
    out() << QCoreApplication::translate("sd::cli", "%1 rules x %2 orders in memory, one thread (one core)")
                 .arg(ruleCount)
                 .arg(orderCount)
          << u'\n';
    out() << QCoreApplication::translate("sd::cli", "engine:       %1 rule evaluations/s (%2 s; %3 matches)")
                 .arg(locale.toString(evaluations / engineSeconds, 'f', 0))
                 .arg(engineSeconds, 0, 'f', 3)
                 .arg(engineMatches)
          << u'\n';
    out() << QCoreApplication::translate("sd::cli", "hand-written: %1 rule evaluations/s (%2 s; %3 matches)")
                 .arg(locale.toString(evaluations / handSeconds, 'f', 0))
                 .arg(handSeconds, 0, 'f', 3)
                 .arg(handMatches)
          << u'\n';
    out() << QCoreApplication::translate("sd::cli", "engine / hand-written: %1")
                 .arg(handSeconds / engineSeconds, 0, 'f', 2)
          << u'\n';
    out() << QCoreApplication::translate("sd::cli", "dry run (matches with planned actions): %1 s, %2 matches")
                 .arg(dryRunSeconds, 0, 'f', 3)
                 .arg(plan.matches())
          << u'\n';
    out() << QCoreApplication::translate("sd::cli", "JSON of every planned action, made on demand: %1 s, %2 MB")
                 .arg(exportSeconds, 0, 'f', 3)
                 .arg(double(exportBytes) / 1e6, 0, 'f', 1)
          << u'\n';
    out() << QCoreApplication::translate("sd::cli", "targets: >= 10,000,000 evaluations/s/core, dry run < 2 s")
          << Qt::endl;
    if (engineMatches != handMatches)
        return fail(
            QCoreApplication::translate("sd::cli", "the engine and the hand-written loop disagree (%1 vs %2 matches)")
                .arg(engineMatches)
                .arg(handMatches));
    return 0;
}

} // namespace

QString automationHelp()
{
    return QCoreApplication::translate(
        "sd::cli", "  rules list | show ID | export ID | import FILE | enable ID | disable ID | versions ID\n"
                   "  rules dry-run (--rule FILE | --id ID | --all) [--orders IDS | --since 30m|12h|7d] [--json]\n"
                   "  rules trace ORDER [--json]              why each rule did or did not act on the order\n"
                   "  rules run ID --order ORDER              run a manual rule (trigger \"manual\") on an order\n"
                   "  rules reference                         the rule reference (docs/rules.md) from the catalog\n"
                   "  jobs list [--json]                      the automation's job queue\n"
                   "  bench rules [--rules N] [--orders M]    measure rule evaluation and dry run\n");
}

int automationCommand(const QString &command, const QStringList &words, const OpenDatabase &open,
                      const QString &profileDir)
{
    if (command == u"bench")
        return benchRules(words.mid(1));
    if (command == u"rules" && words.value(0) == u"reference") {
        out() << Catalog::instance().referenceMarkdown();
        out().flush();
        return 0;
    }
    auto db = open();
    if (!db)
        return fail(db.error().userMessage);
    if (command == u"jobs") {
        if (words.value(0) != u"list")
            return usage(QCoreApplication::translate("sd::cli", "jobs needs a subcommand: list"));
        return jobsList(*db, words.mid(1));
    }
    RuleStore store(*db);
    const QString sub = words.value(0);
    const QStringList rest = words.mid(1);
    if (sub == u"list")
        return rulesList(store);
    if (sub == u"dry-run")
        return rulesDryRun(*db, store, rest);
    if (sub == u"trace")
        return rulesTrace(*db, store, rest);
    if (sub == u"import") {
        if (rest.size() != 1)
            return usage(QCoreApplication::translate("sd::cli", "rules import needs one file"));
        auto rule = readRuleFile(rest.constFirst());
        if (!rule)
            return fail(rule.error().userMessage);
        if (rule->id && !store.get(rule->id))
            rule->id = 0;
        auto saved = store.save(*rule, actor());
        if (!saved)
            return fail(saved.error().userMessage);
        out() << QCoreApplication::translate("sd::cli", "Rule %1 \"%2\" saved as version %3.")
                     .arg(saved->id)
                     .arg(saved->name)
                     .arg(saved->version)
              << Qt::endl;
        return 0;
    }
    const QStringList withId = {u"show"_qs, u"export"_qs, u"enable"_qs, u"disable"_qs, u"versions"_qs, u"run"_qs};
    if (!withId.contains(sub))
        return usage(QCoreApplication::translate(
            "sd::cli", "rules needs a subcommand: list, show, export, import, enable, disable, versions, dry-run, "
                       "trace, run"));
    if (sub == u"run") {
        auto id = ruleId(rest.value(0));
        if (!id)
            return usage(id.error().userMessage);
        return rulesRun(*db, store, *id, rest.mid(1), profileDir);
    }
    if (rest.size() != 1)
        return usage(QCoreApplication::translate("sd::cli", "rules %1 needs one rule number").arg(sub));
    auto id = ruleId(rest.constFirst());
    if (!id)
        return usage(id.error().userMessage);
    if (sub == u"enable" || sub == u"disable") {
        auto rule = store.setEnabled(*id, sub == u"enable", actor());
        if (!rule)
            return fail(rule.error().userMessage);
        out() << (rule->enabled ? QCoreApplication::translate("sd::cli", "Rule %1 is enabled (version %2).")
                                : QCoreApplication::translate("sd::cli", "Rule %1 is disabled (version %2)."))
                     .arg(rule->id)
                     .arg(rule->version)
              << Qt::endl;
        return 0;
    }
    if (sub == u"versions") {
        auto versions = store.versions(*id);
        if (!versions)
            return fail(versions.error().userMessage);
        out() << QCoreApplication::translate("sd::cli", "VERSION  WHEN  WHO  ENABLED  NAME") << u'\n';
        for (const RuleVersion &v : *versions)
            out() << v.version << u"  "_qs << localTime(v.at) << u"  "_qs << v.author << u"  "_qs
                  << (v.rule.enabled ? QCoreApplication::translate("sd::cli", "yes")
                                     : QCoreApplication::translate("sd::cli", "no"))
                  << u"  "_qs << v.rule.name << u'\n';
        out().flush();
        return 0;
    }
    auto rule = store.get(*id);
    if (!rule)
        return fail(rule.error().userMessage);
    printJson(QJsonDocument(rule->toJson()));
    return 0;
}

} // namespace sd::cli
