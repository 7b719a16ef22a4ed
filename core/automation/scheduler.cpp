#include "automation/scheduler.h"

#include "automation/alerts.h"
#include "automation/sqlrun.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSqlError>

namespace sd::automation {

namespace {

// Sleeping longer than this is pointless: it only bounds how late a job queued by another process is seen.
constexpr qint64 kMaxSleepMs = 3600 * 1000;
// OrderStore's key: events become visible in id order on PostgreSQL.

// The job kinds this scheduler runs, as an SQL list: its own and those of the executors' job handlers.
QString kindList(const Executors &executors)
{
    QStringList kinds{QString::fromLatin1(JobKind::kRuleAction), QString::fromLatin1(JobKind::kRuleTimer),
                      QString::fromLatin1(JobKind::kTraceRetention)};
    kinds += executors.jobKinds();
    for (QString &kind : kinds)
        kind = u'\'' + kind.replace(u'\'', u"''"_qs) + u'\'';
    return kinds.join(u", "_qs);
}

// PostgreSQL: every scheduler holds a session advisory lock named after its owner while its process lives; the server
// drops it when the connection dies (a SIGKILL closes the socket at once). A running job whose owner holds no such
// lock belongs to a dead process: its lease is released at once rather than after kLeaseMs, and the job is treated
// like any job whose run was cut (it may have happened, so it is not run again blindly).
constexpr int kOwnerLockClass = 0x5344; // "SD"
constexpr qint64 kOwnerCheckMs = 2000;  // how often another owner's running jobs are looked at

Result<void> holdOwnerLock(storage::Database &db, const QString &owner)
{
    auto q = runSql(db, u"SELECT pg_advisory_lock(%1, hashtext(?) & 2147483647)"_qs.arg(kOwnerLockClass),
                    "hold scheduler owner lock", {owner});
    if (!q)
        return q.error();
    return {};
}

// Releases the leases of dead owners; returns how many jobs other (live) owners still run.
Result<qint64> releaseDeadOwners(storage::Database &db, const QString &owner)
{
    auto released = runSql(
        db,
        u"UPDATE jobs SET lease_until = 0 WHERE state = 'running' AND lease_until > 0 AND lease_owner <> ? AND "
        "NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %1 AND "
        "l.objsubid = 2 AND l.objid = (hashtext(jobs.lease_owner) & 2147483647)::oid)"_qs.arg(kOwnerLockClass),
        "release dead owners' leases", {owner});
    if (!released)
        return released.error();
    if (const int n = released->numRowsAffected(); n > 0)
        qCInfo(lcAutomation) << "released the leases of" << n << "job(s) whose scheduler is gone";
    auto others = runSql(db,
                         u"SELECT COUNT(*) FROM jobs WHERE state = 'running' AND lease_until > 0 AND "
                         "lease_owner <> ?"_qs,
                         "count other owners' jobs", {owner});
    if (!others)
        return others.error();
    return others->next() ? others->value(0).toLongLong() : 0;
}

const QString kRetentionDays = u"traces.retentionDays"_qs;
const QString kRetentionMinute = u"traces.retentionMinute"_qs;
constexpr qint64 kDayMs = 24 * 3600 * 1000;

} // namespace

Scheduler::Scheduler(storage::OrderStore &store, RuleStore &rules, Executors executors, QString owner, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_rules(rules)
    , m_executors(std::move(executors))
    , m_owner(std::move(owner))
    , m_dispatcher(store, rules)
    , m_ledger(store.sharedDatabase())
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::onTimer);
    connect(&m_store, &storage::OrderStore::ordersChanged, this, [this] {
        if (m_started && !m_running)
            m_timer.start(0);
    });
}

Scheduler::~Scheduler()
{
    stop();
}

