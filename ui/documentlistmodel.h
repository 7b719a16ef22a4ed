#pragma once

#include "documents/documentstore.h"

#include <QAbstractTableModel>

namespace sd::ui {

// The documents of a filter, newest first (one read per refresh; the store limits the count).
class DocumentListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Number, Type, State, IssueDate, Order, Buyer, TaxId, Gross, Ksef, ColumnCount };

    explicit DocumentListModel(QObject *parent = nullptr);

    void setDocuments(QList<documents::DocumentSummary> documents);
    const documents::DocumentSummary *at(int row) const;
    int rowOf(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString typeLabel(documents::DocumentType type);

private:
    QList<documents::DocumentSummary> m_documents;
};

} // namespace sd::ui
