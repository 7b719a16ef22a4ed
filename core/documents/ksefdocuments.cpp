#include "documents/ksefdocuments.h"

#include "documents/ksef/ksefnumber.h"
#include "documents/ksef/ksefsubmissionstore.h"

#include "automation/sqlrun.h"
#include "documents/fa3xml.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace sd::documents {

KsefDocuments::KsefDocuments(DocumentStore &store)
    : m_store(store)
{}

Result<QByteArray> KsefDocuments::xmlToSend(qint64 documentId)
{
    auto xml = m_store.xml(documentId);
    if (!xml)
        return xml;
    if (auto r = validateFa3(*xml); !r) {
        if (auto moved = m_store.move(documentId, DocumentState::Rejected, {u"ksef"_s, u"validation"_s, 0},
                                      r.error().userMessage);
            !moved)
            return moved.error();
        return r.error();
    }
    return xml;
}

Result<std::pair<Document, bool>> KsefDocuments::enqueue(qint64 documentId, const storage::ChangeContext &ctx)
{
    storage::Transaction transaction(m_store.orders().database(), "queue document for KSeF");
    if (!transaction.started())
        return transaction.started().error();
    auto doc = m_store.load(documentId);
    if (!doc)
        return doc.error();
    const bool waitingState = doc->state == DocumentState::Issued || doc->state == DocumentState::OfflineIssued ||
                              doc->state == DocumentState::Queued;
    if (!waitingState || !isKsefDocument(doc->type))
        return std::pair{*doc, false};
    auto xml = xmlToSend(documentId);
    if (!xml) {
        // An invalid document was moved to rejected with the reason: that move must stay.
        if (auto r = transaction.commit(); !r)
            return r.error();
        return xml.error();
    }
    ksef::SubmissionStore submissions(m_store.orders().sharedDatabase());
    auto existing = submissions.latest(submissionRef(*doc));
    if (!existing)
        return existing.error();
    const QString hash = ksef::SubmissionStore::contentHash(*xml);
    bool fresh = false;
    if (!*existing || (*existing)->contentHash != hash) {
        auto s = submissions.enqueue(submissionRef(*doc), *xml);
        if (!s)
            return s.error();
        fresh = true;
    }
    if (doc->state == DocumentState::Issued) {
        doc = markQueued(documentId, ctx);
        if (!doc)
            return doc.error();
    }
    if (auto r = transaction.commit(); !r)
        return r.error();
    return std::pair{*doc, fresh};
}

Result<int> KsefDocuments::enqueueWaiting(const storage::ChangeContext &ctx)
{
    auto ids = waiting();
    if (!ids)
        return ids.error();
    int queued = 0;
    for (qint64 id : std::as_const(*ids)) {
        auto r = enqueue(id, ctx);
        if (!r) {
            // One invalid document (now rejected with its reason) does not hold the others back.
            if (r.error().code == Error::Code::Invalid)
                continue;
            return r.error();
        }
        queued += r->second ? 1 : 0;
    }
    return queued;
}

Result<QList<qint64>> KsefDocuments::waiting()
{
    auto q = automation::runSql(m_store.orders().database(),
                                u"SELECT id FROM documents WHERE state IN ('issued', 'offline', 'queued') "
                                "AND xml IS NOT NULL ORDER BY id"_s,
                                "documents waiting for KSeF");
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    return ids;
}

Result<Document> KsefDocuments::markQueued(qint64 documentId, const storage::ChangeContext &ctx)
{
    return m_store.move(documentId, DocumentState::Queued, ctx, {});
}

Result<Document> KsefDocuments::markSent(qint64 documentId, const QString &referenceNumber,
                                         const storage::ChangeContext &ctx)
{
    return m_store.move(documentId, DocumentState::Sent, ctx, referenceNumber,
                        [&](Document &doc) { doc.ksefReference = referenceNumber; });
}

Result<Document> KsefDocuments::markAccepted(qint64 documentId, const QString &ksefNumber, const QString &upoXml,
                                             const storage::ChangeContext &ctx)
{
    if (!ksef::ksefnumber::isValid(ksefNumber)) // the format and its CRC-8
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "\"%1\" is not a KSeF number.").arg(ksefNumber));
    return m_store.move(
        documentId, DocumentState::Accepted, ctx, ksefNumber, [&](Document &doc) { doc.ksefNumber = ksefNumber; },
        upoXml);
}

Result<Document> KsefDocuments::markRejected(qint64 documentId, const QString &reason,
                                             const storage::ChangeContext &ctx)
{
    return m_store.move(documentId, DocumentState::Rejected, ctx, reason);
}

} // namespace sd::documents
