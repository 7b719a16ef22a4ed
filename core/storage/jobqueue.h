#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QJsonObject>

#include <memory>

namespace sd::storage {

namespace JobKind {
inline constexpr char kNotifyStatus[] = "notify.status"; // tell the buyer about a new status (A6)
} // namespace JobKind

// Work to be done later by the scheduler, kept in the database so nothing is lost on a crash. A job is
// queued in the same transaction as the change that caused it, and its idempotency key makes a second
// enqueue of the same thing a no-op. The scheduler that runs jobs arrives with the automation engine; until
// a job can run it waits with a visible reason.
class JobQueue
{
public:
    enum class State { Pending, Waiting, Running, Done, Failed };

    struct Job
    {
        qint64 id = 0;
        QString kind;
        qint64 orderId = 0;
        QJsonObject payload;
        QString idempotencyKey;
        State state = State::Pending;
        QDateTime dueAt;
        int attempts = 0;
        QString lastError; // for Waiting: why it waits, for people
        QDateTime createdAt;
    };

    // PostgreSQL: every enqueue runs NOTIFY on this channel in its transaction.
    static constexpr char kJobsChannel[] = "sellerdesk_jobs";

    explicit JobQueue(std::shared_ptr<Database> db);

    // Queues a job; returns its id, or the id of the job queued earlier under the same key.
    Result<qint64> enqueue(const QString &kind, qint64 orderId, const QJsonObject &payload,
                           const QString &idempotencyKey, const QDateTime &dueAt = {}, qint64 causeEventId = 0,
                           const QString &waitingReason = {});
    Result<QList<Job>> forOrder(qint64 orderId);

    static QString stateKey(State state);

private:
    std::shared_ptr<Database> m_db;
};

} // namespace sd::storage