Result<void> Scheduler::start()
{
    if (m_started)
        return {};
    if (!m_store.database().isPostgres()) {
        m_lock = std::make_unique<QLockFile>(m_store.database().describe() + u".scheduler.lock"_qs);
        m_lock->setStaleLockTime(0); // stale only when its process is gone
        if (!m_lock->tryLock(0)) {
            qint64 pid = 0;
            QString host;
            QString app;
            m_lock->getLockInfo(&pid, &host, &app);
            m_lock.reset();
            return makeError(Error::Code::Locked,
                             QCoreApplication::translate(
                                 "sd::automation::Scheduler",
                                 "Another SellerDesk (process %1 on %2) runs the automation for this database; this "
                                 "one does not run rules or jobs. Close the other one, or use a shared PostgreSQL "
                                 "database to run several.")
                                 .arg(pid)
                                 .arg(host));
        }
    }
    if (m_lock) {
        // This process holds the only lock, so whoever left jobs running is gone: no need to wait for their leases.
        auto released = runSql(
            m_store.database(),
            u"UPDATE jobs SET lease_until = 0 WHERE state = 'running' AND kind IN (%1)"_qs.arg(kindList(m_executors)),
            "release dead leases");
        if (!released)
            return released.error();
    }
    if (m_store.database().isPostgres()) {
        if (auto held = holdOwnerLock(m_store.database(), m_owner); !held)
            return held.error();
    }
    if (m_store.database().isPostgres() && !m_listener) {
        // QPSQL reads notifications with a socket notifier on this thread: its event loop delivers them.
        QSqlDriver *driver = m_store.database().connection().driver();
        const QString channel = QString::fromLatin1(storage::JobQueue::kJobsChannel);
        if (driver && driver->subscribeToNotification(channel)) {
            m_listener = driver;
            connect(driver, &QSqlDriver::notification, this, [this](const QString &name) {
                if (name == QLatin1StringView(storage::JobQueue::kJobsChannel))
                    wake();
            });
        } else {
            qCWarning(lcAutomation) << "cannot listen for new jobs; other workstations' jobs wait for the timer:"
                                    << (driver ? driver->lastError().text() : QString());
        }
    }
    m_stopRequested = false;
    m_started = true;
    m_timer.start(0);
    return {};
}

void Scheduler::stop()
{
    m_started = false;
    m_timer.stop();
    if (m_listener) {
        disconnect(m_listener, nullptr, this, nullptr);
        m_listener->unsubscribeFromNotification(QString::fromLatin1(storage::JobQueue::kJobsChannel));
        m_listener.clear();
    }
    if (m_lock)
        m_lock->unlock();
    m_lock.reset();
}

void Scheduler::wake()
{
    if (!m_started || m_running)
        return;
    m_timer.start(0);
}

void Scheduler::onTimer()
{
    if (!m_started)
        return;
    qint64 othersRunning = 0;
    if (m_store.database().isPostgres()) {
        auto others = releaseDeadOwners(m_store.database(), m_owner);
        if (!others)
            qCWarning(lcAutomation) << "cannot look for dead schedulers:" << others.error().text();
        othersRunning = others.value_or(0);
    }
    if (auto r = runDue(); !r)
        qCWarning(lcAutomation) << "scheduler run failed:" << r.error().text();
    auto next = nextDueMs();
    // While another process runs jobs, look again soon: if it dies, its jobs are taken over within seconds.
    if (othersRunning > 0 && (!next || *next == 0 || *next - now() > kOwnerCheckMs)) {
        m_timer.start(int(kOwnerCheckMs));
        return;
    }
    if (!next) {
        m_timer.start(int(kMaxSleepMs));
        return;
    }
    if (*next == 0) {
        m_timer.start(int(kMaxSleepMs));
        return;
    }
    const qint64 wait = qBound<qint64>(0, *next - now(), kMaxSleepMs);
    m_timer.start(int(wait));
}

qint64 Scheduler::now() const
{
    return m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch();
}

