#pragma once

#include "storage/orderstore.h"

#include <QAbstractTableModel>

namespace sd::ui {

// The newest orders as a table. A first, bounded model: the paged million-order model replaces it.
class OrderListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Id, Date, Status, Buyer, Items, Total, Payment, Delivery, Marketplace, ColumnCount };

    explicit OrderListModel(storage::OrderStore &store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    Result<void> reload();
    qint64 orderId(int row) const;

private:
    storage::OrderStore &m_store;
    QList<storage::OrderSummary> m_rows;
};

} // namespace sd::ui
