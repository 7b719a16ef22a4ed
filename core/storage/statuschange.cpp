#include "storage/statuschange.h"

#include "messaging/messagingaccounts.h"

#include <QCoreApplication>

namespace sd::storage {

StatusChangeReport changeStatus(OrderStore &store, const QList<qint64> &orderIds, const QString &status,
                                bool informBuyer, const ChangeContext &context,
                                const std::function<bool(int done)> &progress)
{
    StatusChangeReport report;
    Database &db = store.database();
    JobQueue jobs(store.sharedDatabase());
    // Until an e-mail or SMS account exists, a notification waits and says why (adding one releases it).
    const QString waiting = messaging::MessagingAccounts::notificationWaitingReason(db);
    for (int i = 0; i < orderIds.size(); ++i) {
        if (progress && !progress(i))
            break;
        const qint64 id = orderIds.at(i);
        Transaction transaction(db, "change status");
        if (!transaction.started()) {
            report.failed.append({id, transaction.started().error().userMessage});
            continue;
        }
        auto result = store.apply(OrderChange::setStatus(id, status, context));
        if (!result) {
            report.failed.append({id, result.error().userMessage});
            continue;
        }
        if (result->changedFields.isEmpty()) {
            ++report.unchanged;
            continue;
        }
        if (informBuyer) {
            const qint64 eventId = result->eventIds.constFirst();
            const QString key = QStringLiteral("%1/order:%2/event:%3")
                                    .arg(QLatin1StringView(JobKind::kNotifyStatus))
                                    .arg(id)
                                    .arg(eventId);
            auto job =
                jobs.enqueue(QString::fromLatin1(JobKind::kNotifyStatus), id,
                             QJsonObject{{u"orderId"_qs, id}, {u"status"_qs, status}}, key, {}, eventId, waiting);
            if (!job) {
                report.failed.append({id, job.error().userMessage});
                continue; // the transaction rolls back: no status change without its notification
            }
            ++report.notificationsQueued;
        }
        if (auto r = transaction.commit(); !r) {
            report.failed.append({id, r.error().userMessage});
            continue;
        }
        ++report.changed;
    }
    return report;
}

} // namespace sd::storage
