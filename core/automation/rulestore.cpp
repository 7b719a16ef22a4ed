#include "automation/rulestore.h"

#include "access/session.h"
#include "automation/sqlrun.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace sd::automation {

namespace {

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

Result<Rule> ruleFrom(qint64 id, int version, const QString &definition)
{
    auto rule = Rule::fromText(definition.toUtf8());
    if (!rule)
        return rule.error();
    rule->id = id;
    rule->version = version;
    return rule;
}

Error notFound(qint64 id)
{
    return makeError(Error::Code::NotFound,
                     QCoreApplication::translate("sd::automation::Rule", "There is no rule %1.").arg(id));
}

} // namespace

RuleStore::RuleStore(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<Rule> RuleStore::save(Rule rule, const QString &author)
{
    if (auto r = access::require(access::Permission::EditRules, author); !r)
        return r.error();
    const QStringList problems = rule.problems();
    if (!problems.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::automation::Rule", "The rule \"%1\" is not valid: %2")
                             .arg(rule.name, problems.join(u"; ")));
    storage::Transaction transaction(*m_db, "save rule");
    if (!transaction.started())
        return transaction.started().error();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (rule.id == 0) {
        rule.version = 1;
        Rule stored = rule;
        stored.id = 0;
        stored.version = 0;
        auto insert = runSql(*m_db,
                             u"INSERT INTO rules (name, enabled, version, definition, updated_by, updated_at) "
                             "VALUES (?, ?, 1, ?, ?, ?) RETURNING id"_qs,
                             "insert rule", {rule.name, int(rule.enabled), compact(stored.toJson()), author, now});
        if (!insert)
            return insert.error();
        if (!insert->next())
            return storage::toError(insert->lastError(), "insert rule");
        rule.id = insert->value(0).toLongLong();
    } else {
        auto current = runSql(*m_db, u"SELECT version FROM rules WHERE id = ?"_qs, "rule version", {rule.id});
        if (!current)
            return current.error();
        if (!current->next())
            return notFound(rule.id);
        rule.version = current->value(0).toInt() + 1;
        current->finish();
        Rule stored = rule;
        stored.id = 0;
        stored.version = 0;
        if (auto r =
                runSql(*m_db,
                       u"UPDATE rules SET name = ?, enabled = ?, version = ?, definition = ?, updated_by = ?, "
                       "updated_at = ? WHERE id = ?"_qs,
                       "update rule",
                       {rule.name, int(rule.enabled), rule.version, compact(stored.toJson()), author, now, rule.id});
            !r)
            return r.error();
    }
    Rule stored = rule;
    stored.id = 0;
    stored.version = 0;
    if (auto r = runSql(
            *m_db, u"INSERT INTO rule_versions (rule_id, version, definition, author, at) VALUES (?, ?, ?, ?, ?)"_qs,
            "keep rule version", {rule.id, rule.version, compact(stored.toJson()), author, now});
        !r)
        return r.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return rule;
}

Result<Rule> RuleStore::get(qint64 id)
{
    auto q = runSql(*m_db, u"SELECT version, definition FROM rules WHERE id = ?"_qs, "get rule", {id});
    if (!q)
        return q.error();
    if (!q->next())
        return notFound(id);
    return ruleFrom(id, q->value(0).toInt(), q->value(1).toString());
}

Result<QList<Rule>> RuleStore::list()
{
    auto q = runSql(*m_db, u"SELECT id, version, definition FROM rules ORDER BY id"_qs, "list rules");
    if (!q)
        return q.error();
    QList<Rule> rules;
    while (q->next()) {
        auto rule = ruleFrom(q->value(0).toLongLong(), q->value(1).toInt(), q->value(2).toString());
        if (!rule)
            return rule.error();
        rules.append(*rule);
    }
    return rules;
}

Result<QList<Rule>> RuleStore::enabled()
{
    auto all = list();
    if (!all)
        return all.error();
    QList<Rule> rules;
    for (const Rule &rule : *all)
        if (rule.enabled)
            rules.append(rule);
    return rules;
}

