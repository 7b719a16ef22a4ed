#pragma once

#include "storage/jobqueue.h"
#include "storage/orderstore.h"

namespace sd::storage {

struct StatusChangeReport
{
    int changed = 0;
    int unchanged = 0; // already had the status
    int notificationsQueued = 0;
    QList<QPair<qint64, QString>> failed; // order id, reason
};

// Sets the status of each order (A6). With informBuyer, a notification job for the buyer is queued in the
// same transaction as the change, keyed by the change's event: it is never lost and never sent twice.
// Without it, nothing is queued, so an accidental change can be made silently. cancelled() is asked between
// orders, so a long bulk change can be stopped; what was done stays done.
StatusChangeReport changeStatus(OrderStore &store, const QList<qint64> &orderIds, const QString &status,
                                bool informBuyer, const ChangeContext &context,
                                const std::function<bool(int done)> &progress = {});

} // namespace sd::storage
