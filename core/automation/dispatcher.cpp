#include "automation/dispatcher.h"

#include "automation/sqlrun.h"
#include "automation/stocklevels.h"

#include <QCoreApplication>

namespace sd::automation {

namespace {

constexpr qint64 kDispatchLockKey = 0x5344'4155'544f; // "SDAUTO": one dispatcher at a time on PostgreSQL
constexpr qint64 kMinuteMs = 60 * 1000;
const QString kCursor = u"dispatcher.events"_qs;

bool sameText(const QJsonValue &wanted, const QString &actual)
{
    const QString w = wanted.toString();
    return w.isEmpty() || w.compare(actual, Qt::CaseInsensitive) == 0;
}

// Whether a (non-timed) trigger fires on this event.
bool fires(const Rule &rule, const storage::EventRecord &event)
{
    const TriggerDef *def = Catalog::instance().trigger(rule.trigger);
    if (!def || def->timed || !def->eventTypes.contains(event.type))
        return false;
    if (rule.trigger == u"status.changed")
        return sameText(rule.triggerParams.value(u"from"), event.payload.value(u"from").toString()) &&
               sameText(rule.triggerParams.value(u"to"), event.payload.value(u"to").toString());
    if (rule.trigger == u"manual")
        return event.payload.value(u"rule").toInteger() == rule.id;
    if (rule.trigger == u"payment.changed" || rule.trigger == u"return.changed" || rule.trigger == u"service.changed")
        return sameText(rule.triggerParams.value(u"to"), event.payload.value(u"to").toString());
    if (rule.trigger == u"message.received") {
        // The account by its key (orders.account) or its name.
        const QString account = rule.triggerParams.value(u"account").toString();
        return sameText(rule.triggerParams.value(u"type"), event.payload.value(u"type").toString()) &&
               (account.isEmpty() || sameText(account, event.payload.value(u"account").toString()) ||
                sameText(account, event.payload.value(u"accountName").toString()));
    }
    return true;
}

// For a timed trigger: the instant this event sets its timer to, or 0 when the event does not set it.
qint64 timerFor(const Rule &rule, const storage::EventRecord &event, const domain::Order &order)
{
    const TriggerDef *def = Catalog::instance().trigger(rule.trigger);
    if (!def || !def->timed || !def->eventTypes.contains(event.type))
        return 0;
    const qint64 minutes = Rule::param(rule.triggerParams, def->params, "minutes").toInteger();
    const qint64 at = event.createdAt.toMSecsSinceEpoch();
    if (rule.trigger == u"time.after") {
        const QString anchor = Rule::param(rule.triggerParams, def->params, "anchor").toString();
        if (anchor == u"order-date" && event.type == QLatin1StringView(storage::EventType::kOrderCreated))
            return (order.createdAt.isValid() ? order.createdAt.toMSecsSinceEpoch() : at) + minutes * kMinuteMs;
        if (anchor == u"payment" && event.type == QLatin1StringView(storage::EventType::kPaymentChanged) &&
            event.payload.value(u"to").toString() == u"paid")
            return at + minutes * kMinuteMs;
        if (anchor == u"status-change" && event.type == QLatin1StringView(storage::EventType::kStatusChanged))
            return at + minutes * kMinuteMs;
        if (anchor == u"shipment" && event.type == QLatin1StringView(storage::EventType::kOrderShipped))
            return (order.shippedAt.isValid() ? order.shippedAt.toMSecsSinceEpoch() : at) + minutes * kMinuteMs;
        return 0;
    }
    // time.inStatus
    const QString status = rule.triggerParams.value(u"status").toString();
    const QString entered = event.type == QLatin1StringView(storage::EventType::kStatusChanged)
                                ? event.payload.value(u"to").toString()
                                : event.payload.value(u"status").toString();
    return entered.compare(status, Qt::CaseInsensitive) == 0 ? at + minutes * kMinuteMs : 0;
}

QJsonObject ruleInfo(const Rule &rule)
{
    return {
        {u"rule"_qs, rule.id}, {u"version"_qs, rule.version}, {u"name"_qs, rule.name}, {u"trigger"_qs, rule.trigger}};
}

QJsonObject merged(QJsonObject a, const QJsonObject &b)
{
    for (auto it = b.begin(); it != b.end(); ++it)
        a.insert(it.key(), it.value());
    return a;
}

} // namespace

Dispatcher::Dispatcher(storage::OrderStore &store, RuleStore &rules)
    : m_store(store)
    , m_rules(rules)
    , m_jobs(store.sharedDatabase())
{}

QString Dispatcher::actionKey(const Rule &rule, int index, int failureIndex, qint64 orderId, const QString &cause)
{
    QString action = QString::number(index);
    if (failureIndex >= 0)
        action += u".onFailure."_qs + QString::number(failureIndex);
    return u"rule:%1@v%2/action:%3/order:%4/%5"_qs.arg(rule.id).arg(rule.version).arg(action).arg(orderId).arg(cause);
}

Result<qint64> Dispatcher::enqueueAction(const Rule &rule, qint64 orderId, const QString &cause, qint64 eventId,
                                         int depth, int index, int failureIndex, qint64 dueMs)
{
    const Action &action =
        failureIndex < 0 ? rule.actions.at(index) : rule.actions.at(index).onFailure.at(failureIndex);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 due = (dueMs ? dueMs : now) + qint64(action.delayMinutes) * kMinuteMs;
    const QJsonObject payload{{u"rule"_qs, rule.id},         {u"version"_qs, rule.version}, {u"action"_qs, index},
                              {u"failure"_qs, failureIndex}, {u"order"_qs, orderId},        {u"cause"_qs, cause},
                              {u"event"_qs, eventId},        {u"depth"_qs, depth},          {u"type"_qs, action.type}};
    return m_jobs.enqueue(QString::fromLatin1(JobKind::kRuleAction), orderId, payload,
                          actionKey(rule, index, failureIndex, orderId, cause),
                          QDateTime::fromMSecsSinceEpoch(due, Qt::UTC), eventId);
}

Result<int> Dispatcher::evaluateAndQueue(const CompiledRule &compiled, const domain::Order &order, qint64 eventId,
                                         int depth, const QString &cause, const QString &kind, qint64 nowMs)
{
    const Rule &rule = compiled.rule();
    StoredTrace stored;
    stored.orderId = order.id;
    stored.ruleId = rule.id;
    stored.ruleVersion = rule.version;
    stored.eventId = eventId;
    stored.kind = kind;
    // A rule that reads the stock sees the levels as they are now (one query, only for such rules).
    std::optional<StockLevels> levels;
    if (!StockScope::active() && readsStock(rule.conditions)) {
        auto loaded = loadStockLevels(m_store.database());
        if (!loaded)
            return loaded.error();
        levels = std::move(*loaded);
    }
    StockScope stockScope(levels ? &*levels : nullptr);
    Trace trace = compiled.trace(order, nowMs);
    int queued = 0;
    if (depth >= kMaxCauseDepth) {
        stored.outcome = u"cut"_qs;
        trace.matched = false;
        trace.reason = QCoreApplication::translate(
                           "sd::automation::Engine",
                           "Stopped: this change was caused by a chain of %1 rule actions (the limit is %2); a rule "
                           "may be triggering itself.")
                           .arg(depth)
                           .arg(kMaxCauseDepth);
    } else if (trace.matched && rule.limitPerOrder > 0) {
        auto fired = m_rules.firedCount(rule.id, order.id);
        if (!fired)
            return fired.error();
        if (*fired >= rule.limitPerOrder) {
            stored.outcome = u"limit"_qs;
            trace.matched = false;
            trace.reason =
                QCoreApplication::translate("sd::automation::Engine",
                                            "Not fired: the rule has acted on this order %1 times, its limit.")
                    .arg(*fired);
        }
    }
    if (stored.outcome.isEmpty()) {
        stored.outcome = trace.matched ? u"fired"_qs : u"not-fired"_qs;
        if (trace.matched && !rule.actions.isEmpty()) {
            auto job = enqueueAction(rule, order.id, cause, eventId, depth + 1, 0);
            if (!job)
                return job.error();
            ++queued;
        }
    }
    QJsonObject json = merged(ruleInfo(rule), trace.toJson());
    if (trace.matched) {
        QJsonArray planned;
        for (const Action &a : rule.actions)
            planned.append(planAction(a, order));
        json.insert(u"actions"_qs, planned);
    }
    stored.trace = json;
    if (auto r = m_rules.addTrace(stored); !r)
        return r.error();
    return queued;
}

Result<int> Dispatcher::handle(const storage::EventRecord &event, const QList<CompiledRule> &rules, qint64 nowMs)
{
    if (!event.orderId)
        return 0;
    std::optional<domain::Order> order;
    int queued = 0;
    for (const CompiledRule &compiled : rules) {
        const Rule &rule = compiled.rule();
        const bool direct = fires(rule, event);
        const bool timed = !direct && Catalog::instance().trigger(rule.trigger) &&
                           Catalog::instance().trigger(rule.trigger)->timed &&
                           Catalog::instance().trigger(rule.trigger)->eventTypes.contains(event.type);
        if (!direct && !timed)
            continue;
        if (!order) {
            auto loaded = m_store.load(event.orderId);
            if (!loaded)
                return loaded.error().code == Error::Code::NotFound ? Result<int>(0) : Result<int>(loaded.error());
            order = std::move(*loaded);
        }
        if (direct) {
            auto n = evaluateAndQueue(compiled, *order, event.id, event.causeDepth,
                                      u"event:"_qs + QString::number(event.id), u"rule"_qs, nowMs);
            if (!n)
                return n.error();
            queued += *n;
            continue;
        }
        const qint64 at = timerFor(rule, event, *order);
        if (!at)
            continue;
        const QJsonObject payload{{u"rule"_qs, rule.id},    {u"version"_qs, rule.version},
                                  {u"order"_qs, order->id}, {u"event"_qs, event.id},
                                  {u"at"_qs, at},           {u"depth"_qs, event.causeDepth}};
        const QString key =
            u"rule:%1@v%2/timer/order:%3/at:%4"_qs.arg(rule.id).arg(rule.version).arg(order->id).arg(at);
        auto job = m_jobs.enqueue(QString::fromLatin1(JobKind::kRuleTimer), order->id, payload, key,
                                  QDateTime::fromMSecsSinceEpoch(at, Qt::UTC), event.id);
        if (!job)
            return job.error();
        ++queued;
        StoredTrace stored{
            0,
            order->id,
            rule.id,
            rule.version,
            event.id,
            u"timer"_qs,
            u"timer-set"_qs,
            merged(
                ruleInfo(rule),
                {{u"reason"_qs, QCoreApplication::translate("sd::automation::Engine",
                                                            "Timer set for %1 (UTC); the conditions are checked then.")
                                    .arg(QDateTime::fromMSecsSinceEpoch(at, Qt::UTC).toString(u"yyyy-MM-dd HH:mm"_qs))},
                 {u"at"_qs, at}}),
            {}};
        if (auto r = m_rules.addTrace(stored); !r)
            return r.error();
    }
    return queued;
}

Result<int> Dispatcher::dispatch(qint64 nowMs)
{
    if (!nowMs)
        nowMs = QDateTime::currentMSecsSinceEpoch();
    storage::Database &db = m_store.database();
    auto ruleList = m_rules.enabled();
    if (!ruleList)
        return ruleList.error();
    QList<CompiledRule> rules;
    for (const Rule &rule : *ruleList) {
        auto compiled = CompiledRule::compile(rule);
        if (!compiled) {
            qCWarning(lcAutomation) << "rule" << rule.id << "does not compile:" << compiled.error().userMessage;
            continue;
        }
        rules.append(std::move(*compiled));
    }
    int queued = 0;
    for (;;) {
        storage::Transaction transaction(db, "dispatch events");
        if (!transaction.started())
            return transaction.started().error();
        if (db.isPostgres())
            if (auto r = runSql(db, u"SELECT pg_advisory_xact_lock(%1)"_qs.arg(kDispatchLockKey), "dispatch lock"); !r)
                return r.error();
        auto cursor = m_rules.cursor(kCursor);
        if (!cursor)
            return cursor.error();
        auto events = m_store.eventsAfter(*cursor, 500);
        if (!events)
            return events.error();
        if (events->isEmpty())
            break;
        for (const storage::EventRecord &event : *events) {
            auto n = handle(event, rules, nowMs);
            if (!n)
                return n.error();
            queued += *n;
        }
        if (auto r = m_rules.setCursor(kCursor, events->constLast().id); !r)
            return r.error();
        if (auto r = transaction.commit(); !r)
            return r.error();
    }
    return queued;
}

Result<QList<Rule>> Dispatcher::manualRules()
{
    auto enabled = m_rules.enabled();
    if (!enabled)
        return enabled.error();
    QList<Rule> manual;
    for (const Rule &rule : *enabled)
        if (rule.trigger == u"manual")
            manual.append(rule);
    return manual;
}

Result<qint64> Dispatcher::requestManualRun(qint64 ruleId, qint64 orderId, const storage::ChangeContext &who)
{
    auto rule = m_rules.get(ruleId);
    if (!rule)
        return rule.error();
    if (rule->trigger != u"manual")
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::automation::Dispatcher",
                                                     "Rule %1 (%2) does not run by hand: its trigger is not \"Run by "
                                                     "hand\".")
                             .arg(rule->id)
                             .arg(rule->name));
    if (!rule->enabled)
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::automation::Dispatcher", "Rule %1 (%2) is disabled; enable it to run it.")
                .arg(rule->id)
                .arg(rule->name));
    if (auto order = m_store.load(orderId); !order)
        return order.error();
    return m_store.recordEvent(kManualRunEvent, orderId,
                               {{u"rule"_qs, rule->id}, {u"version"_qs, rule->version}, {u"name"_qs, rule->name}}, who);
}