Result<Rule> RuleStore::setEnabled(qint64 id, bool on, const QString &author)
{
    if (auto r = access::require(access::Permission::EditRules, author); !r)
        return r.error();
    auto rule = get(id);
    if (!rule)
        return rule.error();
    if (rule->enabled == on)
        return rule;
    rule->enabled = on;
    return save(*rule, author);
}

Result<QList<RuleVersion>> RuleStore::versions(qint64 id)
{
    auto q = runSql(*m_db,
                    u"SELECT version, definition, author, at FROM rule_versions WHERE rule_id = ? ORDER BY version"_qs,
                    "rule versions", {id});
    if (!q)
        return q.error();
    QList<RuleVersion> list;
    while (q->next()) {
        auto rule = ruleFrom(id, q->value(0).toInt(), q->value(1).toString());
        if (!rule)
            return rule.error();
        list.append({q->value(0).toInt(), q->value(2).toString(), utc(q->value(3).toLongLong()), *rule});
    }
    if (list.isEmpty())
        return notFound(id);
    return list;
}

Result<Rule> RuleStore::version(qint64 id, int version)
{
    auto q = runSql(*m_db, u"SELECT definition FROM rule_versions WHERE rule_id = ? AND version = ?"_qs, "rule version",
                    {id, version});
    if (!q)
        return q.error();
    if (!q->next())
        return notFound(id);
    return ruleFrom(id, version, q->value(0).toString());
}

Result<qint64> RuleStore::addTrace(const StoredTrace &t)
{
    auto q = runSql(*m_db,
                    u"INSERT INTO rule_traces (order_id, rule_id, rule_version, event_id, kind, outcome, trace, at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_qs,
                    "add trace",
                    {t.orderId, t.ruleId, t.ruleVersion, nullableId(t.eventId), t.kind, t.outcome, compact(t.trace),
                     t.at.isValid() ? t.at.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch()});
    if (!q)
        return q.error();
    if (!q->next())
        return storage::toError(q->lastError(), "add trace");
    return q->value(0).toLongLong();
}

Result<QList<StoredTrace>> RuleStore::traces(qint64 orderId)
{
    auto q = runSql(*m_db,
                    u"SELECT id, rule_id, rule_version, event_id, kind, outcome, trace, at FROM rule_traces "
                    "WHERE order_id = ? ORDER BY id"_qs,
                    "traces", {orderId});
    if (!q)
        return q.error();
    QList<StoredTrace> list;
    while (q->next()) {
        StoredTrace t;
        t.id = q->value(0).toLongLong();
        t.orderId = orderId;
        t.ruleId = q->value(1).toLongLong();
        t.ruleVersion = q->value(2).toInt();
        t.eventId = q->value(3).toLongLong();
        t.kind = q->value(4).toString();
        t.outcome = q->value(5).toString();
        t.trace = QJsonDocument::fromJson(q->value(6).toString().toUtf8()).object();
        t.at = utc(q->value(7).toLongLong());
        list.append(t);
    }
    return list;
}

Result<int> RuleStore::firedCount(qint64 ruleId, qint64 orderId)
{
    auto q =
        runSql(*m_db, u"SELECT COUNT(*) FROM rule_traces WHERE rule_id = ? AND order_id = ? AND outcome = 'fired'"_qs,
               "fired count", {ruleId, orderId});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toInt() : 0;
}

Result<qint64> RuleStore::cursor(const QString &name)
{
    auto q = runSql(*m_db, u"SELECT value FROM automation_state WHERE name = ?"_qs, "read cursor", {name});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toLongLong() : 0;
}

Result<std::optional<qint64>> RuleStore::storedCursor(const QString &name)
{
    auto q = runSql(*m_db, u"SELECT value FROM automation_state WHERE name = ?"_qs, "read cursor", {name});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<qint64>();
    return std::optional<qint64>(q->value(0).toLongLong());
}

Result<void> RuleStore::setCursor(const QString &name, qint64 value)
{
    auto q = runSql(*m_db,
                    u"INSERT INTO automation_state (name, value) VALUES (?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value"_qs,
                    "write cursor", {name, value});
    if (!q)
        return q.error();
    return {};
}

} // namespace sd::automation
