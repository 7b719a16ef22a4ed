#include "orderlistmodel.h"

#include "access/session.h"
#include "money/profitservice.h"

#include <QColor>
#include <QLocale>
#include <QScopedValueRollback>

namespace sd::ui {

OrderListModel::OrderListModel(std::shared_ptr<storage::Database> db, QObject *parent)
    : QAbstractTableModel(parent)
    , m_db(db)
    , m_query(std::move(db))
{}

const money::Profit *OrderListModel::profitOf(int row) const
{
    const qint64 id = m_rows.at(row).id;
    if (!m_profits.contains(id)) {
        const int first = row - row % kPageSize;
        QList<qint64> ids;
        for (int r = first; r < std::min<int>(first + kPageSize, int(m_rows.size())); ++r)
            if (!m_profits.contains(m_rows.at(r).id))
                ids.append(m_rows.at(r).id);
        auto computed = money::ProfitService(m_db).profits(ids);
        if (!computed)
            return nullptr;
        m_profits.insert(*computed);
    }
    auto it = m_profits.constFind(id);
    return it == m_profits.constEnd() ? nullptr : &*it;
}

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
    switch (role) {
    case OrderIdRole:
        return o.id;
    case StatusColorRole:
        return QColor::fromString(o.statusColor);
    case Qt::TextAlignmentRole:
        if (index.column() == Total || index.column() == Items || index.column() == Id || index.column() == Profit)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::BackgroundRole: {
        // Rows are tinted with their status colour, lightly, so the list reads at a glance.
        QColor tint = QColor::fromString(o.statusColor);
        if (!tint.isValid())
            return {};
        tint.setAlpha(36);
        return tint;
    }
    case Qt::DecorationRole:
        if (index.column() == Status)
            return QColor::fromString(o.statusColor);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Buyer)
            return o.buyerLogin;
        if (index.column() == Profit) {
            const money::Profit *p = profitOf(index.row());
            return p ? (p->problems + p->warnings).join(u'\n') : QVariant();
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Profit) {
            const money::Profit *p = profitOf(index.row());
            if (p && (p->profit < 0 || !p->problems.isEmpty()))
                return QColor(0xc0, 0x39, 0x2b);
        }
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case Id:
        return o.id;
    case Date:
        return QLocale().toString(o.createdAt.toLocalTime(), QLocale::ShortFormat);
    case Status:
        return o.status;
    case Buyer:
        return o.buyerName.isEmpty() ? o.buyerLogin : o.buyerName;
    case Items:
        return o.itemCount;
    case Total:
        return o.total.toDisplayString();
    case Payment: {
        QString text;
        if (o.paymentStatus == u"paid")
            text = tr("Paid");
        else if (o.paymentStatus == u"partially-paid")
            text = tr("Partly paid");
        else if (o.paymentStatus == u"overpaid")
            text = tr("Overpaid");
        else if (o.paymentStatus == u"refunded")
            text = tr("Refunded");
        else
            text = tr("Unpaid");
        if (o.paymentMethod == u"CASH_ON_DELIVERY")
            text = tr("COD") + u" · " + text;
        return text;
    }
    case Delivery:
        return o.deliveryMethod;
    case Marketplace:
        return o.marketplace;
    case Profit: {
        // A role without "see profit" gets nothing here (the window hides the column; the core refuses anyway).
        if (!access::Session::current().can(access::Permission::SeeProfit))
            return {};
        const money::Profit *p = profitOf(index.row());
        if (!p)
            return tr("?");
        return QString(p->display(p->profit) + (p->problems.isEmpty() ? QString() : u" ⚠"_qs));
    }
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
    case Status:
        return tr("Status");
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
    case Marketplace:
        return tr("Channel");
    case Profit:
        return tr("Profit");
    default:
        return {};
    }
}

bool OrderListModel::canFetchMore(const QModelIndex &parent) const
{
    // Not while the model announces a change: whoever listens must not fetch in the middle of it.
    return !parent.isValid() && !m_changing && m_rows.size() < m_total && !m_error;
}

void OrderListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent) || m_rows.isEmpty())
        return;
    auto next = m_query.page(m_filter, storage::OrderQuery::keyOf(m_rows.constLast(), m_filter.sort), kPageSize);
    if (!next) {
        m_error = next.error();
        Q_EMIT failed(next.error().userMessage);
        return;
    }
    if (next->isEmpty()) {
        m_total = m_rows.size(); // fewer than counted: orders went away in between
        return;
    }
    const QScopedValueRollback<bool> changing(m_changing, true);
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + next->size() - 1));
    m_rows += *next;
    endInsertRows();
}

void OrderListModel::sort(int column, Qt::SortOrder order)
{
    using Sort = storage::OrderQuery::Sort;
    static const Sort byColumn[ColumnCount] = {Sort::Id,      Sort::Created,  Sort::Status,
                                               Sort::Buyer,   Sort::Items,    Sort::Total,
                                               Sort::Payment, Sort::Delivery, Sort::Marketplace};
    if (column < 0 || column >= ColumnCount || column == Profit)
        return;
    storage::OrderQuery::Filter filter = m_filter;
    filter.sort = byColumn[column];
    filter.ascending = order == Qt::AscendingOrder;
    if (filter == m_filter && !m_rows.isEmpty())
        return;
    (void)setFilter(filter);
}

Result<void> OrderListModel::setFilter(const storage::OrderQuery::Filter &filter, std::optional<qint64> knownTotal)
{
    m_filter = filter;
    // Another filter shows other orders: start afresh.
    const QScopedValueRollback<bool> changing(m_changing, true);
    beginResetModel();
    m_rows.clear();
    m_profits.clear();
    m_total = 0;
    auto loaded = fetch(kPageSize, knownTotal);
    if (loaded) {
        m_rows = std::move(loaded->first);
        m_total = loaded->second;
    }
    endResetModel();
    if (!loaded)
        return loaded.error();
    return {};
}

Result<void> OrderListModel::reload()
{
    m_profits.clear();
    auto loaded = fetch(qMax<int>(kPageSize, int(m_rows.size())));
    if (!loaded)
        return loaded.error();
    QList<storage::OrderSummary> rows = std::move(loaded->first);
    m_total = loaded->second;
    // The same rows are read again and replaced in place, so the view keeps its scroll position.
    const QScopedValueRollback<bool> changing(m_changing, true);
    const int before = int(m_rows.size());
    const int after = int(rows.size());
    if (after < before) {
        beginRemoveRows({}, after, before - 1);
        m_rows.resize(after);
        endRemoveRows();
    } else if (after > before) {
        beginInsertRows({}, before, after - 1);
        m_rows += rows.mid(before);
        endInsertRows();
    }
    m_rows = std::move(rows);
    if (after > 0)
        Q_EMIT dataChanged(index(0, 0), index(after - 1, ColumnCount - 1));
    return {};
}

Result<QPair<QList<storage::OrderSummary>, qint64>> OrderListModel::fetch(int rows, std::optional<qint64> knownTotal)
{
    auto total = knownTotal ? Result<qint64>(*knownTotal) : m_query.count(m_filter);
    auto page =
        total ? m_query.page(m_filter, std::nullopt, rows) : Result<QList<storage::OrderSummary>>(total.error());
    if (!page) {
        m_error = page.error();
        Q_EMIT failed(page.error().userMessage);
        return page.error();
    }
    m_error.reset();
    return QPair<QList<storage::OrderSummary>, qint64>(*page, *total);
}

qint64 OrderListModel::orderId(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : 0;
}

int OrderListModel::rowOf(qint64 orderId) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).id == orderId)
            return int(i);
    return -1;
}

} // namespace sd::ui
