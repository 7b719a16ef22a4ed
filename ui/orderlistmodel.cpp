#include "orderlistmodel.h"

#include <QLocale>

namespace sd::ui {

OrderListModel::OrderListModel(storage::OrderStore &store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{}

int OrderListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int OrderListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OrderListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const storage::OrderSummary &o = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole && (index.column() == Total || index.column() == Items || index.column() == Id))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Id:
        return o.id;
    case Date:
        return QLocale().toString(o.createdAt.toLocalTime(), QLocale::ShortFormat);
    case Marketplace:
        return o.marketplace;
    case Buyer:
        return o.buyerName.isEmpty() ? o.buyerLogin : o.buyerName + u" (" + o.buyerLogin + u')';
    case Items:
        return o.itemCount;
    case Total:
        return o.total.toDisplayString();
    case Payment: {
        QString text = o.paymentStatus == u"paid" ? tr("Paid") : tr("Unpaid");
        if (o.paymentMethod == u"CASH_ON_DELIVERY")
            text = tr("COD") + u" · " + text;
        return text;
    }
    case Delivery:
        return o.deliveryMethod;
    case Status:
        return o.status;
    default:
        return {};
    }
}

QVariant OrderListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("No.");
    case Date:
        return tr("Date");
    case Marketplace:
        return tr("Channel");
    case Buyer:
        return tr("Buyer");
    case Items:
        return tr("Items");
    case Total:
        return tr("Total");
    case Payment:
        return tr("Payment");
    case Delivery:
        return tr("Delivery");
    case Status:
        return tr("Status");
    default:
        return {};
    }
}

Result<void> OrderListModel::reload()
{
    auto rows = m_store.list({QString(), QString(), 1000});
    if (!rows)
        return rows.error();
    beginResetModel();
    m_rows = *rows;
    endResetModel();
    return {};
}

qint64 OrderListModel::orderId(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : 0;
}

} // namespace sd::ui
