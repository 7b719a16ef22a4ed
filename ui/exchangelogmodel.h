#pragma once

#include "marketplace/httpexchange.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace sd::ui {

// The connector's recent HTTP exchanges (already redacted by the client), newest last, at most `capacity`:
// the oldest rows drop out so a workstation running for weeks keeps a bounded log.
class ExchangeLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Account, Method, Path, Status, Duration, ColumnCount };
    enum Role { FailedRole = Qt::UserRole + 1 };

    struct Entry
    {
        QDateTime at;
        QString account;
        marketplace::HttpExchange exchange;
        bool failed() const { return exchange.status == 0 || exchange.status >= 400; }
    };

    explicit ExchangeLogModel(int capacity = 2000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(const QString &account, const marketplace::HttpExchange &exchange);
    void clear();
    const Entry &entry(int row) const { return m_entries.at(row); }
    int failures() const;

    // Request and answer as text for the details pane: JSON bodies indented, binary ones summarised.
    static QString describe(const Entry &entry);

private:
    int m_capacity;
    QList<Entry> m_entries;
};

} // namespace sd::ui
