#pragma once

#include "documents/documentstore.h"
#include "documents/settings.h"
#include "documents/stockgate.h"
#include "storage/actionledger.h"

#include <memory>

namespace sd::documents {

struct IssueRequest
{
    qint64 orderId = 0;
    std::optional<DocumentType> type; // none: chosen from the buyer's data and the settings
    QString series;                   // empty: the type's default series
    QString ledgerKey; // an ActionLedger key: with one, the issue happens at most once for it (rules, auto-invoicing)
    QString source = QStringLiteral("manual");
    bool offline = false; // issued while KSeF is unreachable (sent later)
    QDate issueDate;      // invalid: today
};

// One corrected line: its position (1-based) on the corrected invoice and the new quantity and/or unit price.
struct LineChange
{
    int line = 0;
    std::optional<qint64> quantity;
    std::optional<domain::Money> unitGross;
};

struct CorrectionRequest
{
    qint64 documentId = 0;
    QString reason;
    QList<LineChange> changes;
    bool returnAll = false; // every line to zero (a full return)
    QString series;
    QString ledgerKey;
    QDate issueDate;
};

struct AutoInvoiceReport
{
    int issued = 0;
    int skipped = 0; // no invoice wanted, already invoiced, not ready
    int flagged = 0; // refused by the stock gate: to invoice by hand
    int failed = 0;
    QStringList messages;
};

// Issuing, correcting and cancelling documents: builds them from orders with the company data and settings, takes
// numbers, guards every issue with the ActionLedger when asked (never two invoices for one order and rule), and
// writes the state events.
class DocumentService
{
public:
    explicit DocumentService(storage::OrderStore &orders);

    Result<Document> issueForOrder(const IssueRequest &request, const storage::ChangeContext &ctx);
    // A correction invoice (art. 106j) of an issued invoice; the invoice becomes "corrected".
    Result<Document> correct(const CorrectionRequest &request, const storage::ChangeContext &ctx);
    // Cancels a draft or an invoice KSeF has not seen; anything else needs a correction.
    Result<Document> cancel(qint64 id, const QString &reason, const storage::ChangeContext &ctx);

    // D1: invoices for orders downloaded from a marketplace since the last run (manual or automatic download), when
    // the setting is on. An order is invoiced when the buyer asked for an invoice or gave a NIP (or, with the
    // private-person setting, always), it is ready for processing, and the stock gate allows it; each order at most
    // once (ledger key "auto-invoice/order:N"). The cursor is kept in automation_state.
    Result<AutoInvoiceReport> autoInvoiceDownloaded(const storage::ChangeContext &ctx);
    Result<AutoInvoiceReport> autoInvoice(const QList<qint64> &orderIds, const storage::ChangeContext &ctx);

    void setStockGate(std::shared_ptr<StockGate> gate) { m_stock = std::move(gate); }
    DocumentStore &store() { return m_store; }
    SettingsStore &settings() { return m_settings; }
    SeriesStore &series() { return m_series; }

private:
    Result<Series> seriesFor(const QString &name, DocumentType type);
    template<typename Issue>
    Result<Document> underLedger(const QString &key, const QString &action, qint64 orderId, const Issue &issue);

    storage::OrderStore &m_orders;
    std::shared_ptr<storage::Database> m_db;
    DocumentStore m_store;
    SettingsStore m_settings;
    SeriesStore m_series;
    storage::ActionLedger m_ledger;
    std::shared_ptr<StockGate> m_stock;
};

} // namespace sd::documents
