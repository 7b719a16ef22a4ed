#pragma once

#include "automation/engine.h"
#include "automation/rule.h"
#include "storage/database.h"

#include <QDateTime>

#include <memory>
#include <optional>

namespace sd::automation {

struct RuleVersion
{
    int version = 0;
    QString author;
    QDateTime at;
    Rule rule;
};

struct StoredTrace
{
    qint64 id = 0;
    qint64 orderId = 0;
    qint64 ruleId = 0;
    int ruleVersion = 0;
    qint64 eventId = 0;
    QString kind;    // "rule" (conditions evaluated), "timer" (set), "action" (run)
    QString outcome; // fired, not-fired, cut, limit, timer-set, done, failed, skipped, not-configured
    QJsonObject trace;
    QDateTime at;
};

// Rules as versioned JSON: every save writes a new version and keeps every earlier one (who, when).
// Also the traces per order and the dispatcher's cursor.
class RuleStore
{
public:
    explicit RuleStore(std::shared_ptr<storage::Database> db);

    // Creates (id 0) or updates a rule; returns it with its id and new version.
    Result<Rule> save(Rule rule, const QString &author);
    Result<Rule> get(qint64 id);
    Result<QList<Rule>> list();
    Result<QList<Rule>> enabled();
    Result<Rule> setEnabled(qint64 id, bool enabled, const QString &author);
    Result<QList<RuleVersion>> versions(qint64 id);
    Result<Rule> version(qint64 id, int version);

    Result<qint64> addTrace(const StoredTrace &trace);
    Result<QList<StoredTrace>> traces(qint64 orderId);
    // How many times the rule fired for the order (for its limit per order).
    Result<int> firedCount(qint64 ruleId, qint64 orderId);

    Result<qint64> cursor(const QString &name);
    // The cursor as stored: nullopt when it was never set (cursor() says 0 then, as for "set at 0").
    Result<std::optional<qint64>> storedCursor(const QString &name);
    Result<void> setCursor(const QString &name, qint64 value);

    storage::Database &database() { return *m_db; }

private:
    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::automation
