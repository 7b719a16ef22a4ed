#pragma once

#include "documents/documentbuilder.h"
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

// D6 automatic: what one pass over the completed orders made.
struct CompletionReport
{
    int orders = 0;    // orders that entered a completed status since the last pass
    int documents = 0; // documents of these orders (made now, or earlier under the same ledger key)
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
    // D6, on completion: the transport slip (delivery note) and the warranty card of the order, each at most once
    // per order (ledger keys "completion/order:N/transport-slip" and ".../warranty"), numbered in series of their own
    // (the type's default, or LP / KG made on first use), never in the VAT series and never sent to KSeF.
    Result<QList<Document>> issueCompletionDocuments(qint64 orderId, const storage::ChangeContext &ctx,
                                                     const QString &source = QStringLiteral("manual"));
    // D6 with the invoice: the transport slip, the invoice when the buyer wants one (an invoice request or a NIP, or
    // always with the private-person setting; ledger key "completion/order:N/invoice"; an order invoiced already,
    // by hand, a rule or D1, keeps its invoice) and the warranty card. Each document at most once per order.
    Result<QList<Document>> completeOrder(qint64 orderId, const storage::ChangeContext &ctx,
                                          const QString &source = QStringLiteral("auto"));
    // D6 automatic, when the setting `completionDocuments` is on: completeOrder() for every order that entered a
    // status of the closed ("completed") group since the last pass (order.status_changed events after the cursor
    // "documents.completion" in automation_state). The first pass after the setting is switched on only sets the
    // cursor, so earlier completions get nothing. A failure is a document.failed event of its order; the pass goes on.
    Result<CompletionReport> completeClosedOrders(const storage::ChangeContext &ctx);
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
    struct Built
    {
        domain::Order order;
        DocumentSettings settings;
        Document doc;
    };
    // The order built into a document with the company data and the settings.
    Result<Built> build(qint64 orderId, const BuildOptions &options);
    // With KSeF on, an issued FA(3) document goes into the offline queue at once (KsefService sends it).
    Result<Document> queueForKsef(const Document &doc, const storage::ChangeContext &ctx);
    // A foreign-currency invoice takes the NBP rate of the last working day before its tax point from the rate
    // table; without one it is not issued (the error says how to add it).
    Result<void> applyExchangeRate(Document &doc);
    Result<Series> seriesFor(const QString &name, DocumentType type);
    // D6's invoice: none when the buyer wants none or the order has one already.
    Result<std::optional<Document>> completionInvoice(qint64 orderId, const storage::ChangeContext &ctx,
                                                      const QString &source);
    // The default series of a completion document type, made on first use.
    Result<Series> completionSeries(DocumentType type);
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
