#pragma once

#include "documents/documentstore.h"

namespace sd::documents {

// What the KSeF client (core/documents/ksef/) needs from the documents: the exact FA(3) bytes stored at issue, the
// documents waiting to go, and the state moves with what KSeF answered. Each move is a state-machine transition
// with its event (document.queued, document.sent, ksef.accepted, ksef.rejected) and a document_log row.
class KsefDocuments
{
public:
    explicit KsefDocuments(DocumentStore &store);

    // The reference a document's submission carries in ksef_submissions: its number (what the CLI and lists show).
    static QString submissionRef(const Document &doc) { return doc.number; }

    // Puts an issued KSeF document's FA(3) into the offline queue's table and moves it to queued (an offline-issued
    // one stays offline-issued until it is sent). A document already queued with these bytes is left alone; a
    // document that is not a KSeF document (pro-forma, receipt) or no longer waiting is returned as it is.
    // Returns the document and whether it was queued now.
    Result<std::pair<Document, bool>> enqueue(qint64 documentId, const storage::ChangeContext &ctx);
    // Every waiting document into the queue (also the ones a crash left between issue and queue): how many now.
    Result<int> enqueueWaiting(const storage::ChangeContext &ctx);

    // The bytes to send (UTF-8 FA(3), validated against the schema when the document was issued, and again here:
    // an invalid document is never sent; the error says why).
    Result<QByteArray> xmlToSend(qint64 documentId);
    // Issued or offline-issued documents not yet queued, and queued ones (oldest first): the offline queue's input.
    Result<QList<qint64>> waiting();

    Result<Document> markQueued(qint64 documentId, const storage::ChangeContext &ctx);
    // referenceNumber: the KSeF session's reference of this invoice (for status polling).
    Result<Document> markSent(qint64 documentId, const QString &referenceNumber, const storage::ChangeContext &ctx);
    // ksefNumber: NNNNNNNNNN-YYYYMMDD-XXXXXXXXXXXX-CC; upoXml: the UPO as KSeF sent it (may be empty, added later).
    Result<Document> markAccepted(qint64 documentId, const QString &ksefNumber, const QString &upoXml,
                                  const storage::ChangeContext &ctx);
    Result<Document> markRejected(qint64 documentId, const QString &reason, const storage::ChangeContext &ctx);

private:
    DocumentStore &m_store;
};

} // namespace sd::documents