Result<QString> Dispatcher::fireTimer(const QJsonObject &payload, qint64 jobId, qint64 nowMs)
{
    Q_UNUSED(jobId);
    auto rule = m_rules.version(payload.value(u"rule").toInteger(), payload.value(u"version").toInt());
    if (!rule)
        return rule.error();
    const qint64 orderId = payload.value(u"order").toInteger();
    const qint64 eventId = payload.value(u"event").toInteger();
    auto order = m_store.load(orderId);
    if (!order)
        return order.error();
    auto compiled = CompiledRule::compile(*rule);
    if (!compiled)
        return compiled.error();
    if (rule->trigger == u"time.inStatus") {
        const QString status = rule->triggerParams.value(u"status").toString();
        auto later =
            runSql(m_store.database(), u"SELECT COUNT(*) FROM events WHERE order_id = ? AND type = ? AND id > ?"_qs,
                   "later status changes", {orderId, QString::fromLatin1(storage::EventType::kStatusChanged), eventId});
        if (!later)
            return later.error();
        const bool moved = later->next() && later->value(0).toInt() > 0;
        if (moved || order->status.compare(status, Qt::CaseInsensitive) != 0) {
            StoredTrace stored{0,
                               orderId,
                               rule->id,
                               rule->version,
                               eventId,
                               u"rule"_qs,
                               u"not-fired"_qs,
                               merged(ruleInfo(*rule),
                                      {{u"matched"_qs, false},
                                       {u"reason"_qs, QCoreApplication::translate(
                                                          "sd::automation::Engine",
                                                          "Not fired: the order left the status \"%1\" before the time "
                                                          "was up.")
                                                          .arg(status)}}),
                               {}};
            if (auto r = m_rules.addTrace(stored); !r)
                return r.error();
            return u"not-fired"_qs;
        }
    }
    const QString cause = u"timer:"_qs + QString::number(payload.value(u"at").toInteger());
    auto n = evaluateAndQueue(*compiled, *order, eventId, payload.value(u"depth").toInt(), cause, u"rule"_qs, nowMs);
    if (!n)
        return n.error();
    return *n > 0 ? u"fired"_qs : u"not-fired"_qs;
}

} // namespace sd::automation
