#include "automation/ruleinsights.h"

#include "access/session.h"
#include "automation/engine.h"
#include "automation/sqlrun.h"

#include <QCoreApplication>
#include <QSet>

#include <functional>
#include <optional>

namespace sd::automation {

namespace {

constexpr qint64 kDayMs = 24 * 3600 * 1000LL;

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

QStringList statusesSet(const Rule &rule)
{
    QStringList list;
    for (const Action &a : rule.actions)
        if (a.type == u"setStatus") {
            const QString s = a.params.value(u"status").toString();
            if (!s.isEmpty() && !list.contains(s))
                list.append(s);
        }
    return list;
}

bool sameTrigger(const Rule &a, const Rule &b)
{
    if (a.trigger != b.trigger)
        return false;
    for (auto it = a.triggerParams.begin(); it != a.triggerParams.end(); ++it)
        if (b.triggerParams.contains(it.key()) && b.triggerParams.value(it.key()) != it.value())
            return false;
    return true;
}

// The tests every order matching the rule must pass: the top-level AND group's direct tests.
QList<Condition> requiredTests(const Rule &rule)
{
    QList<Condition> tests;
    if (rule.conditions.kind != Condition::Kind::All)
        return tests;
    for (const Condition &c : rule.conditions.children)
        if (c.kind == Condition::Kind::Test)
            tests.append(c);
    return tests;
}

// The values a test lets through, when it names them (is, is one of); nullopt: not a closed set.
std::optional<QSet<QString>> allowed(const Condition &c)
{
    if (c.op != u"eq" && c.op != u"in")
        return std::nullopt;
    QSet<QString> set;
    for (const QJsonValue &v : c.values)
        set.insert(v.toVariant().toString());
    return set;
}

QSet<QString> excluded(const Condition &c)
{
    QSet<QString> set;
    if (c.op == u"ne" || c.op == u"notIn")
        for (const QJsonValue &v : c.values)
            set.insert(v.toVariant().toString());
    return set;
}

bool exclusive(const Condition &a, const Condition &b)
{
    if (a.field != b.field)
        return false;
    if ((a.op == u"isTrue" && b.op == u"isFalse") || (a.op == u"isFalse" && b.op == u"isTrue"))
        return true;
    const auto va = allowed(a);
    const auto vb = allowed(b);
    if (va && vb)
        return !va->intersects(*vb);
    if (va)
        return QSet<QString>(*va).subtract(excluded(b)).isEmpty();
    if (vb)
        return QSet<QString>(*vb).subtract(excluded(a)).isEmpty();
    return false;
}

bool canHoldTogether(const Rule &a, const Rule &b)
{
    const QList<Condition> ta = requiredTests(a);
    const QList<Condition> tb = requiredTests(b);
    for (const Condition &x : ta)
        for (const Condition &y : tb)
            if (exclusive(x, y))
                return false;
    return true;
}

// Does something the rule does fire the other rule? A status it sets fires "status changed" (to it, or to any)
// and "in a status for a time" rules; "run another rule" runs it.
bool fires(const Rule &from, const Rule &to)
{
    for (const Action &a : from.actions)
        if (a.type == u"runRule" && a.params.value(u"rule").toInteger() == to.id)
            return true;
    if (from.id == to.id)
        return false; // setting the status it reacts to again changes nothing, so no new event
    for (const QString &status : statusesSet(from)) {
        if (to.trigger == u"status.changed") {
            const QString wanted = to.triggerParams.value(u"to").toString();
            if (wanted.isEmpty() || wanted == status)
                return true;
        }
        if (to.trigger == u"time.inStatus" && to.triggerParams.value(u"status").toString() == status)
            return true;
    }
    return false;
}

} // namespace

Result<QHash<qint64, RuleStats>> ruleStats(storage::Database &db, qint64 nowMs)
{
    const qint64 now = nowMs ? nowMs : QDateTime::currentMSecsSinceEpoch();
    QHash<qint64, RuleStats> stats;
    auto created = runSql(db, u"SELECT rule_id, MIN(at) FROM rule_versions GROUP BY rule_id"_qs, "rule created");
    if (!created)
        return created.error();
    while (created->next())
        stats[created->value(0).toLongLong()].created = utc(created->value(1).toLongLong());
    auto fired = runSql(db,
                        u"SELECT rule_id, MAX(at), COUNT(DISTINCT CASE WHEN at >= ? THEN order_id END), "
                        "COUNT(DISTINCT CASE WHEN at >= ? THEN order_id END) FROM rule_traces "
                        "WHERE outcome = 'fired' GROUP BY rule_id"_qs,
                        "rule matches", {now - 30 * kDayMs, now - 90 * kDayMs});
    if (!fired)
        return fired.error();
    while (fired->next()) {
        RuleStats &s = stats[fired->value(0).toLongLong()];
        s.lastFired = utc(fired->value(1).toLongLong());
        s.matches30 = fired->value(2).toInt();
        s.matches90 = fired->value(3).toInt();
    }
    auto failed = runSql(db,
                         u"SELECT rule_id, COUNT(*) FROM job_runs WHERE outcome = 'failed' AND rule_id IS NOT NULL "
                         "GROUP BY rule_id"_qs,
                         "rule failures");
    if (!failed)
        return failed.error();
    while (failed->next())
        stats[failed->value(0).toLongLong()].failures = failed->value(1).toInt();
    return stats;
}

QList<RuleWarning> ruleWarnings(const QList<Rule> &rules, const QHash<qint64, RuleStats> &stats, qint64 nowMs)
{
    const QDateTime now = utc(nowMs ? nowMs : QDateTime::currentMSecsSinceEpoch());
    const QDateTime deadline = now.addDays(-kDeadAfterDays);
    QList<RuleWarning> warnings;
    QList<const Rule *> enabled;
    for (const Rule &rule : rules)
        if (rule.enabled)
            enabled.append(&rule);

    for (const Rule *rule : enabled) {
        const RuleStats s = stats.value(rule->id);
        if (s.created.isValid() && s.created <= deadline && (!s.lastFired.isValid() || s.lastFired < deadline))
            warnings.append({RuleWarning::Kind::Dead, rule->id, 0,
                             QCoreApplication::translate("sd::automation::RuleInsights",
                                                         "\"%1\" has not acted on any order in %2 days.")
                                 .arg(rule->name)
                                 .arg(kDeadAfterDays)});
    }

    for (qsizetype i = 0; i < enabled.size(); ++i)
        for (qsizetype j = i + 1; j < enabled.size(); ++j) {
            const Rule &a = *enabled.at(i);
            const Rule &b = *enabled.at(j);
            const QStringList sa = statusesSet(a);
            const QStringList sb = statusesSet(b);
            if (sa.isEmpty() || sb.isEmpty() || sa == sb || !sameTrigger(a, b) || !canHoldTogether(a, b))
                continue;
            const QString text = QCoreApplication::translate(
                                     "sd::automation::RuleInsights",
                                     "\"%1\" and \"%2\" react to the same event and can both match one order, but set "
                                     "different statuses (%3 / %4).")
                                     .arg(a.name, b.name, sa.join(u", "), sb.join(u", "));
            warnings.append({RuleWarning::Kind::Conflict, a.id, b.id, text});
            warnings.append({RuleWarning::Kind::Conflict, b.id, a.id, text});
        }

    // A rule can loop when following "fires" from it leads back to it.
    for (const Rule *start : enabled) {
        QList<const Rule *> path{start};
        QSet<qint64> seen;
        std::function<bool(const Rule *)> back = [&](const Rule *from) {
            for (const Rule *to : enabled) {
                if (!fires(*from, *to))
                    continue;
                if (to->id == start->id)
                    return true;
                if (seen.contains(to->id))
                    continue;
                seen.insert(to->id);
                path.append(to);
                if (back(to))
                    return true;
                path.removeLast();
            }
            return false;
        };
        if (back(start)) {
            QStringList names;
            for (const Rule *r : path)
                names.append(u'"' + r->name + u'"');
            names.append(u'"' + start->name + u'"');
            warnings.append({RuleWarning::Kind::Loop, start->id, path.size() > 1 ? path.at(1)->id : start->id,
                             QCoreApplication::translate(
                                 "sd::automation::RuleInsights",
                                 "\"%1\" can set itself off again: %2. The engine stops such a chain after %3 steps.")
                                 .arg(start->name, names.join(u" → "))
                                 .arg(kMaxCauseDepth)});
        }
    }
    return warnings;
}

Result<void> removeRule(storage::Database &db, qint64 id)
{
    if (auto r = access::require(access::Permission::EditRules); !r)
        return r;
    storage::Transaction transaction(db, "remove rule");
    if (!transaction.started())
        return transaction.started().error();
    if (auto r = runSql(db, u"DELETE FROM rule_versions WHERE rule_id = ?"_qs, "remove rule versions", {id}); !r)
        return r.error();
    auto q = runSql(db, u"DELETE FROM rules WHERE id = ?"_qs, "remove rule", {id});
    if (!q)
        return q.error();
    if (q->numRowsAffected() != 1)
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::automation::Rule", "There is no rule %1.").arg(id));
    return transaction.commit();
}

Result<QList<RunRecord>> executionLog(storage::Database &db, const RunFilter &f)
{
    QString sql = u"SELECT r.id, r.job_id, r.order_id, r.rule_id, r.kind, r.action, r.outcome, r.message, r.owner, "
                  "r.started_at, r.duration_ms, COALESCE(j.state, '') FROM job_runs r LEFT JOIN jobs j ON j.id = "
                  "r.job_id WHERE 1 = 1"_qs;
    QList<QVariant> values;
    if (f.ruleId) {
        sql += u" AND r.rule_id = ?"_qs;
        values.append(f.ruleId);
    }
    if (f.orderId) {
        sql += u" AND r.order_id = ?"_qs;
        values.append(f.orderId);
    }
    if (!f.outcome.isEmpty()) {
        sql += u" AND r.outcome = ?"_qs;
        values.append(f.outcome);
    }
    if (f.since.isValid()) {
        sql += u" AND r.started_at >= ?"_qs;
        values.append(f.since.toMSecsSinceEpoch());
    }
    if (f.until.isValid()) {
        sql += u" AND r.started_at < ?"_qs;
        values.append(f.until.toMSecsSinceEpoch());
    }
    sql += u" ORDER BY r.id DESC LIMIT %1"_qs.arg(qMax(1, f.limit));
    auto q = storage::prepare(db.connection(), sql, "execution log");
    if (!q)
        return q.error();
    for (const QVariant &v : values)
        q->addBindValue(v);
    if (auto r = storage::exec(*q, "execution log"); !r)
        return r.error();
    QList<RunRecord> list;
    while (q->next()) {
        RunRecord r;
        r.id = q->value(0).toLongLong();
        r.jobId = q->value(1).toLongLong();
        r.orderId = q->value(2).toLongLong();
        r.ruleId = q->value(3).toLongLong();
        r.kind = q->value(4).toString();
        r.action = q->value(5).toString();
        r.outcome = q->value(6).toString();
        r.message = q->value(7).toString();
        r.owner = q->value(8).toString();
        r.startedAt = utc(q->value(9).toLongLong());
        r.durationMs = q->value(10).toLongLong();
        r.jobState = q->value(11).toString();
        list.append(r);
    }
    return list;
}

Result<void> rerunJob(storage::Database &db, qint64 jobId)
{
    auto q = runSql(db,
                    u"UPDATE jobs SET state = 'pending', attempts = 0, due_at = ?, last_error = '' "
                    "WHERE id = ? AND state = 'failed'"_qs,
                    "re-run job", {QDateTime::currentMSecsSinceEpoch(), jobId});
    if (!q)
        return q.error();
    if (q->numRowsAffected() != 1)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate(
                             "sd::automation::RuleInsights",
                             "Job %1 cannot run again: only a failed job can, and this one is not failed now.")
                             .arg(jobId));
    return {};
}

} // namespace sd::automation
