#pragma once

#include "storage/orderstore.h"

namespace sd::storage {

// One row of an order's history that is not one of its fields (e.g. a service case's state).
struct HistoryNote
{
    QString field;
    QString oldValue;
    QString newValue;
};

// OrderStore::recordEvent plus a history row linked to the event (who, when, field, old -> new, the user and the
// workstation, as OrderStore::apply writes them), in one transaction: for things that belong in the order's record
// without being one of its fields. Kept beside OrderStore (orderstore.cpp) so the spine writes every history row.
Result<qint64> recordEventWithHistory(OrderStore &store, const char *type, qint64 orderId, const QJsonObject &payload,
                                      const ChangeContext &ctx, const HistoryNote &note);

} // namespace sd::storage
