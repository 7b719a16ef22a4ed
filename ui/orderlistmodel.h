#pragma once

#include "money/profit.h"
#include "storage/orderquery.h"

#include <QAbstractTableModel>

namespace sd::ui {

// Orders for the list, newest first, read a page at a time as the view scrolls (canFetchMore/fetchMore):
// a million orders never load at once. reload() keeps as many rows as were loaded, so a refresh after a
// background change keeps the scroll position, and the view keeps its selection by order id.
class OrderListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // Profit is last so saved column layouts of earlier versions keep their places; it is not sortable (computed).
    enum Column { Id, Date, Status, Buyer, Items, Total, Payment, Delivery, Marketplace, Profit, ColumnCount };
    enum Role { OrderIdRole = Qt::UserRole + 1, StatusColorRole };
    static constexpr int kPageSize = 200;

    explicit OrderListModel(std::shared_ptr<storage::Database> db, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    // Sorted in the database (keyset pages), so sorting a million orders loads no more than a page.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    void fetchMore(const QModelIndex &parent) override;

    const storage::OrderQuery::Filter &filter() const { return m_filter; }
    // knownTotal: how many orders the filter matches, when the caller knows it already (the tab counts).
    Result<void> setFilter(const storage::OrderQuery::Filter &filter, std::optional<qint64> knownTotal = {});
    // Reads again what is shown, after orders changed.
    Result<void> reload();

    qint64 orderId(int row) const;
    int rowOf(qint64 orderId) const;
    qint64 totalCount() const { return m_total; }
    const Error *lastError() const { return m_error ? &*m_error : nullptr; }

Q_SIGNALS:
    void failed(const QString &message);

private:
    // The first rows of the current filter and how many orders it matches.
    Result<QPair<QList<storage::OrderSummary>, qint64>> fetch(int rows, std::optional<qint64> knownTotal = {});

    // The profit of the page holding row (money::ProfitService: cached rows read, stale ones recomputed).
    const money::Profit *profitOf(int row) const;

    std::shared_ptr<storage::Database> m_db;
    storage::OrderQuery m_query;
    mutable QHash<qint64, money::Profit> m_profits; // cleared whenever the rows are read again
    storage::OrderQuery::Filter m_filter;
    QList<storage::OrderSummary> m_rows;
    qint64 m_total = 0;
    std::optional<Error> m_error;
    bool m_changing = false;
};

} // namespace sd::ui