qint64 Scheduler::backoffMs(int attempts)
{
    const qint64 base = qMin<qint64>(30'000LL << qMin(attempts - 1, 10), 3600'000);
    // Jitter: 50-150 %, so many jobs failing together do not retry together.
    return base / 2 + qint64(QRandomGenerator::global()->bounded(double(base)));
}

Result<qint64> Scheduler::nextDueMs()
{
    auto q = runSql(m_store.database(),
                    u"SELECT MIN(CASE WHEN state = 'pending' THEN due_at ELSE lease_until END) FROM jobs "
                    "WHERE kind IN (%1) AND (state = 'pending' OR state = 'running')"_qs.arg(kindList(m_executors)),
                    "next due job");
    if (!q)
        return q.error();
    return q->next() && !q->value(0).isNull() ? q->value(0).toLongLong() : 0;
}

Result<std::optional<ClaimedJob>> Scheduler::claimNext(qint64 leaseMs)
{
    storage::Database &db = m_store.database();
    const qint64 now = this->now();
    const QString sql =
        u"UPDATE jobs SET state = 'running', lease_owner = ?, lease_until = ?, attempts = attempts + 1 "
        "WHERE id = (SELECT id FROM jobs WHERE kind IN (%1) AND ((state = 'pending' AND due_at <= ?) OR "
        "(state = 'running' AND lease_until < ?)) ORDER BY due_at, id LIMIT 1%2) "
        "RETURNING id, kind, order_id, payload, idempotency_key, attempts, due_at"_qs.arg(
            kindList(m_executors), db.isPostgres() ? u" FOR UPDATE SKIP LOCKED"_qs : QString());
    auto q = runSql(db, sql, "claim job", {m_owner, now + leaseMs, now, now});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<ClaimedJob>();
    ClaimedJob job;
    job.id = q->value(0).toLongLong();
    job.kind = q->value(1).toString();
    job.orderId = q->value(2).toLongLong();
    job.payload = QJsonDocument::fromJson(q->value(3).toString().toUtf8()).object();
    job.key = q->value(4).toString();
    job.attempts = q->value(5).toInt();
    job.dueMs = q->value(6).toLongLong();
    q->finish();
    return std::optional<ClaimedJob>(job);
}

Result<void> Scheduler::finish(const ClaimedJob &job, const QString &state, const QString &message, qint64 dueMs)
{
    auto q = runSql(m_store.database(),
                    u"UPDATE jobs SET state = ?, last_error = ?, due_at = ?, lease_owner = NULL, lease_until = NULL "
                    "WHERE id = ? AND lease_owner = ?"_qs,
                    "finish job", {state, message, dueMs ? dueMs : job.dueMs, job.id, m_owner});
    if (!q)
        return q.error();
    return {};
}

Result<void> Scheduler::logRun(const ClaimedJob &job, const QString &action, const QString &outcome,
                               const QString &message, qint64 startedMs)
{
    auto q = runSql(m_store.database(),
                    u"INSERT INTO job_runs (job_id, kind, order_id, rule_id, action, outcome, message, owner, "
                    "started_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_qs,
                    "log job run",
                    {job.id, job.kind, nullableId(job.orderId), nullableId(job.payload.value(u"rule").toInteger()),
                     action, outcome, message, m_owner, startedMs, QDateTime::currentMSecsSinceEpoch() - startedMs});
    if (!q)
        return q.error();
    return {};
}

Result<void> Scheduler::raiseFailure(const ClaimedJob &job, const QString &action, const QString &message)
{
    const qint64 ruleId = job.payload.value(u"rule").toInteger();
    OperatorAlert alert;
    alert.kind = QString::fromLatin1(OperatorAlert::kRuleFailed);
    alert.orderId = job.orderId;
    alert.ruleId = ruleId;
    alert.jobId = job.id;
    alert.action = action;
    alert.message = message;
    if (auto r = OperatorAlerts(m_store.sharedDatabase()).raise(alert); !r)
        return r.error();
    if (!job.orderId)
        return {};
    const QJsonObject payload{{u"rule"_qs, ruleId},
                              {u"version"_qs, job.payload.value(u"version").toInt()},
                              {u"action"_qs, action},
                              {u"job"_qs, job.id},
                              {u"message"_qs, message}};
    const storage::ChangeContext cause{u"rule:"_qs + QString::number(ruleId), {}, job.payload.value(u"depth").toInt()};
    if (auto r = m_store.recordEvent(kRuleFailedEvent, job.orderId, payload, cause); !r)
        return r.error();
    return {};
}

