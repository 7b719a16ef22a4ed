#pragma once

#include "storage/orderstore.h"

#include <QIODevice>

namespace sd::storage {

struct BulkReport
{
    int changed = 0;
    int unchanged = 0;
    QList<QPair<qint64, QString>> failed; // order id, reason
    bool stopped = false;
};

// Adds and removes tags on each order (A9), one change per order through OrderStore::apply, so each gets
// its history row and event. progress(done) is asked between orders; false stops, keeping what was done.
BulkReport changeTags(OrderStore &store, const QList<qint64> &orderIds, const QStringList &add,
                      const QStringList &remove, const ChangeContext &context,
                      const std::function<bool(int done)> &progress = {});

// Writes the orders as CSV (semicolon-separated, UTF-8 with a byte order mark, as spreadsheets in Poland
// expect), one line per order, amounts as decimal strings.
BulkReport exportCsv(OrderStore &store, const QList<qint64> &orderIds, QIODevice &out,
                     const std::function<bool(int done)> &progress = {});

} // namespace sd::storage
