#include "documentlistmodel.h"

#include <QBrush>
#include <QColor>

namespace sd::ui {

using namespace sd::documents;

DocumentListModel::DocumentListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void DocumentListModel::setDocuments(QList<DocumentSummary> documents)
{
    beginResetModel();
    m_documents = std::move(documents);
    endResetModel();
}

const DocumentSummary *DocumentListModel::at(int row) const
{
    return row >= 0 && row < m_documents.size() ? &m_documents.at(row) : nullptr;
}

int DocumentListModel::rowOf(qint64 id) const
{
    for (qsizetype i = 0; i < m_documents.size(); ++i) {
        if (m_documents.at(i).id == id)
            return int(i);
    }
    return -1;
}

int DocumentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_documents.size());
}

int DocumentListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DocumentListModel::typeLabel(DocumentType type)
{
    switch (type) {
    case DocumentType::Vat:
        return tr("VAT invoice");
    case DocumentType::Private:
        return tr("Invoice (private person)");
    case DocumentType::Simplified:
        return tr("Simplified invoice");
    case DocumentType::Correction:
        return tr("Correction");
    case DocumentType::Proforma:
        return tr("Pro forma");
    case DocumentType::TransportSlip:
        return tr("Transport slip");
    case DocumentType::WarrantyCard:
        return tr("Warranty card");
    }
    return {};
}

QVariant DocumentListModel::data(const QModelIndex &index, int role) const
{
    const DocumentSummary *d = at(index.row());
    if (!d || !index.isValid())
        return {};
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Number:
            return d->number.isEmpty() ? tr("(draft)") : d->number;
        case Type:
            return typeLabel(d->type);
        case State:
            return stateLabel(d->state);
        case IssueDate:
            return d->issueDate;
        case Order:
            return d->orderId ? QVariant(d->orderId) : QVariant();
        case Buyer:
            return d->buyerName;
        case TaxId:
            return d->buyerTaxId;
        case Gross:
            return d->gross.toDisplayString();
        case Ksef:
            return d->ksefNumber;
        }
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Gross || index.column() == Order))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (d->state == DocumentState::Rejected)
            return QBrush(QColor(0xc0, 0x39, 0x2b));
        if (d->state == DocumentState::Accepted)
            return QBrush(QColor(0x2e, 0x9d, 0x5b));
    }
    if (role == Qt::ToolTipRole && index.column() == State && !d->reason.isEmpty())
        return d->reason;
    return {};
}

QVariant DocumentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Number:
        return tr("Number");
    case Type:
        return tr("Type");
    case State:
        return tr("State");
    case IssueDate:
        return tr("Issued");
    case Order:
        return tr("Order");
    case Buyer:
        return tr("Buyer");
    case TaxId:
        return tr("NIP / VAT id");
    case Gross:
        return tr("Gross");
    case Ksef:
        return tr("KSeF number");
    }
    return {};
}

} // namespace sd::ui