Result<void> Scheduler::setTraceRetention(int days, QTime at)
{
    storage::Transaction transaction(m_store.database(), "trace retention");
    if (!transaction.started())
        return transaction.started().error();
    if (auto r = m_rules.setCursor(kRetentionDays, qMax(days, 0)); !r)
        return r.error();
    if (auto r = m_rules.setCursor(kRetentionMinute, at.hour() * 60 + at.minute()); !r)
        return r.error();
    // One daily chain: the job queued for the old time goes.
    if (auto r = runSql(m_store.database(), u"DELETE FROM jobs WHERE kind = ? AND state = 'pending'"_qs,
                        "drop retention job", {QString::fromLatin1(JobKind::kTraceRetention)});
        !r)
        return r.error();
    if (days > 0)
        if (auto r = queueRetention(QDateTime::currentMSecsSinceEpoch()); !r)
            return r.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    wake();
    return {};
}

Result<std::pair<int, QTime>> Scheduler::traceRetention()
{
    auto days = m_rules.cursor(kRetentionDays);
    if (!days)
        return days.error();
    auto minute = m_rules.cursor(kRetentionMinute);
    if (!minute)
        return minute.error();
    return std::pair<int, QTime>(int(*days), QTime(int(*minute / 60), int(*minute % 60)));
}

Result<void> Scheduler::queueRetention(qint64 afterMs)
{
    auto setting = traceRetention();
    if (!setting)
        return setting.error();
    // The next instant the wall clock shows that time, strictly after `afterMs`.
    const QDateTime after = QDateTime::fromMSecsSinceEpoch(afterMs);
    QDateTime next(after.date(), setting->second);
    if (next.toMSecsSinceEpoch() <= afterMs)
        next = QDateTime(after.date().addDays(1), setting->second);
    storage::JobQueue jobs(m_store.sharedDatabase());
    auto job = jobs.enqueue(
        QString::fromLatin1(JobKind::kTraceRetention), 0, {},
        u"%1/at:%2"_qs.arg(QLatin1StringView(JobKind::kTraceRetention)).arg(next.toMSecsSinceEpoch()), next.toUTC());
    if (!job)
        return job.error();
    return {};
}

Result<int> Scheduler::purgeTraces(qint64 nowMs)
{
    auto setting = traceRetention();
    if (!setting)
        return setting.error();
    if (setting->first <= 0)
        return 0;
    const qint64 now = nowMs ? nowMs : QDateTime::currentMSecsSinceEpoch();
    auto q = runSql(m_store.database(), u"DELETE FROM rule_traces WHERE at < ?"_qs, "purge traces",
                    {now - setting->first * kDayMs});
    if (!q)
        return q.error();
    return q->numRowsAffected();
}

Result<QString> Scheduler::runRetention(const ClaimedJob &job)
{
    const qint64 started = QDateTime::currentMSecsSinceEpoch();
    storage::Transaction transaction(m_store.database(), "trace retention job");
    if (!transaction.started())
        return transaction.started().error();
    auto purged = purgeTraces(started);
    if (!purged)
        return purged.error();
    const QString message =
        QCoreApplication::translate("sd::automation::Scheduler", "%n old trace(s) deleted.", nullptr, *purged);
    if (auto r = logRun(job, u"traceRetention"_qs, u"done"_qs, message, started); !r)
        return r.error();
    if (auto r = finish(job, u"done"_qs, {}); !r)
        return r.error();
    auto setting = traceRetention();
    if (!setting)
        return setting.error();
    if (setting->first > 0)
        if (auto r = queueRetention(qMax(started, job.dueMs)); !r)
            return r.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    Q_EMIT jobFinished(job.id, u"done"_qs);
    return u"done"_qs;
}

