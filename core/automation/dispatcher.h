#pragma once

#include "automation/engine.h"
#include "automation/rulestore.h"
#include "storage/jobqueue.h"
#include "storage/orderstore.h"

namespace sd::automation {

namespace JobKind {
inline constexpr char kRuleAction[] = "rule.action"; // one action of a fired rule
inline constexpr char kRuleTimer[] = "rule.timer";   // a time trigger's instant: re-check the rule, then act
inline constexpr char kTraceRetention[] = "automation.traceRetention"; // daily: deletes traces past the setting
} // namespace JobKind

// The event an action's final failure writes (the "rule failed" trigger fires on it).
inline constexpr char kRuleFailedEvent[] = "rule.failed";
// A person asked to run a manual rule on an order (payload: rule); only that rule's "manual" trigger fires on it.
inline constexpr char kManualRunEvent[] = "rule.manual";

// Reads the store's events after its persisted cursor, matches the enabled rules' triggers, evaluates their
// conditions (a trace per order and rule), and queues jobs with idempotency keys (rule version, action index,
// order, triggering event or timer instant). Events, traces, jobs and the cursor move in one transaction, so a
// crash leaves either all of a batch or none of it; a second dispatcher (another workstation) waits for the
// first on PostgreSQL and finds the cursor moved.
class Dispatcher
{
public:
    Dispatcher(storage::OrderStore &store, RuleStore &rules);

    // Processes every event after the cursor; returns the number of jobs queued.
    Result<int> dispatch(qint64 nowMs = 0);

    // Queues a rule's action `index` (the chain goes on from there as each action finishes). `cause` ends the
    // idempotency key: "event:12", "timer:1732000000000", "job:7".
    Result<qint64> enqueueAction(const Rule &rule, qint64 orderId, const QString &cause, qint64 eventId, int depth,
                                 int index, int failureIndex = -1, qint64 dueMs = 0);
    // Runs an enabled rule whose trigger is "manual" on an order: records a rule.manual event naming the rule (with
    // its audit row), which dispatch() turns into a trace and jobs as for any trigger. Returns the event's id.
    Result<qint64> requestManualRun(qint64 ruleId, qint64 orderId, const storage::ChangeContext &who);
    // The rules a person may run by hand: enabled, with the manual trigger.
    Result<QList<Rule>> manualRules();
    // A timer job fired: checks the trigger still holds and the conditions, then queues the actions.
    Result<QString> fireTimer(const QJsonObject &payload, qint64 jobId, qint64 nowMs);

    static QString actionKey(const Rule &rule, int index, int failureIndex, qint64 orderId, const QString &cause);

private:
    Result<int> handle(const storage::EventRecord &event, const QList<CompiledRule> &rules, qint64 nowMs);
    Result<int> evaluateAndQueue(const CompiledRule &rule, const domain::Order &order, qint64 eventId, int depth,
                                 const QString &cause, const QString &kind, qint64 nowMs);

    storage::OrderStore &m_store;
    RuleStore &m_rules;
    storage::JobQueue m_jobs;
};

} // namespace sd::automation
