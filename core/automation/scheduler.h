#pragma once

#include "automation/dispatcher.h"
#include "automation/executors.h"
#include "automation/rulestore.h"
#include "storage/actionledger.h"

#include <QLockFile>
#include <QObject>
#include <QPointer>
#include <QSqlDriver>
#include <QTime>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace sd::automation {

// A job the scheduler holds the lease of (the job handlers' JobRun).
using ClaimedJob = JobRun;

// Runs the persistent job queue. It sleeps until the next due job (a single-shot timer to that instant; wake()
// re-arms it when jobs are queued), claims due jobs with a lease (owner, until), runs their actions through the
// action ledger (never twice), and retries failures with exponential backoff and jitter. A job whose owner died
// is claimable again when its lease runs out. On PostgreSQL several schedulers share the queue (FOR UPDATE SKIP
// LOCKED); on SQLite one process owns it (a lock file beside the database that a second instance reports).
class Scheduler : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxAttempts = 5;

    Scheduler(storage::OrderStore &store, RuleStore &rules, Executors executors, QString owner,
              QObject *parent = nullptr);
    ~Scheduler() override;

    // Takes ownership of the queue (SQLite: the lock file), dispatches pending events and arms the timer.
    Result<void> start();
    void stop();
    bool isRunning() const { return m_started; }
    // Asks runDue() to stop after the job it is running; safe to call from a signal handler.
    void requestStop() { m_stopRequested.store(true); }
    // Inside runDue(), or a URL call is in flight (its answer is still to be recorded).
    bool isBusy() const { return m_running || m_inFlight > 0; }
    int inFlight() const { return m_inFlight; }

    // Re-reads the next due time (after jobs were queued elsewhere in this process; on PostgreSQL also when another
    // workstation queues one: start() listens for JobQueue's NOTIFY on this thread's connection).
    void wake();
    // Dispatches new events, then runs every job due now; returns how many ran.
    Result<int> runDue();
    // Runs due jobs until none is due and no call is in flight, serving this thread's events while calls are out
    // (for the CLI and tests; the timer-driven scheduler never waits).
    Result<int> runUntilIdle(int timeoutMs = 150000);

    Result<std::optional<ClaimedJob>> claimNext(qint64 leaseMs = kLeaseMs);
    Result<QString> run(const ClaimedJob &job);
    // The earliest instant a job becomes claimable (due, or its lease runs out); 0 when none.
    Result<qint64> nextDueMs();

    static qint64 backoffMs(int attempts);

    // The clock that decides which jobs and timers are due and what "now" conditions see (tests and the training
    // mode move it; the default is the wall clock).
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }
    qint64 now() const;

    // Traces older than `days` days are deleted every day at `at` (local time) by a job; 0 keeps them all.
    Result<void> setTraceRetention(int days, QTime at = QTime(3, 0));
    // The setting: days (0: keep all) and the time of day.
    Result<std::pair<int, QTime>> traceRetention();
    // Deletes the traces older than the setting allows; returns how many went.
    Result<int> purgeTraces(qint64 nowMs = 0);

    static constexpr qint64 kLeaseMs = 5 * 60 * 1000;

Q_SIGNALS:
    void jobFinished(qint64 jobId, const QString &outcome);

private:
    void onTimer();
    // The executors' passes (stock reservations), then the dispatcher.
    Result<int> dispatchEvents();
    Result<void> finish(const ClaimedJob &job, const QString &state, const QString &message, qint64 dueMs = 0);
    Result<void> logRun(const ClaimedJob &job, const QString &action, const QString &outcome, const QString &message,
                        qint64 startedMs);
    Result<QString> runAction(const ClaimedJob &job);
    static const Action &actionOf(const Rule &rule, const ClaimedJob &job);
    // Everything after an action's effect: ledger, trace, execution log, the job's state and the rule's next action.
    Result<QString> record(const ClaimedJob &job, const Rule &rule, const ActionOutcome &outcome, bool skipped,
                           qint64 startedMs);
    Result<QString> recordInTransaction(const ClaimedJob &job, const Rule &rule, const ActionOutcome &outcome,
                                        bool skipped, qint64 startedMs);
    // Records the answers of asynchronous actions that came in (never inside runDue()).
    void land();
    // A job of a kind an executors' JobHandler runs (e-mail, status notification).
    Result<QString> runHandler(const ClaimedJob &job);
    Result<QString> runRetention(const ClaimedJob &job);
    Result<void> queueRetention(qint64 afterMs);
    // An action failed for good: an operator alert and a "rule.failed" event (its trigger) in the caller's
    // transaction.
    Result<void> raiseFailure(const ClaimedJob &job, const QString &action, const QString &message);

    storage::OrderStore &m_store;
    RuleStore &m_rules;
    Executors m_executors;
    QString m_owner;
    std::function<qint64()> m_clock;
    Dispatcher m_dispatcher;
    storage::ActionLedger m_ledger;
    QTimer m_timer;
    QPointer<QSqlDriver> m_listener; // PostgreSQL: this thread's connection, listening for new jobs
    std::unique_ptr<QLockFile> m_lock;
    bool m_started = false;
    bool m_running = false;
    // An asynchronous action between begin() and its answer: what record() needs then.
    struct InFlight
    {
        ClaimedJob job;
        Rule rule;
        domain::Order order;
        qint64 startedMs = 0;
        ActionOutcome outcome;
    };
    int m_inFlight = 0;
    QList<std::shared_ptr<InFlight>> m_landed; // answered, not yet recorded
    std::atomic<bool> m_stopRequested = false;
};

} // namespace sd::automation