Result<QString> Scheduler::run(const ClaimedJob &job)
{
    if (job.kind == QLatin1StringView(JobKind::kTraceRetention))
        return runRetention(job);
    const qint64 started = QDateTime::currentMSecsSinceEpoch();
    if (job.kind == QLatin1StringView(JobKind::kRuleTimer)) {
        storage::Transaction transaction(m_store.database(), "fire timer");
        if (!transaction.started())
            return transaction.started().error();
        auto outcome = m_dispatcher.fireTimer(job.payload, job.id, now());
        if (!outcome)
            return outcome.error(); // rolled back; runDue() schedules the retry
        if (auto r = logRun(job, u"timer"_qs, *outcome, {}, started); !r)
            return r.error();
        if (auto r = finish(job, u"done"_qs, {}); !r)
            return r.error();
        if (auto r = transaction.commit(); !r)
            return r.error();
        Q_EMIT jobFinished(job.id, *outcome);
        return *outcome;
    }
    auto outcome = m_executors.jobHandler(job.kind) ? runHandler(job) : runAction(job);
    if (outcome && *outcome != u"in-flight")
        Q_EMIT jobFinished(job.id, *outcome);
    return outcome;
}

const Action &Scheduler::actionOf(const Rule &rule, const ClaimedJob &job)
{
    const int index = job.payload.value(u"action").toInt();
    const int failureIndex = job.payload.value(u"failure").toInt(-1);
    return failureIndex < 0 ? rule.actions.at(index) : rule.actions.at(index).onFailure.at(failureIndex);
}

Result<QString> Scheduler::record(const ClaimedJob &job, const Rule &rule, const ActionOutcome &outcome, bool skipped,
                                  qint64 startedMs)
{
    const QJsonObject &p = job.payload;
    const int index = p.value(u"action").toInt();
    const int failureIndex = p.value(u"failure").toInt(-1);
    const Action &action = actionOf(rule, job);
    const QString cause = p.value(u"cause").toString();
    const qint64 eventId = p.value(u"event").toInteger();
    const int depth = p.value(u"depth").toInt();
    QString state = u"done"_qs;
    QString result = skipped ? u"skipped"_qs : u"done"_qs;
    qint64 due = 0;
    bool chain = failureIndex < 0;
    if (!skipped) {
        if (outcome.kind == ActionOutcome::Kind::NotConfigured) {
            result = u"not-configured"_qs;
            if (auto r = m_ledger.fail(job.key, outcome.message); !r)
                return r.error();
        } else if (outcome.kind == ActionOutcome::Kind::Failed) {
            if (auto r = m_ledger.fail(job.key, outcome.message); !r)
                return r.error();
            if (outcome.retry && job.attempts < kMaxAttempts) {
                state = u"pending"_qs;
                result = u"retry"_qs;
                due = now() + backoffMs(job.attempts);
                chain = false;
            } else {
                state = u"failed"_qs;
                result = u"failed"_qs;
                chain = chain && !action.stopOnFailure;
                if (auto r = raiseFailure(job, action.type, outcome.message); !r)
                    return r.error();
                if (failureIndex < 0)
                    for (int f = 0; f < action.onFailure.size(); ++f)
                        if (auto r = m_dispatcher.enqueueAction(rule, job.orderId, cause, eventId, depth, index, f); !r)
                            return r.error();
            }
        } else if (auto r = m_ledger.complete(job.key, outcome.detail); !r) {
            return r.error();
        }
    }
    const QString message =
        skipped ? QCoreApplication::translate("sd::automation::Scheduler", "Skipped: already done.") : outcome.message;
    QJsonObject trace{{u"rule"_qs, rule.id},       {u"version"_qs, rule.version}, {u"name"_qs, rule.name},
                      {u"action"_qs, action.type}, {u"index"_qs, index},          {u"outcome"_qs, result},
                      {u"message"_qs, message},    {u"attempt"_qs, job.attempts}, {u"detail"_qs, outcome.detail}};
    if (auto r = m_rules.addTrace({0, job.orderId, rule.id, rule.version, eventId, u"action"_qs, result, trace, {}});
        !r)
        return r.error();
    if (auto r = logRun(job, action.type, result, message, startedMs); !r)
        return r.error();
    if (auto r = finish(job, state, state == u"done" ? QString() : message, due); !r)
        return r.error();
    if (chain && index + 1 < rule.actions.size())
        if (auto r = m_dispatcher.enqueueAction(rule, job.orderId, cause, eventId, depth, index + 1); !r)
            return r.error();
    return result;
}

