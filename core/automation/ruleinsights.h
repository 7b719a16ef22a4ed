#pragma once

#include "automation/rule.h"
#include "storage/database.h"

#include <QDateTime>
#include <QHash>

namespace sd::automation {

// What the rules page shows beside each rule, read from the traces and the execution log.
struct RuleStats
{
    QDateTime created; // its first version
    QDateTime lastFired;
    int matches30 = 0; // orders it fired for in the last 30 / 90 days
    int matches90 = 0;
    int failures = 0; // failed action runs (execution log)
};

Result<QHash<qint64, RuleStats>> ruleStats(storage::Database &db, qint64 nowMs = 0);

// A hygiene warning about a rule: it never fires, it fights another rule, or it can set off itself again.
struct RuleWarning
{
    enum class Kind { Dead, Conflict, Loop };
    Kind kind = Kind::Dead;
    qint64 ruleId = 0;
    qint64 otherRuleId = 0; // conflict: the other rule; loop: the next rule of the cycle
    QString message;        // translated
};

inline constexpr int kDeadAfterDays = 90;

// Dead: enabled, in place for 90 days and not fired in them. Conflict: two enabled rules on the same trigger set
// different statuses and their conditions can hold together (no field is tested for values that exclude each
// other). Loop: what a rule does fires a rule that leads back to it (the engine's depth limit stops it at run time).
QList<RuleWarning> ruleWarnings(const QList<Rule> &rules, const QHash<qint64, RuleStats> &stats, qint64 nowMs = 0);

// Deletes a rule with its versions (traces and the execution log stay, they are history).
Result<void> removeRule(storage::Database &db, qint64 id);

// One run of the execution log (job_runs) with the state of its job now.
struct RunRecord
{
    qint64 id = 0;
    qint64 jobId = 0;
    qint64 orderId = 0;
    qint64 ruleId = 0;
    QString kind;
    QString action;
    QString outcome; // done, failed, retry, skipped, not-configured, timer outcomes
    QString message;
    QString owner;
    QDateTime startedAt;
    qint64 durationMs = 0;
    QString jobState;
};

struct RunFilter
{
    qint64 ruleId = 0;
    qint64 orderId = 0;
    QString outcome;
    QDateTime since;
    QDateTime until;
    int limit = 2000;
};

// Newest first.
Result<QList<RunRecord>> executionLog(storage::Database &db, const RunFilter &filter);
// Queues a failed job again, due now, with fresh attempts; the action ledger lets a failed key run again.
Result<void> rerunJob(storage::Database &db, qint64 jobId);

} // namespace sd::automation
