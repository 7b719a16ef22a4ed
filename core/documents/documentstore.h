#pragma once

#include "documents/document.h"
#include "documents/numbering.h"
#include "storage/orderstore.h"

#include <functional>
#include <memory>

namespace sd::documents {

namespace DocumentEvent {
// The event names the automation catalogue's triggers listen to (core/automation/catalog.cpp).
inline constexpr char kIssued[] = "document.issued";
inline constexpr char kFailed[] = "document.failed";
inline constexpr char kQueued[] = "document.queued";
inline constexpr char kSent[] = "document.sent";
inline constexpr char kOffline[] = "document.offline"; // queued, but KSeF was unreachable: offline-issued
inline constexpr char kCancelled[] = "document.cancelled";
inline constexpr char kGenerated[] = "document.generated"; // a transport slip or warranty card (D6), not an invoice
inline constexpr char kCorrected[] = "document.corrected";
inline constexpr char kKsefAccepted[] = "ksef.accepted";
inline constexpr char kKsefRejected[] = "ksef.rejected";
} // namespace DocumentEvent

// The document state machine:
//   draft -> issued | offline | cancelled
//   issued -> queued | cancelled | corrected | rejected      offline -> queued | corrected | rejected
//   queued -> sent | rejected | offline (KSeF unreachable)    offline -> sent (sent later)
//   sent -> accepted | rejected
//   rejected -> queued | cancelled                  accepted -> corrected      corrected -> corrected
// A document KSeF has seen (sent, accepted) is never cancelled: only a correction changes it.
bool canMove(DocumentState from, DocumentState to);
// The event a move into the state writes (every state has one).
const char *eventFor(DocumentState to);

struct DocumentSummary
{
    qint64 id = 0;
    DocumentType type = DocumentType::Vat;
    DocumentState state = DocumentState::Draft;
    QString number;
    qint64 orderId = 0;
    QString issueDate;
    QString buyerName;
    QString buyerTaxId;
    domain::Money gross;
    QString ksefNumber;
    QString reason;
};

struct DocumentFilter
{
    std::optional<DocumentType> type;
    std::optional<DocumentState> state;
    qint64 orderId = 0;
    QString search; // number or buyer name
    int limit = 200;
};

struct DocumentLogEntry
{
    QDateTime at;
    QString actor;
    QString from;
    QString to;
    QString note;
};

// Documents in the database (schema 12). Every state change writes a document_log row and an event through
// OrderStore::recordEvent (the order's event stream, so the automation dispatcher sees it) in one transaction.
class DocumentStore
{
public:
    explicit DocumentStore(storage::OrderStore &orders);

    // Takes the next number of the series, builds the FA(3) XML with it and validates it (KSeF documents), and
    // stores the document as issued (or offline-issued) with its event, all in one transaction: a failure returns
    // the number and leaves nothing behind. source: "manual", "rule:12", "auto".
    Result<Document> issue(Document doc, const Series &series, const storage::ChangeContext &ctx, const QString &source,
                           bool offline = false);
    // A draft: stored without a number (no event besides the log).
    Result<Document> saveDraft(Document doc, const storage::ChangeContext &ctx, const QString &source);
    // Issues a stored draft with the series' next number.
    Result<Document> issueDraft(qint64 id, const Series &series, const storage::ChangeContext &ctx,
                                bool offline = false);

    // Moves the document; edit may change its fields (KSeF number, reason) in the same transaction.
    Result<Document> move(qint64 id, DocumentState to, const storage::ChangeContext &ctx, const QString &note,
                          const std::function<void(Document &)> &edit = {}, const QString &upo = {});

    Result<Document> load(qint64 id);
    // A document by number ("FV/1/11/2026") or internal id ("42").
    Result<Document> resolve(const QString &numberOrId);
    Result<QList<DocumentSummary>> list(const DocumentFilter &filter);
    Result<QList<DocumentLogEntry>> log(qint64 id);
    // The exact FA(3) bytes stored at issue (what KSeF gets and KOD I hashes).
    Result<QByteArray> xml(qint64 id);
    Result<QString> upo(qint64 id);
    // Records a document.failed event for an order (outside any transaction that was rolled back).
    Result<void> recordFailure(qint64 orderId, const QString &reason, const storage::ChangeContext &ctx,
                               const QString &source);

    storage::OrderStore &orders() { return m_orders; }

private:
    Result<Document> store(Document &doc, const storage::ChangeContext &ctx, const QString &source,
                           const QByteArray &xml, qint64 seriesId);
    Result<void> writeLog(qint64 id, const storage::ChangeContext &ctx, DocumentState from, DocumentState to,
                          const QString &note);
    // event: instead of eventFor(to) (a move into offline-issued from the queue).
    Result<void> writeEvent(const Document &doc, DocumentState to, const storage::ChangeContext &ctx,
                            const QString &note, const char *event = nullptr);

    storage::OrderStore &m_orders;
    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::documents