Result<QString> Scheduler::recordInTransaction(const ClaimedJob &job, const Rule &rule, const ActionOutcome &outcome,
                                               bool skipped, qint64 startedMs)
{
    storage::Transaction transaction(m_store.database(), "record action");
    if (!transaction.started())
        return transaction.started().error();
    auto r = record(job, rule, outcome, skipped, startedMs);
    if (!r)
        return r.error();
    if (auto c = transaction.commit(); !c)
        return c.error();
    return r;
}

Result<QString> Scheduler::runHandler(const ClaimedJob &job)
{
    const qint64 started = QDateTime::currentMSecsSinceEpoch();
    ExecutorEnv env{m_store, m_rules, m_dispatcher};
    const ActionOutcome outcome = m_executors.jobHandler(job.kind)->run(job, env);
    QString result = u"done"_qs;
    QString state = u"done"_qs;
    qint64 due = 0;
    if (outcome.kind == ActionOutcome::Kind::Failed) {
        const bool again = outcome.retry && job.attempts < kMaxAttempts;
        result = again ? u"retry"_qs : u"failed"_qs;
        state = again ? u"pending"_qs : u"failed"_qs;
        if (again)
            due = QDateTime::currentMSecsSinceEpoch() + backoffMs(job.attempts);
    }
    storage::Transaction transaction(m_store.database(), "record job");
    if (!transaction.started())
        return transaction.started().error();
    if (auto r = logRun(job, job.kind, result, outcome.message, started); !r)
        return r.error();
    if (auto r = finish(job, state, state == u"done" ? QString() : outcome.message, due); !r)
        return r.error();
    if (state == u"failed") {
        OperatorAlert alert;
        alert.kind = job.kind;
        alert.orderId = job.orderId;
        alert.jobId = job.id;
        alert.action = job.kind;
        alert.message = outcome.message;
        if (auto r = OperatorAlerts(m_store.sharedDatabase()).raise(alert); !r)
            return r.error();
    }
    if (auto r = transaction.commit(); !r)
        return r.error();
    return result;
}

Result<QString> Scheduler::runAction(const ClaimedJob &job)
{
    storage::Database &db = m_store.database();
    const qint64 started = QDateTime::currentMSecsSinceEpoch();
    const QJsonObject &p = job.payload;
    auto rule = m_rules.version(p.value(u"rule").toInteger(), p.value(u"version").toInt());
    if (!rule)
        return rule.error();
    const int index = p.value(u"action").toInt();
    const int failureIndex = p.value(u"failure").toInt(-1);
    if (index >= rule->actions.size() ||
        (failureIndex >= 0 && failureIndex >= rule->actions.at(index).onFailure.size()))
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::automation::Scheduler",
                                                     "The job names an action the rule does not have."));
    const Action &action = actionOf(*rule, job);
    auto order = m_store.load(job.orderId);
    if (!order)
        return order.error();
    ActionExecutor &executor = m_executors.forAction(action.type);
    ExecutorEnv env{m_store, m_rules, m_dispatcher};
    const ActionRun actionRun{*rule, action, *order, job.key, p.value(u"depth").toInt(), job.id};

    auto claimLedger = [&]() -> Result<storage::ActionLedger::Claim> {
        auto claim = m_ledger.claim(job.key, action.type, job.orderId, m_owner);
        if (claim && *claim == storage::ActionLedger::Claim::FailedBefore)
            return m_ledger.claimRetry(job.key, m_owner);
        return claim;
    };

    if (executor.internal()) {
        ActionOutcome outcome;
        {
            storage::Transaction transaction(db, "run action");
            if (!transaction.started())
                return transaction.started().error();
            auto claim = claimLedger();
            if (!claim)
                return claim.error();
            if (*claim == storage::ActionLedger::Claim::AlreadyDone) {
                auto r = record(job, *rule, {}, true, started);
                if (!r)
                    return r.error();
                if (auto c = transaction.commit(); !c)
                    return c.error();
                return r;
            }
            if (*claim == storage::ActionLedger::Claim::InProgress)
                return makeError(Error::Code::Conflict,
                                 QCoreApplication::translate("sd::automation::Scheduler",
                                                             "Another workstation is running this action."));
            outcome = executor.run(actionRun, env);
            if (outcome.kind != ActionOutcome::Kind::Failed) {
                auto r = record(job, *rule, outcome, false, started);
                if (!r)
                    return r.error();
                if (auto c = transaction.commit(); !c)
                    return c.error();
                return r;
            }
            // Leaving the scope undoes whatever the action half did; the failure is recorded on its own below.
        }
        storage::Transaction failure(db, "record failed action");
        if (!failure.started())
            return failure.started().error();
        if (auto c = claimLedger(); !c)
            return c.error();
        auto r = record(job, *rule, outcome, false, started);
        if (!r)
            return r.error();
        if (auto c = failure.commit(); !c)
            return c.error();
        return r;
    }

    auto claim = claimLedger();
    if (!claim)
        return claim.error();
    if (*claim == storage::ActionLedger::Claim::InProgress && executor.repeatable()) {
        // An earlier run claimed it and never finished (its process died mid-call, and the job's lease ran out).
        // The effect carries the idempotency key, so the receiver recognises a repeat: calling again is safe.
        auto taken = m_ledger.takeOver(job.key, m_owner);
        if (!taken)
            return taken.error();
        if (*taken)
            *claim = storage::ActionLedger::Claim::Claimed;
    }
    if (*claim == storage::ActionLedger::Claim::InProgress) {
        // An earlier run claimed it and never finished (its process died mid-call). Whether the effect happened
        // is unknown, so it is not repeated: never twice. A person decides.
        const ActionOutcome unknown{ActionOutcome::Kind::Failed,
                                    QCoreApplication::translate("sd::automation::Scheduler",
                                                                "An earlier attempt was interrupted; it may or may not "
                                                                "have happened, so it is not repeated. Check and run "
                                                                "it by hand if needed."),
                                    {},
                                    false};
        return recordInTransaction(job, *rule, unknown, false, started);
    }
    const bool already = *claim == storage::ActionLedger::Claim::AlreadyDone;
    if (!already && executor.asynchronous()) {
        // The job keeps its lease while the call is in flight; the answer (or the timeout) is recorded by land().
        // A crash meanwhile leaves the job claimable after its lease and the ledger claimed: the next run repeats
        // the call under the same key (the executor is repeatable) or leaves it to a person.
        auto flight = std::make_shared<InFlight>(InFlight{job, *rule, *order, started, {}});
        const ActionRun copied{flight->rule, actionOf(flight->rule, job), flight->order, job.key, actionRun.depth,
                               job.id};
        ++m_inFlight;
        executor.begin(copied, env, [self = QPointer<Scheduler>(this), flight](ActionOutcome outcome) {
            if (!self)
                return;
            flight->outcome = std::move(outcome);
            self->m_landed.append(flight);
            // Recorded outside whatever this thread is doing now (a blocking marketplace call may have let the
            // answer in): a queued call runs from the event loop proper.
            QMetaObject::invokeMethod(self, &Scheduler::land, Qt::QueuedConnection);
        });
        return u"in-flight"_qs;
    }
    const ActionOutcome outcome = already ? ActionOutcome{} : executor.run(actionRun, env);
    return recordInTransaction(job, *rule, outcome, already, started);
}

void Scheduler::land()
{
    if (m_running)
        return; // runDue() lands them when its job is done
    while (!m_landed.isEmpty()) {
        const std::shared_ptr<InFlight> flight = m_landed.takeFirst();
        --m_inFlight;
        auto recorded = recordInTransaction(flight->job, flight->rule, flight->outcome, false, flight->startedMs);
        if (!recorded) {
            // The lease runs out and the job is claimed again: the call is repeated under its key.
            qCWarning(lcAutomation) << "job" << flight->job.id << "answer not recorded:" << recorded.error().text();
            continue;
        }
        Q_EMIT jobFinished(flight->job.id, *recorded);
    }
    // The answer may have queued the rule's next action.
    wake();
}

Result<int> Scheduler::runUntilIdle(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    int ran = 0;
    for (;;) {
        auto n = runDue();
        if (!n)
            return n.error();
        ran += *n;
        if (m_inFlight == 0 && m_landed.isEmpty() && *n == 0)
            return ran;
        if (clock.elapsed() > timeoutMs)
            return makeError(Error::Code::Io, QCoreApplication::translate("sd::automation::Scheduler",
                                                                          "The jobs did not finish in time."));
        if (m_inFlight > 0 && m_landed.isEmpty()) {
            // Serve this thread's events (the answers) for a moment.
            QEventLoop wait;
            QTimer::singleShot(50, &wait, &QEventLoop::quit);
            wait.exec();
        }
        land();
    }
}

Result<int> Scheduler::dispatchEvents()
{
    ExecutorEnv env{m_store, m_rules, m_dispatcher};
    for (const Executors::Pass &pass : m_executors.passes())
        if (auto r = pass(env); !r)
            qCWarning(lcAutomation).noquote() << "scheduler pass failed:" << r.error().text();
    return m_dispatcher.dispatch(now());
}

Result<int> Scheduler::runDue()
{
    if (m_running)
        return 0;
    m_running = true;
    auto done = qScopeGuard([this] {
        m_running = false;
        if (!m_landed.isEmpty())
            QMetaObject::invokeMethod(this, &Scheduler::land, Qt::QueuedConnection);
    });
    if (auto d = dispatchEvents(); !d)
        return d.error();
    int ran = 0;
    while (!m_stopRequested) {
        auto job = claimNext();
        if (!job)
            return job.error();
        if (!job->has_value())
            break;
        auto outcome = run(**job);
        if (!outcome) {
            qCWarning(lcAutomation) << "job" << (*job)->id << "failed:" << outcome.error().text();
            const bool last = (*job)->attempts >= kMaxAttempts;
            storage::Transaction transaction(m_store.database(), "record job error");
            if (!transaction.started())
                return transaction.started().error();
            if (auto r = finish(**job, last ? u"failed"_qs : u"pending"_qs, outcome.error().userMessage,
                                now() + backoffMs((*job)->attempts));
                !r)
                return r.error();
            if (last)
                if (auto r =
                        raiseFailure(**job, (*job)->payload.value(u"type").toString(), outcome.error().userMessage);
                    !r)
                    return r.error();
            if (auto r = transaction.commit(); !r)
                return r.error();
        }
        ++ran;
        // Actions queue further actions and change orders: new events to dispatch.
        if (auto d = dispatchEvents(); !d)
            return d.error();
    }
    return ran;
}

} // namespace sd::automation
